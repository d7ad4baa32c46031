"""Build and update the index: incremental, interrupt-safe, one builder at a time."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from assistant.config import Settings
from assistant.errors import IndexBusyError, LoadError, NeedsOcrError
from assistant.index import store
from assistant.index.embed import EMBEDDER_DIMS, EMBEDDER_IDS, Embedder, make_embedder
from assistant.index.lexical import Fts5Index
from assistant.ingest.catalog import (
    SourceFile,
    derive_id,
    discover,
    load_catalog,
    title_from_filename,
)
from assistant.ingest.chunk import Span, chunk_blocks
from assistant.ingest.loaders import supported_suffixes
from assistant.ingest.sandbox import load_many
from assistant.model import CatalogEntry, DocStatus, DocType, LoadedText, SkippedFile

Progress = Callable[[str, int, int], None]
LOCK_NAME = ".lock"


@dataclass
class IndexReport:
    """What a build did."""

    documents: int = 0
    passages: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    embedded: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    rebuilt_because: str | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.rebuilt_because)


@contextmanager
def index_lock(index_dir: Path) -> Iterator[None]:
    """Hold the builder lock of `index_dir`, or raise IndexBusyError at once."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK_NAME, "a+") as fh:  # closing (or dying) releases the lock
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


def _fingerprint(source: SourceFile, entry: CatalogEntry | None) -> str:
    meta = json.dumps(asdict(entry), sort_keys=True, default=str) if entry else ""
    return hashlib.sha256(f"{source.sha256}|{meta}".encode()).hexdigest()


def embedding_input(title: str, section: str | None, text: str, description: str | None = None) -> str:
    """What the embedders and BM25 see: the passage with its document title, the
    catalogue's description (tables: what the columns mean) and its section."""
    head = f"{title} ({description})" if description else title
    if section:
        head = f"{head} — {section}"
    return f"{head}\n{text}"


def row_embedding_inputs(
    title: str, section: str | None, text: str, rows: str | None, description: str | None = None
) -> tuple[str, ...]:
    """Each row of a table passage of several rows, in context, embedded besides the whole
    passage (see Library.dense_search); none for other passages."""
    if not rows or "-" not in rows:
        return ()
    return tuple(embedding_input(title, section, r, description) for r in text.split("\n") if r.strip())


def build_index(
    settings: Settings,
    *,
    rebuild: bool = False,
    embedders: dict[str, Embedder] | None = None,
    progress: Progress | None = None,
) -> IndexReport:
    """Bring the index in `settings.index_dir` up to date with `settings.corpus_dir`.

    Only added or changed files are read and embedded; removed files lose their
    passages. The new state is written as a new generation and committed by
    replacing manifest.json, so an interrupted build leaves the previous index.
    """
    report = IndexReport()
    t0 = time.perf_counter()
    index_dir = settings.index_dir
    emit = progress or (lambda stage, done, total: None)
    with index_lock(index_dir):
        _remove_stale_builds(index_dir)
        catalog = load_catalog(settings.corpus_dir)
        sources = discover(settings.corpus_dir)
        report.timings["scan_s"] = time.perf_counter() - t0

        wanted = _wanted_embedders(settings, embedders)
        chunking = settings.chunk.model_dump()
        old = store.read_manifest(index_dir)
        if old is not None and not rebuild:
            if old.format_version != store.FORMAT_VERSION:
                report.rebuilt_because = f"index format {old.format_version} -> {store.FORMAT_VERSION}"
            elif old.signature() != {s: e["id"] for s, e in wanted.items()}:
                before = ", ".join(old.signature().values()) or "none"
                after = ", ".join(e["id"] for e in wanted.values())
                report.rebuilt_because = f"embedders changed: {before} -> {after}"
            elif old.chunking != chunking:
                report.rebuilt_because = "chunking settings changed"
            elif not (index_dir / old.folder / store.DB_NAME).exists():
                report.rebuilt_because = "index files missing"
        elif rebuild:
            report.rebuilt_because = "--rebuild asked for"
        base = None if (old is None or report.rebuilt_because) else old

        # Decide each file's fate by comparing fingerprints with the manifest.
        previous = base.documents if base else {}
        by_path = {info["path"]: doc_id for doc_id, info in previous.items()}
        taken = {e.id for e in catalog.values()}
        plan: list[tuple[SourceFile, str, CatalogEntry | None, str]] = []
        keep: set[str] = set()
        max_bytes = settings.max_file_mb * 1024 * 1024
        readable = supported_suffixes()
        for src in sources:
            if src.path.suffix.lower() not in readable:
                report.skipped.append(
                    SkippedFile(
                        src.rel,
                        f"{src.path.name}: unsupported format ({src.path.suffix or 'no extension'})",
                        "Mitra reads " + ", ".join(sorted(readable)) + "; convert it to one of these",
                    )
                )
                continue
            entry = catalog.get(src.rel)
            doc_id = entry.id if entry else by_path.get(src.rel) or derive_id(src.rel, taken)
            taken.add(doc_id)
            if src.size > max_bytes:
                report.skipped.append(
                    SkippedFile(
                        src.rel,
                        f"{src.path.name}: {src.size / 2**20:.0f} MB is over the {settings.max_file_mb:.0f} MB limit",
                        "split it, or raise MITRA_MAX_FILE_MB",
                    )
                )
                continue
            fp = _fingerprint(src, entry)
            if doc_id in previous and previous[doc_id]["fingerprint"] == fp:
                keep.add(doc_id)
            else:
                (report.changed if doc_id in previous else report.added).append(doc_id)
                plan.append((src, doc_id, entry, fp))
        report.removed = sorted(set(previous) - keep - set(report.changed))
        report.unchanged = len(keep)
        for doc_id in keep:
            info = previous[doc_id]
            if info.get("status") in (DocStatus.FAILED, DocStatus.NEEDS_OCR):
                report.skipped.append(SkippedFile(info["path"], info.get("error", "failed"), info.get("hint", "")))

        if base is not None and not report.changed_anything:
            report.documents = len(keep)
            report.passages = sum(len(previous[d]["passage_ids"]) for d in keep)
            report.timings["total_s"] = time.perf_counter() - t0
            return report

        report = _write_generation(settings, base, embedders or {}, wanted, chunking, plan, keep, report, emit, t0)
    return report


