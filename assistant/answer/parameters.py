"""A parameter's limits across a regulation's annex tables. PermenLH 11/2025 sets BOD for
wastewater discharged to water (30, 50 or 75 mg/l by daily volume), for faecal sludge plants
(150), and for reuse in watering (12) or infiltration (6): asked "Berapa baku mutu BOD ...?",
the models' best row may be any of them, and one row alone reads as the limit. When the
answer leads with such a row (a short line of a flattened table ending in its value, in an
annex), it quotes each different row naming the parameter in that annex, in document order,
each cited with the section saying what it applies to (the engine allows two more quotes
than an answer's usual four: the rows are short)."""

from __future__ import annotations

from assistant.answer.matching import Candidate, _contains
from assistant.answer.question import QuestionProfile, tokens
from assistant.index.library import Library
from assistant.ingest.sentences import passage_units, row_like
from assistant.model import Hit

ANNEX = "Lampiran"


def parameter_rows(
    library: Library, profile: QuestionProfile, chosen: list[Candidate], texts: dict[str, str], limit: int
) -> list[Candidate]:
    """`chosen`, or the rows of its lead's annex naming the parameter asked (a name or
    acronym of the question the lead row holds: 'BOD'), each text once, at most `limit`."""
    if not chosen:
        return chosen
    lead = chosen[0]
    p = lead.hit.passage
    section = p.section or ""
    if p.rows or not section.startswith(ANNEX) or not row_like(lead.text):
        return chosen
    stems = tokens(lead.text)
    names = [g for g in profile.groups if g.name and any(_contains(stems, f, True) for f in g.forms)]
    if not names:
        return chosen
    annex = section.split(" > ")[0]
    text = texts[p.doc_id]
    seen: set[str] = set()
    rows: list[Candidate] = []
    for q in library.passages_of(p.doc_id):
        if q.rows or (q.section or "").split(" > ")[0] != annex:
            continue
        hit = lead.hit if q.id == p.id else Hit(q, lead.hit.score, {}, lead.hit.document)
        for a, b in passage_units(text, q):
            unit = text[a:b]
            key = " ".join(unit.split())
            if key in seen or not row_like(unit):
                continue
            unit_stems = tokens(unit)
            if all(any(_contains(unit_stems, f, True) for f in g.forms) for g in names):
                seen.add(key)
                rows.append(Candidate(hit, a, b, unit, rank=lead.rank, score=lead.score))
    return rows[:limit] if len(rows) > 1 else chosen
