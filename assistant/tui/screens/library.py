"""The Library: every document with its type, year, language, size, passages and status;
filter as you type, Enter opens the document in the Reader."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Footer, Input, Static

from assistant.cite.references import document_notes, short_name
from assistant.display import printable
from assistant.model import DocStatus, DocType, Document
from assistant.tui.i18n import language, tr
from assistant.tui.messages import OpenDocument
from assistant.tui.notes import in_indonesian
from assistant.tui.render import doc_type
from assistant.tui.screens.base import MitraScreen
from assistant.tui.widgets.index_panel import IndexPanel
from assistant.tui.widgets.status import StatusBar

STATUS_COLOUR = {
    DocStatus.INDEXED: "success",
    DocStatus.PARTIAL: "warning",
    DocStatus.NEEDS_OCR: "warning",
    DocStatus.FAILED: "error",
}


def size(doc: Document) -> str:
    if doc.pages:
        return tr("library.size.pages", n=doc.pages)
    if doc.rows:
        return tr("library.size.rows", n=doc.rows)
    return ""


def matches(doc: Document, words: list[str]) -> bool:
    """Whether the document holds every filter word (lower case): a word of one or two
    letters as a whole word ("en" is the language, not every title with "environment")."""
    text = haystack(doc)
    return all(re.search(rf"\b{re.escape(w)}\b", text) if len(w) <= 2 else w in text for w in words)


def shelved(docs: list[Document]) -> list[Document]:
    """The documents as the Library lists them: those that could not be read first (they
    need the user's action), then by type, in the model's order (studies, agreements,
    manuals, regulations, data), then by title, so a document is found where a reader looks
    for it rather than in the order the files were first indexed."""
    kinds, unread = list(DocType), (DocStatus.FAILED, DocStatus.NEEDS_OCR)
    return sorted(
        docs, key=lambda d: (d.status not in unread, kinds.index(d.type), printable(d.title).casefold(), d.id)
    )


def row_title(doc: Document, width: int) -> str:
    """The title as the table shows it in `width` columns: a title too long for them starts
    with the regulation's short name, since cut short two regulations read alike
    ("Peraturan Menteri LH/K…", "Peraturan Menteri LHK …"), unless the part shown gives its
    number."""
    title, short = printable(doc.title), short_name(doc)
    if not short or len(title) <= width or short in title:
        return title
    # the cut title that shows the regulation's number already tells it apart: "Perda Provinsi
    # Jawa Barat No. 1 Tahun…" needs no "Perda Provinsi Jawa Barat 1/2016 · " before it
    number = re.search(r"([\w.]+)/\d{4}$", short)
    shown = title[: width - 1]
    if number and re.search(rf"(?:No\.?|Nomor)\s*{re.escape(number.group(1))}\b", shown, re.IGNORECASE):
        return title
    return f"{printable(short)} · {title}"


def haystack(doc: Document) -> str:
    """Everything the filter matches against, the document's notes included ("revoked",
    "OCR transcription", in the interface's language)."""
    return " ".join(
        str(x)
        for x in (
            doc.id,
            doc.title,
            doc.path,
            doc.type.value,
            doc_type(doc.type),
            doc.year or "",
            doc.language or "",
            doc.status.value,
            tr(f"status.{doc.status.value}"),
            doc.issuer or "",
            " ".join(doc.authors),
            short_name(doc) or "",  # "PP 28/2018", as officials write it
            *document_notes(doc, language()),
            *doc.warnings,  # "16 page(s) read by OCR ..."
        )
    ).lower()


class LibraryScreen(MitraScreen):
    """The documents of the index."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape", "back", "k.back"),
        Binding("ctrl+l", "back", show=False),  # the key that opened it closes it
        Binding("down", "move('cursor_down')", show=False),
        Binding("up", "move('cursor_up')", show=False),
        Binding("pagedown", "move('page_down')", show=False),
        Binding("pageup", "move('page_up')", show=False),
        Binding("ctrl+r", "app.reindex", "k.reindex"),
    ]

    def __init__(self) -> None:
        super().__init__(id="library")
        self.shown: list[Document] = []
        self.title_width = 30
        self._widths: tuple[int, dict[str, int]] | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield Input(placeholder=tr("library.filter"), id="library-filter")
        yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        yield Static(id="doc-detail")
        yield IndexPanel(id="index-panel")
        yield Footer(compact=True)

    def populate(self) -> None:
        self._widths = None  # a new table (after a language switch): columns again
        self._columns(self.app.size.width)
        self.query_one("#library-filter", Input).focus()

    def on_resize(self) -> None:
        self._columns(self.size.width)

    def _columns(self, width: int) -> None:
        """The title column takes what the others leave (DataTable has no 1fr columns)."""
        table = self.query_one("#documents", DataTable)
        docs = self.controller.documents()
        keys = ("type", "year", "lang", "size", "passages", "status")
        cells = {
            "type": [doc_type(d.type) for d in docs],
            "year": [str(d.year or "") for d in docs],
            "lang": [printable(d.language or "") for d in docs],
            "size": [size(d) for d in docs],
            "passages": [str(d.passages) for d in docs],
            "status": [tr(f"status.{d.status.value}") for d in docs],
        }
        widths = {k: max([len(tr(f"library.col.{k}")), *map(len, cells[k])]) for k in keys}
        padding = 2 * table.cell_padding * (len(keys) + 1) + 2  # + the scrollbar
        longest = max([len(tr("library.col.title")), *(len(printable(d.title)) for d in docs)])
        self.title_width = max(12, min(longest, width - sum(widths.values()) - padding))
        if self._widths == (self.title_width, widths):
            return
        self._widths = (self.title_width, widths)
        chosen = self.current()
        table.clear(columns=True)
        table.add_column(tr("library.col.title"), key="title", width=self.title_width)
        for key in keys:
            table.add_column(tr(f"library.col.{key}"), key=key, width=widths[key])
        self.refilter(chosen)

    def refilter(self, chosen: Document | None = None) -> None:
        """The rows the filter admits, the document selected before (`chosen`, else the
        current one) kept selected when still shown."""
        chosen = chosen or self.current()
        docs = self.controller.documents()
        words = self.query_one("#library-filter", Input).value.lower().split()
        self.shown = [d for d in shelved(docs) if matches(d, words)]
        table = self.query_one("#documents", DataTable)
        table.clear()
        theme = self.app.current_theme
        for d in self.shown:
            # DataTable cells are Rich renderables: Text, so titles are never read as markup;
            # printable, so no control character of a title reaches the terminal.
            # an indexed regulation no longer in force says so where the status is read
            revoked = d.status is DocStatus.INDEXED and bool(d.revoked_by)
            colour = getattr(theme, "warning" if revoked else STATUS_COLOUR.get(d.status, "success"), None) or ""
            bold = "bold " if d.status is DocStatus.FAILED else ""
            status = tr("status.revoked") if revoked else tr(f"status.{d.status.value}")
            table.add_row(
                Text(row_title(d, self.title_width), no_wrap=True, overflow="ellipsis"),
                Text(doc_type(d.type)),
                Text(str(d.year or "")),
                Text(printable(d.language or "")),
                Text(size(d)),
                Text(str(d.passages)),
                Text(status, style=f"{bold}{colour}".strip()),
                key=d.id,
            )
        ids = [d.id for d in self.shown]
        if chosen is not None and chosen.id in ids:
            table.move_cursor(row=ids.index(chosen.id))
        self._detail()

    def _detail(self) -> None:
        detail = self.query_one("#doc-detail", Static)
        library = self.controller.library
        count = tr("library.count", shown=len(self.shown), total=len(self.controller.documents()))
        count += self.controller.unreadable_note()
        hint = printable(tr("library.hint", corpus=self.controller.settings.corpus_dir))
        doc = self.current()
        if library is None:
            detail.update(Content.styled(tr("library.empty"), "$text-warning"))
            return
        # The selected document first, with what to know before citing it; the count and the
        # hint last: at 80x24 the box shows about five lines and cuts what comes after.
        lines: list[tuple[str, str] | str] = []
        if doc is not None:
            lines += [(printable(doc.title), "bold"), " · ", (printable(doc.path), "$text-muted"), "\n"]
            for note in document_notes(doc, language()):
                lines += [(printable(f"⚠ {note}"), "$text-warning"), "\n"]
            for w in doc.warnings:
                style = "$text-error" if doc.status is DocStatus.FAILED else "$text-warning"
                said = in_indonesian(w) if language() == "id" else w
                lines += [(printable(f"⚠ {said}"), style), "\n"]
        if not self.shown and (words := self.query_one("#library-filter", Input).value.strip()):
            lines += [(printable(tr("library.no_match", words=words)), "$text-warning"), "\n"]
        lines += [(count, "bold"), "  ", (hint, "$text-muted")]
        detail.update(Content.assemble(*lines))

    def current(self) -> Document | None:
        table = self.query_one("#documents", DataTable)
        if not self.shown or table.cursor_row is None or not (0 <= table.cursor_row < len(self.shown)):
            return None
        return self.shown[table.cursor_row]

    def action_back(self) -> None:
        self.dismiss()

    def action_move(self, action: str) -> None:
        table = self.query_one("#documents", DataTable)
        getattr(table, f"action_{action}")()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.refilter()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._open()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open()

    def _open(self) -> None:
        doc = self.current()
        if doc is not None:
            self.post_message(OpenDocument(doc.id))
