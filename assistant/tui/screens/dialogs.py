"""The error dialog: what happened and what to do, for failures that need attention; and the
Reader's prompt (go to a place, find words)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from assistant.display import printable
from assistant.tui.i18n import tr


class ErrorDialog(ModalScreen[None]):
    """A modal with the message, the hint, and a Close button (plain text: an error
    message may name a file or quote a document)."""

    BINDINGS = [Binding("escape,enter", "close", "k.back")]  # noqa: RUF012
    DEFAULT_CSS = """
    ErrorDialog { align: center middle; }
    ErrorDialog > Vertical {
        width: 70; max-width: 90%; height: auto; padding: 1 2;
        border: thick $error; background: $surface;
    }
    ErrorDialog #error-title { text-style: bold; color: $text-error; margin-bottom: 1; }
    ErrorDialog #error-hint { margin-top: 1; color: $text-warning; }
    ErrorDialog Button { margin-top: 1; }
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__()
        self.message = message
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(tr("error.title"), id="error-title")
            yield Static(Content(printable(self.message)), id="error-message")
            if self.hint:
                yield Static(Content(printable(tr("error.what_to_do", hint=self.hint))), id="error-hint")
            yield Button(tr("error.close"), variant="error", id="error-close")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss()

    def action_close(self) -> None:
        self.dismiss()


class PromptDialog(ModalScreen[str | None]):
    """Asks the Reader for one line, at the foot of the screen over the document (which
    stays in sight): where to go ("reader.goto": a Pasal, "44", "Pasal 13A",
    or a page, "hlm 12") or what to find ("reader.find"); dismissed with what was typed, or
    None (Escape, nothing typed). `value`: the line to start from (the last search). With
    `each`, Enter hands it the line and the prompt stays, its title saying what `each`
    answers (find: "“BOD”: 2 of 30"; Enter again goes to the next match, the document in
    sight behind); Escape closes it."""

    BINDINGS = [Binding("escape", "cancel", "k.back")]  # noqa: RUF012
    DEFAULT_CSS = """
    PromptDialog { align: center bottom; background: $background 0%; }
    PromptDialog > Vertical {
        width: 60; max-width: 100%; height: auto; padding: 0 1; margin-bottom: 1;
        border: round $primary; background: $surface;
    }
    PromptDialog #prompt-title { text-style: bold; }
    """

    def __init__(self, key: str, value: str = "", each: Callable[[str], str | None] | None = None) -> None:
        super().__init__()
        self.key = key
        self.value = value
        self.each = each

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(tr(f"{self.key}.title"), id="prompt-title")
            yield Input(self.value, placeholder=tr(f"{self.key}.placeholder"), id="prompt-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value.strip()
        if self.each is not None and typed:
            said = self.each(typed)  # shown in the prompt's title, not over the document
            title = tr(f"{self.key}.title")
            self.query_one("#prompt-title", Static).update(Content(f"{title} · {printable(said)}" if said else title))
            return
        self.dismiss(typed or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
