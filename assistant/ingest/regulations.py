"""Regulations named in text: the number, year and kind of the regulation a question or a
clause names ("UU 18/2008", "Peraturan Pemerintah Nomor 50 Tahun 2007", "Nomor
P.68/MENLHK/SETJEN/KUM.1/8/2016"), a document's own number and kind, the short name
officials cite it by ("UU 18/2008"), and the regulations a regulation's text declares
revoked ("... dicabut dan dinyatakan tidak berlaku").

Hand-written: no installed library reads Indonesian regulation references; the forms are
those the Indonesian drafting rules (UU 12/2011, Lampiran II) prescribe.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from assistant.model import DocType, Document

_YEAR = r"((?:19|20)\d{2})"
NUMBER_YEAR = (
    # Nomor P.68/MENLHK/SETJEN/KUM.1/8/2016: the number, then the issuer's path, then the year
    re.compile(rf"\b(?:no\.?|nomor)\s*[A-Z]?\.?(\d+)(?:/[\w.-]+)*?/{_YEAR}\b", re.I),
    re.compile(rf"\b[A-Z]?\.?(\d+)\s*/\s*{_YEAR}\b"),  # 18/2008, P.68/2016
    re.compile(rf"\b(?:no\.?|nomor|number|nr\.?)\s*[A-Z]?\.?(\d+)\s+(?:tahun|of|year)\s+{_YEAR}\b", re.I),
    re.compile(rf"\b(\d+)\s+(?:tahun|of)\s+{_YEAR}\b", re.I),  # 18 Tahun 2008, 18 of 2008
)
# A number (and year) right after a kind of regulation: "PP 28/2018", "Nomor 50 Tahun 2007".
NUMBER_AFTER = re.compile(r"\s*(?:no\.?|nomor|number|nr\.?)?\s*[A-Z]?\.?\d+\s*(?:/|tahun\b|of\b|year\b)", re.I)
_ID_NUMBER_YEAR = re.compile(rf"(?:^|-)[a-z]?(\d+)-{_YEAR}(?:-|$)")
KIND_WORDS = (
    ("uu", re.compile(r"\b(?:uu|undang-undang|law|act)\b", re.I)),
    ("pp", re.compile(r"\b(?:pp|peraturan pemerintah|government regulation)\b", re.I)),
    ("perda", re.compile(r"\b(?:perda|peraturan daerah|regional regulation|provincial regulation)\b", re.I)),
    ("permen", re.compile(r"\b(?:permen\w*|peraturan menteri|minist\w* regulation)\b", re.I)),
)
_ID_KIND = re.compile(r"^(uu|pp|perda|permen)")
_TITLE = re.compile(
    r"^(?:Penjelasan\s+atas\s+)?(?P<kind>.+?)\s+(?:No\.|Nomor)\s*(?P<number>[\w./-]+?)"
    r"(?:\s+Tahun\s+(?P<year>\d{4}))?\s+tentang\b",
    re.IGNORECASE,
)
_SHORT_KINDS = (
    ("Undang-Undang", "UU"),
    ("Peraturan Pemerintah Pengganti Undang-Undang", "Perpu"),
    ("Peraturan Pemerintah", "PP"),
    ("Peraturan Presiden", "Perpres"),
    ("Peraturan Menteri", "Permen"),
    ("Peraturan Daerah", "Perda"),
    ("Peraturan Gubernur", "Pergub"),
    ("Peraturan Wali Kota", "Perwal"),
)


def named_regulation(text: str) -> tuple[str | None, str | None, str | None]:
    """The (number, year, kind) of the regulation `text` names; None where it does not say."""
    number = year = None
    for pattern in NUMBER_YEAR:
        if found := pattern.search(text):
            number, year = found.group(1), found.group(2)
            break
    kinds = [(found.start(), name) for name, pattern in KIND_WORDS if (found := pattern.search(text))]
    kind = min(kinds)[1] if kinds else None  # the first named: 'Government Regulation 81/2012 ... the law'
    return number, year, kind


def number_year(doc: Document) -> tuple[str, str] | None:
    """The regulation's own number and year: the first in its title, else in its id."""
    for pattern in NUMBER_YEAR[:3]:
        if found := pattern.search(doc.title):
            return found.group(1), found.group(2)
    found = _ID_NUMBER_YEAR.search(doc.id)
    return (found.group(1), found.group(2)) if found else None


