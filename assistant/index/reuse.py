"""Vectors a build need not compute: the previous generation's, and those shipped with a library.

A vector depends only on the model and the text, so a rebuild takes an unchanged text's
vector from the previous generation (`Salvage`) and a first build from the vectors shipped
with the corpus (`<corpus>/.mitra/vectors-<space>.npz`, `BundledVectors`), both read-only.

Embedding the bundled library takes about 10 minutes on 2 cores (1,111 passages and 1,012
table rows in each of two spaces, multilingual-e5 four fifths of it), so its texts ship with
their vectors: a build takes a text's vector from the bundle when the file was made by the
same model, keyed by the text's SHA-256, and embeds every other text (a changed document, a
new one, another chunking).

Each file is a plain NumPy archive, no pickle: `embedder` (the model id), `sha` (N x 32
bytes, the digests) and `vectors` (N x dim float32). `bench/bundle_vectors.py` writes them
from an index of the corpus. A file that cannot be read, or was made by another model or
with vectors not of unit length, is ignored with a warning: the build embeds instead.
"""

from __future__ import annotations

import sqlite3
import zipfile
import zlib
from pathlib import Path

import numpy as np

from assistant.errors import IndexMissingError
from assistant.index import store
from assistant.index.manifest import EmbedderInfo, previous_store, read_manifest

BUNDLE_DIR = ".mitra"  # hidden: the catalogue never takes it for a document


def bundle_path(corpus_dir: Path, space: str) -> Path:
    return corpus_dir / BUNDLE_DIR / f"vectors-{space}.npz"


class BundledVectors:
    """The shipped vectors of one space, looked up by text SHA-256 (hex)."""

    def __init__(self, shas: np.ndarray | None = None, vectors: np.ndarray | None = None) -> None:
        self.vectors = np.zeros((0, 0), dtype=np.float32) if vectors is None else vectors
        digests = [] if shas is None else [bytes(row).hex() for row in shas]
        self._row = {d: i for i, d in enumerate(digests)}

    def __len__(self) -> int:
        return len(self._row)

    @classmethod
    def load(cls, path: Path, embedder: str, dim: int) -> tuple[BundledVectors, str | None]:
        """The vectors in `path` if it holds `embedder`'s vectors of `dim`, else none; and
        what is wrong with the file, if anything."""
        if not path.is_file():
            return cls(), None
        try:
            with np.load(path, allow_pickle=False) as data:
                made_by = str(data["embedder"])
                shas = np.asarray(data["sha"], dtype=np.uint8)
                vectors = np.ascontiguousarray(data["vectors"], dtype=np.float32)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
            return cls(), f"cannot be read ({exc}): its texts are embedded instead"
        if made_by != embedder:
            return cls(), None  # another model's vectors: not an error, only of no use
        norms = np.linalg.norm(vectors, axis=1) if vectors.ndim == 2 else np.zeros(0)
        if (
            vectors.ndim != 2
            or vectors.shape[1] != dim
            or shas.shape != (len(vectors), 32)
            or not np.all(np.abs(norms - 1.0) < 1e-3)
        ):
            return cls(), f"does not hold unit vectors of {dim} values, one per digest: its texts are embedded instead"
        return cls(shas, vectors), None

    def find(self, shas: list[str]) -> dict[str, bytes]:
        """Text SHA-256 -> float32 vector bytes, for those of `shas` shipped here."""
        return {s: self.vectors[i].tobytes() for s in shas if (i := self._row.get(s)) is not None}


def export_bundle(index_dir: Path, corpus_dir: Path) -> dict[str, int]:
    """Ship with `corpus_dir` every vector of the index in `index_dir` (built from it):
    space -> vectors written."""
    manifest = read_manifest(index_dir)
    if manifest is None:
        raise IndexMissingError(f"no index in {index_dir}", "build it from the corpus first (`mitra index`)")
    conn = store.connect(index_dir / manifest.folder / store.DB_NAME, readonly=True)
    try:
        return {
            space: write_bundle(bundle_path(corpus_dir, space), info.id, store.stored_vectors(conn, space), info.dim)
            for space, info in manifest.embedders.items()
        }
    finally:
        conn.close()


def write_bundle(path: Path, embedder: str, vectors: dict[str, bytes], dim: int) -> int:
    """Write the vectors (text SHA-256 -> float32 bytes) of one space; returns how many."""
    shas = sorted(vectors)
    digests = np.frombuffer(b"".join(bytes.fromhex(s) for s in shas), dtype=np.uint8).reshape(len(shas), 32)
    matrix = np.frombuffer(b"".join(vectors[s] for s in shas), dtype=np.float32).reshape(len(shas), dim)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, embedder=np.array(embedder), sha=digests, vectors=matrix)
    tmp.replace(path)
    return len(shas)


class Salvage:
    """The previous generation's database, when it is sound, to reuse its vectors (a rebuild
    after a change of chunking or settings need not embed unchanged texts again)."""

    def __init__(self, conn: sqlite3.Connection, spaces: dict[str, str]) -> None:
        self.conn = conn
        self.spaces = spaces  # space -> embedder id

    @classmethod
    def open(cls, index_dir: Path) -> Salvage | None:
        found = previous_store(index_dir)
        if found is None:
            return None
        path, spaces = found
        try:
            conn = store.connect(path, readonly=True)
        except sqlite3.Error:
            return None
        if store.quick_check(conn) is not None:
            conn.close()
            return None
        return cls(conn, spaces)

    def find(self, space: str, wanted: EmbedderInfo, shas: list[str]) -> dict[str, bytes]:
        """Vectors of `shas` in `space`, if the previous generation used the same model."""
        if not shas or self.spaces.get(space) != wanted.id:
            return {}
        size = 4 * wanted.dim
        try:
            found = store.find_vectors(self.conn, space, shas)
        except sqlite3.Error:  # another layout: embed them
            return {}
        return {s: v for s, v in found.items() if isinstance(v, bytes) and len(v) == size}

    def close(self) -> None:
        self.conn.close()
