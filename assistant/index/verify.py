"""Open a committed generation only after checking it against its manifest.

Checked on every open: the generation folder and each of its files exist with the size
the manifest recorded, and the passages and the vectors of each space, in SQLite and in
FAISS, are as many as the manifest's documents hold. A `thorough` check (every build, so
`mitra index` finds and rebuilds a damaged index) adds SQLite's `PRAGMA quick_check`, which
reads the whole database: too slow for every search at scale (seconds at 100,000 passages,
bench/scale.py). Any failure is an IndexCorruptError that names what is wrong.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from assistant.errors import IndexCorruptError
from assistant.index import store
from assistant.index.manifest import Manifest, faiss_name
from assistant.index.vectors import VectorIndex

_HINT = "run `mitra index` to rebuild it"


def open_generation(
    index_dir: Path, manifest: Manifest, thorough: bool = False
) -> tuple[sqlite3.Connection, dict[str, VectorIndex]]:
    """(read-only database, vector index per space) of the generation `manifest` names."""
    folder = index_dir / manifest.folder
    damaged = f"the index in {index_dir} is damaged"
    if not folder.is_dir():
        raise IndexCorruptError(f"{damaged}: its folder {manifest.folder}/ is missing", _HINT)
    for name, size in sorted(manifest.files.items()):
        path = folder / name
        try:
            actual = path.stat().st_size
        except OSError as exc:
            raise IndexCorruptError(
                f"{damaged}: {manifest.folder}/{name} cannot be read ({exc.strerror})", _HINT
            ) from None
        if actual != size:
            raise IndexCorruptError(
                f"{damaged}: {manifest.folder}/{name} has {actual:,} bytes, {size:,} when it was written (truncated?)",
                _HINT,
            )
    expected = manifest.passages
    conn = store.connect(folder / store.DB_NAME, readonly=True)
    try:
        problem = store.quick_check(conn) if thorough else None
        if problem is None:
            passages, per_space = store.counts(conn)
            if passages != expected:
                problem = f"{passages:,} passages stored, {expected:,} in the manifest"
            for space in manifest.embedders:
                if problem is None and per_space.get(space, 0) != expected:
                    problem = f"{per_space.get(space, 0):,} {space} vectors stored for {expected:,} passages"
    except sqlite3.DatabaseError as exc:
        problem = str(exc)
    if problem is not None:
        conn.close()
        raise IndexCorruptError(f"{damaged}: {manifest.folder}/{store.DB_NAME}: {problem}", _HINT)
    vectors: dict[str, VectorIndex] = {}
    for space in manifest.embedders:
        try:
            index = VectorIndex.read(folder / faiss_name(space))
        except IndexCorruptError:
            conn.close()
            raise
        if index.ntotal != expected:
            conn.close()
            raise IndexCorruptError(
                f"{damaged}: {manifest.folder}/{faiss_name(space)} holds {index.ntotal:,} vectors "
                f"for {expected:,} passages",
                _HINT,
            )
        vectors[space] = index
    return conn, vectors
