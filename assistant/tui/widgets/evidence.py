"""The evidence panel: the citations of the selected answer, or the nearest passages
of a refusal, each with its quote highlighted inside its passage."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from assistant.display import printable
from assistant.tui.i18n import tr
from assistant.tui.messages import OpenTargets, TargetSelected
from assistant.tui.render import target_content
from assistant.tui.state import Target, Turn
from assistant.tui.widgets.conversation import separated


class Evidence(Vertical):
    """A header and the list of citations; Enter opens one in the Reader."""

    DEFAULT_CSS = """
    Evidence { height: 1fr; border: round $secondary 50%; background: $surface; }
    Evidence:focus-within { border: round $secondary; }
    Evidence #evidence-head { height: auto; padding: 0 1; color: $text-muted; }
    Evidence #evidence-head.-refusal { color: $text-warning; text-style: bold; }
    Evidence OptionList, Evidence OptionList:focus {
        height: 1fr; border: none; padding: 0 1; scrollbar-gutter: stable;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.targets: list[Target] = []

    def compose(self) -> ComposeResult:
        yield Static(Content(tr("evidence.empty")), id="evidence-head")
        yield OptionList(id="citations")

    def show_turn(self, turn: Turn | None) -> None:
        head = self.query_one("#evidence-head", Static)
        options = self.query_one("#citations", OptionList)
        self.targets = turn.evidence if turn else []
        options.clear_options()
        refusal = bool(turn and turn.answer and not turn.answer.citations and turn.answer.nearest)
        head.set_class(refusal, "-refusal")
        if turn is None or turn.answer is None:
            head.update(Content(tr("evidence.empty")))
            return
        if refusal:
            # passages on it but no figure, or the answer filtered out: not "not in the library"
            reason = turn.answer.refusal_reason
            head.update(
                Content(tr(f"evidence.{reason}" if reason in ("no_figure", "filtered") else "evidence.nearest"))
            )
        else:
            head.update(Content(tr("evidence.for", q=printable(turn.question))))
        options.add_options(separated([Option(target_content(t), id=str(i)) for i, t in enumerate(self.targets)]))
        if self.targets:
            options.highlighted = 0

    @property
    def selected(self) -> int | None:
        return self.query_one("#citations", OptionList).highlighted

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(TargetSelected(event.option_index))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.targets:
            self.post_message(OpenTargets(self.targets, event.option_index))
