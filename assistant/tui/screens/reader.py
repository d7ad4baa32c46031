"""The Reader: a document's text, scrolled to the cited passage with the exact quote
highlighted; steps through the other citations of the same answer. As the text scrolls, the
header names the page (and section) at the top of the view."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from assistant.cite.references import ocr_note
from assistant.display import plain, printable
from assistant.model import Document, Passage
from assistant.tui.i18n import language, tr
from assistant.tui.render import FOUND_STYLE, PASSAGE_STYLE, QUOTE_STYLE, doc_meta, marked, section, where
from assistant.tui.screens.base import MitraScreen
from assistant.tui.screens.dialogs import PromptDialog
from assistant.tui.state import Target
from assistant.tui.widgets.index_panel import IndexPanel
from assistant.tui.widgets.status import StatusBar

if TYPE_CHECKING:
    from assistant.index.library import Library

WINDOW = 60_000  # characters shown on each side of the passage in a very long document


_PASAL = re.compile(r"^\s*(?:pasal|article|art\.?)?\s*(\d+[A-Z]?)\s*$", re.IGNORECASE)
_PAGE = re.compile(r"^\s*(?:hlm\.?|halaman|page|p\.)\s*(\d+)\s*$", re.IGNORECASE)
_ROW = re.compile(r"^\s*(?:row|baris)?\s*(\d+)\s*$", re.IGNORECASE)


def place(passages: Sequence[Passage], asked: str) -> Passage | None:
    """The first passage of the Pasal ("44", "Pasal 13A"; not its Penjelasan) or of the page
    ("hlm 12", "page 12", or a bare number in a document without Pasal) `asked` names; in a
    table, the passage of the row ("50", "baris 50")."""
    if (m := _ROW.match(asked)) is not None and any(p.rows for p in passages):
        n = int(m.group(1))
        return next((p for p in passages if p.rows and _holds_row(p.rows, n)), None)
    if (m := _PASAL.match(asked)) is not None:
        heading = re.compile(rf"(?:^|> )Pasal {re.escape(m.group(1).upper())}$", re.IGNORECASE)
        found = [p for p in passages if p.section and heading.search(p.section)]
        body = [p for p in found if not (p.section or "").lower().startswith("penjelasan")]
        if body or found:
            return (body or found)[0]
        has_pasal = any(p.section and re.search(r"(?:^|> )Pasal \S+$", p.section) for p in passages)
        if not asked.strip().isdigit() or has_pasal:
            return None  # a bare number is a Pasal where there are Pasal, else a page
    if (m := _PAGE.match(asked) or _PASAL.match(asked)) is not None and m.group(1).isdigit():
        n = int(m.group(1))
        return next((p for p in passages if p.page_label == str(n)), None) or next(
            (p for p in passages if p.page == n), None
        )
    return None


def _holds_row(rows: str, n: int) -> bool:
    """Whether a passage's row range ("1-12", "7") holds row `n`."""
    first, _, last = rows.partition("-")
    return first.isdigit() and int(first) <= n <= int(last if last.isdigit() else first)


