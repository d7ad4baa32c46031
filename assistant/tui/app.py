"""The Mitra app: routes messages between the screens, the workers and the controller (the
state, calling the core). `mitra` and `mitra tui` call `run`; `make_app` injects parts."""

from __future__ import annotations

import logging
import os
import time
import traceback
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from assistant.display import printable
from assistant.errors import IndexBusyError, MitraError
from assistant.tui import i18n, workers
from assistant.tui.commands import DocumentCommands, mitra_commands
from assistant.tui.controller import Controller, EngineFactory, describe, shortened
from assistant.tui.i18n import tr
from assistant.tui.messages import (
    AnswerReady,
    AskQuestion,
    EngineWarm,
    IndexFinished,
    IndexNeeded,
    IndexProgress,
    IndexStale,
    LibraryOpened,
    ModelsProgress,
    ModelsReady,
    OpenDocument,
    OpenTargets,
)
from assistant.tui.output import load_prefs, log_error, save_prefs
from assistant.tui.screens.ask import AskScreen
from assistant.tui.screens.base import MitraScreen
from assistant.tui.screens.dialogs import ErrorDialog
from assistant.tui.screens.help import HelpScreen
from assistant.tui.screens.library import LibraryScreen
from assistant.tui.screens.reader import ReaderScreen
from assistant.tui.widgets.index_panel import IndexPanel

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.index.library import Library
    from assistant.tui.controller import Embedders

log = logging.getLogger("mitra.tui")
DARK, LIGHT = "textual-dark", "textual-light"


