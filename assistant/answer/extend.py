"""Which passages are read, and what a chosen sentence brings with it: the items of a
list it announces, and for a table question, the rows holding the asked extreme."""

from __future__ import annotations

from assistant.answer.matching import Candidate, _contains, sibling_hit
from assistant.answer.question import _LIST_ITEM, _LIST_START, QuestionProfile, normalise_number, tokens
from assistant.index.library import Library
from assistant.model import Hit
from assistant.search.tables import extreme_column, passage_rows, value_numbers
from assistant.search.tables import sort_key as _sort_key


def continue_lists(
    chosen: list[Candidate], cands: list[Candidate], texts: dict[str, str], limit: int
) -> list[Candidate]:
    """A kept sentence that announces a list ('... the following objectives:', or one
    followed by 'First, ...') brings the list's items with it, within `max_sentences`."""
    out: list[Candidate] = []
    for c in chosen:
        if len(out) >= limit:
            break
        if c in out:
            continue
        out.append(c)
        text = texts[c.hit.passage.doc_id]
        following = sorted(
            (x for x in cands if x.hit.passage.doc_id == c.hit.passage.doc_id and x.start >= c.end),
            key=lambda x: x.start,
        )
        colon = c.text.rstrip().endswith(":")
        prev = c
        for i, x in enumerate(following):
            if len(out) >= limit or text[prev.end : x.start].strip():
                break  # the list is over, or the next sentence is not a candidate
            pattern = _LIST_START if i == 0 else _LIST_ITEM
            if not (colon or pattern.match(x.text)):
                break
            if x not in out:
                out.append(x)
            prev = x
    return out


def table_extreme(
    library: Library, profile: QuestionProfile, best: Candidate, texts: dict[str, str], limit: int
) -> list[Candidate]:
    """The rows of `best`'s table with the largest (smallest, earliest, latest) value of
    the column the question names, among the rows that match the question's numbers and
    values. Empty when the table has no such column."""
    doc = best.hit.document
    doc_id = best.hit.passage.doc_id
    text = texts[doc_id]
    rows: list[tuple[Hit, int, int, dict[str, str], list[str]]] = []
    for p in library.passages_of(doc_id):
        hit = sibling_hit(best.hit, p)
        for row in passage_rows(p, text):  # the stored cells, not the displayed line
            fields = row.fields
            rows.append((hit, row.start, row.end, fields, tokens(" ".join(f"{k} {v}" for k, v in row.cells))))
    if not rows:
        return []
    forms = [f for g in profile.groups if not g.number for f in g.forms]
    # Keep the rows holding the question's numbers, its words that only some rows have
    # (values such as 'plastik', or a column only some rows fill, such as 'tps_3r').
    asked_values = {normalise_number(n) for n in value_numbers(profile.text)}
    for g in profile.groups:
        if g.number and g.label not in asked_values:
            continue  # the bound of a range ("between 2005 and 2015") filters no row
        if g.number:
            keep = [r for r in rows if g.label in {normalise_number(v) for v in r[3].values()}]
        else:
            keep = [r for r in rows if any(_contains(r[4], f) for f in g.forms)]
        if keep and len(keep) < len(rows):
            rows = keep
    column = extreme_column(
        (r[3] for r in rows),
        profile.extreme or "max",
        doc.description if doc else None,
        lambda name: sum(_contains(tokens(name), form) for form in forms),
    )
    if column is None:
        return []
    values = [(v, r) for r in rows if (v := _sort_key(r[3].get(column, ""), profile.extreme)) is not None]
    if not values:
        return []
    pick = max if profile.extreme in ("max", "last") else min
    target = pick(v for v, _ in values)
    chosen = [r for v, r in values if v == target][:limit]
    return [Candidate(h, a, b, text[a:b], score=best.score) for h, a, b, _, _ in chosen]


def reading_list(hits: list[Hit], k: int, per_table: float, profile: QuestionProfile | None = None) -> list[Hit]:
    """The passages to read: the first k hits, with at most `per_table` of them from any
    one table (so that a table's many similar rows do not crowd out the prose that
    answers), then any further hit that names one of the question's rare names."""
    limit = max(1, int(k * per_table))
    out: list[Hit] = []
    per_doc: dict[str, int] = {}
    rest: list[Hit] = []
    for h in hits:
        if len(out) == k:
            rest.append(h)
            continue
        if h.passage.rows:
            n = per_doc.get(h.passage.doc_id, 0)
            if n >= limit:
                rest.append(h)
                continue
            per_doc[h.passage.doc_id] = n + 1
        out.append(h)
    names = [f for g in (profile.groups if profile else ()) if g.rare_name for f in g.forms]
    for h in rest:
        stems = tokens(h.passage.text)
        if any(_contains(stems, f, exact=True) for f in names):
            out.append(h)
    return out
