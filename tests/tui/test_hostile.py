"""Hostile documents in the app: Rich/Textual markup and terminal escape sequences in
document text, titles, sections and paths are shown literally (control characters as
visible stand-ins), never obeyed, never parsed, never a crash."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.content import Content
from textual.widgets import DataTable, Input, OptionList, Static

from assistant.config import Settings
from assistant.display import plain, printable
from assistant.index.build import build_index
from assistant.index.library import Library
from assistant.model import Answer, Citation, SearchFilters
from assistant.tui.render import marked
from assistant.tui.screens.dialogs import ErrorDialog
from assistant.tui.screens.library import LibraryScreen
from assistant.tui.screens.reader import ReaderScreen
from tests.fixtures.pdfs import corrupt_pdf
from tests.tui.helpers import AppFactory, ask, ready, wait_for

pytestmark = pytest.mark.anyio

TITLE = "Hostile [/] report [blink]x[/blink]"
QUOTE = "The river plan \x1b]0;pwned title\x1b\\ sets a target of 40 tonnes [/] for 2030."
CLIPBOARD = "Clipboard \x1b]52;c;ZWNobyBoaQ==\x07 write, \x1b[2J clear, \x9b31m CSI, [bold]fake[/bold], $text-error."
ODD_PATH = "notes [/] [b]odd \x1b[31mred.txt"  # a folder "notes [" holding "] [b]odd ␛[31mred.txt"
RAW = ("\x1b", "\x07", "\x9b")  # what must never reach the screen


def make_hostile_corpus(corpus: Path) -> None:
    corpus.mkdir(parents=True)
    (corpus / "hostile.md").write_text(f"# {TITLE}\n\n{QUOTE}\n\n{CLIPBOARD}\n", encoding="utf-8")
    (corpus / "notes [").mkdir()
    (corpus / ODD_PATH).write_text("a file whose name holds markup, about waste sorting.\n", encoding="utf-8")
    corrupt_pdf(corpus / "[blink]broken[bold].pdf")


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Settings, Library]]:
    root = tmp_path / "hostile"  # beside the app factory's own library
    make_hostile_corpus(root / "corpus")
    monkeypatch.chdir(root)
    settings = Settings(corpus_dir=Path("corpus"), index_dir=Path("index"), embedders=("fake",))
    build_index(settings)
    library = Library.open(settings)
    yield settings, library
    library.close()


class HostileEngine:
    """Cites the passage full of escape sequences, and quotes it in the answer."""

    def __init__(self, library: Library) -> None:
        self.library = library

    def warm_up(self) -> None:
        pass

    def answer(
        self, question: str, k: int = 8, filters: SearchFilters | None = None, language: str | None = None
    ) -> Answer:
        text = self.library.text("hostile")
        start = text.index(QUOTE)
        passage = next(p for p in self.library.passages_of("hostile") if p.start <= start < p.end)
        doc = self.library.document("hostile")
        assert doc is not None
        citation = Citation(1, "hostile", doc.title, QUOTE, start, start + len(QUOTE), passage, 0.8, doc)
        return Answer(question, f"{QUOTE} [1]", False, "en", (citation,), (), {"total": 5.0})


def screen_text(app: App[Any]) -> str:
    """Every character the app would send to the terminal for the current screen."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def styles(content: Content) -> str:
    return " ".join(str(span.style) for span in content.spans)


def test_marked_moves_the_spans_past_widened_control_characters() -> None:
    text = "a\x9bb [x] QUOTE end"
    start = text.index("QUOTE")
    content = marked(text, [(start, start + 5, "bold")])
    assert content.plain == "a<U+009B>b [x] QUOTE end"
    assert [content.plain[s.start : s.end] for s in content.spans] == ["QUOTE"]


async def test_answer_and_evidence_show_markup_and_escapes_literally(
    app_factory: AppFactory, hostile: tuple[Settings, Library]
) -> None:
    settings, library = hostile
    app = app_factory(settings, library=library, engine=HostileEngine)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(pilot, "What is the \x1b[2J river [/] target?")
        shown = printable(QUOTE)
        assert "␛]0;pwned title␛\\" in shown
        conversation = app.screen.query_one("#conversation", OptionList)
        prompt = conversation.get_option_at_index(0).prompt
        assert isinstance(prompt, Content)
        assert shown in prompt.plain and "river [/] target" in prompt.plain
        evidence = app.screen.query_one("#citations", OptionList).get_option_at_index(0).prompt
        assert isinstance(evidence, Content)
        assert TITLE in evidence.plain and shown in evidence.plain
        assert "blink" not in styles(evidence)  # the title's [blink] is text, not a style
        text = screen_text(app)
        assert not any(ch in text for ch in RAW)
        assert "[blink]x[/blink]" in text and "␛]0;pwned" in text


