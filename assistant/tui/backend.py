"""What the app's workers call: open the index, load the models, answer, export.

No Textual here. These functions run in worker threads and only call the core API;
the app turns their results and errors into messages and notifications.
"""

from __future__ import annotations

import inspect
import json
import re
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from assistant.config import Settings
from assistant.errors import IndexFormatError, IndexMissingError, MitraError
from assistant.model import Answer, Citation, Document, SearchFilters


class Engine(Protocol):
    """What the app needs from the answer engine (assistant.answer.AnswerEngine)."""

    def answer(
        self,
        question: str,
        k: int = 8,
        filters: SearchFilters | None = None,
        language: str | None = None,
    ) -> Answer: ...


class IndexCancelledError(Exception):
    """Raised from the indexer's progress callback to stop a build between steps."""


# -- the index -----------------------------------------------------------------------


def open_library(settings: Settings, embedders: dict[str, Any] | None) -> tuple[Any | None, str]:
    """The opened Library, or (None, why an index must be built first)."""
    from assistant.index.library import Library

    try:
        return Library.open(settings, embedders=embedders or None), ""
    except IndexMissingError:
        return None, "missing"
    except IndexFormatError as exc:
        return None, exc.message


def stale_files(settings: Settings, library: Any) -> int:
    """How many files were added, changed or removed since the index was built."""
    from assistant.ingest.catalog import discover

    try:
        current = {s.rel: s.sha256 for s in discover(settings.corpus_dir)}
    except MitraError:
        return 0  # no corpus folder: the index is all there is
    indexed = {d["path"]: d["sha256"] for d in library.manifest.documents.values()}
    changed = set(current) ^ set(indexed)
    changed |= {p for p in set(current) & set(indexed) if current[p] != indexed[p]}
    return len(changed)


def build(
    settings: Settings,
    *,
    rebuild: bool,
    embedders: dict[str, Any] | None,
    progress: Callable[[str, int, int], None],
) -> tuple[Any, Any]:
    """Bring the index up to date, then open it: (IndexReport, Library)."""
    from assistant.index.build import build_index
    from assistant.index.library import Library

    report = build_index(settings, rebuild=rebuild, embedders=embedders or None, progress=progress)
    return report, Library.open(settings, embedders=embedders or None)


def load_models(settings: Settings, library: Any | None, progress: Callable[[str, int, int], None]) -> dict[str, Any]:
    """Load every embedding model of `settings` (through the library when open, so it keeps them)."""
    from assistant.index.embed import make_embedder

    spaces = tuple(library.spaces) if library is not None else tuple(settings.embedders)
    loaded: dict[str, Any] = {}
    for i, space in enumerate(spaces):
        progress(space, i, len(spaces))
        loaded[space] = library.embedder(space) if library is not None else make_embedder(space)
    return loaded


# -- answers --------------------------------------------------------------------------


def answer_engine_available() -> bool:
    try:
        import assistant.answer  # noqa: F401
    except ImportError:
        return False
    return True


def make_engine(library: Any) -> Engine:
    """The real AnswerEngine when it is installed, else search results as evidence."""
    try:
        from assistant.answer import AnswerEngine
    except ImportError:
        return EvidenceOnlyEngine(library)
    return AnswerEngine(library)  # type: ignore[no-any-return]


_FALLBACK_TEXT = {
    "en": "The answer engine is not available yet: the passages that best match the question "
    "are shown as evidence {markers}. Read them before relying on them.",
    "id": "Mesin jawaban belum tersedia: bagian yang paling cocok dengan pertanyaan ditampilkan "
    "sebagai bukti {markers}. Bacalah sebelum menggunakannya.",
}


class EvidenceOnlyEngine:
    """Stand-in for the answer engine: the best passages, each cited whole."""

    def __init__(self, library: Any) -> None:
        from assistant.search.retriever import Retriever

        self.library = library
        self.retriever = Retriever(library)

    def answer(
        self,
        question: str,
        k: int = 8,
        filters: SearchFilters | None = None,
        language: str | None = None,
    ) -> Answer:
        from assistant.lang.detect import detect_language

        t0 = time.perf_counter()
        lang = language or detect_language(question)
        hits = self.retriever.search(question, k=min(k, 5), filters=filters)
        citations = tuple(
            Citation(
                n=i,
                doc_id=h.passage.doc_id,
                title=h.document.title if h.document else h.passage.doc_id,
                quote=h.passage.text,
                start=h.passage.start,
                end=h.passage.end,
                passage=h.passage,
                score=h.score,
                document=h.document,
            )
            for i, h in enumerate(hits, 1)
        )
        markers = " ".join(f"[{c.n}]" for c in citations)
        return Answer(
            question=question,
            text=_FALLBACK_TEXT.get(lang, _FALLBACK_TEXT["en"]).format(markers=markers),
            abstained=not citations,
            language=lang,
            citations=citations,
            nearest=(),
            timings_ms={"total": (time.perf_counter() - t0) * 1000},
        )


