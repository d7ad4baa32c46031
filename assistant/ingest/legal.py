"""The structure of Indonesian regulations: BAB > Bagian > Paragraf > Pasal, the
Penjelasan per Pasal, and where a quote sits by ayat (n) and huruf.

Section paths join their components with " > ": "BAB III TUGAS DAN WEWENANG
PEMERINTAHAN > Bagian Kesatu Tugas > Pasal 6". The official elucidation starts its
own tree: "Penjelasan > Umum", "Penjelasan > Pasal 6". The opening (from "DENGAN
RAHMAT TUHAN YANG MAHA ESA": considerations, legal basis, decision) is
"Pembukaan"; the closing formula and signatures "Penutup"; annexes "Lampiran I", within
which only lettered and numbered titles in capitals are headings ("Lampiran I > A. BAKU MUTU
... > 2. AIR LIMBAH NONKAKUS ..."), so an annex's table is one section under its title. An
amending regulation's "Pasal I" stands above the articles it amends ("Pasal I > Pasal 6A").
A Pasal is the smallest section: ayat and huruf are found from a quote's position
(`legal_point`), so passages never cross a Pasal yet stay long enough to read.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from assistant.ingest.sentences import row_like

# A line that only names a structural unit; never a running head.
STRUCTURE_LINE = re.compile(
    r"^(?:BAB|Bagian|Paragraf|Pasal|Ayat|Huruf|Angka)\s+(?:[IVXLC]+|\d+[A-Z]?|\(\d+\)|[a-z]|Ke\w+|Pertama)$",
    re.IGNORECASE,
)
_BAB = re.compile(r"^BAB\s+([IVXLC]+|\d+)(?:\s+[^a-z]{3,})?$")
# A Bagian or Paragraf may print the start of its title on its own line.
# OCR misreads the word ("Bagran", "Bagtan", "Bagan Kelima"): its ordinal vouches for it.
_BAGIAN = re.compile(r"^Bag[a-z]{0,2}an\s+(?:Ke[a-z]+|Pertama)(?:\s+[A-Z][^.;:,]{0,60})?$")
_PARAGRAF = re.compile(r"^Paragraf\s*(?:\d+|Ke[a-z]+)(?:\s+[A-Z][^.;:,]{0,60})?$")
# OCR reads digits as letters in transcriptions ("Pasal lO", "Pasal 3l"): a number with
# at least one digit (or "lO" alone) may hold l and O, read as 1 and 0.
# "Pasal" as OCR may read it too: "Pasai", "PasaI", "Pasil27" (the space lost before a digit).
_PASAL_WORD = r"Pas[ai][lI](?:[ \t]+|(?=\d))"
_PASAL = re.compile(rf"^{_PASAL_WORD}([lO]*\d[\dlO]*[A-Z]?|[lO]{{2}}|[IVXLC]+)$", re.IGNORECASE)
_OCR_DIGITS = str.maketrans("lO", "10")
# A line of a regulation's title block: "NOMOR 18 TAHUN 2008", "NOMOR P.68/MENLHK/SETJEN/KUM.1/8/2016".
_NUMBER_LINE = re.compile(r"^NOMOR\s+\S+(?:\s+TAHUN\s+\d{4})?$")


def is_heading(line: str) -> bool:
    """Whether `line` only names a unit of a regulation ("BAB III TUGAS DAN WEWENANG",
    "Paragraf 3 Penyusunan Rancangan Naskah KSDPL", "Pasal 12") or the regulation itself
    ("NOMOR 18 TAHUN 2008"): a title, never a statement."""
    line = " ".join(line.split())
    return any(r.match(line) for r in (STRUCTURE_LINE, _BAB, _BAGIAN, _PARAGRAF, _PASAL, _NUMBER_LINE))


_CERTIFIED_COPY = re.compile(r"^\W*Salinan\s+sesuai\s+dengan\s+a\w*nya\b", re.IGNORECASE)


def is_certification(unit: str) -> bool:
    """Whether `unit` is the certification of a regulation's copy ("Salinan sesuai dengan
    aslinya", OCR "alinya", with the certifying office): a formula, never a statement."""
    return bool(_CERTIFIED_COPY.match(unit))


def in_capitals(unit: str) -> bool:
    """Whether `unit` is in capitals throughout ("BAKU MUTU AIR LIMBAH DOMESTIK TERSENDIRI",
    "MEMUTUSKAN:"): a title or a formula of a regulation, never a statement."""
    return bool(_CAPS_TITLE.match(" ".join(unit.split())))


