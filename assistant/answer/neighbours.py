"""The sentences next to a chosen one in its document, read from the library when their
passage was not retrieved: the antecedent a sentence opening with "This ..." points back to,
and the sentence that goes on with it ("Their cooperation spanned several areas: 1) ...")."""

from __future__ import annotations

from assistant.answer.matching import Candidate, Evidence, passage_units
from assistant.index.library import Library
from assistant.model import Hit

MIN_WORDS = 4  # a neighbour says something: not a heading's or a list's leftover


def adjacent(library: Library, ev: Evidence, c: Candidate, after: bool = False) -> Candidate | None:
    """The sentence just before `c` (or just `after` it) in its document, nothing but space
    between; the scored candidate when it is one; None for a table row or at an end."""
    p = c.hit.passage
    if p.rows:
        return None
    text = ev.texts[p.doc_id]
    known = {(x.hit.passage.doc_id, x.start, x.end): x for x in ev.candidates}
    read = {h.passage.id: h for h in ev.hits}
    for q in library.passages_of(p.doc_id):
        if q.rows or q.end < c.start - 1 or q.start > c.end + 1:
            continue
        hit = read.get(q.id) or Hit(q, 0.0, {}, c.hit.document)
        for a, b in passage_units(text, q):
            between = text[c.end : a] if after else text[b : c.start]
            if (a >= c.end if after else b <= c.start) and not between.strip() and len(text[a:b].split()) >= MIN_WORDS:
                return known.get((q.doc_id, a, b)) or Candidate(hit, a, b, text[a:b], rank=len(ev.hits))
    return None
