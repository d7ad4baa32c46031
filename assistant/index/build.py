"""Build and update the index: incremental, bounded, resumable, one builder at a time.

A build (1) scans the corpus folder and compares it with the manifest (plan.py); (2)
reads the new and changed files in sandboxed workers, or takes their text from the build
cache; (3) cuts them into passages (prepare.py); (4) per document, smallest files first,
finds each text's vectors (in the index, in the previous generation when the build starts
from scratch with the same model, then in the cache) or embeds it, and stores the
document; every `commit_every_passages` new passages, and at the end, it commits a
generation (generation.py). Killed at any moment, the index keeps the last commit, and the
rerun embeds at most the rest of the document it was on.

Progress contract: `progress(stage, done, total)` is called with
- "scan":          files hashed, of the files in the corpus folder;
- "read":          files read (or found in the cache), of the files to (re)index;
- "ocr":           pages OCR'd, of the pages found to need OCR so far (this total grows as
                   the readers come upon scanned pages; OCR'd pages are kept in `ocr/`, so
                   an unchanged page is never OCR'd twice, even after kill -9);
- "load <space>":  0 of 1 before loading an embedding model, 1 of 1 after;
- "embed <space>": texts (passages and table rows) given a vector in that space, of all
                   the texts of this build, after each batch (`batch_size`);
- "documents":     documents stored, of the documents to (re)index, after each;
- "pages":         pages of the stored documents, of the pages of all of them (PDFs only).
A stage's total (but "ocr"'s) is fixed before its first call; "embed" and "documents" start once every
file is read. Raising from the callback stops the build between two steps, like kill -9.
`rebuild=True` (--rebuild) reads every file again, bypassing the cache of extracted text."""

from __future__ import annotations

import errno
import fcntl
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import Settings
from assistant.errors import IndexBusyError, IndexFormatError, IndexWriteError, LoadError
from assistant.index import store
from assistant.index.cache import OCR_CACHE, BuildCache, extraction_key
from assistant.index.embed import EMBEDDER_DIMS, EMBEDDER_IDS, EMBEDDER_ROLES, Embedder, make_embedder
from assistant.index.generation import GenerationWriter, remove_unfinished
from assistant.index.manifest import EmbedderInfo, Manifest, read_manifest, remove_stale_temporaries
from assistant.index.plan import FileJob, Plan, plan_update
from assistant.index.prepare import PreparedDocument, embedding_input, prepare, row_embedding_inputs
from assistant.index.reuse import BundledVectors, Salvage, bundle_path
from assistant.index.verify import open_generation
from assistant.ingest.catalog import discover, load_catalog
from assistant.ingest.sandbox import load_many
from assistant.model import LoadedText, SkippedFile

__all__ = ["IndexReport", "Progress", "build_index", "embedding_input", "index_lock", "row_embedding_inputs"]

Progress = Callable[[str, int, int], None]
LOCK_NAME = ".lock"
_READ_ONLY = (errno.EACCES, errno.EPERM, errno.EROFS)


@dataclass
class IndexReport:
    """What a build did."""

    documents: int = 0  # files of the library the index records, those it could not read included
    unreadable: int = 0  # of those, files that gave no passage (failed, or scanned with OCR off)
    passages: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    embedded: int = 0  # passages stored by this build (with a vector in every space)
    computed: int = 0  # vectors the models computed (passages and rows, every space)
    reused: int = 0  # vectors found in the index, the build cache or the corpus's bundle instead
    bundled: int = 0  # of those, vectors shipped with the corpus (<corpus>/.mitra)
    commits: int = 0  # generations committed (a long build commits as it goes)
    skipped: list[SkippedFile] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    rebuilt_because: str | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.rebuilt_because)