# A "Pasal N" inside a paragraph opens the article when its text follows ("Pasal 3 (1)
# KSDD ...", "Pasal 34 Jika ...") and no reference word comes before it ("dalam Pasal 5").
# OCR may also read the capital P in lower case ("pasal 43 (1) Pemerintah ...").
_INLINE_PASAL = re.compile(
    rf"(?<!\S)(?i:{_PASAL_WORD})([lO]*\d[\dlO]*|[lO]{{2}})(?=\s+(?:(\([\dlfU]{{1,2}}\)?)\s+)?[A-Z])"
)
_FIRST_AYAT = frozenset({"(1)", "(l)"})
_INLINE_BAB = re.compile(r"(?<!\S)BAB\s+[IVXLC]+(?:\s+[A-Z][A-Z.,/\\-]*(?=\s|$))+")
_REFERENCE_WORDS = frozenset(
    "dalam pada dan atau dengan berdasarkan sebagaimana menurut oleh terhadap ketentuan dimaksud "
    "sesuai dari ke di bahwa melaksanakan atas".split()
)
# OCR may misread a letter of PENJELASAN as two marks ("PENJE[,ASAN").
_PENJELASAN = re.compile(r"^PENJE\S{1,2}ASAN$")
_UMUM = re.compile(r"^I\.\s*UMUM$")
_PASAL_DEMI_PASAL = re.compile(r"^II\.\s*PASAL\s+DEMI\s+PASAL$")
# The elucidation's headings inside a paragraph (a transcription that lost the line breaks
# runs the signatures, "PENJELASAN ATAS PERATURAN ...", "I. UMUM" and its text together).
_INLINE_PENJELASAN = re.compile(
    r"(?<!\S)(?:PENJE\S{1,2}ASAN(?=\s+ATAS\s+(?:UNDANG|PERATURAN)\b)|I\.\s*UMUM(?=\s+[A-Z])"
    r"|II\.\s*PASAL\s+DEMI\s+PASAL(?=\s|$))"
)
TITLE_LINES = 3  # a unit's title wraps over at most this many lines
_PEMBUKAAN = re.compile(r"^DENGAN RAHMAT TUHAN YANG MAHA ESA\b")
_PENUTUP = re.compile(r"^Agar\s+setiap\s+orang\b")
_LAMPIRAN = re.compile(r"^LAMPIRAN(?:\s+([IVXLC]+|\d+))?$")
_CAPS_TITLE = re.compile(r"^[^a-z]*[A-Z]{3}[^a-z]*$")

# Levels of the section stack (a heading closes every open one at its level or deeper).
ROOT, BAB, BAGIAN, PARAGRAF, PASAL = 0, 1, 2, 3, 4


def is_regulation(lines: list[str]) -> bool:
    """Whether a document reads as a regulation: at least three Pasal headings of their own."""
    return sum(bool(_PASAL.match(ln.strip())) for ln in lines) >= 3


def opens_unit(line: str) -> bool:
    """Whether `line` opens a unit whose next lines are its title (BAB, Bagian, Paragraf)."""
    line = line.strip()
    return bool(_BAB.match(line) or _BAGIAN.match(line) or _PARAGRAF.match(line))


def stands_alone(line: str) -> bool:
    """Whether `line` is a structural line that is a paragraph of its own."""
    line = line.strip()
    return bool(
        STRUCTURE_LINE.match(line)
        or _PASAL.match(line)  # "Pasal lO" too (OCR's letters for digits)
        or _BAGIAN.match(line)
        or _PARAGRAF.match(line)
        or _PENJELASAN.match(line)
        or _UMUM.match(line)
        or _PASAL_DEMI_PASAL.match(line)
        or _LAMPIRAN.match(line)
    )


@dataclass(frozen=True, slots=True)
class LegalHeading:
    """A heading found at a paragraph: its level, its path component, and how many of the
    following paragraphs are its title (they open no section of their own)."""

    level: int
    title: str | None  # None: closes the open sections at `level` without a new one
    title_paragraphs: int = 0


def title_line(line: str, caps: bool) -> bool:
    """Whether `line` can be (part of) the title of a BAB (in capitals) or a Bagian/Paragraf."""
    line = line.strip()
    if not line or "\n" in line or stands_alone(line):
        return False
    if caps:
        return bool(_CAPS_TITLE.match(line))
    return line[0].isupper() and len(line.split()) <= 10 and line[-1] not in ".;:,"