async def test_the_reader_shows_the_document_as_text_with_the_quote_highlighted(
    app_factory: AppFactory, hostile: tuple[Settings, Library]
) -> None:
    settings, library = hostile
    app = app_factory(settings, library=library, engine=HostileEngine)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "target?")
        app.screen.query_one("#citations").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen), "the Reader")
        body = app.screen.query_one("#reader-text", Static).visual
        assert isinstance(body, Content)
        assert body.plain == plain(library.text("hostile"))
        assert "␛]52;c;ZWNobyBoaQ==␇" in body.plain and "<U+009B>31m" in body.plain
        quoted = [body.plain[s.start : s.end] for s in body.spans if "warning" in str(s.style)]
        assert quoted == [printable(QUOTE)]
        assert "[bold]fake[/bold]" in body.plain and "bold" not in styles(body).replace("bold $text-warning", "")
        head = app.screen.query_one("#reader-head", Static).visual
        assert isinstance(head, Content) and TITLE in head.plain
        await pilot.press("end")  # the whole document on screen, escape codes and all
        await pilot.pause()
        assert not any(ch in screen_text(app) for ch in RAW)


async def test_the_library_lists_hostile_titles_and_paths_as_text(
    app_factory: AppFactory, hostile: tuple[Settings, Library]
) -> None:
    settings, library = hostile
    app = app_factory(settings, library=library, engine=HostileEngine)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: ready(app), "the app to be ready")
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, LibraryScreen), "the Library")
        table = app.screen.query_one("#documents", DataTable)
        titles = {str(table.get_cell(row, "title")) for row in table.rows}
        assert TITLE in titles
        assert not any(ch in screen_text(app) for ch in RAW)
        await pilot.press(*"odd")
        detail = app.screen.query_one("#doc-detail", Static).visual
        assert isinstance(detail, Content)
        assert printable(ODD_PATH) in detail.plain and "␛[31mred" in detail.plain
        assert not any(ch in screen_text(app) for ch in RAW)
        app.screen.query_one("#library-filter", Input).value = "broken"
        await pilot.pause()
        await pilot.press("enter")  # a failed document: a notification naming it, literally
        await pilot.pause()
        notes = [n for n in app._notifications if "[blink]broken[bold]" in n.message]
        assert notes and not notes[0].markup
        assert isinstance(app.screen, LibraryScreen)


async def test_the_palette_offers_a_hostile_title_and_opens_it(
    app_factory: AppFactory, hostile: tuple[Settings, Library]
) -> None:
    settings, library = hostile
    app = app_factory(settings, library=library, engine=HostileEngine)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: ready(app), "the app to be ready")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"open hostile")
        await pilot.pause(0.3)
        assert "[blink]x[/blink]" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen), "the Reader")
        assert app.screen.target.doc_id == "hostile"  # type: ignore[attr-defined]


async def test_copied_references_and_error_dialogs_are_plain_and_printable(
    app_factory: AppFactory, hostile: tuple[Settings, Library]
) -> None:
    settings, library = hostile
    app = app_factory(settings, library=library, engine=HostileEngine)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(pilot, "target?")
        app.screen.query_one("#citations").focus()
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert TITLE in app.clipboard and not any(ch in app.clipboard for ch in RAW)
        assert any(TITLE in n.message and not n.markup for n in app._notifications)
        app.push_screen(ErrorDialog(f"cannot read {ODD_PATH}", "rename [/] it"))
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog), "the error dialog")
        message = app.screen.query_one("#error-message", Static).visual
        hint = app.screen.query_one("#error-hint", Static).visual
        assert isinstance(message, Content) and printable(ODD_PATH) in message.plain
        assert isinstance(hint, Content) and "rename [/] it" in hint.plain
        assert not any(ch in screen_text(app) for ch in RAW)
