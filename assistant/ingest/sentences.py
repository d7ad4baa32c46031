"""Words, sentences and paragraphs: spans (absolute offsets) of a text, shared by the
loaders, the chunker and the answer engine."""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.model import Passage

WORD = re.compile(r"\S+")


def word_count(text: str) -> int:
    """The number of whitespace-separated words of `text`."""
    return len(WORD.findall(text))


# Abbreviations after which a period does not end a sentence.
_ABBREV = frozenset(
    "e.g i.e etc dr mr mrs ms prof no vol pp p jl kel kec fig art st vs cf ed eds inc ltd co dll dsb hlm tbk "
    "approx dept govt jan feb mar apr jun jul aug sep sept oct nov dec jo ttd yth sdr bpk ir".split()
) | {"et al"}
_BOUNDARY = re.compile(
    r"""[.!?]["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])"""  # end of a sentence
    r"|\n\s*\n"  # a paragraph break
    r"|\n(?=[ \t]*(?:\d+[.)]|\(\d+\)|[a-z][.)]|[-•*])\s|[^\n]*\t)"  # a list item, ayat (n) or table row
)


# A line ending in a word that a number follows: the "(1)" or "a." opening the next line
# completes a reference ("sebagaimana dimaksud pada ayat\n(1)"), it opens no list item.
_REFERENCE_END = re.compile(r"\b(?:ayat|pasal|huruf|angka|nomor|butir|paragraph|article|section|item)[ \t]*$", re.I)


# OCR puts a blank line between some lines of one sentence ("... tentang Perubahan atas" /
# "" / "Peraturan Daerah ..."): in OCR'd text a blank line after a line that ends in a
# lowercase letter or a comma, before one that opens no list item, ayat or heading, is no
# paragraph break.
_OCR_GAP = re.compile(
    r"[a-z,][ \t]*\n\s*\n[ \t]*(?!(?:\d+[.)]|\(\d+\)|[a-z][.)]|[-•*]|Pasal\b|BAB\b|Bagian\b|Paragraf\b)\s)"
)


def ocr_gap(text: str, at: int) -> bool:
    """Whether the blank line starting at `at` (its first newline) is one OCR put inside a
    sentence (see `_OCR_GAP`)."""
    return _OCR_GAP.match(text, max(0, at - 1)) is not None


def sentence_spans(text: str, start: int = 0, end: int | None = None, ocr: bool = False) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) of `text[start:end]`, whitespace trimmed.

    A paragraph break ends a sentence, but in `ocr` text not one inside a sentence (see
    `_OCR_GAP`); a period after a known abbreviation or a single initial ("F. N. Hakiem")
    does not.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _BOUNDARY.finditer(text, start, end):
        if ocr and m.group().startswith("\n") and m.start() > start and ocr_gap(text, m.start()):
            continue
        if m.group().startswith("."):
            before = text[max(start, m.start() - 12) : m.start()]
            token = re.split(r"[\s(]", before)[-1].lower()
            if token in _ABBREV or (len(token) == 1 and token.isalpha()):
                continue
            line_start = text.rfind("\n", start, m.start()) + 1
            if token.isdigit() and text[max(line_start, start) : m.start()].strip() == token:
                continue  # "1." opening a numbered list item
        if m.group().startswith("\n") and _REFERENCE_END.search(text, max(start, m.start() - 40), m.start()):
            continue  # "... dimaksud pada ayat\n(1) wajib ...": the reference's number, not an ayat
        cut = m.end() if not m.group().startswith("\n") else m.start()
        spans.append((cursor, cut))
        cursor = m.end()
    spans.append((cursor, end))
    return [s for s in (_trim(text, a, b) for a, b in spans) if s[1] > s[0]]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Spans of blank-line separated paragraphs, whitespace trimmed."""
    for m in re.finditer(r"(?:[^\n]|\n(?!\s*\n))+", text):
        a, b = _trim(text, m.start(), m.end())
        if b > a:
            yield a, b


# A table a PDF flattened into lines (a regulation's annex): short lines without a full
# stop, several of them ending in a value ("Biokimiawi (BOD)" / "mg/l 30 50 75").
_VALUE_END = re.compile(r"(?:\d%?|\b(?:Negatif|Positif|Negative|Positive))\)?[ \t]*$")
TABLE_LINES, TABLE_LINE_CHARS = 4, 45
# The legend under a table: "Keterangan:", "Catatan:", "*) = diukur ...", "Sumber: ...".
_LEGEND = re.compile(r"[ \t]*(?:(?:Keterangan|Catatan|Sumber|Notes?|Source)\b|\*)", re.IGNORECASE)


def table_rows(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The span `text[a:b]` cut after each line ending in a value, when it is a flattened
    table (at least TABLE_LINES lines of at most TABLE_LINE_CHARS characters on average, a
    third of them ending in a value, none in a full stop); else the span itself. Each row
    ("Kebutuhan Oksigen Biokimiawi (BOD) mg/l 30 50 75") is then a unit of its own, as a
    table's row is, instead of one unit of every parameter. A legend after the table's last
    value ("Keterangan: *) = diukur langsung pada titik penaatan.") is a unit of its own."""
    lines = text[a:b].split("\n")
    ends = [bool(_VALUE_END.search(ln)) for ln in lines]
    last = max((i for i, end in enumerate(ends) if end), default=-1)
    if 0 <= last < len(lines) - 1 and _LEGEND.match(next((ln for ln in lines[last + 1 :] if ln.strip()), "")):
        cut = a + sum(len(ln) + 1 for ln in lines[: last + 1])
        table = table_rows(text, a, cut - 1)
        if len(table) > 1:
            return [*table, _trim(text, cut, b)]
    flat = (
        len(lines) >= TABLE_LINES
        and sum(len(ln) for ln in lines) / len(lines) <= TABLE_LINE_CHARS
        and 3 * sum(ends) >= len(lines)
        and not any(ln.rstrip().endswith(".") and not _VALUE_END.search(ln) for ln in lines)
    )
    if not flat:
        return [(a, b)]
    rows: list[tuple[int, int]] = []
    start = pos = a
    for line, end in zip(lines, ends, strict=True):
        pos += len(line)
        if end and pos > start:
            rows.append(_trim(text, start, pos))
            start = pos + 1
        pos += 1
    if start < b:
        rows.append(_trim(text, start, b))
    return [r for r in rows if r[1] > r[0]]


