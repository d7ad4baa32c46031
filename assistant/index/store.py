"""The SQLite database of one index generation: every SQL statement on it (but FTS5's, in
lexical.py) is here.

Layout of the index folder (readable without Mitra):

    manifest.json              see manifest.py: the commit point
    gen-000007/mitra.sqlite    documents (with extracted text), passages (with their OCR
                               confidence), the rows of table passages as data (`table_rows`:
                               row number, span of its line, cells as a JSON object
                               {column: value}), vectors per embedding space (and one per
                               row of a table passage), each with the SHA-256 of the text
                               embedded, and the FTS5 BM25 table
    gen-000007/vectors.<space>.faiss   one per embedder (see vectors.py)
    cache.sqlite               extracted text and uncommitted vectors (see cache.py)
    ocr/                       OCR'd pages, one JSON file each (see assistant.ingest.ocr.OcrCache)
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.index.lexical import LEXICAL_SCHEMA
from assistant.model import DocStatus, DocType, Document, Passage, TableRow

DB_NAME = "mitra.sqlite"

SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, title TEXT NOT NULL, type TEXT NOT NULL,
    sha256 TEXT NOT NULL, fingerprint TEXT NOT NULL, status TEXT NOT NULL,
    authors TEXT NOT NULL DEFAULT '[]', issuer TEXT, year INTEGER, language TEXT,
    source TEXT, licence TEXT, container TEXT, doi TEXT, pages INTEGER, rows INTEGER,
    passages INTEGER NOT NULL DEFAULT 0, warnings TEXT NOT NULL DEFAULT '[]',
    description TEXT, revoked_by TEXT, ocr_transcript INTEGER NOT NULL DEFAULT 0, text TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    page INTEGER, page_label TEXT, section TEXT, rows TEXT, text TEXT NOT NULL, ocr_confidence REAL
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id);
CREATE TABLE IF NOT EXISTS vectors (
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    space TEXT NOT NULL, text_sha TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (passage_id, space)
);
CREATE INDEX IF NOT EXISTS vectors_text ON vectors(text_sha, space);  -- not (space, ...): loading
-- a space's vectors in passage order must scan the table, not hop through this index
CREATE TABLE IF NOT EXISTS row_vectors (
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    space TEXT NOT NULL, row INTEGER NOT NULL, text_sha TEXT NOT NULL, vector BLOB NOT NULL,
    PRIMARY KEY (passage_id, space, row)
);
CREATE INDEX IF NOT EXISTS row_vectors_text ON row_vectors(text_sha, space);
-- the answer engine's sentences (multilingual space only), looked up by text
CREATE TABLE IF NOT EXISTS sentence_vectors (
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    space TEXT NOT NULL, text_sha TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (passage_id, space, text_sha)
);
CREATE INDEX IF NOT EXISTS sentence_vectors_text ON sentence_vectors(text_sha, space);
CREATE TABLE IF NOT EXISTS table_rows (
    passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    row INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    cells TEXT NOT NULL,  -- JSON object {column: value}, in column order
    PRIMARY KEY (passage_id, row)
);
"""
    + LEXICAL_SCHEMA
)

_DOC_COLUMNS = (
    "id, path, title, type, sha256, status, authors, issuer, year, language, source, "
    "licence, container, doi, pages, rows, passages, warnings, description, revoked_by, ocr_transcript"
)
_PASSAGE_COLUMNS = 'id, doc_id, ordinal, text, start, "end", page, page_label, section, rows, ocr_confidence'
_CHUNK = 900  # SQLite's host-parameter limit is 999 in older builds


def connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    """Open a generation's database: read-only (a committed, immutable generation) or for writing."""
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.executescript(SCHEMA)
    conn.row_factory = sqlite3.Row
    return conn


def quick_check(conn: sqlite3.Connection) -> str | None:
    """SQLite's structural check of the database: None when sound, else its first complaint."""
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    first = str(rows[0][0]) if rows else "no answer"
    return None if first == "ok" else " ".join(first.split())[:200]


def counts(conn: sqlite3.Connection) -> tuple[int, dict[str, int]]:
    """(passages, vectors per space) stored."""
    (passages,) = conn.execute("SELECT COUNT(*) FROM passages").fetchone()
    per_space = dict(conn.execute("SELECT space, COUNT(*) FROM vectors GROUP BY space").fetchall())
    return int(passages), {str(k): int(v) for k, v in per_space.items()}


# -- writing ---------------------------------------------------------------------------