def _title_after(paras: list[str], i: int, caps: bool) -> tuple[str, int]:
    """The title lines that follow a BAB, Bagian or Paragraf line."""
    taken: list[str] = []
    j = i + 1
    while j < len(paras) and len(taken) < TITLE_LINES and title_line(paras[j], caps):
        taken.append(paras[j].strip())
        j += 1
    return " ".join(taken), len(taken)


def _starts_body(paras: list[str], i: int) -> bool:
    """Whether the paragraph after a "Pasal N" line opens its text. A reference that a line
    break left alone ("dimaksud dalam\\nPasal 4\\nayat (1)") goes on in lower case after a
    reference word or with "ayat"; an article whose first word OCR lost ("Pasal 40\\nmengenai
    pembahasan ...") starts in lower case too, but after the end of a sentence."""
    nxt = paras[i + 1].lstrip() if i + 1 < len(paras) else ""
    if not nxt[:1].islower():
        return True
    before = paras[i - 1].split() if i > 0 else []
    after_reference = bool(before) and before[-1].strip(",.;:()").lower() in _REFERENCE_WORDS
    return not (after_reference or nxt.split()[0] in ("ayat", "huruf", "angka"))


def legal_heading(paras: list[str], i: int, in_penjelasan: bool) -> LegalHeading | None:
    """The heading that paragraph `i` of a regulation opens, if any."""
    p = paras[i].strip()
    if "\n" in p:  # only the opening and the closing formula start a paragraph of several lines
        first = p.split("\n", 1)[0]
        if _PEMBUKAAN.match(first):
            return LegalHeading(BAB, "Pembukaan")
        return LegalHeading(BAB, "Penutup") if _PENUTUP.match(first) else None
    if _PENJELASAN.match(p):
        return LegalHeading(ROOT, "Penjelasan")
    if m := _PASAL.match(p):
        if not _starts_body(paras, i):
            return None
        number = pasal_number(m.group(1))
        if number.isalpha() and number.isupper() and not in_penjelasan:
            # An amending regulation's "Pasal I" holds the amended articles (its "Pasal 6A",
            # "Bagian Kesatu"): it ends the opening and stands above them, as a BAB does.
            return LegalHeading(BAB, f"Pasal {number}")
        return LegalHeading(PASAL, f"Pasal {number}")
    if _BAB.match(p):
        title, n = _title_after(paras, i, caps=True)
        return LegalHeading(BAB, f"{p} {title}".strip(), n)
    if _BAGIAN.match(p) or _PARAGRAF.match(p):
        title, n = _title_after(paras, i, caps=False)
        p = re.sub(r"^Bag[a-z]{0,2}an\b", "Bagian", p)  # the section's name, read back from OCR
        return LegalHeading(BAGIAN if p.startswith("Bagian") else PARAGRAF, f"{p} {title}".strip(), n)
    if in_penjelasan and _UMUM.match(p):
        return LegalHeading(BAB, "Umum")
    if in_penjelasan and _PASAL_DEMI_PASAL.match(p):
        return LegalHeading(BAB, None)
    if m := _LAMPIRAN.match(p):
        return LegalHeading(ROOT, "Lampiran" + (f" {m.group(1)}" if m.group(1) else ""))
    if _PEMBUKAAN.match(p):
        return LegalHeading(BAB, "Pembukaan")
    if _PENUTUP.match(p):
        return LegalHeading(BAB, "Penutup")
    return None


# An annex's own headings: a letter ("A.") or a number ("1.") and a title in capitals, which
# may wrap onto the next lines ("A. BAKU MUTU ... PEMBUANGAN AIR LIMBAH" / "DOMESTIK."). Its
# other lines in capitals (the title block, table headers such as "PARAMETER SATUAN" and
# "KADAR PALING TINGGI", signatures) and its numbered lines in lower case (the rows of its
# tables: "1. Tingkat Keasaman (pH*)) - 6 – 9") open no section, so a table stays with its heading.
_ANNEX_HEADING = re.compile(r"^(?:([A-Z])|(\d{1,2}))\.\s+([^a-z]*[A-Z]{3}[^a-z]*)$")
_TABLE_HEADER = re.compile(r"^(?:NO|PARAMETER)\b")  # the first column of a regulation's table
WRAPPED = 40  # a title line this long filled its column: the title may go on below
_ANNEX_TITLE = re.compile(r"^\d{1,2}\.\s+[A-Z][^\d.;:,()]{2,60}$")  # no figure, no closing punctuation
ANNEX_BODY_WORDS = 12  # a paragraph of prose, not the next line of a table ("Biokimiawi (BOD) mg/l 12")


