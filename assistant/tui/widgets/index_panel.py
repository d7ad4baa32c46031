"""The indexing progress panel: what stage, how far, and a way to cancel."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Label, ProgressBar

from assistant.tui.i18n import tr
from assistant.tui.state import IndexState


class IndexPanel(Vertical):
    """Hidden until a build runs; the app updates every screen's panel."""

    DEFAULT_CSS = """
    IndexPanel { display: none; height: auto; padding: 0 1; border-top: hkey $accent; background: $panel; }
    IndexPanel.-running { display: block; }
    IndexPanel #index-title { text-style: bold; color: $text-accent; width: 1fr; }
    IndexPanel Horizontal { height: 1; }
    IndexPanel ProgressBar { width: 1fr; }
    IndexPanel #index-stage { width: 1fr; }
    IndexPanel Button { min-width: 10; height: 1; border: none; margin-left: 1; }
    IndexPanel #index-hint { color: $text-muted; }
    """

    class CancelPressed(Message):
        """The user asked to stop the build."""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label("", id="index-title")
            yield Button(tr("index.cancel_button"), id="index-cancel", variant="warning", compact=True)
        with Horizontal():
            yield Label("", id="index-stage")
            yield ProgressBar(total=None, show_eta=False, id="index-bar")
        yield Label(tr("index.cancel_hint"), id="index-hint")

    def show_progress(self, state: IndexState) -> None:
        self.add_class("-running")
        hint = "index.cancel_hint_first" if state.first else "index.cancel_hint"
        self.query_one("#index-hint", Label).update(tr(hint))
        self.query_one("#index-title", Label).update(state.title)
        self.query_one("#index-stage", Label).update(state.stage)
        self.query_one("#index-bar", ProgressBar).update(total=state.total, progress=state.done)

    def hide(self) -> None:
        self.remove_class("-running")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.CancelPressed())
