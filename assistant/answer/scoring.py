"""The learned models, applied with numpy: logistic regressions and boosted trees read from
small JSON files in `assistant/answer/data/` (written by `bench/train_answer.py`), and the
semantic similarity of a question and sentences (multilingual-e5-small)."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any, Protocol

import numpy as np

from assistant.index.cache import text_sha
from assistant.index.library import Library

CLIP = 6.0  # standard deviations


def probabilities(logits: np.ndarray) -> list[float]:
    """The logistic function of each log-odds (kept within +-50: no overflow)."""
    return [1.0 / (1.0 + math.exp(-min(50.0, max(-50.0, float(v))))) for v in logits]


@dataclass(frozen=True)
class Logistic:
    """A logistic regression over named features, standardised as in training."""

    name: str
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    extra: dict[str, Any] = field(default_factory=dict)  # thresholds chosen in training

    @classmethod
    def from_json(cls, name: str, data: dict[str, Any]) -> Logistic:
        return cls(
            name,
            tuple(data["features"]),
            np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64),
            np.asarray(data["coef"], dtype=np.float64),
            float(data["intercept"]),
            dict(data.get("extra", {})),
        )

    def logits(self, rows: Sequence[dict[str, float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        x = np.array([[r.get(f, np.nan) for f in self.features] for r in rows], dtype=np.float64)
        z = np.nan_to_num((x - self.mean) / self.scale, nan=0.0)
        # A value far outside what training saw (a space the index lacks) says little more
        # than one at the edge of it.
        return np.asarray(np.clip(z, -CLIP, CLIP) @ self.coef + self.intercept)

    def probs(self, rows: Sequence[dict[str, float]]) -> list[float]:
        """P(positive) of each row of features (a missing feature reads as its training mean)."""
        return probabilities(self.logits(rows))


@dataclass(frozen=True)
class Trees:
    """Gradient-boosted regression trees over named features (scikit-learn's
    GradientBoostingClassifier, written out node by node): the log-odds are the prior plus
    `rate` times each tree's leaf. A missing feature reads as its training mean, as in
    `Logistic`. Hand-applied because the trees are a few arrays: no pickle, no
    scikit-learn at run time."""

    name: str
    features: tuple[str, ...]
    mean: np.ndarray
    prior: float
    rate: float
    # per tree: child left, child right (-1 at a leaf), feature index, threshold, value
    trees: tuple[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray], ...]
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, name: str, data: dict[str, Any]) -> Trees:
        trees = tuple(
            (
                np.asarray(t["left"], dtype=np.int64),
                np.asarray(t["right"], dtype=np.int64),
                np.asarray(t["feature"], dtype=np.int64),
                np.asarray(t["threshold"], dtype=np.float64),
                np.asarray(t["value"], dtype=np.float64),
            )
            for t in data["trees"]
        )
        return cls(
            name,
            tuple(data["features"]),
            np.asarray(data["mean"], dtype=np.float64),
            float(data["prior"]),
            float(data["rate"]),
            trees,
            dict(data.get("extra", {})),
        )

    def logits(self, rows: Sequence[dict[str, float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        x = np.array([[r.get(f, np.nan) for f in self.features] for r in rows], dtype=np.float64)
        x = np.where(np.isnan(x), self.mean, x)
        out = np.full(len(rows), self.prior)
        at = np.arange(len(rows))
        for left, right, feature, threshold, value in self.trees:
            node = np.zeros(len(rows), dtype=np.int64)
            while True:
                inner = left[node] >= 0
                if not inner.any():
                    break
                go_left = x[at, np.maximum(feature[node], 0)] <= threshold[node]
                node = np.where(inner, np.where(go_left, left[node], right[node]), node)
            out += self.rate * value[node]
        return out

    def probs(self, rows: Sequence[dict[str, float]]) -> list[float]:
        """P(positive) of each row of features (a missing feature reads as its training mean)."""
        return probabilities(self.logits(rows))


def single(name: str, data: dict[str, Any]) -> Logistic | Trees:
    """A logistic regression, or boosted trees when the data holds `trees`."""
    return Trees.from_json(name, data) if "trees" in data else Logistic.from_json(name, data)


class Scorer(Protocol):
    """What the engine asks of a learned model."""

    @property
    def name(self) -> str: ...

    @property
    def features(self) -> tuple[str, ...]: ...

    @property
    def extra(self) -> dict[str, Any]: ...  # thresholds and choices made in training

    def probs(self, rows: Sequence[dict[str, float]]) -> list[float]: ...


@lru_cache(maxsize=8)
def load_model(name: str) -> Logistic | Trees:
    """The model `assistant/answer/data/<name>.json`."""
    raw = files("assistant.answer").joinpath("data", f"{name}.json").read_text(encoding="utf-8")
    return single(name, json.loads(raw))


@dataclass(frozen=True)
class Models:
    """The three models the engine uses (see `bench/train_answer.py` for how each is trained)."""

    first: Scorer  # every candidate sentence, lexical and retrieval features
    second: Scorer  # the best few of the first, with the semantic similarity too
    refusal: Scorer  # the question: answered (a gold-holding sentence chosen) or not answerable
    refusal_lexical: Scorer  # the same without similarities, for an index without e5

    @classmethod
    def bundled(cls) -> Models:
        names = ("sentence_first", "sentence_second", "refusal", "refusal_lexical")
        return cls(*(load_model(n) for n in names))


class Semantic:
    """Cosine similarity of a question (`query: `) and sentences (`passage: `) in the
    library's multilingual space (multilingual-e5-small: the models were trained on its
    similarities). An index without it gives None: the features are left out, read as
    their training mean. A sentence's vector is the index's (stored at build time, see
    `index.prepare`), else embedded now; either way kept in memory, by text."""

    def __init__(self, library: Library, limit: int = 50_000) -> None:
        self.library = library
        self.space = library.space_for("multilingual")
        self.limit = limit
        self._vectors: dict[str, np.ndarray] = {}
        self.embedded = 0  # sentences embedded so far (the cost of this step) ...
        self.stored = 0  # ... and those whose vector the index held
        self.ms = 0.0  # ... and the time spent embedding question and sentences

    def similarities(self, question: str, texts: Sequence[str]) -> list[float] | None:
        if self.space is None:
            return None
        if not texts:
            return []
        t0 = time.perf_counter()
        q = self.library.query_vector(self.space, question)
        todo = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if len(self._vectors) + len(todo) > self.limit:
            self._vectors.clear()
        if todo:
            keys = {t: text_sha(t) for t in todo}
            stored = self.library.sentence_vectors(self.space, list(keys.values()))
            found = {t: v for t in todo if (v := stored.get(keys[t])) is not None}
            self._vectors.update(found)
            self.stored += len(found)
            todo = [t for t in todo if t not in found]
        if todo:
            vectors = self.library.embedder(self.space).embed_passages(todo)
            self._vectors.update(zip(todo, vectors, strict=True))
            self.embedded += len(todo)
        self.ms += (time.perf_counter() - t0) * 1000
        return [float(self._vectors[t] @ q) for t in texts]
