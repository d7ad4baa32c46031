"""Vector search: the only module that imports FAISS (lazily: opening the CLI stays fast).

Each embedding space has one FAISS file per generation, an inner-product index over
L2-normalised vectors whose ids are passage ids: exact (IndexIDMap2 over IndexFlatIP)
up to `APPROX_THRESHOLD` vectors, IVF past that. The vectors of table rows embedded on
their own are few and are searched exactly with numpy (`best_rows`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import IndexCorruptError

# Past this many vectors, an IVF index replaces exact search. bench/scale.py measures
# both: exact search stays under ~20 ms p95 up to 300,000 vectors on 2 cores, so the
# approximate index (which loses a few % of recall@10) only pays beyond that.
APPROX_THRESHOLD = 300_000

Loader = Callable[[], tuple[np.ndarray, np.ndarray]]  # () -> (ids, vectors)


def ivf_nprobe(nlist: int) -> int:
    """Lists searched per query: 1/16 of them (at least 32), about 97% recall@10 on real vectors."""
    return min(nlist, max(32, nlist // 16))


def vector_index_kind(n: int) -> str:
    return "flat" if n <= APPROX_THRESHOLD else "ivf"


class VectorIndex:
    """One embedding space's FAISS index (the FAISS object stays inside this class)."""

    def __init__(self, index: Any) -> None:
        self._index = index

    @classmethod
    def new(cls, dim: int, vectors: np.ndarray, ids: np.ndarray) -> VectorIndex:
        """An exact index for a small library, an IVF index (trained on `vectors`) past the threshold."""
        import faiss

        index: Any
        if vector_index_kind(len(ids)) == "flat":
            index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        else:
            nlist = int(4 * np.sqrt(len(ids)))
            index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
            sample = vectors[np.random.default_rng(0).permutation(len(vectors))[: nlist * 64]]
            index.train(np.ascontiguousarray(sample))
            index.nprobe = ivf_nprobe(nlist)
        if len(ids):
            index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
        return cls(index)

    @classmethod
    def read(cls, path: Path) -> VectorIndex:
        """Load a FAISS file; IndexCorruptError if it is missing or damaged."""
        import faiss

        try:
            return cls(faiss.read_index(str(path)))
        except RuntimeError as exc:  # FAISS reports a short or garbled file this way
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable"
            raise IndexCorruptError(
                f"the vector file {path} is damaged ({first[:200]})", "run `mitra index` to rebuild the index"
            ) from None

    @property
    def ntotal(self) -> int:
        return int(self._index.ntotal)

    @property
    def dim(self) -> int:
        return int(self._index.d)

    @property
    def exact(self) -> bool:
        return type(self._index).__name__.startswith("IndexIDMap")

    def write(self, path: Path) -> None:
        """Write the index durably: a temporary file, fsync, rename."""
        import faiss

        tmp = path.with_name(path.name + ".tmp")
        faiss.write_index(self._index, str(tmp))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def remove(self, ids: list[int]) -> None:
        if ids:
            self._index.remove_ids(np.asarray(ids, dtype=np.int64))

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(id, inner product) of the k nearest vectors, only among `allowed` ids if given."""
        import faiss

        if self.ntotal == 0 or k <= 0 or (allowed is not None and allowed.size == 0):
            return []
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        params: Any = None
        if allowed is not None:
            selector = faiss.IDSelectorBatch(allowed)
            if self.exact:
                params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
            else:
                params = faiss.SearchParametersIVF(sel=selector, nprobe=self._index.nprobe)  # type: ignore[call-arg]
        scores, ids = self._index.search(q, min(k, self.ntotal), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]


def refresh(
    previous: Path | None,
    dim: int,
    total: int,
    removed: list[int],
    added: Loader,
    everything: Loader,
) -> VectorIndex:
    """The vector index after a build step: the previous one with `removed` ids taken out and
    the `added` vectors put in, or rebuilt from `everything` when the size calls for another
    kind of index (or there is no previous one). `total` is the number of vectors after."""
    if previous is not None and previous.exists():
        index = VectorIndex.read(previous)
        if index.exact == (vector_index_kind(total) == "flat"):
            index.remove(removed)
            index.add(*added())
            return index
    ids, vectors = everything()
    if len(ids) == 0:
        vectors = np.zeros((0, dim), dtype=np.float32)
    return VectorIndex.new(dim, vectors, ids)


def best_rows(
    row_ids: np.ndarray, row_vectors: np.ndarray, query: np.ndarray, k: int, allowed: np.ndarray | None = None
) -> dict[int, float]:
    """Passage id -> cosine of its best row, for the passages of the `k` best table rows."""
    if len(row_ids) == 0 or k <= 0:
        return {}
    sims = row_vectors @ np.asarray(query, dtype=np.float32).reshape(-1)
    if allowed is not None:
        sims = np.where(np.isin(row_ids, allowed), sims, -np.inf)
    m = min(k, len(sims))
    best: dict[int, float] = {}
    for i in np.argpartition(-sims, m - 1)[:m]:
        if np.isfinite(sims[i]):
            pid = int(row_ids[i])
            best[pid] = max(best.get(pid, -1.0), float(sims[i]))
    return best