def annex_heading(paras: list[str], i: int) -> LegalHeading | None:
    """The heading that paragraph `i` of a regulation's annex opens, if any: "A." at the level
    of a BAB, "1." at the level of a Bagian, with the title's wrapped lines."""
    line = " ".join(paras[i].split())
    m = _ANNEX_HEADING.match(line)
    if m is None:
        # "2. Kadar air limbah gabungan paling tinggi" before its prose: a numbered title in
        # lower case heads what follows when that is a paragraph, not a table's next line
        nxt = paras[i + 1] if i + 1 < len(paras) else ""
        if _ANNEX_TITLE.match(line) and not row_like(line) and len(nxt.split()) >= ANNEX_BODY_WORDS:
            return LegalHeading(BAGIAN, line, 0)
        return None
    taken = [line]
    j = i + 1
    while j < len(paras) and len(taken) < TITLE_LINES and len(taken[-1]) >= WRAPPED:
        nxt = " ".join(paras[j].split())
        if "\n" in paras[j].strip() or not _CAPS_TITLE.match(nxt) or _TABLE_HEADER.match(nxt):
            break
        if _ANNEX_HEADING.match(nxt) or stands_alone(nxt):
            break
        taken.append(nxt)
        j += 1
    return LegalHeading(BAB if m.group(1) else BAGIAN, " ".join(taken).rstrip("."), len(taken) - 1)


def pasal_number(raw: str) -> str:
    """A Pasal's number as printed, with OCR's letters for digits read back ("lO" -> "10",
    "3l" -> "31"); a Roman numeral (amending laws: "Pasal II") stays as it is."""
    if raw.isalpha() and raw.isupper() and "O" not in raw:
        return raw
    return raw.translate(_OCR_DIGITS)


def split_inline_headings(paragraph: str, next_pasal: int | None = None) -> list[str]:
    """A paragraph cut around every BAB (with its title in capitals), Pasal and elucidation
    heading inside it (transcriptions that lost the line breaks: "... Kategori Kerja Sama
    Pasal 3 (1) KSDD").

    A "Pasal N" after a reference word ("dalam Pasal 5") is a reference, unless it is the
    Pasal `next_pasal` expected next and its ayat (1) follows: OCR that drops the end of a
    sentence leaves "... sesuai dengan ketentuan Pasal 46 (1) Pelaksanaan ..."."""
    cuts = [0]
    for m in (*_INLINE_BAB.finditer(paragraph), *_INLINE_PENJELASAN.finditer(paragraph)):
        cuts += [m.start(), m.end()]
    expect = next_pasal
    for m in _INLINE_PASAL.finditer(paragraph):
        before = paragraph[: m.start()].split()
        if not before:
            continue
        number = pasal_number(m.group(1))
        referenced = before[-1].strip(",.;:()").lower() in _REFERENCE_WORDS
        if not referenced or (number == str(expect) and m.group(2) in _FIRST_AYAT):
            cuts += [m.start(), m.end()]
            expect = int(number) + 1 if number.isdigit() else expect
    cuts = sorted({*cuts, len(paragraph)})
    parts = [paragraph[a:b].strip() for a, b in itertools.pairwise(cuts)]
    return [p for p in parts if p]


def split_all_inline_headings(paras: list[str]) -> list[str]:
    """`split_inline_headings` over a regulation's paragraphs in order, each expecting the
    Pasal after the last one seen (the Penjelasan counts again from Pasal 1)."""
    out: list[str] = []
    last = 0
    for paragraph in paras:
        for part in split_inline_headings(paragraph, last + 1):
            if (m := _PASAL.match(part)) and pasal_number(m.group(1)).isdigit():
                last = int(pasal_number(m.group(1)))
            out.append(part)
    return out


_TITLE_START = re.compile(r"^(?:UNDANG-UNDANG|PERATURAN|KEPUTUSAN|INSTRUKSI|PENJELASAN)\b")


