"""The built library, opened for reading: documents, passages, text, and the raw
retrievers (BM25 and one dense index per embedding space) that `search` fuses."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.config import Settings
from assistant.errors import IndexCorruptError, IndexFormatError, IndexMissingError
from assistant.index import store
from assistant.index.embed import EMBEDDER_IDS, EMBEDDER_ROLES, Embedder, make_embedder
from assistant.index.lexical import Fts5Index
from assistant.index.manifest import read_manifest
from assistant.index.vectors import best_rows
from assistant.index.verify import open_generation
from assistant.ingest.regulations import revocations
from assistant.model import Document, Hit, Passage, SearchFilters

_QUERIES_KEPT = 32


class Library:
    """A read-only view of one committed index generation, checked on open (verify.py).

    Opening is cheap (manifest, SQLite, FAISS files); embedders are loaded on
    first use, or injected (tests, the TUI's background loader).
    """

    def __init__(
        self,
        index_dir: Path,
        spaces: tuple[str, ...] = ("minilm", "e5"),
        embedders: dict[str, Embedder] | None = None,
    ) -> None:
        manifest = read_manifest(index_dir)  # IndexFormatError, IndexCorruptError
        if manifest is None:
            raise IndexMissingError(f"no index in {index_dir}", "run `mitra index` first")
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
        self._conn, self._vectors = open_generation(index_dir, manifest)
        self._embedders = embedders
        self._lock = threading.Lock()
        self._queries: dict[tuple[str, str], np.ndarray] = {}
        self._lexical = Fts5Index()
        with self._reading():
            self._row_vectors = {s: store.load_row_vectors(self._conn, s) for s in spaces}
            docs = store.documents(self._conn)
            # A regulation the catalogue does not mark is revoked when another one's text
            # says so ("... dicabut dan dinyatakan tidak berlaku"); the catalogue wins.
            declared = revocations(docs, lambda doc_id: store.document_text(self._conn, doc_id))
            self._docs = {
                d.id: replace(d, revoked_by=declared[d.id]) if d.id in declared and not d.revoked_by else d
                for d in docs
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
        with self._reading():
            return store.document_text(self._conn, doc_id)

    def passages(self, ids: list[int]) -> list[Passage]:
        """Passages by id, in the order asked (unknown ids are left out)."""
        with self._reading():
            found = store.passages_by_id(self._conn, ids)
        return [found[i] for i in ids if i in found]

    def passages_of(self, doc_id: str) -> list[Passage]:
        with self._reading():
            return store.passages_of(self._conn, doc_id)

    def passage_count(self) -> int:
        return self.manifest.passages

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

    def query_vector(self, space: str, text: str) -> np.ndarray:
        """The query vector of `text` in `space`; the last few are kept, since retrieval and
        the answer engine's sentence similarity ask for the same one."""
        key = (space, text)
        with self._lock:
            found = self._queries.get(key)
        if found is None:
            found = self.embedder(space).embed_queries([text])[0]
            with self._lock:
                if len(self._queries) >= _QUERIES_KEPT:
                    self._queries.pop(next(iter(self._queries)))
                self._queries[key] = found
        return found

    def admitted_docs(self, filters: SearchFilters | None) -> list[str] | None:
        """Ids of the documents that pass `filters`, or None when no filter is set."""
        if filters is None or not filters.active:
            return None
        return [d.id for d in self._docs.values() if filters.admits(d)]

    def admitted_ids(self, doc_ids: list[str]) -> np.ndarray:
        """Passage ids of these documents."""
        with self._reading():
            return store.passage_ids_of(self._conn, doc_ids)

    def dense_search(
        self, space: str, query_vector: np.ndarray, k: int, doc_ids: list[str] | None = None
    ) -> list[tuple[int, float]]:
        """(passage id, cosine) of the k nearest passages in `space`, within `doc_ids` if given.

        A table passage of several rows scores the better of its own cosine and its best
        row's: one row's subject is diluted in the vector of the whole block, so a question
        about a single row would otherwise miss it ("small-to-big" retrieval)."""
        if doc_ids == []:
            return []
        allowed = None if doc_ids is None else self.admitted_ids(doc_ids)
        best = dict(self._vectors[space].search(query_vector, k, allowed))
        if allowed is not None and allowed.size == 0:
            return []
        row_ids, row_vectors = self._row_vectors[space]
        for pid, sim in best_rows(row_ids, row_vectors, query_vector, 4 * k, allowed).items():
            best[pid] = max(best.get(pid, -1.0), sim)
        return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:k]

    def sentence_vectors(self, space: str, shas: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of sentences (text SHA-256 -> vector) in `space`; those the
        index lacks (an index without them, another text) are left out."""
        with self._reading():
            found = store.find_vectors(self._conn, space, shas, ("sentence_vectors",))
        return {s: np.frombuffer(v, dtype=np.float32) for s, v in found.items()}

    def lexical_search(
        self, query: str, k: int, doc_ids: list[str] | None = None, glosses: bool = True
    ) -> list[tuple[int, float]]:
        """(passage id, BM25) of the k best passages for `query`, within `doc_ids` if given;
        with `glosses`, Indonesian passages' English glosses are searched too."""
        with self._reading():
            return self._lexical.search(self._conn, query, k, doc_ids, glosses)

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Report a database that fails while being read (damaged since it was opened, or
        in a way the checks on open do not see) as a damaged index, not a traceback."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise IndexCorruptError(
                f"the index in {self.index_dir} is damaged: {self.manifest.folder}/{store.DB_NAME}: {exc}",
                "run `mitra index` to rebuild it",
            ) from None

    def close(self) -> None:
        self._conn.close()