def kind_of(doc: Document) -> str | None:
    """The kind of regulation `doc` is ('uu', 'pp', 'perda', 'permen'), from its title or id."""
    head = re.sub(r"^\s*penjelasan(?: atas)?\s+", "", doc.title, flags=re.I)
    for name, pattern in KIND_WORDS:
        if pattern.match(head):
            return name
    found = _ID_KIND.match(doc.id)
    return found.group(1) if found else None


def short_name(document: Document) -> str | None:
    """The short name of a regulation from its catalogue title: "UU No. 18 Tahun 2008 tentang
    ..." -> "UU 18/2008"; "Peraturan Menteri LHK No. P.68/Menlhk-Setjen/2016 tentang ..." ->
    "Permen LHK P.68/Menlhk-Setjen/2016". None for other documents or other titles."""
    if document.type != DocType.REGULATION:
        return None
    m = _TITLE.match(document.title.strip())
    if not m:
        return None
    # A printed title names the state too ("UNDANG-UNDANG REPUBLIK INDONESIA NOMOR 18 ..."):
    # officials cite "UU 18/2008".
    kind = re.sub(r"\s+Republik\s+Indonesia$", "", m["kind"].strip(), flags=re.IGNORECASE)
    for long, short in _SHORT_KINDS:
        if kind.lower().startswith(long.lower()):
            kind = short + kind[len(long) :]
            break
    return f"{kind} {m['number']}/{m['year']}" if m["year"] else f"{kind} {m['number']}"


# -- revocations declared in a regulation's text ----------------------------------------------

# The closing formula of a revocation clause, in Indonesian drafting and in translation.
_REVOKED = re.compile(
    r"dicabut\s+dan\s+dinyatakan\s+tidak\s+berlaku"
    r"|(?:revoked|repealed)\s+and\s+(?:declared\s+)?(?:no\s+longer|not)\s+(?:valid|in\s+force|effective)",
    re.I,
)
_PASAL = re.compile(r"^\s*(?:Pasal|Article)\s+(\d+[A-Z]?)\s*$", re.M)
_ITEM = re.compile(r"(?m)^\s*[a-z]\.\s+")
_GAZETTE = re.compile(r"\([^()]*\)")  # "(Berita Negara ... Tahun 2016 Nomor 1323)"
# An item that revokes only part of a regulation: "ketentuan mengenai ... dalam Lampiran I
# ...", "Peraturan Menteri ... Nomor 05 Tahun 2014 ..., Lampiran XLIII ...".
_PART = re.compile(r"^\s*(?:ketentuan|sebagian|lampiran|pasal|provisions?|annex)\b|,\s*(?:lampiran|annex)\b", re.I)


def _revoked_items(clause: str) -> list[str]:
    """The whole regulations a revocation clause names, one text each: its list items, or the
    clause after 'mulai berlaku,' when it has none; items revoking a part are left out."""
    head, *items = _ITEM.split(clause)
    bare = [_GAZETTE.sub(" ", i) for i in (items or [re.split(r"berlaku\s*[,:]", head, maxsplit=1)[-1]])]
    return [i for i in bare if not _PART.search(i)]


def revocations(documents: Iterable[Document], text_of: Callable[[str], str]) -> dict[str, str]:
    """Document id -> what revoked it ("PermenLH 11/2025, Pasal 14"), for each regulation of
    `documents` that another one's text declares revoked as a whole (its closing Pasal:
    "Pada saat Peraturan Menteri ini mulai berlaku: a. Peraturan Menteri ... Nomor
    P.68/.../2016 tentang ...; ... dicabut dan dinyatakan tidak berlaku."). A regulation
    revoked only in part ("ketentuan mengenai ... dalam Lampiran I ...") is not marked.
    `text_of` gives a document's stored text."""
    regs = [d for d in documents if d.type == DocType.REGULATION]
    found: dict[str, str] = {}
    for revoker in regs:
        text = text_of(revoker.id)
        for m in _REVOKED.finditer(text):
            heads = list(_PASAL.finditer(text, 0, m.start()))
            if not heads:
                continue
            clause = text[heads[-1].end() : m.start()]
            where = f"{short_name(revoker) or revoker.title}, Pasal {heads[-1].group(1)}"
            for item in _revoked_items(clause):
                number, year, kind = named_regulation(item)
                if number is None:
                    continue
                for doc in regs:
                    if doc.id != revoker.id and number_year(doc) == (number, year) and kind_of(doc) in (kind, None):
                        found.setdefault(doc.id, where)
    return found