class MitraApp(App[int]):
    """Ask, read the evidence, follow it into the document."""

    CSS_PATH = str(Path(__file__).with_name("mitra.tcss"))  # absolute: subclasses live elsewhere
    TITLE = "Mitra"
    COMMANDS = App.COMMANDS | {DocumentCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012
    BINDINGS = [  # noqa: RUF012
        Binding("f1", "help", "k.help"),
        Binding("ctrl+l", "library", "k.library"),
        Binding("ctrl+r", "reindex", "k.reindex", show=False),
        Binding("f2", "ui_language", "k.ui_lang"),
        Binding("ctrl+q", "quit", "k.quit", show=False, priority=True),
    ]

    def __init__(self, controller: Controller, *, language: str | None = None, theme: str | None = None) -> None:
        super().__init__()
        self.controller = controller  # the state; screens reach it through controller_of
        i18n.set_language(i18n.initial_language(language, dict(os.environ)))
        self.theme = theme if theme in (DARK, LIGHT) else DARK
        self.first_frame: float | None = None

    def get_default_screen(self) -> Screen[Any]:
        return AskScreen()

    @property
    def ask(self) -> AskScreen:
        return next(s for s in self.screen_stack if isinstance(s, AskScreen))

    def say(self, text: str, severity: SeverityLevel = "information", timeout: float | None = None) -> None:
        """A notification as plain text (paths, titles); information replaces earlier information."""
        if severity == "information" and all(n.severity == "information" for n in self._notifications):
            self.clear_notifications()
        self.notify(printable(text), severity=severity, timeout=timeout, markup=False)

    # -- start-up --------------------------------------------------------------------
    def on_ready(self) -> None:
        """The first frame is on screen: now start the heavy work."""
        self.first_frame = time.perf_counter()
        c = self.controller
        if c.library is not None:
            self.post_message(LibraryOpened(c.library))
        else:
            workers.open_index(self, c.settings, c.embedders)
        self.paint_chrome()

    def on_library_opened(self, message: LibraryOpened) -> None:
        self._set_library(message.library)
        c = self.controller
        if c.embedders is None and not c.models_loading:
            c.models_loading = True
            workers.load_models(self, c.settings, c.library)
        self._dispatch()

    def on_index_needed(self, message: IndexNeeded) -> None:
        if message.reason != "missing":
            self.say(tr("index.needed", reason=message.reason), severity="warning")
        self.start_index(first=True)

    def on_index_stale(self, message: IndexStale) -> None:
        self.say(tr("index.stale", n=message.files))
        self.start_index()

    def on_models_progress(self, message: ModelsProgress) -> None:
        self.controller.models_state = (message.space, message.done, message.total)
        self.paint_chrome()

    def on_models_ready(self, message: ModelsReady) -> None:
        waiting_build = self.controller.models_ready(message.embedders)
        if waiting_build is not None:
            workers.build_index(self, self.controller.settings, waiting_build, message.embedders)
        self.paint_chrome()
        self._dispatch()

    # -- indexing --------------------------------------------------------------------
    def start_index(self, rebuild: bool = False, first: bool = False) -> None:
        c = self.controller
        what = c.start_index(rebuild, first)
        if what == "busy":
            self.say(tr("index.already"))
            return
        if what == "run":
            workers.build_index(self, c.settings, rebuild, c.embedders)
        self.paint_chrome()

    def on_index_progress(self, message: IndexProgress) -> None:
        self.controller.index_progress(message.stage, message.done, message.total)
        self.paint_chrome()

    def on_index_finished(self, message: IndexFinished) -> None:
        self.controller.index_ended()
        report = message.report
        if message.cancelled or report is None or message.library is None:
            self.say(tr("index.cancelled"), severity="warning")
        else:
            self._set_library(message.library)
            said = {"docs": self.controller.document_counts()[0], "unreadable": self.controller.unreadable_note()}
            if report.changed_anything:
                counts = {"added": len(report.added), "changed": len(report.changed), "removed": len(report.removed)}
                self.say(tr("index.done", passages=report.passages, **said, **counts))
            else:
                self.say(tr("index.uptodate", **said))
            if report.skipped:
                self.say(tr("index.skipped", n=len(report.skipped)), severity="warning", timeout=8)
        self.paint_chrome()
        self._dispatch()

    def _set_library(self, library: Library) -> None:
        self.controller.set_library(library)
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.refilter()
        self.paint_chrome()

    def on_index_panel_cancel_pressed(self, event: IndexPanel.CancelPressed) -> None:
        self.action_cancel_index()

    # -- questions and answers -----------------------------------------------------------
    def on_ask_question(self, message: AskQuestion) -> None:
        if (turn := self.controller.ask(message.question)) is not None:  # None: Enter pressed twice
            self.ask.add_turn(turn)
            self._dispatch()

    def _dispatch(self) -> None:
        """Start answering the next queued question if nothing is in the way."""
        changed, job = self.controller.dispatch()
        for turn in changed:
            self.ask.update_turn(turn)
        if job is not None:
            workers.answer_question(self, job)

    def on_answer_ready(self, message: AnswerReady) -> None:
        turn = self.controller.answered(message.turn_id, message.answer, message.locations)
        if turn is not None:
            self.ask.update_turn(turn)
            self.call_after_refresh(setattr, turn, "shown", time.perf_counter())
        self._dispatch()

    def on_engine_warm(self, message: EngineWarm) -> None:
        self.controller.answering = None
        self._dispatch()

    # -- errors: every failed worker ends up here -----------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR:
            return
        error, name, c = event.worker.error, event.worker.name, self.controller
        if name == "answer" and c.answering == 0:  # the warm-up: the real question will say
            log.warning("warming up the answer engine failed: %s", describe(error))
            c.answering = None
        elif name == "answer":
            turn = c.answer_failed(describe(error))
            if turn is not None:
                self.ask.update_turn(turn)
            self.report(error)
        elif name == "index":
            c.index_ended()
            self.report(error, modal=not isinstance(error, IndexBusyError) or c.library is None)
        elif name == "models":
            c.models_failed()
            self.report(error, modal=True)
        else:
            self.report(error, modal=True)
        self.paint_chrome()
        self._dispatch()

    def report(self, error: BaseException | None, modal: bool = False) -> None:
        """Show an error: what happened and what to do. Never raises."""
        if isinstance(error, MitraError):
            if modal:
                self.push_screen(ErrorDialog(error.message, error.hint))
            else:
                hint = f"\n{tr('error.what_to_do', hint=error.hint)}" if error.hint else ""
                self.say(error.message + hint, severity="error", timeout=10)
            return
        detail = "".join(traceback.format_exception(error)) if error else "unknown error"
        log.error("unexpected error in the Mitra app:\n%s", detail)
        where = log_error(self.controller.settings.index_dir, detail)
        message = tr("error.unexpected", error=describe(error), log=where)
        if modal:
            self.push_screen(ErrorDialog(message))
        else:
            self.say(message, severity="error", timeout=10)

    def _handle_exception(self, error: Exception) -> None:
        # Textual exits on an exception in a handler; Mitra shows it and keeps running.
        # (A private hook: errors while starting up still take the normal, fatal path.)
        if self.first_frame is None or not self.is_running:
            super()._handle_exception(error)
            return
        try:
            self.report(error)
        except Exception:
            super()._handle_exception(error)

    def paint_chrome(self) -> None:
        """Show the current state on every screen of the stack."""
        for screen in self.screen_stack:
            if isinstance(screen, MitraScreen):
                screen.paint_chrome()

    # -- actions (keys and the command palette) -------------------------------------------
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_command_palette(self) -> None:  # Textual's, its prompt in the interface language
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(CommandPalette(placeholder=tr("palette.placeholder"), id="--command-palette"))

    def action_library(self) -> None:
        if not isinstance(self.screen, LibraryScreen):
            self.push_screen(LibraryScreen())

    def action_reindex(self, rebuild: bool = False) -> None:
        self.start_index(rebuild=rebuild)

    def action_cancel_index(self) -> None:
        what = self.controller.cancel_index()
        if what == "cancelling":
            self.workers.cancel_group(self, "index")
        elif what == "dropped":
            self.say(tr("index.cancelled"), severity="warning")
        self.paint_chrome()

    def action_scope(self, which: str) -> None:
        """The next document type ("type"), document language ("language") or answer language."""
        c = self.controller
        if which == "answer":
            c.next_answer_language()
            text = c.answer_text()  # "answers: English", said once
        else:
            c.next_type() if which == "type" else c.next_language()
            text = tr("notify.scope", scope=c.scope_text())
        self.say(text, timeout=2)
        self.paint_chrome()

    async def action_ui_language(self) -> None:
        i18n.set_language("en" if i18n.language() == "id" else "id")
        for screen in self.screen_stack:
            if isinstance(screen, MitraScreen):
                await screen.relabel()
        self._save_prefs()
        self.say(tr("notify.ui_lang"), timeout=3)

    def action_toggle_dark(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK
        self._save_prefs()

    def _save_prefs(self) -> None:
        save_prefs(self.controller.prefs_path, {"ui_language": i18n.language(), "theme": self.theme})

    def action_export_brief(self) -> None:
        try:
            path = self.controller.export(self.ask.current_turn())
        except MitraError as exc:
            self.report(exc)
            return
        if path is None:
            self.say(tr("notify.no_answer"), severity="warning")
        else:
            self.say(tr("notify.exported", path=path), timeout=10)

    def action_copy_citation(self) -> None:
        screen = self.screen
        target = screen.target if isinstance(screen, ReaderScreen) else self.ask.current_target()
        text = self.controller.reference_of(target)
        if text is None:
            self.say(tr("notify.no_citation"), severity="warning")
            return
        self.copy_to_clipboard(text)
        self.say(f"{tr('notify.copied', text=shortened(text))}\n{tr('notify.copy_hint')}", timeout=8)

    def on_open_targets(self, message: OpenTargets) -> None:
        library = self.controller.library
        if library is not None and message.targets:
            self.push_screen(ReaderScreen(library, message.targets, message.index))

    def on_open_document(self, message: OpenDocument) -> None:
        target, why = self.controller.openable(message.doc_id)
        library = self.controller.library
        if target is None or library is None:
            self.say(why, severity="warning", timeout=10)
            return
        self.push_screen(ReaderScreen(library, [target]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        hidden = {"library": LibraryScreen, "help": HelpScreen}.get(action)  # on their own screens: no room
        return not (hidden is not None and isinstance(self.screen, hidden))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from mitra_commands(self)
        yield from super().get_system_commands(screen)


def make_app(
    settings: Settings,
    *,
    library: Library | None = None,
    embedders: Embedders | None = None,
    engine: EngineFactory | None = None,
    clock: Callable[[], datetime] = datetime.now,
    language: str | None = None,
    export_dir: Path | None = None,
    prefs_path: Path | None = None,
    theme: str | None = None,
) -> MitraApp:
    """Build the app: an open `library`, loaded `embedders` and an `engine` factory (library ->
    answer engine) replace what it would open, load or make; `clock` dates turns and briefs."""
    controller = Controller(
        settings,
        library=library,
        embedders=embedders,
        engine=engine,
        clock=clock,
        export_dir=export_dir,
        prefs_path=prefs_path,
    )
    return MitraApp(controller, language=language, theme=theme)


def run(settings: Settings) -> int:
    """Open the app in this terminal; returns the exit code."""
    from platformdirs import user_config_path

    prefs_path = user_config_path("mitra") / "tui.json"
    prefs = load_prefs(prefs_path)
    export_dir = Path(os.environ.get("MITRA_EXPORT_DIR", "") or Path.cwd() / "briefs")
    app = make_app(
        settings,
        language=os.environ.get("MITRA_UI_LANGUAGE") or prefs.get("ui_language"),
        export_dir=export_dir,
        prefs_path=prefs_path,
        theme=prefs.get("theme"),
    )
    code = app.run()
    return int(code or app.return_code or 0)