def _wanted_embedders(settings: Settings, given: dict[str, Embedder] | None) -> dict[str, dict[str, Any]]:
    """Space -> {"id", "dim"} of the embedders this build must use."""
    if given:
        return {space: {"id": e.id, "dim": e.dim} for space, e in given.items()}
    return {s: {"id": EMBEDDER_IDS.get(s, s), "dim": EMBEDDER_DIMS.get(s, 0)} for s in settings.embedders}


def _remove_stale_builds(index_dir: Path) -> None:
    """Folders left by interrupted builds (we hold the lock, so none is in progress)."""
    for path in index_dir.glob("gen-*.building"):
        shutil.rmtree(path, ignore_errors=True)


def _write_generation(
    settings: Settings,
    base: store.Manifest | None,
    embedders: dict[str, Embedder],
    wanted: dict[str, dict[str, Any]],
    chunking: dict[str, Any],
    plan: list[tuple[SourceFile, str, CatalogEntry | None, str]],
    keep: set[str],
    report: IndexReport,
    emit: Progress,
    t0: float,
) -> IndexReport:
    index_dir = settings.index_dir
    generation = (base.generation if base else _last_generation(index_dir)) + 1
    manifest = store.Manifest(
        embedders=wanted,
        chunking=chunking,
        generation=generation,
        next_passage_id=base.next_passage_id if base else 1,
        documents={d: base.documents[d] for d in keep} if base else {},
    )
    work = index_dir / f"{manifest.folder}.building"
    work.mkdir(parents=True)
    db_path = work / store.DB_NAME
    if base is not None:
        shutil.copyfile(index_dir / base.folder / store.DB_NAME, db_path)
    conn = store.connect(db_path)
    lexical = Fts5Index()

    # 1. Drop what is gone or about to be replaced.
    stale = report.removed + report.changed
    if stale:
        marks = ",".join("?" * len(stale))
        conn.execute(f"DELETE FROM passages WHERE doc_id IN ({marks})", stale)
        conn.execute(f"DELETE FROM documents WHERE id IN ({marks})", stale)
        lexical.delete_documents(conn, stale)

    # 2. Read the new and changed files in worker processes.
    t_load = time.perf_counter()
    loaded: dict[str, LoadedText | LoadError] = {}
    by_path = {src.path: doc_id for src, doc_id, _, _ in plan}
    for n, (path, outcome) in enumerate(
        load_many(
            list(by_path),
            timeout_s=settings.file_timeout_s,
            memory_mb=settings.loader_memory_mb,
            workers=settings.workers,
            ocr=settings.ocr,
        ),
        1,
    ):
        loaded[by_path[path]] = outcome
        emit("read", n, len(plan))
    report.timings["read_s"] = time.perf_counter() - t_load

    # 3. Chunk every document; record documents and failures.
    pending: list[_NewPassage] = []
    for src, doc_id, entry, fp in plan:
        outcome = loaded[doc_id]
        title = _doc_title(entry, outcome, src.rel)
        if isinstance(outcome, LoadError):
            report.skipped.append(SkippedFile(src.rel, outcome.message, outcome.hint))
            status = DocStatus.NEEDS_OCR if isinstance(outcome, NeedsOcrError) else DocStatus.FAILED
            _insert_document(conn, src, doc_id, entry, fp, title, None, outcome, 0, status)
            manifest.documents[doc_id] = _manifest_entry(src, fp, [], status, outcome)
            continue
        spans = chunk_blocks(outcome.text, outcome.blocks, settings.chunk)
        if outcome.warnings:
            report.warnings[src.rel] = list(outcome.warnings)
        ids = list(range(manifest.next_passage_id, manifest.next_passage_id + len(spans)))
        manifest.next_passage_id += len(spans)
        for pid, ordinal, span in zip(ids, range(len(spans)), spans, strict=True):
            text = outcome.text[span.start : span.end]
            description = entry.description if entry else None
            pending.append(
                _NewPassage(
                    pid,
                    doc_id,
                    ordinal,
                    span,
                    text,
                    embedding_input(title, span.block.section, text, description),
                    row_embedding_inputs(title, span.block.section, text, span.rows, description),
                )
            )
        status = outcome.status if spans else DocStatus.NEEDS_OCR
        _insert_document(conn, src, doc_id, entry, fp, title, outcome, None, len(spans), status)
        manifest.documents[doc_id] = _manifest_entry(src, fp, ids, status, None)
    conn.executemany(
        'INSERT INTO passages (id, doc_id, ordinal, start, "end", page, page_label, section, rows, text) '
        "VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (
                p.id,
                p.doc_id,
                p.ordinal,
                p.span.start,
                p.span.end,
                p.span.block.page,
                p.span.block.page_label,
                p.span.block.section,
                p.span.rows,
                p.text,
            )
            for p in pending
        ],
    )
    lexical.add(conn, ((p.id, p.doc_id, p.embed_text) for p in pending))

    # 4. Embed every new passage in each embedding space, in batches.
    t_embed = time.perf_counter()
    batch = max(1, settings.batch_size)
    for space in wanted:
        if not pending:
            break
        embedder = embedders.get(space)
        if embedder is None:
            t_model = time.perf_counter()
            emit(f"load {space}", 0, 1)
            embedder = embedders[space] = make_embedder(space)
            emit(f"load {space}", 1, 1)
            report.timings[f"model_load_{space}_s"] = time.perf_counter() - t_model
            t_embed += time.perf_counter() - t_model
        for i in range(0, len(pending), batch):
            group = pending[i : i + batch]
            vecs = embedder.embed_passages([p.embed_text for p in group])
            conn.executemany(
                "INSERT INTO vectors (passage_id, space, vector) VALUES (?, ?, ?)",
                [(p.id, space, v.astype(np.float32).tobytes()) for p, v in zip(group, vecs, strict=True)],
            )
            emit(f"embed {space}", min(i + batch, len(pending)), len(pending))
        row_inputs = [(p.id, r, t) for p in pending for r, t in enumerate(p.row_texts)]
        for i in range(0, len(row_inputs), batch):
            group_rows = row_inputs[i : i + batch]
            vecs = embedder.embed_passages([t for _, _, t in group_rows])
            conn.executemany(
                "INSERT INTO row_vectors (passage_id, space, row, vector) VALUES (?, ?, ?, ?)",
                [
                    (pid, space, r, v.astype(np.float32).tobytes())
                    for (pid, r, _), v in zip(group_rows, vecs, strict=True)
                ],
            )
            emit(f"embed {space} table rows", min(i + batch, len(row_inputs)), len(row_inputs))
        report.embedded = len(pending)
    report.timings["embed_s"] = time.perf_counter() - t_embed

    # 5. Vector indexes: updated in place where possible, else rebuilt from the stored vectors.
    t_write = time.perf_counter()
    conn.commit()
    for space, info in wanted.items():
        previous = index_dir / base.folder / store.faiss_name(space) if base else None
        index = store.update_vector_index(
            conn,
            space,
            info["dim"],
            previous,
            removed=[i for d in stale if base for i in base.documents[d]["passage_ids"]],
            added=[p.id for p in pending],
        )
        store.write_faiss(index, work / store.faiss_name(space))

    # 6. Commit: flush the store, rename the folder, swap the manifest.
    conn.execute("VACUUM")
    conn.close()
    final = index_dir / manifest.folder
    if final.exists():
        shutil.rmtree(final)
    os.replace(work, final)
    store.fsync_dir(index_dir)
    manifest.built_at = datetime.now(UTC).isoformat(timespec="seconds")
    store.write_atomic(index_dir / store.MANIFEST, manifest.to_json().encode("utf-8"))
    for old in index_dir.glob("gen-*"):
        if old.name != manifest.folder and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    report.timings["write_s"] = time.perf_counter() - t_write

    report.documents = len(manifest.documents)
    report.passages = sum(len(d["passage_ids"]) for d in manifest.documents.values())
    report.timings["total_s"] = time.perf_counter() - t0
    return report


