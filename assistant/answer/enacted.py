"""Whether a regulation is in force, and when it was enacted or promulgated.

A question asking whether a regulation the catalogue records as revoked is still in force
("Apakah Permen LHK P.68/2016 masih berlaku?") is answered by the article of the regulation
that revoked it (catalogue `revoked_by`: "PermenLH 11/2025, Pasal 14"), quoted where it
names the revoked one and where it says "dicabut dan dinyatakan tidak berlaku".

When a regulation was enacted or promulgated is read from its closing formula: "Ditetapkan
di Bandung / pada tanggal 6 April 2016" (a UU says "Disahkan"), "Diundangkan di Jakarta /
pada tanggal 7 Mei 2008". Every Indonesian regulation ends with them, but as a line of a
signature block they share few words with "Kapan Perda Jabar 1/2016 ditetapkan?", so the
sentence models, trained on prose, rank them first yet with a probability the refusal
threshold turns down."""

from __future__ import annotations

import re

from assistant.answer.matching import Candidate
from assistant.index.library import Library
from assistant.ingest.regulations import number_year
from assistant.ingest.sentences import passage_units
from assistant.model import Document, Hit, Passage
from assistant.search.articles import named_documents

_WHEN = re.compile(r"\b(?:kapan|tanggal\s+berapa|when|what\s+date|which\s+date|on\s+what\s+date)\b", re.IGNORECASE)
_ENACTED = re.compile(
    r"\b(?:ditetapkan|disahkan|ditandatangani|enacted|issued|signed|adopted|passed|ratified|stipulated)\b",
    re.IGNORECASE,
)
_PROMULGATED = re.compile(r"\b(?:diundangkan|promulgated|published\s+in\s+the\s+gazette)\b", re.IGNORECASE)
_DATE = r"\s*pada\s+tanggal\s*:?\s*\d{1,2}\s+[A-Za-z]+\s+\d{4}"
_FORMULA = {
    "enacted": re.compile(rf"(?:Ditetapkan|Disahkan)\s+di\s+[A-Z][\w ]*?{_DATE}"),
    "promulgated": re.compile(rf"Diundangkan\s+di\s+[A-Z][\w ]*?{_DATE}"),
    # with the office and the name signed under it: "... PRESIDEN REPUBLIK INDONESIA, ttd.
    # DR. H. SUSILO BAMBANG YUDHOYONO"
    "signed": re.compile(
        rf"(?:Ditetapkan|Disahkan)\s+di\s+[A-Z][\w ]*?{_DATE}"
        r"\s+[A-Z][A-Z ,/\n]{3,80}?\s+ttd\.?\s+[A-Z][A-Z .,'-]{2,60}[A-Z.]"
    ),
}
_WHO = re.compile(r"\b(?:siapa|who|whom|whose)\b", re.IGNORECASE)
_SIGNS = re.compile(r"\b(?:menandatangani|ditandatangani|sign(?:ed|s)?|menetapkan|mengesahkan)\b", re.IGNORECASE)


def asks_date(question: str) -> str | None:
    """'enacted' or 'promulgated' when `question` asks when a regulation was; 'signed' when
    it asks who signed or enacted it; else None."""
    if _WHO.search(question) and (_SIGNS.search(question) or _ENACTED.search(question)):
        return "signed"
    if not _WHEN.search(question):
        return None
    if _PROMULGATED.search(question):
        return "promulgated"
    return "enacted" if _ENACTED.search(question) else None


def enactment_quotes(library: Library, question: str, texts: dict[str, str], admitted: set[str]) -> list[Candidate]:
    """The closing formula of the regulation `question` names that dates what it asks (its
    enactment, or its promulgation), or with the name signed under it (who signed it), one
    quote per document of it among `admitted`; [] when it asks none of these or names no
    regulation. `texts` gains the text of a document it quotes."""
    kind = asks_date(question)
    if kind is None:
        return []
    out = []
    for doc in named_documents(library, question, sorted(admitted)):
        text = texts.get(doc.id) or library.text(doc.id)
        m = _FORMULA[kind].search(text)
        passage = next((p for p in library.passages_of(doc.id) if m and p.start <= m.start() < p.end), None)
        if m is None or passage is None:
            continue
        texts[doc.id] = text
        end = min(m.end(), passage.end)
        out.append(Candidate(Hit(passage, 1.0, {"enacted": 1.0}, doc), m.start(), end, text[m.start() : end]))
    return out


