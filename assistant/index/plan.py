"""Which files a build must read: the one comparison of the corpus folder with the index.

`plan_update` decides, per file, whether it is new, changed, unchanged or gone, by its
fingerprint (content hash, catalogue entry, reading settings and extractor version).
`stale_files` counts the same thing for the CLI and the app ("3 files changed since the
index was built").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from assistant.config import Settings
from assistant.errors import MitraError
from assistant.index.cache import extractor_version
from assistant.index.manifest import DocumentEntry, Manifest
from assistant.ingest.catalog import Discovery, SourceFile, derive_id, discover, load_catalog
from assistant.ingest.loaders import supported_suffixes
from assistant.lang.glossary import english_version
from assistant.model import CatalogEntry, DocStatus, SkippedFile


@dataclass(frozen=True, slots=True)
class FileJob:
    """A file to read and index, and what it is called in the index."""

    source: SourceFile
    doc_id: str
    entry: CatalogEntry | None
    fingerprint: str


@dataclass(slots=True)
class Plan:
    """What a build has to do."""

    jobs: list[FileJob] = field(default_factory=list)  # added and changed files, in path order
    keep: set[str] = field(default_factory=set)  # ids of unchanged documents
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)

    @property
    def stale(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)


def fingerprint(source: SourceFile, entry: CatalogEntry | None, settings: Settings) -> str:
    """What must stay the same for a file's passages to stay valid: its content and catalogue
    entry, the extractor, the word lists its English gloss is made from (an Indonesian
    passage's, see index.prepare.english_gloss), and the settings that change what is read
    or kept (a raised time limit retries a file that timed out; the rest is served from the
    build cache)."""
    meta = json.dumps(asdict(entry), sort_keys=True, default=str) if entry else ""
    reading = (
        f"{extractor_version()}|{settings.ocr.enabled}|{settings.ocr.dpi}|{settings.ocr.max_pages}|"
        f"{settings.ocr.page_timeout_s}|{settings.file_timeout_s}|{settings.loader_memory_mb}"
    )
    limits = f"{settings.max_passages_per_file}|{settings.row_vectors_max_rows}"
    return hashlib.sha256(f"{source.sha256}|{meta}|{reading}|{english_version()}|{limits}".encode()).hexdigest()


def plan_update(
    settings: Settings,
    found: Discovery,
    catalog: Mapping[str, CatalogEntry],
    previous: Mapping[str, DocumentEntry],
) -> Plan:
    """Compare the files `found` with the `previous` documents of the index."""
    plan = Plan(skipped=list(found.skipped))
    by_path = {info.path: doc_id for doc_id, info in previous.items()}
    taken = {e.id for e in catalog.values()}
    max_bytes = settings.max_file_mb * 1024 * 1024
    readable = supported_suffixes()
    for src in found.files:
        if src.path.suffix.lower() not in readable:
            plan.skipped.append(
                SkippedFile(
                    src.rel,
                    f"{src.rel}: unsupported format ({src.path.suffix or 'no extension'})",
                    "Mitra reads " + ", ".join(sorted(readable)) + "; convert it to one of these",
                )
            )
            continue
        entry = catalog.get(src.rel)
        doc_id = entry.id if entry else by_path.get(src.rel) or derive_id(src.rel, taken)
        taken.add(doc_id)
        if src.size > max_bytes:
            plan.skipped.append(
                SkippedFile(
                    src.rel,
                    f"{src.rel}: {src.size / 2**20:.0f} MB is over the {settings.max_file_mb:.0f} MB limit",
                    "split it, or raise MITRA_MAX_FILE_MB",
                )
            )
            continue
        fp = fingerprint(src, entry, settings)
        if doc_id in previous and previous[doc_id].fingerprint == fp:
            plan.keep.add(doc_id)
        else:
            (plan.changed if doc_id in previous else plan.added).append(doc_id)
            plan.jobs.append(FileJob(src, doc_id, entry, fp))
    plan.removed = sorted(set(previous) - plan.keep - set(plan.changed))
    for doc_id in sorted(plan.keep):
        info = previous[doc_id]
        if info.status in (DocStatus.FAILED, DocStatus.NEEDS_OCR):
            plan.skipped.append(SkippedFile(info.path, info.error or "failed", info.hint or ""))
    return plan


def stale_files(settings: Settings, manifest: Manifest) -> int:
    """How many files `mitra index` would read or drop: added, changed (counted once) or
    removed since `manifest` was written. 0 when the corpus folder cannot be scanned."""
    try:
        catalog = load_catalog(settings.corpus_dir)
        plan = plan_update(settings, discover(settings.corpus_dir), catalog, manifest.documents)
    except MitraError:
        return 0  # no corpus folder (or a broken catalogue): the index is all there is
    return plan.stale