def insert_document(conn: sqlite3.Connection, doc: Document, fingerprint: str, text: str) -> None:
    """Record (or replace) one document with its extracted text."""
    conn.execute(
        "INSERT OR REPLACE INTO documents (id, path, title, type, sha256, fingerprint, status, "
        "authors, issuer, year, language, source, licence, container, doi, pages, rows, passages, "
        "warnings, description, revoked_by, ocr_transcript, text) VALUES (" + ",".join("?" * 23) + ")",
        (
            doc.id,
            doc.path,
            doc.title,
            doc.type.value,
            doc.sha256,
            fingerprint,
            doc.status.value,
            json.dumps(list(doc.authors), ensure_ascii=False),
            doc.issuer,
            doc.year,
            doc.language,
            doc.source,
            doc.licence,
            doc.container,
            doc.doi,
            doc.pages,
            doc.rows,
            doc.passages,
            json.dumps(list(doc.warnings), ensure_ascii=False),
            doc.description,
            doc.revoked_by,
            int(doc.ocr_transcript),
            text,
        ),
    )


def insert_passages(conn: sqlite3.Connection, passages: Sequence[Passage]) -> None:
    """Store passages, with the rows (as data) of table passages."""
    conn.executemany(
        f"INSERT INTO passages ({_PASSAGE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            (
                p.id,
                p.doc_id,
                p.ordinal,
                p.text,
                p.start,
                p.end,
                p.page,
                p.page_label,
                p.section,
                p.rows,
                p.ocr_confidence,
            )
            for p in passages
        ),
    )
    conn.executemany(
        'INSERT INTO table_rows (passage_id, row, start, "end", cells) VALUES (?,?,?,?,?)',
        (
            (p.id, r.n, r.start, r.end, json.dumps(dict(r.cells), ensure_ascii=False))
            for p in passages
            for r in p.table_rows
        ),
    )


def delete_documents(conn: sqlite3.Connection, doc_ids: Sequence[str]) -> None:
    """Remove documents with their passages and vectors (not their FTS rows: lexical.py)."""
    for i in range(0, len(doc_ids), _CHUNK):
        chunk = list(doc_ids[i : i + _CHUNK])
        marks = ",".join("?" * len(chunk))
        conn.execute(f"DELETE FROM passages WHERE doc_id IN ({marks})", chunk)
        conn.execute(f"DELETE FROM documents WHERE id IN ({marks})", chunk)


def insert_vectors(conn: sqlite3.Connection, space: str, rows: Iterable[tuple[int, str, bytes]]) -> None:
    """Store (passage id, text SHA-256, float32 vector bytes) in `space`."""
    conn.executemany(
        "INSERT INTO vectors (passage_id, space, text_sha, vector) VALUES (?, ?, ?, ?)",
        ((pid, space, sha, vec) for pid, sha, vec in rows),
    )


def insert_row_vectors(conn: sqlite3.Connection, space: str, rows: Iterable[tuple[int, int, str, bytes]]) -> None:
    """Store (passage id, row number, text SHA-256, vector bytes) of table rows in `space`."""
    conn.executemany(
        "INSERT INTO row_vectors (passage_id, space, row, text_sha, vector) VALUES (?, ?, ?, ?, ?)",
        ((pid, space, row, sha, vec) for pid, row, sha, vec in rows),
    )


def insert_sentence_vectors(conn: sqlite3.Connection, space: str, rows: Iterable[tuple[int, str, bytes]]) -> None:
    """Store (passage id, text SHA-256, vector bytes) of the passages' sentences in `space`."""
    conn.executemany(
        "INSERT OR IGNORE INTO sentence_vectors (passage_id, space, text_sha, vector) VALUES (?, ?, ?, ?)",
        ((pid, space, sha, vec) for pid, sha, vec in rows),
    )


_VECTOR_TABLES = ("vectors", "row_vectors", "sentence_vectors")


def find_vectors(
    conn: sqlite3.Connection, space: str, shas: Sequence[str], tables: Sequence[str] = _VECTOR_TABLES
) -> dict[str, bytes]:
    """Vectors already stored in `space` for texts of these SHA-256s (passages, rows or
    sentences; those of `tables`)."""
    found: dict[str, bytes] = {}
    for i in range(0, len(shas), _CHUNK):
        chunk = list(shas[i : i + _CHUNK])
        marks = ",".join("?" * len(chunk))
        for table in tables:
            found.update(
                conn.execute(
                    f"SELECT text_sha, vector FROM {table} WHERE space = ? AND text_sha IN ({marks})", [space, *chunk]
                ).fetchall()
            )
    return found


