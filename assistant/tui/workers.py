"""The app's long-running work, each in a thread worker: opening the index, loading the
models, building the index, answering a question.

A worker gets what it needs as arguments and talks back only with messages posted to
`host` (the app). Errors are not caught here (except cancellation): the app turns every
failed worker into a notification in one place, `MitraApp.on_worker_state_changed`.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from assistant.tui import controller
from assistant.tui.locations import evidence_locations
from assistant.tui.messages import (
    AnswerReady,
    EngineWarm,
    IndexFinished,
    IndexNeeded,
    IndexProgress,
    IndexStale,
    LibraryOpened,
    ModelsProgress,
    ModelsReady,
)

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from assistant.config import Settings
    from assistant.index.library import Library
    from assistant.tui.controller import AnswerJob, Embedders

PROGRESS_EVERY_S = 0.05  # at most ~20 progress messages a second: the bar looks the same


class Cancelled(Exception):
    """Raised from a progress callback to stop the work between steps."""


@work(thread=True, exclusive=True, exit_on_error=False, group="startup", name="startup")
def open_index(host: DOMNode, settings: Settings, embedders: Embedders | None) -> None:
    """Open the index (and count the files changed since), or say that one must be built."""
    worker = get_current_worker()
    library, reason = controller.open_library(settings, embedders)
    if library is None:
        host.post_message(IndexNeeded(reason))
        return
    if worker.is_cancelled:
        library.close()
        return
    host.post_message(LibraryOpened(library))
    stale = controller.stale_files(settings, library)
    if stale and not worker.is_cancelled:
        host.post_message(IndexStale(stale))


@work(thread=True, exclusive=True, exit_on_error=False, group="models", name="models")
def load_models(host: DOMNode, settings: Settings, library: Library | None) -> None:
    """Load the embedding models while the user reads and types."""
    worker = get_current_worker()
    t0 = time.perf_counter()

    def loading(space: str, done: int, total: int) -> None:
        if worker.is_cancelled:
            raise Cancelled
        host.post_message(ModelsProgress(space, done, total))

    try:
        embedders = controller.load_models(settings, library, loading)
    except Cancelled:
        return
    host.post_message(ModelsReady(embedders, time.perf_counter() - t0))


@work(thread=True, exclusive=True, exit_on_error=False, group="index", name="index")
def build_index(host: DOMNode, settings: Settings, rebuild: bool, embedders: Embedders | None) -> None:
    """Bring the index up to date (loading the models first when `embedders` is None);
    cancellable between files and batches, and the previous index stays."""
    worker = get_current_worker()
    last_stage, last_at = "", 0.0  # of the last message posted

    def progress(stage: str, done: int, total: int) -> None:
        nonlocal last_stage, last_at
        if worker.is_cancelled:
            raise Cancelled
        now = time.monotonic()
        if stage != last_stage or done >= total or now - last_at >= PROGRESS_EVERY_S:
            last_stage, last_at = stage, now
            host.post_message(IndexProgress(stage, done, total))

    def loading(space: str, done: int, total: int) -> None:
        progress(f"load {space}", done, total)
        host.post_message(ModelsProgress(space, done, total))

    try:
        progress("start", 0, 1)
        if embedders is None:  # nobody has loaded them: load them here, for both jobs
            t0 = time.perf_counter()
            embedders = controller.load_models(settings, None, loading)
            host.post_message(ModelsReady(embedders, time.perf_counter() - t0))
        report, library = controller.build(settings, rebuild=rebuild, embedders=embedders, progress=progress)
    except Cancelled:
        host.post_message(IndexFinished(cancelled=True))
        return
    if worker.is_cancelled:  # too late to stop, but the user asked not to wait
        library.close()
        host.post_message(IndexFinished(cancelled=True))
        return
    host.post_message(IndexFinished(report, library))


@work(thread=True, exclusive=True, exit_on_error=False, group="answer", name="answer")
def answer_question(host: DOMNode, job: AnswerJob) -> None:
    """Answer one question, or warm the engine up (turn 0); the app starts the next."""
    worker = get_current_worker()
    if job.turn_id == 0:
        job.engine.warm_up()
        if not worker.is_cancelled:
            host.post_message(EngineWarm())
        return
    answer = job.engine.answer(job.question, k=8, filters=job.scope.filters, language=job.scope.answer_language)
    locations = evidence_locations(job.library, answer) if job.library is not None else {}
    if not worker.is_cancelled:
        host.post_message(AnswerReady(job.turn_id, answer, locations))
