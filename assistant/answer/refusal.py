"""Why the engine abstains, said plainly: a question about an article a regulation does not
have; nothing relevant; relevant passages but no answering sentence; or the active filter
excluding the documents that would answer."""

from __future__ import annotations

from typing import Protocol

from assistant.answer.matching import Evidence
from assistant.answer.scoring import Models
from assistant.index.library import Library
from assistant.ingest.regulations import short_name
from assistant.model import SearchFilters
from assistant.search.articles import missing_article


class Engine(Protocol):
    """What this needs of the answer engine: its library and models, to read and to judge."""

    library: Library
    models: Models

    def gather(self, question: str, k: int | None = None, filters: SearchFilters | None = None) -> Evidence: ...

    def refused(self, ev: Evidence) -> bool: ...


def why_refused(engine: Engine, question: str, ev: Evidence, k: int | None, filters: SearchFilters | None) -> str:
    """'filtered' when the question would be answered without the active filter;
    'nothing_relevant' when no passage is near the question (the e5 similarity of the best
    passage below the level learned to separate questions the library cannot answer); else
    'no_sentence': relevant passages, but none of their sentences answers."""
    if filters is not None and filters != SearchFilters() and not engine.refused(engine.gather(question, k, None)):
        return "filtered"
    relevant = float(engine.models.refusal.extra.get("relevant_e5", 0.0))
    # No e5 score among the passages though e5 ran (it scored the sentences): e5 found none of them.
    e5 = ev.question.get("e5_top", 0.0 if "sim_top" in ev.question else relevant)
    if not ev.hits or e5 < relevant:
        return "nothing_relevant"
    return "no_sentence"


def no_such_article(library: Library, question: str, filters: SearchFilters | None, language: str) -> str | None:
    """What to say of a question about an article past a regulation's last ("Apa isi Pasal 99
    UU 18/2008?"): "... UU 18/2008 ends at Pasal 49; it has no Pasal 99."; None otherwise. The
    retrieval would otherwise quote whatever article is nearest, as if it were the one asked."""
    missing = missing_article(library, question, library.admitted_docs(filters))
    if missing is None:
        return None
    doc, article, last = missing
    name = short_name(doc) or doc.title
    if language == "id":
        why = f"{name} berakhir pada Pasal {last}; tidak ada Pasal {article}."
        return f"Perpustakaan ini tidak menjawab pertanyaan tersebut: {why}"
    return f"The library does not answer this question: {name} ends at Pasal {last}; it has no Pasal {article}."