_STATUS = re.compile(
    r"\b(?:masih\s+berlaku|tidak\s+berlaku|dicabut|masih\s+sah|still\s+(?:in\s+force|valid|applies)|in\s+force"
    r"|revoked?|revokes|repeal(?:ed|s)?|rescind(?:ed|s)?|mencabut)\b|^\s*apakah\b.*\bberlaku\b",
    re.IGNORECASE,
)
_REVOKED_BY = re.compile(r"\bPasal\s+(\d+[A-Z]?)\b")
_REVOKES = re.compile(r"\bdicabut\b", re.IGNORECASE)
_BY = re.compile(r"\b(?:dicabut|revoked|repealed|rescinded)\s+(?:oleh|by)\s+(.{0,60})", re.IGNORECASE)


def revocation_quotes(
    library: Library, question: str, texts: dict[str, str], admitted: list[str] | None = None
) -> list[Candidate]:
    """For a question asking whether a regulation is still in force, when the catalogue
    records it as revoked: the revoking article's words naming it (from the article's first
    words to the end of the item naming it) and, when they come later, its words revoking it
    ("dicabut dan dinyatakan tidak berlaku."); for one asking what a named regulation
    revokes, its article revoking a regulation the catalogue records it revoking, whole
    (all it revokes, in the library or not); [] otherwise.
    `texts` gains the text quoted."""
    if not _STATUS.search(question):
        return []
    out: list[Candidate] = []
    by = _BY.search(question)  # "... yang dicabut oleh P.68/2016?" asks what P.68/2016 revoked
    named = named_documents(library, question)
    for doc in named:
        own = number_year(doc)
        if by and own and own[0] in by.group(1):
            continue
        if doc.revoked_by and (found := _revoking_article(library, doc, admitted)):
            revoker, passage, text = found
            texts[revoker.id] = text
            out += _naming_and_revoking(revoker, passage, text, doc)
    if out:
        return out
    # What a named regulation revokes ("Peraturan mana yang dicabut oleh PermenLH 11/2025?",
    # "Which regulation does PermenLH 11/2025 revoke?"): its article naming each regulation
    # of the library the catalogue records it revoking.
    articles: dict[int, tuple[Document, Passage, str]] = {}
    for doc in library.documents():
        found = _revoking_article(library, doc, admitted) if doc.revoked_by else None
        if found is not None and found[0] in named:
            articles[found[1].id] = found
    for revoker, passage, text in articles.values():  # the article whole: all it revokes
        units = [(a, b) for a, b in passage_units(text, passage) if not text[a:b].startswith("Pasal")]
        if units:
            texts[revoker.id] = text
            hit = Hit(passage, 1.0, {"revoked": 1.0}, revoker)
            out.append(Candidate(hit, units[0][0], units[-1][1], text[units[0][0] : units[-1][1]]))
    return out


def _revoking_article(
    library: Library, revoked: Document, admitted: list[str] | None
) -> tuple[Document, Passage, str] | None:
    """The revoking regulation, the passage of its article that `revoked.revoked_by` names,
    and its text."""
    named = named_documents(library, revoked.revoked_by or "")
    article = _REVOKED_BY.search(revoked.revoked_by or "")
    if len(named) != 1 or article is None or (admitted is not None and named[0].id not in admitted):
        return None
    revoker = named[0]
    label = f"Pasal {article.group(1)}"
    passage = next((p for p in library.passages_of(revoker.id) if (p.section or "").endswith(label)), None)
    return (revoker, passage, library.text(revoker.id)) if passage is not None else None


def _naming_and_revoking(revoker: Document, passage: Passage, text: str, revoked: Document) -> list[Candidate]:
    """The revoking article's words from its first to the end of the item naming `revoked`
    (by its number and year), then, when they come after, its last words from "dicabut";
    [] when the article does not name it."""
    units = [(a, b) for a, b in passage_units(text, passage) if not text[a:b].startswith("Pasal")]
    own = number_year(revoked)
    naming = next((k for k, (a, b) in enumerate(units) if own and own[0] in text[a:b] and own[1] in text[a:b]), None)
    if not units or naming is None:
        return []
    hit = Hit(passage, 1.0, {"revoked": 1.0}, revoker)
    start, end = units[0][0], units[naming][1]
    quotes = [Candidate(hit, start, end, text[start:end])]
    tail = [m.start() for m in _REVOKES.finditer(text, end, passage.end)]
    if tail and not _REVOKES.search(text, start, end):
        a, b = tail[-1], passage.end
        quotes.append(Candidate(hit, a, b, text[a:b].strip()))
    return quotes
