"""The fit behind bench/fusion.py: per query language, a grid search over the fusion weights.

A question's candidates are the union of its retrievers' top lists; each candidate has the
min-max normalised score of each retriever (0 where it was not found), as
`assistant.search.fusion.score_fuse` computes them, whether its document is in the other
language than the question's ("cross"), and whether it is of the regulation the question
names. Its fused score: the same-language or the cross weights times its three scores, plus
the named bonus. The objective is MRR@10 + Recall@5 over one language's questions, each
training set counting equally (12 English regulation questions weigh as much as the 53
English questions of questions.jsonl).

The search is by blocks, in turn: (1) one set of three weights for all passages plus the
bonus; (2) the cross weights and the bonus, the same-language weights fixed; (3) the
same-language weights again; (2) and (3) once more. Each block is a full grid (0 to 1.5 in
steps of 0.1); among equal points the one whose grid neighbours score best on average wins.
Priors and de-duplication are left out of the fit (they act after fusion; bench/fusion.py
measures them end to end).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from assistant.search.fusion import FusionWeights

PARTS = ("bm25", "dense", "multilingual")
GRID = np.round(np.arange(0.0, 1.51, 0.1), 2)  # each retriever's weight
BONUS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0)  # added for a passage of a named regulation


@dataclass(frozen=True)
class Candidates:
    """One question's candidates: features (n x 7: three normalised scores for same-language
    passages, three for cross ones, named) and relevance."""

    lang: str
    features: np.ndarray
    relevant: np.ndarray
    group: str = ""  # its question set: each set counts equally in the objective

    @classmethod
    def make(
        cls,
        lang: str,
        ranked: dict[str, list[tuple[int, float]]],
        ids: list[int],
        relevant: list[bool],
        named: list[bool],
        cross: list[bool],
        group: str = "",
    ) -> Candidates:
        index = {pid: i for i, pid in enumerate(ids)}
        x = np.zeros((len(ids), 2 * len(PARTS) + 1))
        is_cross = np.asarray(cross, dtype=bool)
        for j, name in enumerate(PARTS):
            values = [v for _, v in ranked.get(name, [])]
            if not values:
                continue
            hi, lo = max(values), min(values)
            for pid, v in ranked[name]:
                i = index[pid]
                x[i, j + len(PARTS) * int(is_cross[i])] = (v - lo) / (hi - lo) if hi > lo else 1.0
        x[:, -1] = np.asarray(named, dtype=float)
        return cls(lang, x, np.asarray(relevant, dtype=bool), group)


def first_ranks(cands: list[Candidates], weights: np.ndarray) -> np.ndarray:
    """(questions x weight vectors of 7): 1-based rank of each question's best relevant
    candidate (ties counted against it), or a large number when none is a candidate."""
    out = np.full((len(cands), len(weights)), 10_000, dtype=np.int64)
    for i, c in enumerate(cands):
        if not c.relevant.any():
            continue
        scores = c.features @ weights.T  # candidates x W
        best = scores[c.relevant].max(axis=0)
        out[i] = (scores[~c.relevant] >= best).sum(axis=0) + 1
    return out


def objective(ranks: np.ndarray, share: np.ndarray | None = None) -> np.ndarray:
    """MRR@10 + Recall@5 per weight vector, each question weighted by `share` (sums to 1)."""
    share = np.full(len(ranks), 1.0 / len(ranks)) if share is None else share
    rr = np.where(ranks <= 10, 1.0 / ranks, 0.0)
    return np.asarray(share @ (rr + (ranks <= 5)))


def shares(cands: list[Candidates]) -> np.ndarray:
    """Each question's weight: 1 / (number of sets x size of its set)."""
    sizes: dict[str, int] = {}
    for c in cands:
        sizes[c.group] = sizes.get(c.group, 0) + 1
    return np.asarray([1.0 / (len(sizes) * sizes[c.group]) for c in cands])


