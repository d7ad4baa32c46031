"""What the keys and the command palette do: screens, scope, languages, theme,
re-indexing, export and copy. Mixed into MitraApp; the state lives on the app."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import MitraError
from assistant.model import Citation, DocStatus, DocType
from assistant.tui import backend, i18n
from assistant.tui.i18n import tr
from assistant.tui.messages import OpenDocument, OpenTargets
from assistant.tui.screens.base import MitraScreen
from assistant.tui.screens.help import HelpScreen
from assistant.tui.screens.library import LibraryScreen
from assistant.tui.screens.reader import ReaderScreen
from assistant.tui.state import IndexState, Scope, Target

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from textual.app import App

    from assistant.tui.screens.ask import AskScreen

    _Base = App[int]
else:
    _Base = object

DARK, LIGHT = "textual-dark", "textual-light"


class ActionsMixin(_Base):
    """Mixed into MitraApp."""

    library: Any
    index_state: IndexState | None
    scope: Scope
    export_dir: Path
    prefs_path: Path | None
    clock: Callable[[], datetime]

    if TYPE_CHECKING:

        @property
        def ask(self) -> AskScreen: ...

        def start_index(self, rebuild: bool = False, first: bool = False) -> None: ...

        def paint_chrome(self) -> None: ...

        def report(self, error: BaseException | None, modal: bool = False) -> None: ...

        def scope_text(self, keys: bool = False) -> str: ...

        def answer_text(self, keys: bool = False) -> str: ...

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_library(self) -> None:
        if not isinstance(self.screen, LibraryScreen):
            self.push_screen(LibraryScreen())

    def action_reindex(self, rebuild: bool = False) -> None:
        self.start_index(rebuild=rebuild)

    def action_cancel_index(self) -> None:
        if self.index_state is None:
            return
        for worker in self.workers:
            if worker.name == "index" and worker.is_running:
                worker.cancel()
        self.index_state = replace(self.index_state, stage=tr("index.cancelling"))
        self.paint_chrome()

    def action_scope_type(self) -> None:
        present = {d.type for d in self.library.documents()} if self.library else set()
        self.scope = self.scope.next_type([t for t in DocType if t in present])
        self.notify(tr("notify.scope", scope=self.scope_text()), timeout=2)
        self.paint_chrome()

    def action_scope_language(self) -> None:
        present = {d.language for d in self.library.documents()} if self.library else set()
        self.scope = self.scope.next_language([lang for lang in ("en", "id") if lang in present])
        self.notify(tr("notify.scope", scope=self.scope_text()), timeout=2)
        self.paint_chrome()

    def action_answer_language(self) -> None:
        self.scope = self.scope.next_answer_language()
        self.notify(tr("notify.answer_lang", lang=self.answer_text()), timeout=2)
        self.paint_chrome()

    async def action_ui_language(self) -> None:
        i18n.set_language("en" if i18n.language() == "id" else "id")
        for screen in self.screen_stack:
            if isinstance(screen, MitraScreen):
                await screen.relabel()
        self._save_prefs()
        self.notify(tr("notify.ui_lang"), timeout=3)

    def action_toggle_dark(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK
        self._save_prefs()

    def _save_prefs(self) -> None:
        backend.save_prefs(self.prefs_path, {"ui_language": i18n.language(), "theme": self.theme})

    def action_export_brief(self) -> None:
        turn = self.ask.current_turn()
        if turn is None or turn.answer is None or self.library is None:
            self.notify(tr("notify.no_answer"), severity="warning")
            return
        try:
            path = backend.export_brief(turn.answer, self.library, self.export_dir, self.clock())
        except MitraError as exc:
            self.report(exc)
            return
        self.notify(tr("notify.exported", path=path), timeout=10)

    def action_copy_citation(self) -> None:
        screen = self.screen
        target = screen.target if isinstance(screen, ReaderScreen) else self.ask.current_target()
        if target is None or target.passage is None or self.library is None:
            self.notify(tr("notify.no_citation"), severity="warning")
            return
        citation = target.citation
        if citation is None:  # a nearest passage of a refusal: cite its document and place
            p = target.passage
            title = target.document.title if target.document else target.doc_id
            citation = Citation(0, p.doc_id, title, p.text, p.start, p.end, p, target.score or 0.0, target.document)
        text = backend.reference(citation, self.library)
        self.copy_to_clipboard(text)
        self.notify(f"{tr('notify.copied', text=text)}\n{tr('notify.copy_hint')}", timeout=12)

    def on_open_targets(self, message: OpenTargets) -> None:
        if self.library is not None and message.targets:
            self.push_screen(ReaderScreen(self.library, message.targets, message.index))

    def on_open_document(self, message: OpenDocument) -> None:
        self.open_document(message.doc_id)

    def open_document(self, doc_id: str) -> None:
        doc = self.library.document(doc_id) if self.library is not None else None
        if doc is None:
            self.notify(tr("notify.no_library"), severity="warning")
            return
        if doc.status in (DocStatus.FAILED, DocStatus.NEEDS_OCR) or not doc.passages:
            reason = "; ".join(doc.warnings) or tr(f"status.{doc.status.value}")
            self.notify(tr("notify.no_text", title=doc.title, reason=reason), severity="warning", timeout=10)
            return
        self.push_screen(ReaderScreen(self.library, [Target.of_document(doc)]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Hide "Library" on the Library and "Help" on Help (the footer has no room to waste).
        hidden = {"library": LibraryScreen, "help": HelpScreen}.get(action)
        return not (hidden is not None and isinstance(self.screen, hidden))
