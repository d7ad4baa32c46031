"""A parameter's limits across a regulation's annex tables. PermenLH 11/2025 sets BOD for
wastewater discharged to water (30, 50 or 75 mg/l by daily volume), for faecal sludge plants
(150), and for reuse in watering (12) or infiltration (6): asked "Berapa baku mutu BOD ...?",
the models' best row may be any of them, and one row alone reads as the limit. When the
answer leads with such a row (a short line of a flattened table ending in its value, in an
annex), it quotes each different row naming the parameter in that annex, in document order,
each cited with the section saying what it applies to (the engine allows two more quotes
than an answer's usual four: the rows are short)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.answer.matching import Candidate, _contains
from assistant.answer.question import QuestionProfile, TermGroup, answer_kinds, tokens
from assistant.index.library import Library
from assistant.ingest.sentences import passage_units, row_like
from assistant.model import Hit

ANNEX = "Lampiran"
# Words asking for a limit or a level without "how much" ("What is the maximum BOD ...?").
_ASKS_VALUE = re.compile(
    r"\b(?:maximum|minimum|limits?|levels?|standards?|thresholds?|values?|maksimum|minimal|batas|kadar|baku mutu"
    r"|nilai|ambang)\b",
    re.IGNORECASE,
)
# Words asking for a limit, which an annex of standards sets ("BAKU MUTU AIR LIMBAH ...").
_ASKS_LIMIT = re.compile(r"\b(?:maximum|minimum|limits?|standards?|maksimum|batas|baku mutu|paling tinggi)\b", re.I)
_STANDARD = re.compile(r"\bbaku mutu\b", re.IGNORECASE)


def parameter_rows(
    library: Library,
    profile: QuestionProfile,
    chosen: list[Candidate],
    texts: dict[str, str],
    limit: int,
    candidates: Sequence[Candidate] = (),
) -> list[Candidate]:
    """`chosen`, or the rows of its lead's annex naming the parameter asked (a name or
    acronym of the question the lead row holds: 'BOD'), each text once, at most `limit`;
    for a question asking a limit, those of the annex setting the standards (`_standards`).
    When the lead is prose of a regulation and the question asks for a figure, the lead is
    the first of `candidates` (the engine's, best first) that is such a row of its document,
    else, when the prose gives no figure, the first such row `chosen` quotes (or, with none,
    the standards' rows naming the question's names): "Berapa kadar maksimum BOD ...?" had
    led with P.68's legend of a formula ("Cmax : kadar paling tinggi ... mg/l"), its
    one-line row "BOD mg/L 30" ranked low for its few words; "Berapa baku mutu BOD ...?"
    with P.68's definition of "baku mutu"."""
    if not chosen:
        return chosen
    lead = chosen[0]
    switched = not _annex_row(lead, profile)
    if switched:
        if not (profile.wants & {"number", "percent"} or _ASKS_VALUE.search(profile.text)):
            return chosen
        doc_id = lead.hit.passage.doc_id
        found = next((c for c in candidates if c.hit.passage.doc_id == doc_id and _annex_row(c, profile)), None)
        figure = answer_kinds(lead.text, profile.text) & {"number", "percent"}
        if found is None and not figure:
            # The lead gives no figure (P.68's definition of "baku mutu" for "Berapa baku
            # mutu BOD ...?"): a row the answer quotes anyway, of another regulation, leads.
            found = next((c for c in chosen[1:] if _annex_row(c, profile)), None)
        if found is None:
            in_annex = (lead.hit.passage.section or "").startswith(ANNEX)
            names = [g for g in profile.groups if g.name]
            standards = _standards(library, lead, names, profile, texts) if in_annex or not figure else []
            return standards[:limit] or chosen
        lead = found
    names = _names(lead, profile)
    annex = (lead.hit.passage.section or "").split(" > ")[0]
    rows = _rows(library, lead, names, texts, lambda section: section.split(" > ")[0] == annex)
    rows = _standards(library, lead, names, profile, texts) or rows
    return rows[:limit] if len(rows) > 1 or (switched and rows) else chosen


def _standards(
    library: Library, lead: Candidate, names: list[TermGroup], profile: QuestionProfile, texts: dict[str, str]
) -> list[Candidate]:
    """For a question asking a limit ("What is the BOD limit ...?"), when `lead` lies
    outside the annex setting the standards ("BAKU MUTU ..."), the rows naming each of
    `names` there: a design criterion of the treatment annex ("Facultative Pond BOD
    (45-70%) 240 - 350 ...") is no limit. Empty otherwise."""
    if not names or not _ASKS_LIMIT.search(profile.text) or _STANDARD.search(lead.hit.passage.section or ""):
        return []
    return _rows(library, lead, names, texts, _STANDARD.search)


def _rows(
    library: Library, lead: Candidate, names: list[TermGroup], texts: dict[str, str], within: Callable[[str], object]
) -> list[Candidate]:
    """The rows naming each of `names` in the annex sections of `lead`'s document that
    `within` admits, each text once, in document order."""
    p = lead.hit.passage
    text = texts[p.doc_id]
    seen: set[str] = set()
    rows: list[Candidate] = []
    for q in library.passages_of(p.doc_id):
        section = q.section or ""
        if q.rows or not section.startswith(ANNEX) or not within(section):
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
    return rows


def _names(c: Candidate, profile: QuestionProfile) -> list[TermGroup]:
    """The question's names and acronyms `c` holds ('BOD')."""
    stems = tokens(c.text)
    return [g for g in profile.groups if g.name and any(_contains(stems, f, True) for f in g.forms)]


def _annex_row(c: Candidate, profile: QuestionProfile) -> bool:
    """Whether `c` is a row of a flattened table in an annex naming a name of the question."""
    p = c.hit.passage
    return not p.rows and (p.section or "").startswith(ANNEX) and row_like(c.text) and bool(_names(c, profile))