def regulation_title(first_page: str) -> str | None:
    """The title a regulation prints on its first page, in capitals as printed
    ("UNDANG-UNDANG REPUBLIK INDONESIA NOMOR 18 TAHUN 2008 TENTANG PENGELOLAAN SAMPAH")."""
    lines = [ln.strip() for ln in first_page.split("\n") if ln.strip()]
    start = next((k for k, ln in enumerate(lines) if _TITLE_START.match(ln)), None)
    if start is None:
        return None
    taken = []
    for line in lines[start:]:
        if _PEMBUKAAN.match(line) or not _CAPS_TITLE.match(line):
            break
        taken.append(line)
    return " ".join(taken) or None


# -- where a quote sits ------------------------------------------------------------------------

_PASAL_LINE = re.compile(
    rf"^[ \t]*{_PASAL_WORD}([lO]*\d[\dlO]*[A-Z]?|[lO]{{2}}|[IVXLC]+)[ \t]*$", re.MULTILINE | re.IGNORECASE
)
# An ayat opens a line ("(2) Sampah ...") or follows a sentence's end or its Pasal;
# "ayat (1) huruf a" inside a sentence is a reference, not an opening.
# An ayat opens a line or follows a sentence: "(2) Menteri ...", or "Ayat (2)" alone in the
# Penjelasan. OCR may read its closing bracket as "1" or "l" ("(21 Menteri" for "(2)
# Menteri"): a single digit in an unclosed bracket followed by a capital is that ayat.
_AYAT = re.compile(
    r"(?:^|(?<=[.;:]\s))[ \t]*(?:\((\d+)\)[ \t]+(?=[A-Z])|Ayat[ \t]+\((\d+)\)[ \t]*$|\((\d)[1l][ \t]+(?=[A-Z]))",
    re.MULTILINE,
)
_HURUF = re.compile(r"^[ \t]*(?:([a-z])\.[ \t]+|Huruf[ \t]+([a-z])[ \t]*$)", re.MULTILINE)
# A numbered item ("22. Tempat Pengolahan ... adalah"): cited as "angka 22".
_ANGKA = re.compile(r"^[ \t]*(\d{1,3})\.[ \t]+(?=[A-Z])", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class LegalPoint:
    """Where a quote sits inside its Pasal: ayat "2", huruf "e" (None when it does not say)."""

    pasal: str
    ayat: str | None = None
    ayat_last: str | None = None  # the quote runs on into this ayat
    huruf: str | None = None
    angka: str | None = None  # a numbered item ("Pasal 1 angka 22"; inside a huruf: "huruf a angka 2")


def pasal_of(section: str | None) -> str | None:
    """The Pasal number a section path ends in ("... > Pasal 44" -> "44")."""
    if not section:
        return None
    m = re.search(r"(?:^|> )Pasal (\S+)$", section)
    return m.group(1) if m else None


def _ayat_number(m: re.Match[str]) -> str:
    return next(g for g in m.groups() if g)


def legal_point(text: str, section: str | None, start: int, end: int) -> LegalPoint | None:
    """The Pasal, ayat and huruf of the quote `text[start:end]` whose section is `section`.

    The ayat is the nearest ayat opening at or before the quote within its Pasal; the
    huruf likewise within that ayat, given only when the quote stays inside one item.
    """
    pasal = pasal_of(section)
    if pasal is None:
        return None
    heads = [m for m in _PASAL_LINE.finditer(text, 0, start + 1) if pasal_number(m.group(1)).upper() == pasal.upper()]
    if not heads:
        return LegalPoint(pasal)
    begin = heads[-1].end()
    opens = [m for m in _AYAT.finditer(text, begin, end) if m.start() < end]
    before = [m for m in opens if m.start() <= start]
    inside = [m for m in opens if m.start() > start]
    ayat = _ayat_number(before[-1]) if before else None
    ayat_last = _ayat_number(inside[-1]) if inside and ayat else None
    huruf = angka = None
    if not inside:
        item_from = before[-1].end() if before else begin
        items = list(_HURUF.finditer(text, item_from, end))
        first = [m for m in items if m.start() <= start]
        if first and not any(m.start() > start for m in items):
            huruf = first[-1].group(1) or first[-1].group(2)
            if huruf == "l" and not any((m.group(1) or m.group(2)) == "k" for m in first):
                huruf = None  # OCR read "1." as "l." (no "k." before it): item unknown
            else:
                item_from = first[-1].end()
        numbered = list(_ANGKA.finditer(text, item_from, end))
        upto = [m for m in numbered if m.start() <= start]
        if upto and not any(m.start() > start for m in numbered):
            angka = upto[-1].group(1)
    return LegalPoint(pasal, ayat, ayat_last, huruf, angka)
