"""The Reader: a document's text, scrolled to the cited passage with the exact quote
highlighted; steps through the other citations of the same answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from assistant.display import plain, printable
from assistant.model import Document
from assistant.tui.i18n import language, tr
from assistant.tui.render import PASSAGE_STYLE, QUOTE_STYLE, doc_meta, marked, section, where
from assistant.tui.screens.base import MitraScreen
from assistant.tui.state import Target
from assistant.tui.widgets.index_panel import IndexPanel
from assistant.tui.widgets.status import StatusBar

if TYPE_CHECKING:
    from assistant.index.library import Library

WINDOW = 60_000  # characters shown on each side of the passage in a very long document


class ReaderScreen(MitraScreen):
    """Shows `targets[index]`; n/p step to the next and previous target."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape,backspace", "back", "k.back"),
        Binding("n,right", "step(1)", "k.next"),
        Binding("p,left", "step(-1)", "k.prev"),
        Binding("ctrl+y", "app.copy_citation", "k.copy"),
        Binding("ctrl+s", "app.export_brief", "k.brief", show=False),
    ]

    def __init__(self, library: Library, targets: list[Target], index: int = 0) -> None:
        super().__init__(id="reader")
        self.library = library
        self.targets = targets
        self.index = max(0, min(index, len(targets) - 1))

    @property
    def target(self) -> Target:
        return self.targets[self.index]

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield Static(id="reader-head")
        with VerticalScroll(id="reader-body"):
            yield Static(id="reader-note")
            yield Static(id="reader-text")
        yield IndexPanel(id="index-panel")
        yield Footer(compact=True)

    def populate(self) -> None:
        self._show()
        self.query_one("#reader-body").focus()

    def action_back(self) -> None:
        self.dismiss()

    def action_step(self, step: int) -> None:
        new = self.index + step
        if not (0 <= new < len(self.targets)) or len(self.targets) < 2:
            self.notify(tr("reader.no_more"), timeout=2)
            return
        self.index = new
        self._show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step":
            return len(self.targets) > 1
        return True

    def _show(self) -> None:
        t = self.target
        doc = t.document or self.library.document(t.doc_id)
        text = self.library.text(t.doc_id)
        self._head(t, doc)
        body = self.query_one("#reader-body", VerticalScroll)
        shown = self.query_one("#reader-text", Static)
        note = self.query_one("#reader-note", Static)
        if not text:
            note.display = True
            note.update(Content.styled(tr("reader.empty"), "$text-warning"))
            shown.update("")
            return
        a, b = (t.start, t.end) if t.passage is None else (min(t.start, t.passage.start), max(t.end, t.passage.end))
        a, b = max(0, min(a, len(text))), max(0, min(b, len(text)))
        lo, hi = _window(text, a, b)
        note.display = lo > 0 or hi < len(text)
        note.update(Content.styled(tr("reader.window", a=lo, b=hi, n=len(text)), "$text-muted"))
        # One text, so the document reads exactly as extracted (control characters made
        # visible); the passage and the quote (offsets into library.text) are styled spans.
        spans: list[tuple[int, int, str]] = []
        if t.passage is not None:
            spans.append((a - lo, b - lo, PASSAGE_STYLE))
            if t.citation is not None:
                spans.append((t.start - lo, t.end - lo, QUOTE_STYLE))
        shown.update(marked(text[lo:hi], spans))
        if t.passage is None:
            self.call_after_refresh(body.scroll_home, animate=False)
        else:
            self.call_after_refresh(self._scroll_to_quote, text[lo : t.start if t.citation else a])

    def _scroll_to_quote(self, before: str) -> None:
        """Scroll so that the line where `before` ends sits a third of the way down."""
        body = self.query_one("#reader-body", VerticalScroll)
        shown = self.query_one("#reader-text", Static)
        width = max(1, shown.content_region.width)
        line = len(Content(plain(before)).wrap(width)) - 1 if before else 0
        offset = shown.virtual_region.y - body.virtual_region.y if shown.display else 0
        body.scroll_to(y=max(0, offset + line - body.size.height // 3), animate=False)

    def _head(self, t: Target, doc: Document | None) -> None:
        title = doc.title if doc is not None else t.doc_id
        located = t.location(language())
        here = located or where(t.passage, title) or tr("reader.document_start")
        inner = section(t.passage.section, title) if t.passage is not None else ""
        if located:  # cite's wording names the Pasal (or the section) already: add what is above it
            above = " > ".join(inner.split(" > ")[:-1])
            here = f"{here} · {above}" if above and above not in here else here
        elif inner and not inner.endswith(here):
            here = f"{here} · {inner}"
        elif inner:
            here = inner
        position = tr("reader.position", i=self.index + 1, n=len(self.targets)) if t.label else ""
        self.query_one("#reader-head", Static).update(
            Content.assemble(
                (f"{t.label} " if t.label else "", "bold $text-accent"),
                (printable(title), "bold"),
                "\n",
                (printable(" · ".join([*doc_meta(doc), here])), "$text-muted"),
            )
        )
        self.query_one("#reader-head", Static).border_subtitle = position


def _window(text: str, a: int, b: int) -> tuple[int, int]:
    """The part of a long text to show around [a, b), cut at line ends."""
    if len(text) <= 2 * WINDOW:
        return 0, len(text)
    lo, hi = max(0, a - WINDOW), min(len(text), b + WINDOW)
    if lo > 0:
        nl = text.find("\n", lo)
        lo = nl + 1 if 0 <= nl < a else lo
    if hi < len(text):
        nl = text.rfind("\n", b, hi)
        hi = nl if nl > b else hi
    return lo, hi
