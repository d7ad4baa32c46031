"""Priors no ranking function knows: reference lists answer only questions about sources,
and a question about a table's extreme is answered by the one row that holds it."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.index.library import Library
from assistant.lang.glossary import expand
from assistant.lang.stem import stem_tokens
from assistant.model import Hit, Passage
from assistant.search.tables import extreme_row, value_numbers

# A bibliography's passages hold many titles, so they match almost any question, in words and
# in meaning, yet answer only questions about sources: they are down-weighted for the rest.
_BIBLIOGRAPHY = re.compile(
    r"^\s*(?:references|bibliography|works cited|literature cited|daftar pustaka|referensi|kepustakaan)\b",
    re.IGNORECASE,
)
_ASKS_FOR_SOURCES = re.compile(
    r"\b(?:cite[sd]?|citing|citation|references?|sources?|doi|bibliograph\w*|publish\w*|publication|conference"
    r"|journal|proceedings|(?:which|what) (?:\d{4} )?(?:study|studies|paper|article|report)"
    r"|dikutip|mengutip|kutipan|rujukan|referensi|sumber|pustaka|jurnal|konferensi|terbit|diterbitkan"
    r"|studi mana|penelitian siapa|judul)\b",
    re.IGNORECASE,
)


def asks_for_sources(query: str) -> bool:
    """Whether `query` asks about sources (references, citations, publications)."""
    return bool(_ASKS_FOR_SOURCES.search(query))


def in_bibliography(hit: Hit) -> bool:
    """Whether the hit lies in a reference list (its section, or a section above it)."""
    return any(_BIBLIOGRAPHY.match(part) for part in (hit.passage.section or "").split(" > "))


def demote_bibliography(query: str, hits: list[Hit], weight: float) -> list[Hit]:
    """The hits re-ranked with reference-list passages' scores times `weight`, unless the
    query asks about sources."""
    if weight == 1.0 or asks_for_sources(query):
        return hits
    rescored = [replace(h, score=h.score * weight) if in_bibliography(h) else h for h in hits]
    # the score the hit ranks by is the one shown: nearest passages listed 1.22, 1.11, 2.10
    return sorted(rescored, key=lambda h: -h.score)


def extreme_first(library: Library, query: str, extreme: str, hits: list[Hit]) -> list[Hit]:
    """The row holding the asked extreme ('max', 'min', 'first', 'last'), first. Its table
    is the one, among those of the top hits, whose title and description hold the
    question's numbers ("in 2016") and share most words with it (every row of a table
    repeats them, so no row ranks on them), the better ranked on a tie."""
    tables = list(dict.fromkeys(h.passage.doc_id for h in hits[:10] if h.passage.rows))
    if not tables:
        return hits
    asked = set(stem_tokens(expand(query), drop_stopwords=True))
    numbers = set(value_numbers(query))

    def fit(doc_id: str) -> tuple[int, int]:
        doc = library.document(doc_id)
        about = set(stem_tokens(f"{doc.title} {doc.description or ''}")) if doc else set()
        return len(numbers & about), len(asked & about)

    doc_id = max(tables, key=lambda d: (fit(d), -tables.index(d)))
    doc, text = library.document(doc_id), library.text(doc_id)
    if _lacks_a_name(query, f"{doc.title} {doc.description or ''} {text}" if doc else ""):
        return hits  # "Which TPS has the largest capacity?" is not the largest waste container
    passage = extreme_row(library.passages_of(doc_id), text, query, extreme, doc.description if doc else None)
    if passage is None:
        return hits
    found = next((h for h in hits if h.passage.id == passage.id), None)
    scores = dict(found.scores) if found else {}
    scores["table_extreme"] = 1.0
    promoted = Hit(passage, hits[0].score, scores, doc)
    return [promoted, *(h for h in hits if h.passage.id != passage.id)]


_NAME = re.compile(r"(?<!^)(?<![.?!]\s)\b[A-Z][\w.]*[A-Z0-9][\w.]*\b|(?<!^)(?<![.?!]\s)\b[A-Z][a-z]{2,}\b")


def _lacks_a_name(query: str, table: str) -> bool:
    """Whether the question writes a name or code (a capitalised word after its first: 'TPS',
    'Cikapundung', 'PM2.5') that the table's title, description and rows never write, its
    letters and digits compared ('PM2.5' is the column 'pm25')."""
    held = {re.sub(r"[\W_]", "", w).lower() for w in table.split()}
    held |= {w.lower() for w in re.findall(r"[^\W\d_]+|\d+", table)}
    names = {re.sub(r"[\W_]", "", m.group()).lower() for m in _NAME.finditer(query.strip())}
    return any(n not in held for n in names if n)


def put_first(library: Library, hits: list[Hit], routed: list[tuple[str, Passage]]) -> list[Hit]:
    """The `routed` passages first, in their order, each a hit labelled with its route
    ("article", "definition", ...) at the best hit's score, its retrieval scores kept;
    then the other hits."""
    scores = {h.passage.id: h.scores for h in hits}
    top = hits[0].score if hits else 1.0
    first = [Hit(p, top, {**scores.get(p.id, {}), label: 1.0}, library.document(p.doc_id)) for label, p in routed]
    ids = {p.id for _, p in routed}
    return [*first, *(h for h in hits if h.passage.id not in ids)]
