"""Helpers for the TUI tests: a fake answer engine, a fixed clock, waiting for workers."""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.index.library import Library
from assistant.model import Answer, Citation, Hit, SearchFilters
from assistant.tui.app import MitraApp
from tests.conftest import make_small_corpus
from tests.fixtures.pdfs import corrupt_pdf, image_only_pdf, labelled_pdf, large_pdf

FIXED_NOW = datetime(2025, 3, 14, 9, 30)


def fixed_clock() -> datetime:
    return FIXED_NOW


def make_corpus(root: Path) -> Path:
    """The shared small corpus plus a long report, a PDF with page labels, a scan and a broken PDF."""
    corpus = make_small_corpus(root)
    paragraphs = [f"Paragraph {i} of the long synthetic report." for i in range(1, 301)]
    paragraphs[199] = "The river clean-up target is 75 tonnes of waste by 2030."
    (corpus / "long.md").write_text("# Long synthetic report\n\n" + "\n\n".join(paragraphs) + "\n")
    labelled_pdf(corpus / "manual.pdf")
    image_only_pdf(corpus / "scan.pdf")
    corrupt_pdf(corpus / "broken.pdf")
    return corpus


def make_paged_corpus(root: Path) -> Path:
    """A 30-page PDF (page n holds the token markerNNNNN) and a Markdown report in three
    parts (Part 1..3) of 30 short paragraphs each: documents longer than a screen. The report
    is catalogued as its publisher's OCR transcription."""
    root.mkdir(parents=True, exist_ok=True)
    large_pdf(root / "pages.pdf", pages=30)
    parts = ["# Sectioned report", ""]
    for n in range(1, 4):
        parts += [f"## Part {n}", "", *(f"Paragraph {i} of part {n} of the sectioned report.\n" for i in range(1, 31))]
    (root / "sections.md").write_text("\n".join(parts))
    (root / "catalog.toml").write_text('[[document]]\nid = "sections"\npath = "sections.md"\nocr_transcript = true\n')
    return root


class FakeEngine:
    """Answers from fixed quotes of the small library; records what it was asked."""

    QUOTES: tuple[tuple[str, str], ...] = (
        ("agreement", "Northbrook shall fund 60 percent of the air monitoring programme."),
        ("notes", "The composting pilot at the eastern market processed organic waste from forty stalls."),
        ("manual", "This is body page 2 with a unique term zircon2."),
    )

    def __init__(self, library: Library) -> None:
        self.library = library
        self.calls: list[dict[str, Any]] = []
        self.warmed = False

    def _citation(self, n: int, doc_id: str, quote: str) -> Citation:
        text = self.library.text(doc_id)
        start = text.index(quote)
        passage = next(p for p in self.library.passages_of(doc_id) if p.start <= start < p.end)
        doc = self.library.document(doc_id)
        assert doc is not None
        return Citation(n, doc_id, doc.title, quote, start, start + len(quote), passage, 0.9 - n / 10, doc)

    def warm_up(self) -> None:
        self.warmed = True

    def answer(
        self, question: str, k: int = 8, filters: SearchFilters | None = None, language: str | None = None
    ) -> Answer:
        self.calls.append({"question": question, "k": k, "filters": filters, "language": language})
        lang = language or ("id" if "berapa" in question.lower() else "en")
        if "moon" in question.lower() or "bulan" in question.lower():
            nearest = tuple(
                Hit(p, 0.12, {}, self.library.document(p.doc_id))
                for p in self.library.passages_of("notes")[:1] + self.library.passages_of("agreement")[1:2]
            )
            text = (
                "Pustaka tidak menjawab pertanyaan ini."
                if lang == "id"
                else "The library does not answer this question."
            )
            figure = "how many" in question.lower()  # "How many moons ...?": passages on it, no figure
            reason = "no_figure" if figure else "filtered" if filters else "nothing_relevant"
            return Answer(question, text, True, lang, (), nearest, {"total": 7.0}, refusal_reason=reason)
        citations = tuple(self._citation(i, d, q) for i, (d, q) in enumerate(self.QUOTES, 1))
        text = (
            "Northbrook shall fund 60 percent of the air monitoring programme [1]. "
            "The composting pilot processed organic waste from forty stalls [2], "
            "and the manual names zircon2 on page 2 [3]."
        )
        return Answer(question, text, False, lang, citations, (), {"total": 42.0})


AppFactory = Callable[..., MitraApp]


async def wait_for(pilot: Any, condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds (workers run in threads); on timeout the
    assertion says `what` was awaited, and what the app was doing."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}; {doing(pilot.app)}")
        await pilot.pause(0.02)
    await pilot.pause()


def doing(app: MitraApp) -> str:
    """What the app is doing, for a timeout's message."""
    c = app.controller
    workers = ", ".join(f"{w.name}: {w.state.name}" for w in app.workers) or "none"
    return (
        f"library {'open' if c.library else 'none'}, models {'ready' if c.embedders else c.models_state}, "
        f"index build {c.index_state}, workers {workers}, screen {type(app.screen).__name__}"
    )


def ready(app: MitraApp) -> bool:
    c = app.controller
    return c.library is not None and c.embedders is not None and c.index_state is None


async def ask(pilot: Any, question: str) -> None:
    """Type a question, press Enter, and wait until its answer is on screen."""
    c = pilot.app.controller
    await wait_for(pilot, lambda: c.library is not None and c.embedders is not None, "the library and the models")
    n = len(c.turns)
    field = pilot.app.screen.query_one("#question")
    field.focus()
    field.value = question  # typing key by key is slow under Pilot; Enter is pressed for real
    await pilot.press("enter")
    await wait_for(pilot, lambda: len(c.turns) > n and c.turns[-1].answer is not None, f"the answer to {question!r}")


async def open_first_citation(pilot: Any, question: str) -> Any:
    """Ask `question`, open its first citation in the Reader, and return the Reader."""
    from assistant.tui.screens.reader import ReaderScreen

    await ask(pilot, question)
    pilot.app.screen.query_one("#citations").focus()
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReaderScreen), "the ReaderScreen")
    return pilot.app.screen


def no_blink(app: MitraApp) -> None:
    from textual.widgets import Input

    for screen in app.screen_stack:
        for widget in screen.query(Input):
            widget.cursor_blink = False


class Gate:
    """A threading.Event that tests open to let a blocked worker go on."""

    def __init__(self) -> None:
        self.event = threading.Event()

    def wait(self) -> None:
        if not self.event.wait(20):
            raise TimeoutError("the test never opened the gate")

    def open(self) -> None:
        self.event.set()


RunBefore = Callable[[Any], Awaitable[None]]