class ReaderScreen(MitraScreen):
    """Shows `targets[index]`; n/p step to the next and previous target."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape,backspace", "back", "k.back"),
        Binding("n,right", "step(1)", "k.next"),
        Binding("p,left", "step(-1)", "k.prev"),
        Binding("g", "goto", "k.goto", show=False),  # the footer is full at 80 columns: F1 says it
        Binding("slash,ctrl+f", "find", "k.find", show=False),
        Binding("ctrl+y", "app.copy_citation", "k.copy"),
        Binding("ctrl+s", "app.export_brief", "k.brief", show=False),
        Binding("ctrl+l", "app.library", "k.library", show=False),  # as the app's; F1 says it, "f2 English" fits
    ]

    def __init__(self, library: Library, targets: list[Target], index: int = 0) -> None:
        super().__init__(id="reader")
        self.library = library
        self.targets = targets
        self.index = max(0, min(index, len(targets) - 1))
        self._lines: tuple[int, str, str] | None = None  # (lo, text[lo:hi], shown text) of the shown target
        self._map: LineMap | None = None  # the lines wrapped at the text's width (made when scrolled)
        self._passages: tuple[str, list[Passage], list[int]] | None = None  # (doc id, passages, their starts)
        self._named: Passage | None = None  # the passage the header names in place of the target's
        self._head_rows = ("", 1)  # (document, rows its header's second line has taken at most)
        self._spans: list[tuple[int, int, str]] = []  # the passage and quote styled in the shown text
        self._found: tuple[str, int] = ("", -1)  # the last search and where its match starts in the text

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
        body = self.query_one("#reader-body", VerticalScroll)
        body.focus()
        self.watch(body, "scroll_y", self._follow_scroll, init=False)

    def action_back(self) -> None:
        self.dismiss()

    def action_step(self, step: int) -> None:
        new = self.index + step
        if not (0 <= new < len(self.targets)) or len(self.targets) < 2:
            self.notify(tr("reader.no_more"), timeout=2)
            return
        self.index = new
        self._show()

    def action_goto(self) -> None:
        self.app.push_screen(PromptDialog("reader.goto"), self._goto)

    def action_find(self) -> None:
        self.app.push_screen(PromptDialog("reader.find", self._found[0], each=self._find))

    def _find(self, asked: str | None) -> str | None:
        """Show the next place `asked` is written (after the last one found, for the same
        words; else after the top of the view), round to the first; say where it is ("“BOD”:
        2 of 30"), or that it is not."""
        if not asked or self._lines is None:
            return None
        lo, source, _ = self._lines
        matches = find_all(source, asked)
        if not matches:
            self._found = (asked, -1)
            self._paint()
            return tr("reader.find.missing", asked=printable(asked))
        after = self._found[1] + 1 if self._found[0] == asked and self._found[1] >= 0 else self._top_offset() - lo
        i = next((k for k, (a, _) in enumerate(matches) if a >= after), 0)
        a, b = matches[i]
        self._found = (asked, a)
        self._paint((a, b, FOUND_STYLE))
        self.call_after_refresh(self._scroll_to_quote, source[:a], True)
        return tr("reader.find.found", asked=printable(asked), i=i + 1, n=len(matches))

    def _line_map(self) -> LineMap | None:
        """The shown text's lines wrapped at its width (None before it is laid out)."""
        width = self.query_one("#reader-text", Static).content_region.width
        if self._lines is None or width <= 0:
            return None
        if self._map is None or self._map.width != width:
            self._map = LineMap.wrap(*self._lines, width=width)
        return self._map

    def _top_offset(self) -> int:
        """The document offset at the top of the view."""
        body = self.query_one("#reader-body", VerticalScroll)
        lines = self._line_map()
        return 0 if lines is None else lines.offset_at(max(0, round(body.scroll_y) - self._text_row()))

    def _paint(self, *extra: tuple[int, int, str]) -> None:
        """Show the text with the passage, the quote and `extra` spans styled."""
        if self._lines is None:
            return
        content = marked(self._lines[1], [*self._spans, *extra])
        self.query_one("#reader-text", Static).update(content)

    def _goto(self, asked: str | None) -> None:
        """Scroll to the Pasal or page `asked` names (`place`), or say there is none."""
        if not asked or self._lines is None:
            return
        lo, shown, _ = self._lines
        p = place(self.library.passages_of(self.target.doc_id), asked)
        if p is None or not lo <= p.start <= lo + len(shown):
            self.notify(tr("reader.goto.missing", asked=printable(asked)), severity="warning", timeout=3)
            return
        at = p.start - lo
        if p.rows and (m := _ROW.match(asked)) and (row := shown.find(f"Row {m.group(1)}:", at)) >= 0:
            at = row  # the row itself, not its passage's first
        end = shown.find("\n", at)
        self._paint((at, end if end >= 0 else len(shown), FOUND_STYLE))  # the line gone to, marked
        self._scroll_to_quote(shown[:at], top=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step":
            return len(self.targets) > 1
        return True

    def _show(self) -> None:
        t = self.target
        doc = t.document or self.library.document(t.doc_id)
        text = self.library.text(t.doc_id)
        self._lines, self._map, self._named, self._found = None, None, None, ("", -1)
        self._head_rows = ("", 1)  # a new target: its header as tall as it needs, no taller
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
        content = marked(text[lo:hi], spans)
        shown.update(content)
        self._lines, self._spans = (lo, text[lo:hi], content.plain), spans
        if t.passage is None:
            self.call_after_refresh(body.scroll_home, animate=False)
        else:
            self.call_after_refresh(self._scroll_to_quote, text[lo : t.start if t.citation else a])

    def _scroll_to_quote(self, before: str, top: bool = False) -> None:
        """Scroll so that the line where `before` ends sits a third of the way down (at the
        top with `top`)."""
        body = self.query_one("#reader-body", VerticalScroll)
        shown = self.query_one("#reader-text", Static)
        width = max(1, shown.content_region.width)
        line = len(Content(plain(before)).wrap(width)) - 1 if before else 0
        down = 0 if top else body.size.height // 3
        body.scroll_to(y=max(0, self._text_row() + line - down), animate=False)

    def _text_row(self) -> int:
        """The row of the body's content where the text begins (below the window's note)."""
        return self.query_one("#reader-text", Static).virtual_region.y  # relative to the body's content

    def _follow_scroll(self) -> None:
        """Name in the header the passage at the top of the view, once the target is out of it."""
        named = self._passage_at_top()
        if named is not self._named:
            self._named = named
            t = self.target
            self._head(t, t.document or self.library.document(t.doc_id), named)

    def _passage_at_top(self) -> Passage | None:
        """The passage of the text at the top of the view; None while the target's passage is
        in view (or, for a document opened at its start, while its first line is)."""
        body = self.query_one("#reader-body", VerticalScroll)
        lines = self._line_map()
        if lines is None:
            return None
        top = round(body.scroll_y) - self._text_row()
        t = self.target
        if t.passage is None:
            if top <= 0:
                return None
        else:
            a, b = min(t.start, t.passage.start), max(t.end, t.passage.end)
            if lines.row_at(a) < top + body.size.height and lines.row_at(max(a, b - 1)) >= top:
                return None
        if self._passages is None or self._passages[0] != t.doc_id:
            passages = self.library.passages_of(t.doc_id)
            self._passages = (t.doc_id, passages, [p.start for p in passages])
        at = passage_at(self._passages[1], self._passages[2], lines.offset_at(top))
        return None if at is None or (t.passage is not None and at.id == t.passage.id) else at

    def _head(self, t: Target, doc: Document | None, at: Passage | None = None) -> None:
        """The document and where the target is in it (or the passage `at`, when given)."""
        title = doc.title if doc is not None else t.doc_id
        here = _here(t.passage, title, t.location(language())) if at is None else _here(at, title)
        first = None
        if at is None and t.passage is None:  # opened at its start: the first page, and its OCR
            first = next(iter(self.library.passages_of(t.doc_id)), None)
            here = " · ".join(x for x in (here, where(first, title) if first and first.page else "") if x)
        ocr = ocr_note(at or t.passage or first, language(), doc)  # "OCR, check the page (confidence 0.99)"
        position = tr("reader.position", i=self.index + 1, n=len(self.targets)) if t.label else ""
        head = self.query_one("#reader-head", Static)
        meta = printable(" · ".join([*doc_meta(doc), here, *([ocr] if ocr else [])]))
        # The header never shrinks while a document is read: a shorter place than the last
        # keeps its rows, so the text below does not jump as the view scrolls.
        width = head.content_region.width
        rows = len(Content(meta).wrap(width)) if width > 0 else 1
        most = max(rows, self._head_rows[1]) if self._head_rows[0] == t.doc_id else rows
        self._head_rows = (t.doc_id, most)
        head.update(
            Content.assemble(
                (f"{t.label} " if t.label else "", "bold $text-accent"),
                (printable(title), "bold"),
                "\n",
                (meta, "$text-muted"),
                "\n" * (most - rows),
            )
        )
        head.border_subtitle = position


def _here(passage: Passage | None, title: str, located: str = "") -> str:
    """Where `passage` is, for the header: as cite words it (`located`) or its page (rows,
    section), with the sections above it."""
    here = located or where(passage, title, pdf_page=True) or tr("reader.document_start")
    inner = section(passage.section, title) if passage is not None else ""
    if located:  # cite's wording names the Pasal (or the section) already: add what is above it
        above = " > ".join(inner.split(" > ")[:-1])
        return f"{here} · {above}" if above and above not in here else here
    if inner and not inner.endswith(here):
        return f"{here} · {inner}"
    return inner or here


def find_all(text: str, asked: str) -> list[tuple[int, int]]:
    """Where the words `asked` are written in `text`, in any case and across line breaks
    (a PDF line may end inside the phrase), a number never as part of a longer one:
    (start, end) offsets, in order."""
    words = asked.split()
    if not words:
        return []
    # A number is found whole: "Pasal 1" is not Pasal 10, "hlm 2" not hlm 25.
    head = r"(?<!\d)" if words[0][0].isdigit() else ""
    tail = r"(?!\d)" if words[-1][-1].isdigit() else ""
    pattern = re.compile(head + r"\s+".join(re.escape(w) for w in words) + tail, re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text)]


def passage_at(passages: Sequence[Passage], starts: Sequence[int], offset: int) -> Passage | None:
    """The last of `passages` (in document order, `starts` their starts) that starts at or
    before `offset`; the first, for an offset before them all; None when there are none."""
    if not passages:
        return None
    return passages[max(0, bisect_right(starts, offset) - 1)]


@dataclass(frozen=True)
class LineMap:
    """Screen rows and document offsets of the shown text, wrapped at `width` cells.

    The shown text has the document's line breaks (markup never spans one, and only other
    control characters become visible stand-ins), so line `i` of the shown text starts at
    `offsets[i]` in the document and at row `rows[i]` on screen."""

    width: int
    offsets: list[int]  # the document offset where each line starts, then the text's end + 1
    rows: list[int]  # the first screen row of each line, then the number of rows

    @classmethod
    def wrap(cls, lo: int, source: str, shown: str, width: int) -> LineMap:
        """The map of `shown` (the document's `source` = text[lo:hi], as shown)."""
        offsets, rows = [lo], [0]
        for line, seen in zip(source.split("\n"), shown.split("\n"), strict=False):
            offsets.append(offsets[-1] + len(line) + 1)
            content = Content(seen)
            fits = content.cell_length <= width and "\t" not in seen
            rows.append(rows[-1] + (1 if fits else len(content.wrap(width))))
        return cls(width, offsets, rows)

    def offset_at(self, row: int) -> int:
        """The document offset at the start of screen `row` (inside a wrapped line, as far
        into the line as the row is into its rows)."""
        i = max(0, min(bisect_right(self.rows, row) - 1, len(self.rows) - 2))
        span, length = self.rows[i + 1] - self.rows[i], self.offsets[i + 1] - 1 - self.offsets[i]
        return self.offsets[i] + length * max(0, min(row - self.rows[i], span)) // max(1, span)

    def row_at(self, offset: int) -> int:
        """The screen row where the document `offset` is shown (in proportion inside a line)."""
        i = max(0, min(bisect_right(self.offsets, offset) - 1, len(self.offsets) - 2))
        span, length = self.rows[i + 1] - self.rows[i], self.offsets[i + 1] - 1 - self.offsets[i]
        return self.rows[i] + span * max(0, min(offset - self.offsets[i], length)) // max(1, length + 1)


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
