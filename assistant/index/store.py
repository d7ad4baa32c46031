"""The on-disk index: a manifest, passages and documents in SQLite, vectors in FAISS.

Layout of the index folder (readable without Mitra):

    manifest.json          format, embedders, chunking, generation, per-document hash
                           and passage ids. Written last, atomically: the commit point.
    gen-000007/mitra.sqlite   documents (with extracted text), passages, their vectors
                              per embedding space (and one per row of a table
                              passage), and the FTS5 BM25 table
    gen-000007/vectors.<space>.faiss  one per embedder: IndexIDMap2 over inner
                              product (exact) or HNSW past a size; ids are passage ids

A build writes a new generation folder and then swaps the manifest, so a reader
(or a build killed at any moment) always sees one complete generation.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.index.lexical import LEXICAL_SCHEMA
from assistant.model import DocStatus, DocType, Document, Passage

FORMAT_VERSION = 4  # 4: BM25 stems Indonesian documents with the Indonesian Snowball stemmer
MANIFEST = "manifest.json"
DB_NAME = "mitra.sqlite"


def faiss_name(space: str) -> str:
    return f"vectors.{space}.faiss"


SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, title TEXT NOT NULL, type TEXT NOT NULL,
    sha256 TEXT NOT NULL, fingerprint TEXT NOT NULL, status TEXT NOT NULL,
    authors TEXT NOT NULL DEFAULT '[]', issuer TEXT, year INTEGER, language TEXT,
    source TEXT, licence TEXT, container TEXT, doi TEXT, pages INTEGER, rows INTEGER,
    passages INTEGER NOT NULL DEFAULT 0, warnings TEXT NOT NULL DEFAULT '[]',
    description TEXT, text TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    page INTEGER, page_label TEXT, section TEXT, rows TEXT, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
CREATE TABLE IF NOT EXISTS vectors (
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    space TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (passage_id, space)
);
CREATE TABLE IF NOT EXISTS row_vectors (
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    space TEXT NOT NULL, row INTEGER NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (passage_id, space, row)
);
"""
    + LEXICAL_SCHEMA
)

DOC_COLUMNS = (
    "id, path, title, type, sha256, status, authors, issuer, year, language, source, "
    "licence, container, doi, pages, rows, passages, warnings, description"
)
PASSAGE_COLUMNS = 'id, doc_id, ordinal, text, start, "end", page, page_label, section, rows'


@dataclass
class Manifest:
    """The index's self-description, stored as manifest.json."""

    embedders: dict[str, dict[str, Any]]  # space -> {"id": ..., "dim": ...}
    chunking: dict[str, Any]
    generation: int = 0
    next_passage_id: int = 1
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION
    built_at: str = ""

    @property
    def folder(self) -> str:
        return f"gen-{self.generation:06d}"

    def signature(self) -> dict[str, str]:
        return {space: e["id"] for space, e in self.embedders.items()}

    def to_json(self) -> str:
        return json.dumps(
            {
                "format_version": self.format_version,
                "generator": "mitra",
                "embedders": [
                    {
                        "space": space,
                        "id": e["id"],
                        "dim": e["dim"],
                        "metric": "inner_product",
                        "normalized": True,
                        "vectors": f"{self.folder}/{faiss_name(space)}",
                    }
                    for space, e in self.embedders.items()
                ],
                "lexical": {"kind": "sqlite-fts5-bm25", "table": "lexical", "stemmer": "snowball-english-indonesian"},
                "chunking": self.chunking,
                "generation": self.generation,
                "store": f"{self.folder}/{DB_NAME}",
                "next_passage_id": self.next_passage_id,
                "built_at": self.built_at,
                "documents": self.documents,
            },
            indent=1,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, raw: str) -> Manifest:
        data = json.loads(raw)
        return cls(
            embedders={e["space"]: {"id": e["id"], "dim": int(e["dim"])} for e in data.get("embedders", [])},
            chunking=data["chunking"],
            generation=int(data["generation"]),
            next_passage_id=int(data["next_passage_id"]),
            documents=data["documents"],
            format_version=int(data["format_version"]),
            built_at=data.get("built_at", ""),
        )


