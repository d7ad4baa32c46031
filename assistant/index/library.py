"""The built library, opened for reading: documents, passages, text, and the raw
retrievers (BM25 and one dense index per embedding space) that `retrieve` fuses."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from assistant.config import Settings
from assistant.errors import IndexFormatError, IndexMissingError
from assistant.index import store
from assistant.index.embed import EMBEDDER_IDS, EMBEDDER_ROLES, Embedder, make_embedder
from assistant.index.lexical import Fts5Index
from assistant.model import Document, Hit, Passage, SearchFilters


class Library:
    """A read-only view of one committed index generation.

    Opening is cheap (manifest, SQLite, FAISS files); embedders are loaded on
    first use, or injected (tests, the TUI's background loader).
    """

    def __init__(
        self,
        index_dir: Path,
        spaces: tuple[str, ...] = ("minilm", "e5"),
        embedders: dict[str, Embedder] | None = None,
    ) -> None:
        manifest = store.read_manifest(index_dir)
        if manifest is None:
            raise IndexMissingError(f"no index in {index_dir}", "run `mitra index` first")
        if manifest.format_version != store.FORMAT_VERSION:
            raise IndexFormatError(
                f"the index in {index_dir} has format {manifest.format_version}, "
                f"this Mitra reads {store.FORMAT_VERSION}",
                "run `mitra index` to rebuild it",
            )
        embedders = dict(embedders or {})
        wanted = {s: (embedders[s].id if s in embedders else EMBEDDER_IDS.get(s, s)) for s in spaces}
        if manifest.signature() != wanted:
            have = ", ".join(manifest.signature().values()) or "no embedder"
            raise IndexFormatError(
                f"the index in {index_dir} was built with {have}, not {', '.join(wanted.values())}",
                "run `mitra index` to rebuild it with the current embedders",
            )
        self.index_dir = index_dir
        self.manifest = manifest
        folder = index_dir / manifest.folder
        self._conn = store.connect(folder / store.DB_NAME, readonly=True)
        self._vectors: dict[str, Any] = {s: store.read_faiss(folder / store.faiss_name(s)) for s in spaces}
        self._row_vectors = {s: store.load_row_vectors(self._conn, s, self._vectors[s].d) for s in spaces}
        self._embedders = embedders
        self._lock = threading.Lock()
        self._lexical = Fts5Index()
        self._docs = {
            d.id: d
            for d in map(
                store.row_to_document,
                self._conn.execute(f"SELECT {store.DOC_COLUMNS} FROM documents ORDER BY id"),
            )
        }

    @classmethod
    def open(cls, settings: Settings, embedders: dict[str, Embedder] | None = None) -> Library:
        return cls(settings.index_dir, settings.embedders, embedders)

    @property
    def spaces(self) -> tuple[str, ...]:
        return tuple(self._vectors)

    def space_for(self, role: str) -> str | None:
        """The indexed embedding space that plays `role` ('english' or 'multilingual'), if any."""
        return next((s for s in self.spaces if EMBEDDER_ROLES.get(s) == role), None)

    # -- documents and passages ------------------------------------------------
    def documents(self) -> list[Document]:
        return list(self._docs.values())

    def document(self, doc_id: str) -> Document | None:
        return self._docs.get(doc_id)

    def text(self, doc_id: str) -> str:
        """The document's extracted text, which passage offsets index into."""
        row = self._conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else ""

    def passages(self, ids: list[int]) -> list[Passage]:
        """Passages by id, in the order asked (unknown ids are left out)."""
        if not ids:
            return []
        found: dict[int, Passage] = {}
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(f"SELECT {store.PASSAGE_COLUMNS} FROM passages WHERE id IN ({marks})", chunk)
            found.update((p.id, p) for p in map(store.row_to_passage, rows))
        return [found[i] for i in ids if i in found]

    def passages_of(self, doc_id: str) -> list[Passage]:
        rows = self._conn.execute(
            f"SELECT {store.PASSAGE_COLUMNS} FROM passages WHERE doc_id = ? ORDER BY ordinal", (doc_id,)
        )
        return list(map(store.row_to_passage, rows))

    def passage_count(self) -> int:
        (n,) = self._conn.execute("SELECT COUNT(*) FROM passages").fetchone()
        return int(n)

    def hits(self, scored: list[tuple[int, float, dict[str, float]]]) -> list[Hit]:
        """Turn (passage id, score, per-retriever scores) into Hits with their documents."""
        passages = {p.id: p for p in self.passages([pid for pid, _, _ in scored])}
        return [
            Hit(passages[pid], score, scores, self._docs.get(passages[pid].doc_id))
            for pid, score, scores in scored
            if pid in passages
        ]

    # -- raw retrievers ------------------------------------------------------------
    def embedder(self, space: str) -> Embedder:
        """The embedder of `space`, loaded on first use (thread-safe)."""
        with self._lock:
            if space not in self._embedders:
                self._embedders[space] = make_embedder(space)
            return self._embedders[space]

    def admitted_docs(self, filters: SearchFilters | None) -> list[str] | None:
        """Ids of the documents that pass `filters`, or None when no filter is set."""
        if filters is None or not filters.active:
            return None
        return [d.id for d in self._docs.values() if filters.admits(d)]

    def admitted_ids(self, doc_ids: list[str]) -> np.ndarray:
        if not doc_ids:
            return np.zeros(0, dtype=np.int64)
        marks = ",".join("?" * len(doc_ids))
        rows = self._conn.execute(f"SELECT id FROM passages WHERE doc_id IN ({marks})", doc_ids)
        return np.fromiter((r[0] for r in rows), dtype=np.int64)

    def dense_search(
        self, space: str, query_vector: np.ndarray, k: int, doc_ids: list[str] | None = None
    ) -> list[tuple[int, float]]:
        """(passage id, cosine) of the k nearest passages in `space`, within `doc_ids` if given.

        A table passage of several rows scores the better of its own cosine and its best
        row's: one row's subject is diluted in the vector of the whole block, so a question
        about a single row would otherwise miss it ("small-to-big" retrieval)."""
        import faiss

        index = self._vectors[space]
        if index.ntotal == 0 or doc_ids == []:
            return []
        q = np.ascontiguousarray(query_vector.reshape(1, -1), dtype=np.float32)
        params: Any = None
        allowed: np.ndarray | None = None
        if doc_ids is not None:
            allowed = self.admitted_ids(doc_ids)
            if allowed.size == 0:
                return []
            selector = faiss.IDSelectorBatch(allowed)
            if type(index).__name__.startswith("IndexIVF"):
                params = faiss.SearchParametersIVF(sel=selector, nprobe=index.nprobe)  # type: ignore[call-arg]
            else:
                params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
        scores, ids = index.search(q, min(k, int(index.ntotal)), params=params)
        best = {int(i): float(s) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0}
        row_ids, row_vectors = self._row_vectors[space]
        if len(row_ids):
            sims = row_vectors @ q[0]
            if allowed is not None:
                sims = np.where(np.isin(row_ids, allowed), sims, -np.inf)
            m = min(4 * k, len(sims))
            top = np.argpartition(-sims, m - 1)[:m]
            for i in top:
                if np.isfinite(sims[i]):
                    pid = int(row_ids[i])
                    best[pid] = max(best.get(pid, -1.0), float(sims[i]))
        return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:k]

    def lexical_search(self, query: str, k: int, doc_ids: list[str] | None = None) -> list[tuple[int, float]]:
        """(passage id, BM25) of the k best passages for `query`, within `doc_ids` if given."""
        return self._lexical.search(self._conn, query, k, doc_ids)

    def close(self) -> None:
        self._conn.close()
