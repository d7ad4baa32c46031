"""The law asked about and the law in force. A question naming a regulation ("menurut
PermenLH 11/2025") is answered from it when it answers, not from another that shares its
words (the regulation it revoked). An answer quoting a regulation no longer in force
(catalogue `revoked_by`) also quotes the library's regulation that revoked it, when that
one answers the question too, so that an official never cites the revoked law alone."""

from __future__ import annotations

from typing import Protocol

from assistant.answer.extend import lead_in_only
from assistant.answer.matching import Candidate, Evidence
from assistant.index.library import Library
from assistant.model import SearchFilters
from assistant.search.articles import named_documents


class Engine(Protocol):
    """What this needs of the answer engine: to read the evidence and judge it."""

    library: Library

    def gather(self, question: str, k: int | None = None, filters: SearchFilters | None = None) -> Evidence: ...

    def refused(self, ev: Evidence) -> bool: ...


OTHERS_SEEN = 4  # the best sentences looked at for another document's: an answer's usual length


def named_evidence(engine: Engine, question: str, k: int | None, filters: SearchFilters | None) -> Evidence:
    """The evidence for `question`: read within the regulation it names by number and year
    (and its Penjelasan) when some of the library's best sentences lie in other documents
    (they would be quoted beside it) and the named one answers by the engine's refusal rule;
    else read in the whole library."""
    ev = engine.gather(question, k, filters)
    named = frozenset(d.id for d in named_documents(engine.library, question, engine.library.admitted_docs(filters)))
    if not named or all(c.hit.passage.doc_id in named for c in ev.candidates[:OTHERS_SEEN]):
        return ev
    within = engine.gather(question, k, SearchFilters(doc_ids=named))
    return within if within.candidates and not engine.refused(within) else ev


def in_force(
    engine: Engine,
    question: str,
    chosen: list[Candidate],
    texts: dict[str, str],
    k: int | None,
    filters: SearchFilters | None,
) -> list[Candidate]:
    """The best sentence (not a bare lead-in ending in ':'), within the regulation that
    revoked it, for each revoked regulation quoted in `chosen` (its `revoked_by`, "PermenLH
    11/2025, Pasal 14", names it) and not yet quoted itself, when that regulation answers the
    question by the engine's refusal rule (asked again, restricted to it). None for a
    question that names the revoked regulation itself, nor when the active filter leaves the
    other out. `texts` (document id -> text, for the citations) gains the revoking
    regulation's."""
    library = engine.library
    quoted = {c.hit.passage.doc_id for c in chosen}
    docs = {c.hit.passage.doc_id: c.hit.document or library.document(c.hit.passage.doc_id) for c in chosen}
    revoked = {doc_id: doc.revoked_by for doc_id, doc in docs.items() if doc is not None and doc.revoked_by}
    if not revoked:
        return []
    asked_for = {d.id for d in named_documents(library, question)}
    added: list[Candidate] = []
    for doc_id, revoked_by in revoked.items():
        if doc_id in asked_for:
            continue
        named = named_documents(library, revoked_by)
        revoker = named[0] if len(named) == 1 else None
        if revoker is None or revoker.id in quoted or (filters is not None and not filters.admits(revoker)):
            continue
        ev = engine.gather(question, k, SearchFilters(doc_ids=frozenset({revoker.id})))
        best = next((c for c in ev.candidates if not lead_in_only(library, c, ev.texts)), None)
        if best is not None and not engine.refused(ev):
            added.append(best)
            quoted.add(revoker.id)
            texts[revoker.id] = ev.texts[revoker.id]
    return added
