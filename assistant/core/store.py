"""The on-disk index: a manifest, passages and documents in SQLite, vectors in FAISS.

Layout of the index folder (readable without Mitra):

    manifest.json          format, embedder, chunking, generation, per-document hash
                           and passage ids. Written last, atomically: the commit point.
    gen-000007/mitra.sqlite   documents (with extracted text) and passages (with vectors)
    gen-000007/vectors.faiss  IndexIDMap2 over inner product; ids are passage ids

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

from assistant.core.types import DocStatus, DocType, Document, Passage

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_NAME = "mitra.sqlite"
FAISS_NAME = "vectors.faiss"

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, title TEXT NOT NULL, type TEXT NOT NULL,
    sha256 TEXT NOT NULL, fingerprint TEXT NOT NULL, status TEXT NOT NULL,
    authors TEXT NOT NULL DEFAULT '[]', issuer TEXT, year INTEGER, language TEXT,
    source TEXT, licence TEXT, container TEXT, doi TEXT, pages INTEGER, rows INTEGER,
    passages INTEGER NOT NULL DEFAULT 0, warnings TEXT NOT NULL DEFAULT '[]',
    text TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    page INTEGER, page_label TEXT, section TEXT, rows TEXT, text TEXT NOT NULL,
    embedding BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
"""

DOC_COLUMNS = (
    "id, path, title, type, sha256, status, authors, issuer, year, language, source, "
    "licence, container, doi, pages, rows, passages, warnings"
)
PASSAGE_COLUMNS = 'id, doc_id, ordinal, text, start, "end", page, page_label, section, rows'


@dataclass
class Manifest:
    """The index's self-description, stored as manifest.json."""

    embedder_id: str
    dim: int
    chunking: dict[str, Any]
    generation: int = 0
    next_passage_id: int = 1
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION
    built_at: str = ""

    @property
    def folder(self) -> str:
        return f"gen-{self.generation:06d}"

    def to_json(self) -> str:
        return json.dumps(
            {
                "format_version": self.format_version,
                "generator": "mitra",
                "embedder": {
                    "id": self.embedder_id,
                    "dim": self.dim,
                    "metric": "inner_product",
                    "normalized": True,
                },
                "chunking": self.chunking,
                "generation": self.generation,
                "store": f"{self.folder}/{DB_NAME}",
                "vectors": f"{self.folder}/{FAISS_NAME}",
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
            embedder_id=data["embedder"]["id"],
            dim=int(data["embedder"]["dim"]),
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


def new_faiss_index(dim: int) -> Any:
    import faiss

    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


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


def vectors_from_blobs(blobs: list[bytes], dim: int) -> np.ndarray:
    if not blobs:
        return np.zeros((0, dim), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), dim)
