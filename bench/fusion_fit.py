"""The fit behind bench/fusion.py: per query language, a grid search over the fusion weights.

A question's candidates are the union of its retrievers' top lists; each candidate has the
min-max normalised score of each retriever (0 where it was not found), as
`assistant.search.fusion.score_fuse` computes them, and a flag for "of the regulation the
question names". A weight vector ranks them by the weighted sum; the objective is MRR@10 +
Recall@5 over the questions of one language. Priors and de-duplication are left out of the
fit (they act after fusion; bench/fusion.py measures them end to end).
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
    """One question's candidates: features (n x 4: three normalised scores, named) and relevance."""

    lang: str
    features: np.ndarray
    relevant: np.ndarray

    @classmethod
    def make(
        cls,
        lang: str,
        ranked: dict[str, list[tuple[int, float]]],
        relevant: list[bool],
        named: list[bool],
        ids: list[int],
    ) -> Candidates:
        index = {pid: i for i, pid in enumerate(ids)}
        x = np.zeros((len(ids), len(PARTS) + 1))
        for j, name in enumerate(PARTS):
            values = [v for _, v in ranked.get(name, [])]
            if not values:
                continue
            hi, lo = max(values), min(values)
            for pid, v in ranked[name]:
                x[index[pid], j] = (v - lo) / (hi - lo) if hi > lo else 1.0
        x[:, -1] = np.asarray(named, dtype=float)
        return cls(lang, x, np.asarray(relevant, dtype=bool))


def _grid() -> np.ndarray:
    points = [(*w, b) for w in itertools.product(GRID, GRID, GRID) for b in BONUS if any(w)]
    return np.asarray(points)


def first_ranks(cands: list[Candidates], weights: np.ndarray) -> np.ndarray:
    """(questions x weight vectors): 1-based rank of each question's best relevant candidate
    (ties counted against it), or a large number when none is a candidate."""
    out = np.full((len(cands), len(weights)), 10_000, dtype=np.int64)
    for i, c in enumerate(cands):
        if not c.relevant.any():
            continue
        scores = c.features @ weights.T  # candidates x W
        best = scores[c.relevant].max(axis=0)
        out[i] = (scores[~c.relevant] >= best).sum(axis=0) + 1
    return out


def objective(ranks: np.ndarray) -> np.ndarray:
    """MRR@10 + Recall@5 per weight vector."""
    rr = np.where(ranks <= 10, 1.0 / ranks, 0.0).mean(axis=0)
    return rr + (ranks <= 5).mean(axis=0)


def _smooth(lookup: dict[tuple[float, ...], float], point: list[float]) -> float:
    """The mean objective of a grid point's neighbours, one step away in one weight."""
    step = float(GRID[1])
    near = [
        lookup.get(tuple(round(v + d * step, 2) if j == k else v for j, v in enumerate(point)))
        for k in range(len(PARTS))
        for d in (-1, 1)
    ]
    vals = [v for v in near if v is not None]
    return sum(vals) / len(vals) if vals else 0.0


def fit(cands: list[Candidates]) -> tuple[dict[str, FusionWeights], dict[str, float]]:
    """Per language, the grid point with the best objective; among equals, the one whose
    neighbours (one step in one weight) score best on average, then the smallest bonus."""
    grid = _grid()
    weights: dict[str, FusionWeights] = {}
    info: dict[str, float] = {"objective": 0.0}
    for lang in sorted({c.lang for c in cands}):
        mine = [c for c in cands if c.lang == lang]
        ranks = first_ranks(mine, grid)
        score = objective(ranks)
        best = np.flatnonzero(score >= score.max() - 1e-12)
        if len(best) > 1:
            lookup = {tuple(p): v for p, v in zip(grid.tolist(), score.tolist(), strict=True)}
            best = np.asarray(sorted(best, key=lambda i: (-_smooth(lookup, grid[i].tolist()), grid[i][-1])))
        w = grid[best[0]]
        weights[lang] = FusionWeights(float(w[0]), float(w[1]), float(w[2]), float(w[3]))
        r = ranks[:, best[0]]
        info[f"{lang}_n"] = len(mine)
        info[f"{lang}_mrr"] = round(float(np.where(r <= 10, 1.0 / r, 0.0).mean()), 4)
        info[f"{lang}_recall@5"] = round(float((r <= 5).mean()), 4)
        info["objective"] += float(score[best[0]]) * len(mine)
    info["objective"] = round(info["objective"] / max(len(cands), 1), 4)
    return weights, info
