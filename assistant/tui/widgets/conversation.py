"""The conversation pane: every question and its answer, one option each."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from assistant.tui.messages import TurnSelected
from assistant.tui.render import turn_content
from assistant.tui.state import Turn


class Conversation(OptionList):
    """Questions and answers; the highlighted one feeds the evidence panel. Up and Down go
    from turn to turn; PageUp and PageDown scroll, since one answer may be taller than the
    pane."""

    BINDINGS = [  # noqa: RUF012
        Binding("pagedown", "scroll_answers(1)", show=False),
        Binding("pageup", "scroll_answers(-1)", show=False),
    ]

    DEFAULT_CSS = """
    Conversation {
        height: 1fr; border: round $primary 50%; padding: 0 1; background: $surface;
        scrollbar-gutter: stable;  /* no re-wrap when the scrollbar appears */
    }
    Conversation:focus { border: round $primary; }
    """

    def add_turn(self, turn: Turn) -> None:
        if self.option_count:
            self.add_option(None)  # a separator line
        self.add_option(Option(turn_content(turn), id=str(turn.id)))
        self.highlighted = self.option_count - 1
        self.scroll_end(animate=False)

    def update_turn(self, turn: Turn) -> None:
        self.replace_option_prompt(str(turn.id), turn_content(turn))
        if self.highlighted == self.get_option_index(str(turn.id)):
            # The answer has replaced its placeholder: its first lines in view, not the
            # previous answer's last ones.
            self.call_after_refresh(self.scroll_to_highlight, True)

    def on_resize(self) -> None:
        """A new size re-wraps every answer: the highlighted one (the latest, unless another
        was chosen) stays in view, from its first line (it was left off screen)."""
        if self.highlighted is not None:
            self.call_after_refresh(self.scroll_to_highlight, True)

    def action_scroll_answers(self, pages: int) -> None:
        """Scroll by a page (the question line's PageUp and PageDown come here too)."""
        if pages > 0:
            self.scroll_page_down(animate=False)
        else:
            self.scroll_page_up(animate=False)

    def refresh_all(self, turns: list[Turn]) -> None:
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(separated([Option(turn_content(t), id=str(t.id)) for t in turns]))
        if turns:
            self.highlighted = highlighted if highlighted is not None else len(turns) - 1

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(TurnSelected(int(event.option.id)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.screen.query_one("#citations").focus()


def separated(options: list[Option]) -> list[Option | None]:
    """Options with a separator line between each two (separators are not options)."""
    out: list[Option | None] = []
    for option in options:
        if out:
            out.append(None)
        out.append(option)
    return out
