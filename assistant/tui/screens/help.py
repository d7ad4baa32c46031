"""Help: the keys, and what Mitra can and cannot do."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Markdown

from assistant.tui.i18n import help_text
from assistant.tui.screens.base import MitraScreen
from assistant.tui.widgets.index_panel import IndexPanel
from assistant.tui.widgets.status import StatusBar


class HelpScreen(MitraScreen):
    BINDINGS = [Binding("escape,f1,q", "back", "k.back")]  # noqa: RUF012

    def __init__(self) -> None:
        super().__init__(id="help")

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with VerticalScroll(id="help-body"):
            yield Markdown(help_text(), id="help-text")
        yield IndexPanel(id="index-panel")
        yield Footer(compact=True)

    def populate(self) -> None:
        self.query_one("#help-body").focus()

    def action_back(self) -> None:
        self.dismiss()
