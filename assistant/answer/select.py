"""Which sentences make the answer, once each has its probability of holding the answer:
the best, the sentence it points back to when it opens with an anaphor ("This becomes a
challenge...", "Hal ini..."), the next sentence when that one opens with an anaphor and so
goes on with the best ("... free quarks are not directly observable." "This phenomenon is
called color confinement."), and further sentences nearly as likely (the share is chosen
in training), each with the next sentence when that one points back to it; never one that
repeats a kept sentence."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from assistant.answer.features import ANAPHOR
from assistant.answer.matching import Candidate, _repeats

REDUNDANCY = 0.6  # word overlap above which a sentence repeats a kept one (as before the models)


def choose(
    ranked: list[Candidate],
    before: Candidate | None,
    extra_ratio: float,
    limit: int,
    brings_list: Callable[[Candidate], bool] = lambda c: False,
    every: Sequence[Candidate] = (),
    following: Callable[[Candidate], Candidate | None] | None = None,
) -> list[Candidate]:
    """The answer's sentences, best first. `ranked`: the scored candidates, best first;
    `before`: the sentence just before the best in its document; `every`: all the scored
    candidates (the one right after a kept sentence is looked for among them, else read by
    `following`, which gives the sentence after one in its document); `extra_ratio`: a further
    sentence must have this share of the best's probability (chosen in training); `limit`
    sentences at most, and one more when the last one kept goes on in the next. A
    sentence that `brings_list` (the items it announces, or the next ayat's that elaborate
    it) never repeats a kept one: the list is what it adds ("(1) ... dapat memberikan
    kompensasi ..." beside the definition of kompensasi, then "(2) ... berupa: a. relokasi;
    ...")."""
    if not ranked:
        return []
    best = ranked[0]
    kept = [best]

    def repeats(c: Candidate) -> bool:
        return any(_repeats(c, k, REDUNDANCY) for k in kept)

    if before is not None and not best.hit.passage.rows and ANAPHOR.match(best.text) and not repeats(before):
        kept.insert(0, before)  # the antecedent, read first
    after = next_sentence(best, every, following)
    if after is not None and not best.hit.passage.rows and ANAPHOR.match(after.text) and not repeats(after):
        kept.append(after)  # the next sentence points back to the best: it goes on with it
    for c in ranked[1:]:
        if len(kept) >= limit or c.score < extra_ratio * best.score:
            break
        if repeats(c) and not brings_list(c):
            continue
        # A row is a record: another of a kept row's table comes only when it is as likely
        # as the best; a row of another table (the volumes of the TPS whose location led) as
        # a sentence does.
        tables = {k.hit.passage.doc_id for k in kept if k.hit.passage.rows}
        if c.hit.passage.rows and c.hit.passage.doc_id in tables:
            if c.score >= 0.99 * best.score:
                kept.append(c)
            continue
        kept.append(c)
        after = next_sentence(c, every, following)
        if after is not None and len(kept) <= limit and ANAPHOR.match(after.text) and not repeats(after):
            kept.append(after)  # it goes on with this one, as part of it: one past the limit at most
    return kept[: limit + 1]


def next_sentence(
    best: Candidate, every: Sequence[Candidate], following: Callable[[Candidate], Candidate | None] | None = None
) -> Candidate | None:
    """The candidate right after `best` in its document (sentences are cut at their end, so
    only the space between them lies between), else the sentence `following` reads there."""
    doc_id = best.hit.passage.doc_id
    found = next((c for c in every if c.hit.passage.doc_id == doc_id and 0 <= c.start - best.end <= 2), None)
    return found or (following(best) if following is not None else None)