def stored_vectors(conn: sqlite3.Connection, space: str) -> dict[str, bytes]:
    """Text SHA-256 -> vector of every passage, row and sentence embedded in `space`."""
    found: dict[str, bytes] = {}
    for table in _VECTOR_TABLES:
        found.update(conn.execute(f"SELECT text_sha, vector FROM {table} WHERE space = ?", [space]).fetchall())
    return found


def vacuum(conn: sqlite3.Connection) -> None:
    conn.commit()
    conn.execute("VACUUM")


# -- reading ---------------------------------------------------------------------------


def documents(conn: sqlite3.Connection) -> list[Document]:
    return [_document(r) for r in conn.execute(f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY id")]


def document_text(conn: sqlite3.Connection, doc_id: str) -> str:
    row = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return str(row[0]) if row else ""


def passages_by_id(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, Passage]:
    found: dict[int, Passage] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = list(ids[i : i + _CHUNK])
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(f"SELECT {_PASSAGE_COLUMNS} FROM passages WHERE id IN ({marks})", chunk)
        found.update((p.id, p) for p in _with_rows(conn, list(map(_passage, rows))))
    return found


def passages_of(conn: sqlite3.Connection, doc_id: str) -> list[Passage]:
    rows = conn.execute(f"SELECT {_PASSAGE_COLUMNS} FROM passages WHERE doc_id = ? ORDER BY ordinal", (doc_id,))
    return _with_rows(conn, list(map(_passage, rows)))


def _with_rows(conn: sqlite3.Connection, passages: list[Passage]) -> list[Passage]:
    """The passages, table passages with their rows as data."""
    tables = [p.id for p in passages if p.rows]
    if not tables:
        return passages
    found: dict[int, list[TableRow]] = {}
    for i in range(0, len(tables), _CHUNK):
        chunk = tables[i : i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(
            f'SELECT passage_id, row, start, "end", cells FROM table_rows WHERE passage_id IN ({marks}) '
            "ORDER BY passage_id, row",
            chunk,
        ):
            cells = tuple((str(k), str(v)) for k, v in json.loads(r["cells"]).items())
            found.setdefault(r["passage_id"], []).append(TableRow(r["row"], r["start"], r["end"], cells))
    return [replace(p, table_rows=tuple(found[p.id])) if p.id in found else p for p in passages]


def passage_ids_of(conn: sqlite3.Connection, doc_ids: Sequence[str]) -> np.ndarray:
    """Ids of every passage of these documents."""
    out: list[int] = []
    for i in range(0, len(doc_ids), _CHUNK):
        chunk = list(doc_ids[i : i + _CHUNK])
        marks = ",".join("?" * len(chunk))
        out += (int(r[0]) for r in conn.execute(f"SELECT id FROM passages WHERE doc_id IN ({marks})", chunk))
    return np.asarray(out, dtype=np.int64)


def load_vectors(
    conn: sqlite3.Connection, space: str, ids: Sequence[int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(ids, vectors) stored for `space`, all of them or those of `ids`."""
    if ids is None:
        pairs = conn.execute(
            "SELECT passage_id, vector FROM vectors WHERE space = ? ORDER BY passage_id", (space,)
        ).fetchall()
    else:
        pairs = []
        for i in range(0, len(ids), _CHUNK):
            chunk = list(ids[i : i + _CHUNK])
            marks = ",".join("?" * len(chunk))
            pairs += conn.execute(
                f"SELECT passage_id, vector FROM vectors WHERE space = ? AND passage_id IN ({marks})",
                [space, *chunk],
            ).fetchall()
    return _stack(pairs)


def load_row_vectors(conn: sqlite3.Connection, space: str) -> tuple[np.ndarray, np.ndarray]:
    """(passage ids, vectors) of every table row embedded on its own in `space`."""
    pairs = conn.execute(
        "SELECT passage_id, vector FROM row_vectors WHERE space = ? ORDER BY passage_id, row", (space,)
    ).fetchall()
    return _stack(pairs)


def _stack(pairs: list[sqlite3.Row]) -> tuple[np.ndarray, np.ndarray]:
    if not pairs:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    ids = np.asarray([p[0] for p in pairs], dtype=np.int64)
    return ids, np.frombuffer(b"".join(p[1] for p in pairs), dtype=np.float32).reshape(len(pairs), -1)


def _document(row: sqlite3.Row) -> Document:
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
        revoked_by=row["revoked_by"],
        ocr_transcript=bool(row["ocr_transcript"]),
    )


def _passage(row: sqlite3.Row) -> Passage:
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
        ocr_confidence=row["ocr_confidence"],
    )
