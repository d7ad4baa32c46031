"""When a regulation was enacted or promulgated, read from its closing formula: "Ditetapkan
di Bandung / pada tanggal 6 April 2016" (a UU says "Disahkan"), "Diundangkan di Jakarta /
pada tanggal 7 Mei 2008". Every Indonesian regulation ends with them, but as a line of a
signature block they share few words with "Kapan Perda Jabar 1/2016 ditetapkan?", so the
sentence models, trained on prose, rank them first yet with a probability the refusal
threshold turns down."""

from __future__ import annotations

import re

from assistant.answer.matching import Candidate
from assistant.index.library import Library
from assistant.model import Hit
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
}


def asks_date(question: str) -> str | None:
    """'enacted' or 'promulgated' when `question` asks when a regulation was; else None."""
    if not _WHEN.search(question):
        return None
    if _PROMULGATED.search(question):
        return "promulgated"
    return "enacted" if _ENACTED.search(question) else None


def enactment_quotes(library: Library, question: str, texts: dict[str, str], admitted: set[str]) -> list[Candidate]:
    """The closing formula of the regulation `question` names that dates what it asks (its
    enactment, or its promulgation), one quote per document of it among `admitted`; [] when
    it asks neither or names no regulation. `texts` gains the text of a document it quotes."""
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