_LABEL = re.compile(r"^(?:\d+[.)]|\(\d+\)|[a-z][.)])\s")


def value_row(unit: str) -> bool:
    """Whether `unit` is a row of a flattened table on one line ("BOD mg/L 30")."""
    return "\n" not in unit.strip() and row_like(unit)


def row_like(unit: str) -> bool:
    """Whether `unit` reads as a row of a flattened table, on one line or wrapped over a few
    ("2. Kebutuhan Oksigen / Biokimiawi (BOD) / mg/l 12"): a name and its value at the end,
    in at most 12 words."""
    return word_count(unit) <= 12 and bool(_VALUE_END.search(unit)) and bool(re.search(r"[^\W\d_]{2,}", unit))


def joined_rows(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans with a parameter's name joined to its values where a numbered table put them in
    two units ("2. Kebutuhan Oksigen" + "Biokimiawi (BOD) mg/l 12"): a short unit with no
    value and no closing punctuation, then a short unit ending in a value that opens no list
    item."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out:
            pa, pb = out[-1]
            prev, unit = text[pa:pb], text[a:b]
            if (
                word_count(prev) <= 6
                and re.search(r"[a-z]", prev)  # a title in capitals is no parameter's name
                and not _VALUE_END.search(prev)
                and prev.rstrip()[-1:] not in ".:;,"
                and word_count(unit) <= 12
                and _VALUE_END.search(unit)
                and not _LABEL.match(unit)
                and not text[pb:a].strip()
            ):
                out[-1] = (pa, b)
                continue
        out.append((a, b))
    return out


def flattened_table(text: str, passage: Passage, at: int) -> list[tuple[int, int]]:
    """The rows of the flattened table of `passage` (see `table_rows`) holding offset `at`;
    [] when `at` lies in no such table."""
    if passage.rows:
        return []
    for a, b in sentence_spans(text, passage.start, passage.end, ocr=passage.ocr_confidence is not None):
        if a <= at < b:
            rows = table_rows(text, a, b)
            return rows if len(rows) > 1 else []
    return []


def passage_units(text: str, passage: Passage) -> list[tuple[int, int]]:
    """Absolute spans of a passage's sentences, one per line for table rows."""
    if not passage.rows:
        spans = sentence_spans(text, passage.start, passage.end, ocr=passage.ocr_confidence is not None)
        # A bulleted line (a reference, a list item) is one unit, whatever its full stops.
        for m in re.finditer(r"(?m)^[ \t]*[-*•][ \t]+\S.*$", text[passage.start : passage.end]):
            a, b = passage.start + m.start(), passage.start + m.end()
            inside = [sp for sp in spans if a <= sp[0] and sp[1] <= b]
            if len(inside) > 1:
                spans = sorted({*spans} - set(inside) | {(inside[0][0], inside[-1][1])})
        return joined_rows(text, [row for a, b in spans for row in table_rows(text, a, b)])
    spans = []
    pos = passage.start
    for line in text[passage.start : passage.end].split("\n"):
        a, b = pos, pos + len(line)
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
        pos += len(line) + 1
    return spans
