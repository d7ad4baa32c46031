"""The built library, opened for reading: documents, passages, text, search."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from assistant.config import Settings
from assistant.core import store
from assistant.core.embed import EMBEDDER_IDS, Embedder, make_embedder
from assistant.core.types import Document, Hit, Passage, SearchFilters
from assistant.errors import IndexFormatError, IndexMissingError


class Library:
    """A read-only view of one committed index generation.

    Opening is cheap (manifest, SQLite, FAISS file); the embedder is loaded on
    first use, or injected (tests, the TUI's background loader).
    """

    def __init__(
        self, index_dir: Path, embedder_name: str = "minilm", embedder: Embedder | None = None
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
        wanted = embedder.id if embedder else EMBEDDER_IDS.get(embedder_name, embedder_name)
        if manifest.embedder_id != wanted:
            raise IndexFormatError(
                f"the index in {index_dir} was built with {manifest.embedder_id}, not {wanted}",
                "run `mitra index` to rebuild it with the current embedder",
            )
        self.index_dir = index_dir
        self.manifest = manifest
        folder = index_dir / manifest.folder
        self._conn = store.connect(folder / store.DB_NAME, readonly=True)
        self._vectors: Any = store.read_faiss(folder / store.FAISS_NAME)
        self._embedder = embedder
        self._embedder_name = embedder_name
        self._lock = threading.Lock()
        self._docs = {
            d.id: d
            for d in map(
                store.row_to_document,
                self._conn.execute(f"SELECT {store.DOC_COLUMNS} FROM documents ORDER BY id"),
            )
        }

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None) -> Library:
        return cls(settings.index_dir, settings.embedder, embedder)

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
        marks = ",".join("?" * len(ids))
        rows = self._conn.execute(f"SELECT {store.PASSAGE_COLUMNS} FROM passages WHERE id IN ({marks})", ids)
        found = {p.id: p for p in map(store.row_to_passage, rows)}
        return [found[i] for i in ids if i in found]

    def passages_of(self, doc_id: str) -> list[Passage]:
        rows = self._conn.execute(
            f"SELECT {store.PASSAGE_COLUMNS} FROM passages WHERE doc_id = ? ORDER BY ordinal", (doc_id,)
        )
        return list(map(store.row_to_passage, rows))

    def passage_count(self) -> int:
        return int(self._vectors.ntotal)

    # -- search ----------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = make_embedder(self._embedder_name)
            return self._embedder

    def admitted_ids(self, filters: SearchFilters) -> np.ndarray:
        docs = [d.id for d in self._docs.values() if filters.admits(d)]
        if not docs:
            return np.zeros(0, dtype=np.int64)
        marks = ",".join("?" * len(docs))
        rows = self._conn.execute(f"SELECT id FROM passages WHERE doc_id IN ({marks})", docs)
        return np.fromiter((r[0] for r in rows), dtype=np.int64)

    def dense_search(
        self, query_vector: np.ndarray, k: int, filters: SearchFilters | None = None
    ) -> list[tuple[int, float]]:
        """(passage id, cosine) for the k nearest passages that pass `filters`."""
        import faiss

        if self._vectors.ntotal == 0:
            return []
        q = np.ascontiguousarray(query_vector.reshape(1, -1), dtype=np.float32)
        params = None
        if filters is not None and filters.active:
            allowed = self.admitted_ids(filters)
            if allowed.size == 0:
                return []
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed))
        k = min(k, int(self._vectors.ntotal))
        scores, ids = self._vectors.search(q, k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]:
        """The k passages closest in meaning to `query` (dense retrieval)."""
        vector = self.embedder.embed_queries([query])[0]
        found = self.dense_search(vector, k, filters)
        passages = {p.id: p for p in self.passages([pid for pid, _ in found])}
        return [
            Hit(passages[pid], score, {"dense": score}, self._docs.get(passages[pid].doc_id))
            for pid, score in found
            if pid in passages
        ]

    def close(self) -> None:
        self._conn.close()