def _block(cands: list[Candidates], point: np.ndarray, dims: list[list[int]], bonus: bool) -> np.ndarray:
    """The best point varying the dimension groups `dims` (each group takes one grid value,
    e.g. [[0, 3], [1, 4], [2, 5]]: same and cross weights tied) and, if `bonus`, the bonus."""
    values = [GRID] * len(dims) + ([np.asarray(BONUS)] if bonus else [])
    combos = np.asarray(list(itertools.product(*values)))
    grid = np.repeat(point[None, :], len(combos), axis=0)
    for g, group in enumerate(dims):
        for d in group:
            grid[:, d] = combos[:, g]
    if bonus:
        grid[:, -1] = combos[:, -1]
    grid = grid[(grid[:, :6] > 0).any(axis=1)]
    score = objective(first_ranks(cands, grid), shares(cands))
    best = np.flatnonzero(score >= score.max() - 1e-12)
    if len(best) > 1:
        lookup = {tuple(np.round(p, 2)): v for p, v in zip(grid.tolist(), score.tolist(), strict=True)}
        step = float(GRID[1])

        def smooth(i: int) -> float:
            near = []
            for group in dims:
                for d in (-step, step):
                    p = grid[i].copy()
                    p[group] += d
                    near.append(lookup.get(tuple(np.round(p, 2))))
            vals = [v for v in near if v is not None]
            return sum(vals) / len(vals) if vals else 0.0

        best = np.asarray(sorted(best, key=lambda i: (-smooth(int(i)), grid[i][-1])))
    return np.asarray(grid[best[0]])


def fit_language(cands: list[Candidates], cross: bool) -> np.ndarray:
    """The 7 weights for one language's questions (cross weights equal to the same-language
    ones when `cross` is False)."""
    point = np.zeros(7)
    point = _block(cands, point, [[0, 3], [1, 4], [2, 5]], bonus=True)
    if cross:
        for _ in range(2):
            point = _block(cands, point, [[3], [4], [5]], bonus=True)
            point = _block(cands, point, [[0], [1], [2]], bonus=False)
    return point


def fit(cands: list[Candidates], cross: bool = True) -> tuple[dict[str, FusionWeights], dict[str, float]]:
    """Per language, the fitted weights and their figures on the training questions."""
    weights: dict[str, FusionWeights] = {}
    info: dict[str, float] = {"objective": 0.0}
    for lang in sorted({c.lang for c in cands}):
        mine = [c for c in cands if c.lang == lang]
        w = fit_language(mine, cross)
        same = [float(v) for v in w[:3]]
        other = dict(zip(PARTS, (float(v) for v in w[3:6]), strict=True))
        weights[lang] = FusionWeights(
            *same, float(w[6]), other if cross and other != dict(zip(PARTS, same, strict=True)) else None
        )
        r = first_ranks(mine, w[None, :])[:, 0]
        info[f"{lang}_n"] = len(mine)
        info[f"{lang}_mrr"] = round(float(np.where(r <= 10, 1.0 / r, 0.0).mean()), 4)
        info[f"{lang}_recall@5"] = round(float((r <= 5).mean()), 4)
        info["objective"] += float(objective(r[:, None], shares(mine))[0]) * len(mine)
    info["objective"] = round(info["objective"] / max(len(cands), 1), 4)
    return weights, info


def cross_validated(cands: list[Candidates], cross: bool) -> tuple[float, float]:
    """(mean, standard error) of the objective when fitting on half the training questions
    (alternate ones of each set) and scoring the other half, both ways round: how a model
    class does on questions it was not fitted on, to choose between classes without the
    CHECK sets."""
    folds: list[list[Candidates]] = [[], []]
    seen: dict[str, int] = {}
    for c in cands:
        n = seen[c.lang + c.group] = seen.get(c.lang + c.group, -1) + 1
        folds[n % 2].append(c)
    values: list[float] = []
    weights: list[float] = []
    for k in (0, 1):
        fitted, held = folds[k], folds[1 - k]
        for lang in sorted({c.lang for c in held}):
            w = fit_language([c for c in fitted if c.lang == lang], cross)
            mine = [c for c in held if c.lang == lang]
            r = first_ranks(mine, w[None, :])[:, 0]
            values += (np.where(r <= 10, 1.0 / r, 0.0) + (r <= 5)).tolist()
            weights += (shares(mine) * len(mine)).tolist()
    v, s = np.asarray(values), np.asarray(weights)
    mean = float((v * s).sum() / s.sum())
    se = float(np.sqrt(((v - mean) ** 2 * s).sum() / s.sum() / len(v)))
    return round(mean, 4), round(se, 4)
