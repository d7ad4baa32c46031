"""What the app writes or copies: the evidence brief, the reference of a citation, the
user's preferences, the log of unexpected errors. Plain Python, no Textual."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import MitraError
from assistant.model import Answer, Citation

if TYPE_CHECKING:
    from assistant.index.library import Library


def reference(citation: Citation, library: Library, language: str = "en") -> str:
    """The APA reference of a citation's document with where the quote is: its page, or
    for a regulation the legal form ("UU 18/2008, Pasal 44 ayat (2), p. 24"), or the
    table row quoted, or the section (worded by cite, as everywhere else)."""
    from assistant.cite.references import apa_reference, citation_location, legal_location

    doc = citation.document or library.document(citation.doc_id)
    if doc is None:
        return citation.title
    p = citation.passage
    label = p.page_label or (str(p.page) if p.page else None)
    text = library.text(citation.doc_id)
    legal = legal_location(doc, p, text, (citation.start, citation.end), language)
    if legal:
        return f"{apa_reference(doc)} ({legal})"
    ref = apa_reference(doc, page_label=label)
    if label is None:  # no page to cite: the table rows, or the section
        where = citation_location(replace(citation, document=doc), text, language)
        ref += f" ({where})" if where else ""
    return ref


def brief_path(folder: Path, answer: Answer, now: datetime) -> Path:
    """brief-YYYYmmdd-HHMM-first-words.md in `folder`, not overwriting an older one."""
    words = re.findall(r"\w+", answer.question.lower())[:6]
    slug = "-".join(words)[:48] or "answer"
    base = folder / f"brief-{now:%Y%m%d-%H%M}-{slug}"
    path, n = base.with_suffix(".md"), 2
    while path.exists():
        path, n = Path(f"{base}-{n}.md"), n + 1
    return path


def export_brief(answer: Answer, library: Library, folder: Path, now: datetime) -> Path:
    """Write the evidence brief of `answer` into `folder` (dated `now`); return its path."""
    from assistant.cite.brief import write_brief

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MitraError(
            f"cannot create {folder}: {exc.strerror}", "choose a writable folder (MITRA_EXPORT_DIR)"
        ) from None
    path = brief_path(folder, answer, now)
    try:
        return write_brief(answer, library, path, today=now.date())
    except OSError as exc:
        raise MitraError(f"cannot write {path}: {exc.strerror}", "check the folder's permissions") from None


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
    """`prefs` saved over those of the file, the others kept. Best effort: a read-only home
    folder must not stop the app."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(load_prefs(path) | prefs, indent=1, ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass


HISTORY_KEPT = 200  # questions remembered across sessions, for up/down in the input


def load_history(path: Path | None) -> list[str]:
    """The questions asked in earlier sessions, oldest first ([] when none or unreadable)."""
    saved = load_prefs(path).get("history")
    return [q for q in saved if isinstance(q, str)][-HISTORY_KEPT:] if isinstance(saved, list) else []


def save_history(path: Path | None, questions: list[str]) -> None:
    save_prefs(path, {"history": questions[-HISTORY_KEPT:]})


def log_error(index_dir: Path, detail: str) -> str:
    """Append `detail` to the index folder's error log; returns where it went."""
    path = index_dir / "mitra-tui-errors.log"
    try:
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n{detail}\n")
    except OSError:
        return "the log"
    return str(path)
