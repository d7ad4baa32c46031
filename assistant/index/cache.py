"""The build cache (`cache.sqlite` in the index folder): what makes an interrupted build resumable.

Two content-addressed tables, plain SQLite and JSON, no pickle:

- `extracted`: a file's extracted text and blocks (OCR'd text and each page's OCR
  confidence included), keyed by the file's SHA-256, its suffix (which picks the loader),
  the extractor version (a digest of the reading code and libraries) and the OCR settings. A file is read
  (and OCR'd) once; a rebuild or a rerun after kill -9 takes its text from here. Entries
  of files no longer in the index are pruned after each completed build.
- `vectors`: vectors embedded by a build not yet completed, keyed by embedder id and the
  SHA-256 of the text embedded, written after every batch. A rerun after kill -9 finds
  them here and embeds only what the killed build had not; a completed build has put
  them in its generation, so they are dropped.

The cache is disposable: a damaged one is deleted and started afresh. Only the builder
(holding the index lock) opens it, so it keeps its own small SQL here, apart from store.py.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import asdict, fields
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from assistant.config import OcrSettings
from assistant.model import Block, DocStatus, LoadedText, TableRow

CACHE_NAME = "cache.sqlite"
OCR_CACHE = "ocr"  # the folder of OCR'd pages (JSON, one per page: see assistant.ingest.ocr.OcrCache)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS extracted (key TEXT PRIMARY KEY, sha256 TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS extracted_sha ON extracted(sha256);
CREATE TABLE IF NOT EXISTS vectors (
    embedder TEXT NOT NULL, text_sha TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (embedder, text_sha)
);
"""
# Modules of assistant/ingest that read no file: a change to them leaves the extracted text as it was.
_NOT_READING = ("catalog.py", "chunk.py", "regulations.py")
# Libraries whose version changes what a loader extracts (those installed count).
_READING_LIBRARIES = ("pypdf", "charset-normalizer", "cryptography", "rapidocr", "onnxruntime", "pypdfium2")


@cache
def extractor_version() -> str:
    """A digest of the code that turns files into text (assistant/ingest but the catalogue,
    the chunker and the regulation references, which read no file; and the domain types)
    and of the reading libraries' versions: any change makes every file be read again."""
    import assistant.ingest
    import assistant.model

    h = hashlib.sha256()
    root = Path(assistant.ingest.__file__).parent
    sources = [p for p in sorted(root.rglob("*.py")) if p.name not in _NOT_READING]
    for path in [*sources, Path(assistant.model.__file__)]:
        h.update(path.relative_to(root.parent).as_posix().encode())
        h.update(path.read_bytes())
    for name in _READING_LIBRARIES:
        try:
            h.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            continue
    return h.hexdigest()[:16]


def extraction_key(sha256: str, suffix: str, ocr: OcrSettings) -> str:
    """The cache key of a file's extracted text: its content, the loader its suffix picks,
    the extractor version and the OCR settings that change what is read."""
    reading = f"ocr{ocr.dpi}" if ocr.enabled else "no-ocr"
    return f"{sha256}:{suffix.lower()}:{extractor_version()}:{reading}"


def text_sha(text: str) -> str:
    """The key of an embedded text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class BuildCache:
    """The extraction and vector cache of one index folder (see the module docstring)."""

    def __init__(self, index_dir: Path) -> None:
        self.path = index_dir / CACHE_NAME
        try:
            self._conn = self._open()
        except sqlite3.DatabaseError:  # damaged: it only ever saves work, so start afresh
            self.path.unlink(missing_ok=True)
            self._conn = self._open()

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # survives kill -9; a power cut may lose the last entries
            conn.executescript(_SCHEMA)
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("cache damaged")
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    # -- extracted text -----------------------------------------------------------------
    def extracted(self, key: str) -> LoadedText | None:
        row = self._conn.execute("SELECT data FROM extracted WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return decode_loaded(json.loads(row[0]))
        except (ValueError, KeyError, TypeError):
            return None  # written by another version of the types: read the file again

    def put_extracted(self, key: str, sha256: str, loaded: LoadedText) -> None:
        data = json.dumps(encode_loaded(loaded), ensure_ascii=False)
        self._conn.execute("INSERT OR REPLACE INTO extracted (key, sha256, data) VALUES (?, ?, ?)", (key, sha256, data))
        self._conn.commit()

    def prune_extracted(self, keep_sha256: Iterable[str]) -> None:
        """Forget the text of files that are no longer in the index."""
        self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS keep (sha256 TEXT PRIMARY KEY)")
        self._conn.execute("DELETE FROM temp.keep")
        self._conn.executemany("INSERT OR IGNORE INTO temp.keep VALUES (?)", ((s,) for s in keep_sha256))
        self._conn.execute("DELETE FROM extracted WHERE sha256 NOT IN (SELECT sha256 FROM temp.keep)")
        self._conn.commit()

    # -- vectors ----------------------------------------------------------------------------
    def vectors(self, embedder: str, shas: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for i in range(0, len(shas), 900):
            chunk = list(shas[i : i + 900])
            marks = ",".join("?" * len(chunk))
            found.update(
                self._conn.execute(
                    f"SELECT text_sha, vector FROM vectors WHERE embedder = ? AND text_sha IN ({marks})",
                    [embedder, *chunk],
                ).fetchall()
            )
        return found

    def put_vectors(self, embedder: str, shas: Sequence[str], vectors: np.ndarray) -> None:
        self._conn.executemany(
            "INSERT OR REPLACE INTO vectors (embedder, text_sha, vector) VALUES (?, ?, ?)",
            ((embedder, sha, np.asarray(v, dtype=np.float32).tobytes()) for sha, v in zip(shas, vectors, strict=True)),
        )
        self._conn.commit()

    def clear_vectors(self) -> None:
        self._conn.execute("DELETE FROM vectors")
        self._conn.commit()

    def close(self) -> None:
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._conn.close()


def encode_loaded(loaded: LoadedText) -> dict[str, Any]:
    """LoadedText as JSON-ready data (every field of it and of its blocks)."""
    data = asdict(loaded)
    data["status"] = loaded.status.value
    return data


def decode_loaded(data: dict[str, Any]) -> LoadedText:
    """The inverse of `encode_loaded`; KeyError or TypeError if the fields do not match."""
    names = {f.name for f in fields(LoadedText)}
    if set(data) != names:
        raise KeyError(f"fields {sorted(set(data) ^ names)}")
    values: dict[str, Any] = {k: _tuples(v) for k, v in data.items()}
    values["blocks"] = tuple(_block(b) for b in data["blocks"])
    values["status"] = DocStatus(data["status"])
    return LoadedText(**values)


def _block(data: dict[str, Any]) -> Block:
    values = {k: _tuples(v) for k, v in data.items()}
    values["table_rows"] = tuple(_row(r) for r in data.get("table_rows", ()))
    return Block(**values)


def _row(data: dict[str, Any]) -> TableRow:
    """A TableRow from `asdict` data (cells as [column, value] lists)."""
    cells = tuple((str(name), str(value)) for name, value in data["cells"])
    return TableRow(int(data["n"]), int(data["start"]), int(data["end"]), cells)


def _tuples(value: Any) -> Any:
    """JSON lists back to the tuples of the frozen dataclasses."""
    return tuple(value) if isinstance(value, list) else value