@dataclass(frozen=True, slots=True)
class _NewPassage:
    id: int
    doc_id: str
    ordinal: int
    span: Span
    text: str
    embed_text: str
    row_texts: tuple[str, ...] = ()  # a table passage of several rows: each row, in context


def _last_generation(index_dir: Path) -> int:
    numbers = [int(p.name[4:10]) for p in index_dir.glob("gen-*") if p.name[4:10].isdigit()]
    return max(numbers, default=0)


def _doc_title(entry: CatalogEntry | None, outcome: LoadedText | LoadError, rel: str) -> str:
    if entry and entry.title:
        return entry.title
    if isinstance(outcome, LoadedText) and outcome.title:
        return outcome.title
    return title_from_filename(rel)


def _manifest_entry(
    src: SourceFile, fp: str, ids: list[int], status: DocStatus, error: LoadError | None
) -> dict[str, object]:
    entry: dict[str, object] = {
        "path": src.rel,
        "sha256": src.sha256,
        "fingerprint": fp,
        "status": status.value,
        "passage_ids": ids,
    }
    if error is not None:
        entry["error"] = error.message
        entry["hint"] = error.hint
    return entry


def _insert_document(
    conn: object,
    src: SourceFile,
    doc_id: str,
    entry: CatalogEntry | None,
    fp: str,
    title: str,
    loaded: LoadedText | None,
    error: LoadError | None,
    n_passages: int,
    status: DocStatus = DocStatus.FAILED,
) -> None:
    warnings = list(loaded.warnings) if loaded else []
    if error is not None:
        warnings = [error.message + (f" — {error.hint}" if error.hint else "")]
    authors = list(entry.authors) if entry and entry.authors else list(loaded.authors if loaded else ())
    conn.execute(  # type: ignore[attr-defined]
        "INSERT OR REPLACE INTO documents (id, path, title, type, sha256, fingerprint, status, "
        "authors, issuer, year, language, source, licence, container, doi, pages, rows, passages, "
        "warnings, description, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            doc_id,
            src.rel,
            title,
            (entry.type if entry else _guess_type(src.rel)).value,
            src.sha256,
            fp,
            status.value,
            json.dumps(authors, ensure_ascii=False),
            entry.issuer if entry else None,
            (entry.year if entry and entry.year else (loaded.year if loaded else None)),
            entry.language if entry and entry.language else (_guess_language(loaded) if loaded else None),
            entry.source if entry else None,
            entry.licence if entry else None,
            entry.container if entry else None,
            entry.doi if entry else None,
            loaded.pages if loaded else None,
            loaded.rows if loaded else None,
            n_passages,
            json.dumps(warnings, ensure_ascii=False),
            entry.description if entry else None,
            loaded.text if loaded else "",
        ),
    )


def _guess_type(rel: str) -> DocType:
    name = rel.lower()
    if name.endswith((".csv", ".tsv")):
        return DocType.DATA
    for word, kind in (
        ("mou", DocType.AGREEMENT),
        ("agreement", DocType.AGREEMENT),
        ("manual", DocType.MANUAL),
        ("pedoman", DocType.MANUAL),
        ("regulation", DocType.REGULATION),
        ("perda", DocType.REGULATION),
        ("perwal", DocType.REGULATION),
    ):
        if word in name:
            return kind
    return DocType.OTHER


_ID_WORDS = {"dan", "yang", "di", "untuk", "dengan", "dari", "pada", "ini", "dalam", "tidak", "kota"}
_EN_WORDS = {"the", "and", "of", "to", "in", "is", "for", "with", "that", "this", "on"}


def _guess_language(loaded: LoadedText) -> str | None:
    """'en' or 'id' by counting common function words; None if unsure."""
    from assistant.ingest.sentences import WORD as _WORD

    words = [w.lower() for w in _WORD.findall(loaded.text[:20000])]
    en = sum(w in _EN_WORDS for w in words)
    idn = sum(w in _ID_WORDS for w in words)
    if en + idn < 5:
        return None
    return "en" if en >= idn else "id"
