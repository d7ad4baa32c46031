"""The question input, with the history of earlier questions on up/down."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from assistant.tui.state import History


class QuestionInput(Input):
    """An Input that remembers what was asked."""

    BINDINGS = [  # noqa: RUF012
        Binding("up", "history(-1)", "history", show=False),
        Binding("down", "history(1)", "history", show=False),
    ]

    def __init__(self, history: History, *, placeholder: str = "", id: str | None = None) -> None:
        # no select-all on focus: a letter typed in the evidence panel moves here and the
        # next one must not replace it (AskScreen.on_key)
        super().__init__(placeholder=placeholder, id=id, select_on_focus=False)
        self.history = history

    def action_history(self, step: int) -> None:
        value = self.history.older(self.value) if step < 0 else self.history.newer()
        if value is not None:
            self.value = value
            self.cursor_position = len(value)
