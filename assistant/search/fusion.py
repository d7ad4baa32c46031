"""Combining retrievers' rankings (normalised score sum or reciprocal rank) and keeping
overlapping or repeated passages out of the top k."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from typing import Any

from assistant.lang.stem import stem_tokens
from assistant.model import Hit


@dataclass(frozen=True)
class FusionWeights:
    """How much each retriever counts in a fused ranking."""

    bm25: float
    dense: float  # the English model (all-MiniLM-L6-v2)
    multilingual: float  # multilingual-e5-small
    named_document: float = 0.0  # added to the fused score of a passage of the regulation the query names
    # Retriever name -> weight for passages of documents in the other language than the
    # query's (an English question over an Indonesian regulation); None: the same weights.
    cross: dict[str, float] | None = field(default=None)

    def as_dict(self) -> dict[str, float]:
        """Retriever name -> weight (for passages in the query's language)."""
        return {"bm25": self.bm25, "dense": self.dense, "multilingual": self.multilingual}

    def used(self) -> tuple[str, ...]:
        """The retrievers with a weight above 0 for some passage: those worth running."""
        cross = self.cross or {}
        return tuple(n for n, w in self.as_dict().items() if w > 0 or cross.get(n, 0.0) > 0)


@cache
def _data() -> dict[str, Any]:
    """data/fusion.json, read once."""
    raw: dict[str, Any] = json.loads(files("assistant.search").joinpath("data", "fusion.json").read_text("utf-8"))
    return raw


@cache
def _learned() -> dict[str, FusionWeights]:
    raw = _data()
    return {language: FusionWeights(**w) for language, w in raw["weights"].items()}


def glossary_earns_its_place() -> bool:
    """Whether the fit chose the glossary (data/fusion.json's "glossary")."""
    return bool(_data().get("glossary", True))


def dictionary_earns_its_place() -> bool:
    """Whether the fit chose the general English -> Indonesian dictionary for BM25
    (data/fusion.json's "dictionary")."""
    return bool(_data().get("dictionary", False))


def lexicon_earns_its_place() -> bool:
    """Whether the fit chose the learned Indonesian -> English lexicon for an Indonesian
    query's BM25 words and its English rendering for MiniLM (data/fusion.json's "lexicon")."""
    return bool(_data().get("lexicon", False))


def learned_weights() -> dict[str, FusionWeights]:
    """Query language -> the fusion weights fitted by bench/fusion.py on training questions
    (`data/fusion.json` says which, and what they scored on questions not trained on)."""
    return dict(_learned())


def boost_documents(hits: list[Hit], doc_ids: set[str], bonus: float) -> list[Hit]:
    """The hits re-ranked with `bonus` added to the score of those of the documents `doc_ids`
    (a regulation the question names by number), best first; the order of equals kept."""
    rescored = [replace(h, score=h.score + bonus) if h.passage.doc_id in doc_ids else h for h in hits]
    return sorted(rescored, key=lambda h: -h.score)


def score_fuse(
    rankings: dict[str, list[tuple[int, float]]],
    weights: dict[str, float],
    cross_weights: dict[str, float] | None = None,
    cross: Collection[int] = (),
) -> list[tuple[int, float]]:
    """Weighted sum of min-max normalised scores: each retriever's best candidate scores 1,
    its worst 0. Unlike rank fusion, a retriever that is far surer of one passage says so.
    Passages in `cross` (of a document in the other language) take `cross_weights`."""
    scores: dict[int, float] = {}
    for name, ranked in rankings.items():
        w = weights.get(name, 0.0)
        wx = w if cross_weights is None else cross_weights.get(name, 0.0)
        if (w <= 0 and wx <= 0) or not ranked:
            continue
        values = [v for _, v in ranked]
        hi, lo = max(values), min(values)
        for pid, v in ranked:
            norm = (v - lo) / (hi - lo) if hi > lo else 1.0
            scores[pid] = scores.get(pid, 0.0) + (wx if pid in cross else w) * norm
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def rrf_fuse(rankings: dict[str, list[int]], weights: dict[str, float], k: int) -> list[tuple[int, float]]:
    """Weighted reciprocal rank fusion: score(p) = sum_r w_r / (k + rank_r(p))."""
    scores: dict[int, float] = {}
    for name, ranked in rankings.items():
        w = weights.get(name, 0.0)
        if w <= 0:
            continue
        for rank, pid in enumerate(ranked, 1):
            scores[pid] = scores.get(pid, 0.0) + w / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def deduplicate(hits: list[Hit], k: int, overlap: float = 0.5, jaccard: float = 0.8) -> list[Hit]:
    """The first k hits, skipping any that mostly overlaps, or nearly repeats, one already kept.

    Args:
        hits: best first.
        k: how many to keep.
        overlap: a passage sharing more than this share of the shorter one's characters
            with a kept passage of the same document is dropped.
        jaccard: a passage whose stem set is at least this similar to a kept one's is dropped.
    """
    kept: list[Hit] = []
    words: list[set[str]] = []
    for hit in hits:
        p = hit.passage
        w = set(stem_tokens(p.text))
        duplicate = False
        for other, ow in zip(kept, words, strict=True):
            q = other.passage
            if q.doc_id == p.doc_id:
                shared = min(p.end, q.end) - max(p.start, q.start)
                if shared > overlap * min(p.end - p.start, q.end - q.start):
                    duplicate = True
                    break
            if w and ow and len(w & ow) / len(w | ow) >= jaccard:
                duplicate = True
                break
        if not duplicate:
            kept.append(hit)
            words.append(w)
            if len(kept) == k:
                break
    return kept
