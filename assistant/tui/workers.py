"""The app's long-running work, each in a thread worker that reports with messages:
opening the index, loading the models, building the index, answering a question.

Errors are not caught here (except cancellation): the app turns every failed
worker into a notification in one place, `MitraApp.on_worker_state_changed`.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from textual import work
from textual.worker import Worker, get_current_worker

from assistant.tui import backend
from assistant.tui.messages import (
    AnswerReady,
    IndexFinished,
    IndexNeeded,
    IndexProgress,
    IndexStale,
    LibraryOpened,
    ModelsProgress,
    ModelsReady,
)
from assistant.tui.state import Scope

PROGRESS_EVERY_S = 0.05

if TYPE_CHECKING:
    from textual.app import App

    from assistant.config import Settings

    _Base = App[int]
else:
    _Base = object


class WorkersMixin(_Base):
    """Mixed into MitraApp: the workers and the little state they share with it."""

    settings: Settings
    library: Any
    embedders: dict[str, Any] | None
    _engine_override: Any

    def _init_workers(self) -> None:
        self._models_done = threading.Event()
        self._models_loading = False
        self._engine: tuple[Any, Any] | None = None  # (library, engine)
        if self.embedders is not None:
            self._models_done.set()

    @work(thread=True, exclusive=True, exit_on_error=False, group="startup", name="startup")
    def open_index(self) -> None:
        """Open the index, or say that one must be built."""
        library, reason = backend.open_library(self.settings, self.embedders)
        if library is None:
            self.post_message(IndexNeeded(reason))
            return
        self.post_message(LibraryOpened(library))
        stale = backend.stale_files(self.settings, library)
        if stale:
            self.post_message(IndexStale(stale))

    @work(thread=True, exclusive=True, exit_on_error=False, group="models", name="models")
    def load_models(self) -> None:
        """Load the embedding models while the user reads and types."""
        t0 = time.perf_counter()

        def loading(space: str, done: int, total: int) -> None:
            self.post_message(ModelsProgress(space, done, total))

        embedders = backend.load_models(self.settings, self.library, loading)
        self.embedders = embedders  # before the event: the index worker may be waiting for them
        self._models_done.set()
        self.post_message(ModelsReady(embedders, time.perf_counter() - t0))

    @work(thread=True, exclusive=True, exit_on_error=False, group="index", name="index")
    def build_index(self, rebuild: bool = False) -> None:
        """Bring the index up to date; cancellable between files and batches."""
        worker: Worker[None] = get_current_worker()
        last: list[tuple[str, float]] = [("", 0.0)]

        def progress(stage: str, done: int, total: int) -> None:
            if worker.is_cancelled:
                raise backend.IndexCancelledError
            now = time.monotonic()
            # At most ~20 updates a second: the bar looks the same, the UI stays light.
            if stage != last[0][0] or done >= total or now - last[0][1] >= PROGRESS_EVERY_S:
                last[0] = (stage, now)
                self.post_message(IndexProgress(stage, done, total))

        try:
            progress("start", 0, 1)
            embedders = self._wait_for_models(worker)
            if embedders is None:  # nobody is loading them: load them here, for both jobs
                t0 = time.perf_counter()

                def loading(space: str, done: int, total: int) -> None:
                    progress(f"load {space}", done, total)
                    self.post_message(ModelsProgress(space, done, total))

                embedders = backend.load_models(self.settings, None, loading)
                self.embedders = embedders
                self._models_done.set()
                self.post_message(ModelsReady(embedders, time.perf_counter() - t0))
            report, library = backend.build(self.settings, rebuild=rebuild, embedders=embedders, progress=progress)
        except backend.IndexCancelledError:
            self.post_message(IndexFinished(cancelled=True))
            return
        if worker.is_cancelled:  # too late to stop, but the user asked not to wait
            library.close()
            self.post_message(IndexFinished(cancelled=True))
            return
        self.post_message(IndexFinished(report, library))

    def _wait_for_models(self, worker: Worker[None]) -> dict[str, Any] | None:
        """The loaded models; waits while the models worker loads them; None if no one is."""
        while self._models_loading and not self._models_done.is_set():
            if worker.is_cancelled:
                raise backend.IndexCancelledError
            self._models_done.wait(0.2)
        return self.embedders

    @work(thread=True, exclusive=True, exit_on_error=False, group="answer", name="answer")
    def answer_question(self, turn_id: int, question: str, scope: Scope) -> None:
        """Answer one question (the app starts the next when this one is done)."""
        library = self.library
        if self._engine is None or self._engine[0] is not library:
            self._engine = (library, self._make_engine(library))
        engine = self._engine[1]
        answer = engine.answer(question, k=8, filters=scope.filters, language=scope.answer_language)
        self.post_message(AnswerReady(turn_id, answer))

    def _make_engine(self, library: Any) -> Any:
        override = self._engine_override
        if override is None:
            return backend.make_engine(library)
        if isinstance(override, type) or not hasattr(override, "answer"):
            return override(library)  # a factory (or a class) taking the library
        return override