def read_manifest(index_dir: Path) -> Manifest | None:
    """The committed manifest, or None if there is none (or it is unreadable)."""
    try:
        return Manifest.from_json((index_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a crash leaves either the old or the new file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.executescript(SCHEMA)
    conn.row_factory = sqlite3.Row
    return conn


def row_to_document(row: sqlite3.Row) -> Document:
    return Document(
        id=row["id"],
        path=row["path"],
        title=row["title"],
        type=DocType(row["type"]),
        sha256=row["sha256"],
        status=DocStatus(row["status"]),
        authors=tuple(json.loads(row["authors"])),
        issuer=row["issuer"],
        year=row["year"],
        language=row["language"],
        source=row["source"],
        licence=row["licence"],
        container=row["container"],
        doi=row["doi"],
        pages=row["pages"],
        rows=row["rows"],
        passages=row["passages"],
        warnings=tuple(json.loads(row["warnings"])),
        description=row["description"],
    )


def row_to_passage(row: sqlite3.Row) -> Passage:
    return Passage(
        id=row["id"],
        doc_id=row["doc_id"],
        ordinal=row["ordinal"],
        text=row["text"],
        start=row["start"],
        end=row["end"],
        page=row["page"],
        page_label=row["page_label"],
        section=row["section"],
        rows=row["rows"],
    )


# Past this many vectors, an IVF index replaces exact search. bench/scale.py measures
# both: exact search stays under ~20 ms p95 up to 300,000 vectors on 2 cores, so the
# approximate index (which loses a few % of recall@10) only pays beyond that.
APPROX_THRESHOLD = 300_000


def ivf_nprobe(nlist: int) -> int:
    """Lists searched per query: 1/16 of them (at least 32), about 97% recall@10 on real vectors."""
    return min(nlist, max(32, nlist // 16))


def vector_index_kind(n: int) -> str:
    return "flat" if n <= APPROX_THRESHOLD else "ivf"


def new_vector_index(dim: int, vectors: np.ndarray, ids: np.ndarray) -> Any:
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
    return index


def load_vectors(conn: sqlite3.Connection, space: str, ids: list[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(ids, vectors) stored for `space`, all of them or those of `ids`."""
    if ids is None:
        rows = conn.execute("SELECT passage_id, vector FROM vectors WHERE space = ? ORDER BY passage_id", (space,))
        pairs = rows.fetchall()
    else:
        pairs = []
        for i in range(0, len(ids), 900):
            chunk = ids[i : i + 900]
            marks = ",".join("?" * len(chunk))
            pairs += conn.execute(
                f"SELECT passage_id, vector FROM vectors WHERE space = ? AND passage_id IN ({marks})",
                [space, *chunk],
            ).fetchall()
    if not pairs:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    found = np.asarray([p[0] for p in pairs], dtype=np.int64)
    blob = b"".join(p[1] for p in pairs)
    return found, np.frombuffer(blob, dtype=np.float32).reshape(len(pairs), -1)


def load_row_vectors(conn: sqlite3.Connection, space: str, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """(passage ids, vectors) of every table row embedded on its own in `space`: a passage
    of several rows also matches a question about one of them (see Library.dense_search)."""
    pairs = conn.execute(
        "SELECT passage_id, vector FROM row_vectors WHERE space = ? ORDER BY passage_id, row", (space,)
    ).fetchall()
    if not pairs:
        return np.zeros(0, dtype=np.int64), np.zeros((0, dim), dtype=np.float32)
    ids = np.asarray([p[0] for p in pairs], dtype=np.int64)
    return ids, np.frombuffer(b"".join(p[1] for p in pairs), dtype=np.float32).reshape(len(pairs), -1)


def update_vector_index(
    conn: sqlite3.Connection,
    space: str,
    dim: int,
    previous: Path | None,
    removed: list[int],
    added: list[int],
) -> Any:
    """The vector index of `space` after a build: the previous one with `removed` taken out
    and `added` put in, or rebuilt from the stored vectors when the size calls for
    another kind of index (or there is no previous one)."""
    (total,) = conn.execute("SELECT COUNT(*) FROM vectors WHERE space = ?", (space,)).fetchone()
    if previous is not None and previous.exists():
        index = read_faiss(previous)
        was_flat = type(index).__name__.startswith("IndexIDMap")
        if was_flat == (vector_index_kind(total) == "flat"):
            if removed:
                index.remove_ids(np.asarray(removed, dtype=np.int64))
            ids, vectors = load_vectors(conn, space, added)
            if len(ids):
                index.add_with_ids(np.ascontiguousarray(vectors), ids)
            return index
    ids, vectors = load_vectors(conn, space)
    if len(ids) == 0:
        vectors = np.zeros((0, dim), dtype=np.float32)
    return new_vector_index(dim, vectors, ids)


def read_faiss(path: Path) -> Any:
    import faiss

    return faiss.read_index(str(path))


def write_faiss(index: Any, path: Path) -> None:
    import faiss

    tmp = path.with_name(path.name + ".tmp")
    faiss.write_index(index, str(tmp))
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)
