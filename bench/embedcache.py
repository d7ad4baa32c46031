"""An embedder wrapper that keeps vectors on disk by text hash (benches only), so that a
rerun of a bench over the same texts embeds nothing twice."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from assistant.index.embed import Embedder, make_embedder
from bench.paths import CACHE

CACHE_DIR = CACHE / "embed"


class CachedEmbedder:
    """Wraps a real embedder; same id and dimension, vectors cached in SQLite."""

    def __init__(self, name: str, folder: Path = CACHE_DIR) -> None:
        self.name = name
        self._inner: Embedder | None = None
        from assistant.index.embed import EMBEDDER_DIMS, EMBEDDER_IDS

        self.id = EMBEDDER_IDS[name]
        self.dim = EMBEDDER_DIMS[name]
        folder.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(folder / f"{name}.sqlite")
        self.conn.execute("CREATE TABLE IF NOT EXISTS v (k TEXT PRIMARY KEY, vec BLOB)")
        self.computed = 0

    @property
    def inner(self) -> Embedder:
        if self._inner is None:
            self._inner = make_embedder(self.name)
        return self._inner

    def _get(self, texts: Sequence[str], kind: str) -> np.ndarray:
        keys = [hashlib.sha256(f"{kind}\0{t}".encode()).hexdigest() for t in texts]
        found: dict[str, bytes] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            q = f"SELECT k, vec FROM v WHERE k IN ({','.join('?' * len(part))})"
            found.update(self.conn.execute(q, part).fetchall())
        todo = sorted({i for i, k in enumerate(keys) if k not in found})
        if todo:
            fn = self.inner.embed_queries if kind == "q" else self.inner.embed_passages
            vecs = fn([texts[i] for i in todo])
            rows = [(keys[i], np.asarray(v, np.float32).tobytes()) for i, v in zip(todo, vecs, strict=True)]
            self.conn.executemany("INSERT OR REPLACE INTO v VALUES (?, ?)", rows)
            self.conn.commit()
            found.update(rows)
            self.computed += len(todo)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([np.frombuffer(found[k], np.float32) for k in keys])

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._get(texts, "p")

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._get(texts, "q")


def cached_embedders(names: Sequence[str] = ("minilm", "e5")) -> dict[str, Embedder]:
    """One cached embedder per space name."""
    return {n: CachedEmbedder(n) for n in names}
