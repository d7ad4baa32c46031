"""The Mitra app: composes the screens and routes messages between them, the workers
and the core. `run(settings)` is what `mitra` and `mitra tui` call; `make_app` builds
the app with injected parts for tests and benchmarks."""

from __future__ import annotations

import logging
import os
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from assistant.config import Settings
from assistant.errors import IndexBusyError, MitraError
from assistant.tui import backend, i18n
from assistant.tui.actions import DARK, LIGHT, ActionsMixin
from assistant.tui.commands import DocumentCommands, mitra_commands
from assistant.tui.i18n import tr
from assistant.tui.messages import (
    AnswerReady,
    AskQuestion,
    IndexFinished,
    IndexNeeded,
    IndexProgress,
    IndexStale,
    LibraryOpened,
    ModelsProgress,
    ModelsReady,
)
from assistant.tui.screens.ask import AskScreen
from assistant.tui.screens.base import MitraScreen
from assistant.tui.screens.dialogs import ErrorDialog
from assistant.tui.screens.library import LibraryScreen
from assistant.tui.state import History, IndexState, Scope, Turn, TurnStatus
from assistant.tui.workers import WorkersMixin

log = logging.getLogger("mitra.tui")


class MitraApp(ActionsMixin, WorkersMixin, App[int]):
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

    def __init__(
        self,
        settings: Settings,
        *,
        library: Any = None,
        embedders: dict[str, Any] | None = None,
        engine: Any = None,
        clock: Callable[[], datetime] | None = None,
        language: str | None = None,
        export_dir: Path | None = None,
        prefs_path: Path | None = None,
        theme: str | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.library = library
        self.embedders = dict(embedders) if embedders else None
        self._engine_override = engine
        self.clock = clock or datetime.now
        self.export_dir = export_dir or Path.cwd() / "briefs"
        self.prefs_path = prefs_path
        i18n.set_language(i18n.initial_language(language, dict(os.environ)))
        self.theme = theme if theme in (DARK, LIGHT) else DARK
        self.turns: list[Turn] = []
        self.history = History()
        self.scope = Scope()
        self.errors: list[str] = []  # unexpected errors shown to the user (tests assert it stays empty)
        self.first_frame: float | None = None
        self.models_state: tuple[str, int, int] | None = None
        self.index_state: IndexState | None = None
        self._queue: deque[int] = deque()
        self._answering: int | None = None
        self._warmed = False
        self._passages = 0
        self._init_workers()

    def get_default_screen(self) -> Screen[Any]:
        return AskScreen()

    @property
    def ask(self) -> AskScreen:
        return next(s for s in self.screen_stack if isinstance(s, AskScreen))

    def turn(self, turn_id: int | None) -> Turn | None:
        return next((t for t in self.turns if t.id == turn_id), None)

    # -- start-up --------------------------------------------------------------------
    def on_ready(self) -> None:
        """The first frame is on screen: now start the heavy work."""
        self.first_frame = time.perf_counter()
        if self._engine_override is None and not backend.answer_engine_available():
            self.notify(tr("notify.fallback"), severity="warning", timeout=8)
        if self.library is not None:
            self.post_message(LibraryOpened(self.library))
        else:
            self.open_index()
        self.paint_chrome()

    def on_library_opened(self, message: LibraryOpened) -> None:
        self._set_library(message.library)
        if self.embedders is None and not self._models_loading:
            self._models_loading = True
            self.load_models()
        self._dispatch()

    def on_index_needed(self, message: IndexNeeded) -> None:
        reason = tr("status.no_index") if message.reason == "missing" else message.reason
        if message.reason != "missing":
            self.notify(tr("index.needed", reason=reason), severity="warning")
        self.start_index(first=True)

    def on_index_stale(self, message: IndexStale) -> None:
        self.notify(tr("index.stale", n=message.files))
        self.start_index()

    def on_models_progress(self, message: ModelsProgress) -> None:
        self.models_state = (message.space, message.done, message.total)
        self.paint_chrome()

    def on_models_ready(self, message: ModelsReady) -> None:
        self.embedders = message.embedders
        self.models_state = None
        self._models_loading = False
        self.paint_chrome()
        self._dispatch()

    # -- indexing --------------------------------------------------------------------
    def start_index(self, rebuild: bool = False, first: bool = False) -> None:
        if self.index_state is not None:
            self.notify(tr("index.already"))
            return
        first = first or self.library is None
        title = tr("index.title_first") if first else tr("index.title")
        self.index_state = IndexState(title, tr("index.stage.start"), first=first)
        self.paint_chrome()
        self.build_index(rebuild)

    def on_index_progress(self, message: IndexProgress) -> None:
        if self.index_state is None:
            return
        stage, _, space = message.stage.partition(" ")
        key = {"read": "index.stage.read", "load": "index.stage.load", "embed": "index.stage.embed"}
        label = tr(key.get(stage, "index.stage.start"), space=space)
        self.index_state = replace(self.index_state, stage=label, done=message.done, total=message.total)
        self.paint_chrome()

    def on_index_finished(self, message: IndexFinished) -> None:
        self.index_state = None
        if message.cancelled:
            self.notify(tr("index.cancelled"), severity="warning")
        else:
            report = message.report
            self._set_library(message.library)
            if report.changed_anything:
                self.notify(
                    tr(
                        "index.done",
                        docs=report.documents,
                        passages=report.passages,
                        added=len(report.added),
                        changed=len(report.changed),
                        removed=len(report.removed),
                    )
                )
            else:
                self.notify(tr("index.uptodate", docs=report.documents))
            if report.skipped:
                self.notify(tr("index.skipped", n=len(report.skipped)), severity="warning", timeout=8)
        self.paint_chrome()
        self._dispatch()

    def _set_library(self, library: Any) -> None:
        self.library = library
        self._passages = library.passage_count()
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.refilter()
        self.paint_chrome()

    # -- questions and answers -----------------------------------------------------------
    def on_ask_question(self, message: AskQuestion) -> None:
        turn = Turn(len(self.turns) + 1, message.question, self.clock(), submitted=time.perf_counter())
        self.turns.append(turn)
        self.history.add(message.question)
        self._queue.append(turn.id)
        self.ask.add_turn(turn)
        self._dispatch()

    def _dispatch(self) -> None:
        """Start answering the next queued question if nothing is in the way."""
        waiting = (
            tr("turn.queued_index")
            if self.library is None
            else tr("turn.queued_models")
            if self.embedders is None
            else ""
        )
        note = waiting or (tr("turn.thinking") if self._answering == 0 else "")  # 0: the warm-up
        for turn_id in self._queue:
            turn = self.turn(turn_id)
            if turn is not None and turn.error != note:
                turn.error = note
                self.ask.update_turn(turn)
        if self._answering is not None or waiting:
            return
        if not self._queue:
            if not self._warmed and self._engine_override is None:
                # The answer engine reads its term statistics on first use (~0.5 s on the
                # bundled library): do it now, in the answer worker, rather than on the
                # user's first question.
                self._warmed = True
                self._answering = 0
                self.answer_question(0, "warm-up", Scope())
            return
        turn = self.turn(self._queue.popleft())
        if turn is None:
            return
        turn.status, turn.error = TurnStatus.THINKING, ""
        self.ask.update_turn(turn)
        self._answering = turn.id
        self.answer_question(turn.id, turn.question, self.scope)

    def on_answer_ready(self, message: AnswerReady) -> None:
        turn = self.turn(message.turn_id)
        if turn is not None:
            turn.answer, turn.status = message.answer, TurnStatus.DONE
            self.ask.update_turn(turn)
            self.call_after_refresh(setattr, turn, "shown", time.perf_counter())
        self._answering = None
        self._dispatch()

    # -- errors: every failed worker ends up here -----------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state is not WorkerState.ERROR:
            return
        error = worker.error
        if worker.name == "answer" and self._answering == 0:  # the warm-up: the real question will say
            log.warning("warming up the answer engine failed: %s", _describe(error))
            self._answering = None
            self._dispatch()
        elif worker.name == "answer":
            turn = self.turn(self._answering)
            if turn is not None:
                turn.status, turn.error = TurnStatus.FAILED, _describe(error)
                self.ask.update_turn(turn)
            self._answering = None
            self.report(error, modal=False)
            self._dispatch()
        elif worker.name == "index":
            self.index_state = None
            self.paint_chrome()
            self.report(error, modal=not isinstance(error, IndexBusyError) or self.library is None)
        elif worker.name == "models":
            self._models_loading = False
            self.models_state = None
            self.paint_chrome()
            self.report(error, modal=True)
        else:
            self.report(error, modal=True)

    def report(self, error: BaseException | None, modal: bool = False) -> None:
        """Show an error: what happened and what to do. Never raises."""
        if isinstance(error, MitraError):
            if modal:
                self.push_screen(ErrorDialog(error.message, error.hint))
            else:
                text = error.message + (f"\n{tr('error.what_to_do', hint=error.hint)}" if error.hint else "")
                self.notify(text, severity="error", timeout=10)
            return
        detail = "".join(traceback.format_exception(error)) if error else "unknown error"
        log.error("unexpected error in the Mitra app:\n%s", detail)
        self.errors.append(detail)
        where = self._log_error(detail)
        message = tr("error.unexpected", error=_describe(error), log=where)
        if modal:
            self.push_screen(ErrorDialog(message))
        else:
            self.notify(message, severity="error", timeout=10)

    def _log_error(self, detail: str) -> str:
        path = self.settings.index_dir / "mitra-tui-errors.log"
        try:
            with path.open("a", encoding="utf-8") as fh:
                fh.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n{detail}\n")
        except OSError:
            return "the log"
        return str(path)

    def _handle_exception(self, error: Exception) -> None:
        # Textual exits on an exception in a handler; Mitra shows it and keeps running.
        # (A private hook: errors while starting up still take the normal, fatal path.)
        if self.first_frame is None or not self.is_running:
            super()._handle_exception(error)
            return
        try:
            self.report(error, modal=False)
        except Exception:
            super()._handle_exception(error)

    # -- the chrome of every screen ------------------------------------------------------
    def paint_chrome(self) -> None:
        """Show the current state on every screen of the stack."""
        for screen in self.screen_stack:
            if isinstance(screen, MitraScreen):
                screen.paint_chrome()

    def status_parts(self) -> list[tuple[str, str]]:
        if self.library is not None:
            lib = tr("status.docs", n=len(self.library.documents()), p=self._passages)
        elif self.index_state is not None:
            lib = tr("status.indexing")
        else:
            lib = tr("status.opening")
        if self.embedders is not None:
            models = ("● " + tr("status.models_ready"), "$text-success")
        elif self.models_state is not None:
            space, done, total = self.models_state
            models = ("◌ " + tr("status.models_loading", done=done + 1, total=total, space=space), "$text-warning")
        else:
            models = ("○ " + tr("status.models_waiting"), "$text-muted")
        return [(lib, ""), models]

    def scope_text(self, keys: bool = False) -> str:
        """'type: all · language: all' (with the keys that change them: '^t type: all …')."""
        s = self.scope
        kind = tr(f"type.{s.type.value}") if s.type else tr("scope.all")
        lang = tr(f"lang.{s.language}") if s.language else tr("scope.all")
        t, g = ("^t ", "^g ") if keys else ("", "")
        return f"{t}{tr('scope.type')}: {kind} · {g}{tr('scope.lang')}: {lang}"

    def answer_text(self, keys: bool = False) -> str:
        lang = self.scope.answer_language
        name = tr(f"lang.{lang}") if lang else tr("scope.auto")
        return f"{'^n ' if keys else ''}{tr('scope.answer')}: {name}"

    # -- command palette -------------------------------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from mitra_commands(self)
        yield from super().get_system_commands(screen)


def _describe(error: BaseException | None) -> str:
    if error is None:
        return "unknown error"
    if isinstance(error, MitraError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def make_app(
    settings: Settings,
    library: Any = None,
    embedders: dict[str, Any] | None = None,
    engine: Any = None,
    clock: Callable[[], datetime] | None = None,
    language: str | None = None,
    **options: Any,
) -> MitraApp:
    """Build the app. Tests inject a small `library`, loaded `embedders` (models ready at
    once), an `engine` (an object with `.answer`, or a factory taking the library), a fixed
    `clock` and a `language`; `options` are export_dir, prefs_path and theme."""
    return MitraApp(
        settings, library=library, embedders=embedders, engine=engine, clock=clock, language=language, **options
    )


def prefs_file() -> Path:
    from platformdirs import user_config_path

    return user_config_path("mitra") / "tui.json"


def run(settings: Settings) -> int:
    """Open the app in this terminal; returns the exit code."""
    prefs_path = prefs_file()
    prefs = backend.load_prefs(prefs_path)
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
