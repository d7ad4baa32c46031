"""Snapshots of the key screens (pytest-textual-snapshot). Deterministic: fixed clock,
fake engine with fixed timings, relative paths, no cursor blink, fixed sizes.

Update after an intended change with `pytest tests/tui --snapshot-update`, then look
at the SVGs in tests/tui/__snapshots__/ before committing them."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.index.library import Library
from assistant.tui import controller
from assistant.tui.screens.library import LibraryScreen
from assistant.tui.screens.reader import ReaderScreen
from tests.tui.helpers import AppFactory, FakeEngine, ask, no_blink, ready, wait_for


def asking(question: str, *keys: str) -> Any:
    async def run_before(pilot: Any) -> None:
        no_blink(pilot.app)
        await ask(pilot, question)
        if keys:
            await pilot.press(*keys)
        await pilot.pause(0.1)
        no_blink(pilot.app)

    return run_before


def test_first_run_shows_indexing_progress(
    snap_compare: Any, app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.rmtree("index")

    def reading(settings: Settings, *, rebuild: bool, embedders: Any, progress: Any) -> Any:
        while True:  # stays at 3 of 6 files until the app exits (which cancels the worker)
            progress("read", 3, 6)
            time.sleep(0.02)

    monkeypatch.setattr(controller, "build", reading)
    app = app_factory(Settings(corpus_dir=Path("corpus"), index_dir=Path("index"), embedders=("fake",)))

    async def run_before(pilot: Any) -> None:
        c = app.controller
        await wait_for(
            pilot, lambda: c.index_state is not None and c.index_state.stage == "Reading documents", "reading"
        )
        await wait_for(pilot, lambda: c.embedders is not None, "the models")
        no_blink(app)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_answer_with_its_evidence_panel(
    snap_compare: Any, app_factory: AppFactory, library: Library, engine: FakeEngine
) -> None:
    app = app_factory(library=library, engine=engine)
    run_before = asking("Who funds the air monitoring programme?")
    assert snap_compare(app, terminal_size=(120, 32), run_before=run_before)


def test_answer_at_80_by_24(snap_compare: Any, app_factory: AppFactory, library: Library, engine: FakeEngine) -> None:
    app = app_factory(library=library, engine=engine)
    assert snap_compare(app, terminal_size=(80, 24), run_before=asking("Who funds the monitoring?"))


def test_refusal_with_the_nearest_passages(
    snap_compare: Any, app_factory: AppFactory, library: Library, engine: FakeEngine
) -> None:
    app = app_factory(library=library, engine=engine)
    assert snap_compare(app, terminal_size=(100, 28), run_before=asking("How far is the moon?"))


def test_reader_with_the_quote_highlighted(
    snap_compare: Any, app_factory: AppFactory, library: Library, engine: FakeEngine
) -> None:
    app = app_factory(library=library, engine=engine)

    async def run_before(pilot: Any) -> None:
        await ask(pilot, "Who funds the air monitoring programme?")
        app.screen.query_one("#citations").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen), "the ReaderScreen")
        await pilot.press("n", "n")  # the third citation: page 2 of the PDF with page labels
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_library_with_a_failed_document(
    snap_compare: Any, app_factory: AppFactory, library: Library, engine: FakeEngine
) -> None:
    app = app_factory(library=library, engine=engine)

    async def run_before(pilot: Any) -> None:
        await wait_for(pilot, lambda: ready(app), "the app to be ready")
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, LibraryScreen), "the LibraryScreen")
        await pilot.press("down")  # onto broken.pdf
        no_blink(app)
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(100, 24), run_before=run_before)


def test_help(snap_compare: Any, app_factory: AppFactory, library: Library, engine: FakeEngine) -> None:
    app = app_factory(library=library, engine=engine)

    async def run_before(pilot: Any) -> None:
        await wait_for(pilot, lambda: ready(app), "the app to be ready")
        await pilot.press("f1")
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_ask_screen_in_bahasa_indonesia(
    snap_compare: Any, app_factory: AppFactory, library: Library, engine: FakeEngine
) -> None:
    app = app_factory(library=library, engine=engine, language="id")
    run_before = asking("Berapa persen dana pemantauan udara dari Northbrook?")
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


def test_light_theme(snap_compare: Any, app_factory: AppFactory, library: Library, engine: FakeEngine) -> None:
    app = app_factory(library=library, engine=engine, theme="textual-light")
    assert snap_compare(app, terminal_size=(100, 30), run_before=asking("Who funds the monitoring?"))