# -- citations and briefs -----------------------------------------------------------


def reference(citation: Citation, library: Any) -> str:
    """The APA reference of a citation's document, with its page (or section/rows)."""
    doc = citation.document or library.document(citation.doc_id)
    p = citation.passage
    try:
        from assistant.cite.references import apa_reference
    except ImportError:
        return simple_reference(doc, citation)
    if doc is None:
        return simple_reference(doc, citation)
    label = p.page_label or (str(p.page) if p.page else None)
    ref = str(apa_reference(doc, page_label=label))
    if label is None:  # no page to cite: the table rows, or the section
        where = f"rows {p.rows}" if p.rows else (p.section.split(">")[-1].strip() if p.section else "")
        ref += f" ({where})" if where else ""
    return ref


def simple_reference(doc: Document | None, citation: Citation) -> str:
    """A plain APA-like reference, used until the export module is installed."""
    p = citation.passage
    if doc is None:
        return citation.title
    authors = list(doc.authors)
    if len(authors) > 1:
        authors[-1] = f"& {authors[-1]}"
    who = ", ".join(authors) or doc.issuer or doc.title
    year = doc.year or "n.d."
    where = (
        f" (p. {p.page_label or p.page})"
        if (p.page_label or p.page)
        else (f" (rows {p.rows})" if p.rows else (f" ({p.section.split('>')[-1].strip()})" if p.section else ""))
    )
    ref = f"{who} ({year}). {doc.title}" if who != doc.title else f"{doc.title} ({year})"
    return f"{ref}.{where}"


def brief_path(folder: Path, answer: Answer, now: datetime) -> Path:
    """brief-YYYYmmdd-HHMM-first-words.md in `folder`, not overwriting an older one."""
    words = re.findall(r"\w+", answer.question.lower())[:6]
    slug = "-".join(words)[:48] or "answer"
    base = folder / f"brief-{now:%Y%m%d-%H%M}-{slug}"
    path, n = base.with_suffix(".md"), 2
    while path.exists():
        path, n = Path(f"{base}-{n}.md"), n + 1
    return path


def export_brief(answer: Answer, library: Any, folder: Path, now: datetime) -> Path:
    """Write the evidence brief of `answer` into `folder`; return its path."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MitraError(
            f"cannot create {folder}: {exc.strerror}", "choose a writable folder (MITRA_EXPORT_DIR)"
        ) from None
    path = brief_path(folder, answer, now)
    try:
        from assistant.cite.brief import write_brief
    except ImportError:
        return _write_simple_brief(answer, library, path, now)
    try:
        if "today" in inspect.signature(write_brief).parameters:  # the brief's date from our clock
            return Path(write_brief(answer, library, path, today=now.date()))
        return Path(write_brief(answer, library, path))
    except OSError as exc:
        raise MitraError(f"cannot write {path}: {exc.strerror}", "check the folder's permissions") from None


def _write_simple_brief(answer: Answer, library: Any, path: Path, now: datetime) -> Path:
    lines = [
        f"# Evidence brief: {answer.question}",
        "",
        f"_Written by Mitra on {now:%Y-%m-%d %H:%M}._",
        "",
        "## Answer",
        "",
        answer.text,
        "",
        "## Evidence",
        "",
    ]
    for c in answer.citations:
        lines += [f"[{c.n}] {reference(c, library)}", "", f"> {' '.join(c.quote.split())}", ""]
    docs = {c.doc_id: c.document or library.document(c.doc_id) for c in answer.citations}
    lines += ["## Documents", ""]
    lines += [f"- {d.title} — sha256 {d.sha256}" for d in docs.values() if d is not None]
    try:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError as exc:
        raise MitraError(f"cannot write {path}: {exc.strerror}", "check the folder's permissions") from None
    return path


# -- preferences ------------------------------------------------------------------------


def load_prefs(path: Path | None) -> dict[str, Any]:
    """The user's saved interface language and theme ({} when none or unreadable)."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_prefs(path: Path | None, prefs: dict[str, Any]) -> None:
    """Best effort: a read-only home folder must not stop the app."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(prefs, indent=1), encoding="utf-8")
    except OSError:
        pass