@contextmanager
def index_lock(index_dir: Path) -> Iterator[None]:
    """Hold the builder lock of `index_dir`, or raise IndexBusyError at once
    (IndexWriteError if the folder cannot be written)."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fh = open(index_dir / LOCK_NAME, "a+")  # noqa: SIM115 - held for the whole block
    except OSError as exc:
        raise _write_error(index_dir, exc.strerror or str(exc)) from None
    with fh:  # closing (or dying) releases the lock
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise IndexBusyError(
                f"the index in {index_dir} is being built by {holder}",
                "wait for it to finish, then try again",
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        yield


def build_index(
    settings: Settings,
    *,
    rebuild: bool = False,
    embedders: dict[str, Embedder] | None = None,
    progress: Progress | None = None,
) -> IndexReport:
    """Bring the index in `settings.index_dir` up to date with `settings.corpus_dir`.

    Only added or changed files are read and embedded; removed files lose their
    passages. A damaged index, or one of another format, embedders or chunking, is
    rebuilt. See the module docstring for the steps and the progress contract.
    """
    build = _Build(settings, dict(embedders or {}), progress or (lambda stage, done, total: None))
    try:
        with index_lock(settings.index_dir):
            return build.run(rebuild)
    except IndexWriteError:
        if not settings.index_dir.is_dir():
            raise
        report, base, _ = build.survey(rebuild)  # a read-only index that is up to date is fine
        if base is not None and not report.changed_anything:
            return build.finish(report, base)
        raise
    except OSError as exc:
        if exc.errno not in (*_READ_ONLY, errno.ENOSPC, errno.EDQUOT):
            raise
        raise _write_error(settings.index_dir, exc.strerror or str(exc)) from None
    except sqlite3.OperationalError as exc:
        if exc.sqlite_errorcode & 0xFF not in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_FULL):
            raise
        raise _write_error(settings.index_dir, str(exc)) from None


def _write_error(index_dir: Path, why: str) -> IndexWriteError:
    return IndexWriteError(
        f"cannot write to the index folder {index_dir} ({why})",
        "make it writable (chmod u+w, chattr -i), free some disk space, or pass --index DIR for another folder; "
        "the previous index is kept",
    )


class _Build:
    def __init__(self, settings: Settings, embedders: dict[str, Embedder], emit: Progress) -> None:
        self.settings = settings
        self.embedders = embedders
        self.emit = emit
        self.t0 = time.perf_counter()
        self.salvage: Salvage | None = None
        self.bundled: dict[str, BundledVectors] = {}
        self.wanted = (
            {space: EmbedderInfo(e.id, e.dim) for space, e in embedders.items()}
            if embedders
            else {s: EmbedderInfo(EMBEDDER_IDS.get(s, s), EMBEDDER_DIMS.get(s, 0)) for s in settings.embedders}
        )
        self.chunking = {k: int(v) for k, v in settings.chunk.model_dump().items()}

    def survey(self, rebuild: bool) -> tuple[IndexReport, Manifest | None, Plan]:
        """What the build has to do (reads only): the report so far, the generation to
        build on (None: from scratch) and the plan."""
        report = IndexReport()
        index_dir = self.settings.index_dir
        old: Manifest | None = None
        try:
            old = read_manifest(index_dir)
        except IndexFormatError as exc:  # IndexCorruptError included
            report.rebuilt_because = exc.message
        if rebuild:
            report.rebuilt_because = "--rebuild asked for"
        elif old is not None:
            report.rebuilt_because = self._why_rebuild(old)
        base = None if (old is None or report.rebuilt_because) else old
        catalog = load_catalog(self.settings.corpus_dir)
        found = discover(self.settings.corpus_dir, lambda done, total: self.emit("scan", done, total))
        report.timings["scan_s"] = time.perf_counter() - self.t0
        plan = plan_update(self.settings, found, catalog, base.documents if base else {})
        report.added, report.changed, report.removed = plan.added, plan.changed, plan.removed
        report.unchanged = len(plan.keep)
        report.skipped = plan.skipped
        return report, base, plan

    def _why_rebuild(self, old: Manifest) -> str | None:
        if old.signature() != {s: e.id for s, e in self.wanted.items()}:
            before = ", ".join(old.signature().values()) or "none"
            return f"embedders changed: {before} -> {', '.join(e.id for e in self.wanted.values())}"
        if old.chunking != self.chunking:
            return "chunking settings changed"
        try:
            conn, _ = open_generation(self.settings.index_dir, old, thorough=True)
        except IndexFormatError as exc:
            return exc.message
        conn.close()
        return None

    def finish(self, report: IndexReport, manifest: Manifest) -> IndexReport:
        report.documents, report.passages = len(manifest.documents), manifest.passages
        report.unreadable = manifest.unreadable
        report.timings["total_s"] = time.perf_counter() - self.t0
        return report

    def run(self, rebuild: bool) -> IndexReport:
        index_dir = self.settings.index_dir
        remove_unfinished(index_dir)
        remove_stale_temporaries(index_dir)
        report, base, plan = self.survey(rebuild)
        if base is not None and not report.changed_anything:
            return self.finish(report, base)
        cache = BuildCache(index_dir)
        if base is None:
            self.salvage = Salvage.open(index_dir)
        try:
            t_read = time.perf_counter()
            outcomes = self._read(plan.jobs, cache, reread=rebuild)
            report.timings["read_s"] = time.perf_counter() - t_read
            first_id = base.next_passage_id if base else 1
            prepared = []
            for job in sorted(plan.jobs, key=lambda j: (j.source.size, j.source.rel)):  # small files searchable first
                doc = prepare(job, outcomes[job.doc_id], self.settings, first_id)
                first_id += len(doc.passages)
                prepared.append(doc)
            manifest = Manifest(
                embedders=self.wanted,
                chunking=self.chunking,
                next_passage_id=first_id,
                documents=dict(base.documents) if base else {},
            )
            writer = GenerationWriter(index_dir, base, manifest)
            try:
                self._write(writer, prepared, cache, report)
            except BaseException:
                writer.abandon()
                raise
            cache.clear_vectors()  # all in the committed generation now
            cache.prune_extracted(d.sha256 for d in manifest.documents.values())
        finally:
            cache.close()
            if self.salvage is not None:
                self.salvage.close()
        return self.finish(report, manifest)

    def _read(self, jobs: list[FileJob], cache: BuildCache, reread: bool) -> dict[str, LoadedText | LoadError]:
        """Each job's extracted text (from the cache unless `reread`, else read in a worker
        and cached) or error."""
        out: dict[str, LoadedText | LoadError] = {}
        todo: dict[Path, list[FileJob]] = {}
        for job in jobs:
            hit = (
                None
                if reread
                else cache.extracted(extraction_key(job.source.sha256, job.source.path.suffix, self.settings.ocr))
            )
            if hit is not None:
                out[job.doc_id] = hit
            else:
                todo.setdefault(job.source.path, []).append(job)
        done = len(out)
        self.emit("read", done, len(jobs))
        s = self.settings
        ocr_pages: dict[Path, tuple[int, int]] = {}  # per file: pages OCR'd, pages to OCR

        def on_pages(path: Path, done: int, total: int) -> None:
            ocr_pages[path] = (done, total)
            self.emit("ocr", sum(d for d, _ in ocr_pages.values()), sum(t for _, t in ocr_pages.values()))

        for path, outcome in load_many(
            list(todo),
            timeout_s=s.file_timeout_s,
            memory_mb=s.loader_memory_mb,
            workers=s.workers,
            ocr=s.ocr,
            ocr_cache=s.index_dir / OCR_CACHE,
            on_pages=on_pages,
        ):
            for job in todo[path]:
                if isinstance(outcome, LoadedText):
                    key = extraction_key(job.source.sha256, path.suffix, s.ocr)
                    cache.put_extracted(key, job.source.sha256, outcome)
                out[job.doc_id] = outcome
                done += 1
            self.emit("read", done, len(jobs))
        return out

    def _write(
        self, writer: GenerationWriter, prepared: list[PreparedDocument], cache: BuildCache, report: IndexReport
    ) -> None:
        t_write = time.perf_counter()
        writer.remove(report.removed)
        totals = {space: sum(d.texts(self._sentences(space)) for d in prepared) for space in self.wanted}
        progress = dict.fromkeys(self.wanted, 0)
        pages = [d.document.pages or 0 for d in prepared]
        since_commit = 0
        embed_s = 0.0
        for n, doc in enumerate(prepared, 1):
            if since_commit and since_commit + len(doc.passages) > self.settings.commit_every_passages:
                self._commit(writer, report, final=False)  # what is done is searchable during what follows
                since_commit = 0
            vectors = {}
            for space in self.wanted:
                t = time.perf_counter()
                vectors[space] = self._vectors(space, doc, writer, cache, report, progress, totals[space])
                embed_s += time.perf_counter() - t
            writer.put(doc, vectors, [s for s in self.wanted if self._sentences(s)])
            if doc.error is not None:
                report.skipped.append(SkippedFile(doc.job.source.rel, doc.error.message, doc.error.hint))
            elif doc.document.warnings:
                report.warnings[doc.job.source.rel] = list(doc.document.warnings)
            report.embedded += len(doc.passages)
            since_commit += len(doc.passages)
            self.emit("documents", n, len(prepared))
            if sum(pages):
                self.emit("pages", sum(pages[:n]), sum(pages))
        self._commit(writer, report, final=True)
        report.timings["embed_s"] = embed_s
        report.timings["write_s"] = time.perf_counter() - t_write - embed_s

    def _commit(self, writer: GenerationWriter, report: IndexReport, final: bool) -> None:
        writer.commit(final)
        report.commits += 1
        report.timings.setdefault("first_commit_s", time.perf_counter() - self.t0)

    def _vectors(
        self,
        space: str,
        doc: PreparedDocument,
        writer: GenerationWriter,
        cache: BuildCache,
        report: IndexReport,
        progress: dict[str, int],
        total: int,
    ) -> dict[str, bytes]:
        """Text SHA-256 -> vector in `space` for every text of `doc`: found in the index being
        written, else in the build cache, else embedded now (and cached batch by batch)."""
        items = [e for p in doc.passages for main, rows in [p.inputs(space)] for e in (main, *rows)]
        if self._sentences(space):
            items += [u for p in doc.passages for u in p.sentences]
        todo = {e.sha: e.text for e in items}
        uses = Counter(e.sha for e in items)  # a text may repeat (the same row twice)
        found = store.find_vectors(writer.conn, space, list(todo))
        if self.salvage is not None:
            found.update(self.salvage.find(space, self.wanted[space], [s for s in todo if s not in found]))
        found.update(cache.vectors(self.wanted[space].id, [s for s in todo if s not in found]))
        shipped = self._bundled(space, report).find([s for s in todo if s not in found])
        found.update(shipped)
        report.bundled += len(shipped)
        missing = [s for s in todo if s not in found]
        report.reused += len(todo) - len(missing)
        progress[space] += sum(uses[s] for s in found if s in uses)
        self.emit(f"embed {space}", progress[space], total)
        batch = max(1, self.settings.batch_size)
        for i in range(0, len(missing), batch):
            shas = missing[i : i + batch]
            vecs = self._embedder(space, report).embed_passages([todo[s] for s in shas])
            cache.put_vectors(self.wanted[space].id, shas, vecs)
            found.update((s, v.astype("float32").tobytes()) for s, v in zip(shas, vecs, strict=True))
            report.computed += len(shas)
            progress[space] += sum(uses[s] for s in shas)
            self.emit(f"embed {space}", progress[space], total)
        return found

    @staticmethod
    def _sentences(space: str) -> bool:
        """Whether `space` stores a vector per sentence (the multilingual one: the answer
        engine's question-sentence similarity)."""
        return EMBEDDER_ROLES.get(space) == "multilingual"

    def _bundled(self, space: str, report: IndexReport) -> BundledVectors:
        """The vectors shipped with the corpus for `space` (none if turned off or unfit)."""
        if space not in self.bundled:
            bundle, problem = BundledVectors(), None
            if self.settings.bundled_vectors:
                path = bundle_path(self.settings.corpus_dir, space)
                bundle, problem = BundledVectors.load(path, self.wanted[space].id, self.wanted[space].dim)
                if problem:
                    report.warnings.setdefault(path.relative_to(self.settings.corpus_dir).as_posix(), []).append(
                        problem
                    )
            self.bundled[space] = bundle
        return self.bundled[space]

    def _embedder(self, space: str, report: IndexReport) -> Embedder:
        if space not in self.embedders:
            t = time.perf_counter()
            self.emit(f"load {space}", 0, 1)
            self.embedders[space] = make_embedder(space)
            self.emit(f"load {space}", 1, 1)
            report.timings[f"model_load_{space}_s"] = time.perf_counter() - t
        return self.embedders[space]
