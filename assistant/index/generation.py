"""Writing generations: one build commits one or more of them.

A generation is written in `gen-NNNNNN.building/` (a copy of the last committed one's
database, changed document by document), then its vector files are brought up to date,
the folder is renamed to `gen-NNNNNN/` and manifest.json is replaced atomically: that
is the commit. A long build commits every few thousand passages (`commit`), so what is
done is searchable, and kept if the build is interrupted; the next generation starts as
a copy of the one just committed.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from assistant.index import store
from assistant.index.lexical import Fts5Index
from assistant.index.manifest import DocumentEntry, Manifest, faiss_name, fsync_dir, write_manifest
from assistant.index.prepare import PreparedDocument
from assistant.index.vectors import refresh


def remove_unfinished(index_dir: Path) -> None:
    """Folders left by interrupted builds (call with the lock held: none is in progress)."""
    for path in index_dir.glob("gen-*.building"):
        shutil.rmtree(path, ignore_errors=True)


class GenerationWriter:
    """Applies a build's changes to a copy of the committed generation, and commits them."""

    def __init__(self, index_dir: Path, base: Manifest | None, manifest: Manifest) -> None:
        self.index_dir = index_dir
        self.committed = base  # the last committed manifest: its vector files are the ones updated
        self.manifest = manifest
        self._lexical = Fts5Index()
        self._removed: list[int] = []  # passage ids taken out since the last commit
        self._added: list[int] = []  # and put in
        self.conn = self._begin()

    def _begin(self) -> sqlite3.Connection:
        last = self.committed.generation if self.committed else _last_generation(self.index_dir)
        self.manifest.generation = last + 1
        self.work = self.index_dir / f"{self.manifest.folder}.building"
        self.work.mkdir(parents=True)
        if self.committed is not None:
            shutil.copyfile(self.index_dir / self.committed.folder / store.DB_NAME, self.work / store.DB_NAME)
        return store.connect(self.work / store.DB_NAME)

    def remove(self, doc_ids: list[str]) -> None:
        """Take documents out (their passages, vectors and BM25 rows)."""
        present = [d for d in doc_ids if d in self.manifest.documents]
        for doc_id in present:
            self._removed.extend(self.manifest.documents.pop(doc_id).passage_ids)
        store.delete_documents(self.conn, present)
        self._lexical.delete_documents(self.conn, present)

    def put(
        self, doc: PreparedDocument, vectors: dict[str, dict[str, bytes]], sentence_spaces: Sequence[str] = ()
    ) -> None:
        """Store a document (replacing its previous version) with its vectors: text SHA-256
        -> vector bytes, per embedding space (`NewPassage.inputs`: in the English model's,
        an Indonesian passage's English gloss); its sentences' too in `sentence_spaces`. (The
        work database is committed with the generation: a killed build discards it, and the
        build cache keeps the vectors.)"""
        self.remove([doc.job.doc_id])
        store.insert_document(self.conn, doc.document, doc.job.fingerprint, doc.text)
        store.insert_passages(self.conn, [p.passage for p in doc.passages])
        self._lexical.add(
            self.conn,
            ((p.passage.id, p.passage.doc_id, p.embed.text, p.gloss.text if p.gloss else "") for p in doc.passages),
        )
        for space, found in vectors.items():
            inputs = [(p.passage.id, *p.inputs(space)) for p in doc.passages]
            store.insert_vectors(self.conn, space, ((pid, e.sha, found[e.sha]) for pid, e, _ in inputs))
            store.insert_row_vectors(
                self.conn,
                space,
                ((pid, r, row.sha, found[row.sha]) for pid, _, rows in inputs for r, row in enumerate(rows)),
            )
            if space in sentence_spaces:
                store.insert_sentence_vectors(
                    self.conn, space, ((p.passage.id, u.sha, found[u.sha]) for p in doc.passages for u in p.sentences)
                )
        ids = tuple(p.passage.id for p in doc.passages)
        self._added.extend(ids)
        error = doc.error
        self.manifest.documents[doc.job.doc_id] = DocumentEntry(
            path=doc.job.source.rel,
            sha256=doc.job.source.sha256,
            fingerprint=doc.job.fingerprint,
            status=doc.document.status,
            passage_ids=ids,
            error=error.message if error else None,
            hint=error.hint if error else None,
        )

    def commit(self, final: bool) -> None:
        """Make what is written so far the index: vector files, rename, manifest swap. Unless
        `final`, a next generation is started from it."""
        self.conn.commit()
        _, per_space = store.counts(self.conn)
        previous = self.index_dir / self.committed.folder if self.committed else None
        for space, info in self.manifest.embedders.items():
            index = refresh(
                previous / faiss_name(space) if previous else None,
                info.dim,
                per_space.get(space, 0),
                self._removed,
                partial(store.load_vectors, self.conn, space, self._added),
                partial(store.load_vectors, self.conn, space),
            )
            index.write(self.work / faiss_name(space))
        if final:
            store.vacuum(self.conn)
        self.conn.close()
        final_dir = self.index_dir / self.manifest.folder
        if final_dir.exists():  # left by a build killed between its rename and its manifest
            shutil.rmtree(final_dir)
        self.work.rename(final_dir)
        fsync_dir(self.index_dir)
        self.manifest.files = {p.name: p.stat().st_size for p in sorted(final_dir.iterdir()) if p.is_file()}
        self.manifest.built_at = datetime.now(UTC).isoformat(timespec="seconds")
        write_manifest(self.index_dir, self.manifest)
        for old in self.index_dir.glob("gen-*"):
            if old.name != self.manifest.folder and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
        self.committed = replace(
            self.manifest, documents=dict(self.manifest.documents), files=dict(self.manifest.files)
        )
        self._removed, self._added = [], []
        if not final:
            self.conn = self._begin()

    def abandon(self) -> None:
        """Close the work database (the next build removes the unfinished folder)."""
        self.conn.close()


def _last_generation(index_dir: Path) -> int:
    numbers = [int(p.name[4:10]) for p in index_dir.glob("gen-*") if p.name[4:10].isdigit()]
    return max(numbers, default=0)
