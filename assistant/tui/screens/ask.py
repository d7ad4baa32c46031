"""The home screen: the conversation, the evidence of the selected answer, the question."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.content import Content
from textual.widgets import Footer, Input, Static

from assistant.tui.i18n import tr
from assistant.tui.messages import AskQuestion, OpenTargets, TargetSelected, TurnSelected
from assistant.tui.screens.base import MitraScreen
from assistant.tui.state import Target, Turn
from assistant.tui.widgets.conversation import Conversation
from assistant.tui.widgets.evidence import Evidence
from assistant.tui.widgets.index_panel import IndexPanel
from assistant.tui.widgets.question import QuestionInput
from assistant.tui.widgets.status import StatusBar


class AskScreen(MitraScreen):
    """Ask, read the answer, check its evidence."""

    BINDINGS = [  # noqa: RUF012
        # Shown on the question's border with their current values, not in the footer.
        Binding("ctrl+t", "app.scope('type')", "k.type", show=False),
        Binding("ctrl+g", "app.scope('language')", "k.lang", show=False),
        Binding("ctrl+n", "app.scope('answer')", "k.answer_lang", show=False),
        # Opens the selected citation from anywhere (Enter does from the evidence panel).
        Binding("ctrl+o", "open_citation", "k.open"),
        Binding("ctrl+s", "app.export_brief", "k.brief"),
        Binding("ctrl+y", "app.copy_citation", "k.copy"),
        Binding("escape", "app.cancel_index", "k.cancel", show=False),
        # From the question line, the answers scroll as from their own pane.
        Binding("pagedown", "scroll_answers(1)", show=False),
        Binding("pageup", "scroll_answers(-1)", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="ask")
        self.selected_turn: int | None = None
        self.selected_target: int | None = None

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Container(id="main"):
            with Vertical(id="left"):
                yield Static(self._welcome(), id="welcome")
                yield Conversation(id="conversation")
            yield Evidence(id="evidence")
        yield IndexPanel(id="index-panel")
        yield QuestionInput(self.controller.history, placeholder=tr("ask.placeholder"), id="question")
        yield Footer(compact=True)

    @staticmethod
    def _welcome() -> Content:
        return Content.assemble((tr("ask.welcome.title") + "\n\n", "bold $text-accent"), tr("ask.welcome.body"))

    def paint_chrome(self) -> None:
        super().paint_chrome()
        c = self.controller
        self.query_one("#question", Input).border_subtitle = f"{c.scope_text(keys=True)} · {c.answer_text(keys=True)}"

    def populate(self) -> None:
        turns = self.controller.turns
        self.query_one("#welcome").display = not turns
        self.query_one(Conversation).display = bool(turns)
        self.query_one("#main").set_class(not turns, "-empty")
        self.query_one(Conversation).refresh_all(turns)
        self._show_evidence()
        self.query_one("#question", Input).focus()

    # -- what the app tells the screen ---------------------------------------------------
    def add_turn(self, turn: Turn) -> None:
        self.query_one("#welcome").display = False
        self.query_one(Conversation).display = True
        self.query_one("#main").remove_class("-empty")
        self.selected_turn = turn.id
        self.query_one(Conversation).add_turn(turn)
        self._show_evidence()

    def update_turn(self, turn: Turn) -> None:
        self.query_one(Conversation).update_turn(turn)
        if turn.id == self.selected_turn:
            self._show_evidence()

    def _show_evidence(self) -> None:
        turn = self.controller.turn(self.selected_turn)
        evidence = self.query_one(Evidence)
        evidence.show_turn(turn)
        self.selected_target = 0 if evidence.targets else None

    def current_turn(self) -> Turn | None:
        return self.controller.turn(self.selected_turn)

    def current_target(self) -> Target | None:
        targets = self.query_one(Evidence).targets
        if self.selected_target is None or not (0 <= self.selected_target < len(targets)):
            return None
        return targets[self.selected_target]

    # -- events ----------------------------------------------------------------------------
    def action_open_citation(self) -> None:
        """The selected citation (or nearest passage) of the selected answer, in the Reader;
        a note when there is none."""
        evidence = self.query_one(Evidence)
        if not evidence.targets:
            self.app.notify(tr("notify.no_citation"), severity="warning")
            return
        self.post_message(OpenTargets(evidence.targets, evidence.selected or 0))

    def action_scroll_answers(self, pages: int) -> None:
        self.query_one(Conversation).action_scroll_answers(pages)

    def on_key(self, event: events.Key) -> None:
        """A letter typed while the answers or the evidence have focus starts the next
        question: it goes to the question line (focus was left there by Tab or the Reader).
        The question line keeps the letters typed into it (Input stops them), so whatever
        letter arrives here is for it, wherever the focus is by then."""
        question = self.query_one("#question", Input)
        if not (event.character and event.is_printable):
            return
        if event.character == " " and not question.value and self.focused is not question:
            return  # a space alone is the focused list's or pane's (to scroll), not a question
        event.stop()
        event.prevent_default()
        question.focus()
        question.insert_text_at_cursor(event.character)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        question = event.value.strip()
        if question:
            event.input.value = ""
            self.post_message(AskQuestion(question))

    def on_turn_selected(self, event: TurnSelected) -> None:
        event.stop()
        if event.turn_id != self.selected_turn:
            self.selected_turn = event.turn_id
            self._show_evidence()

    def on_target_selected(self, event: TargetSelected) -> None:
        event.stop()
        self.selected_target = event.index

    def on_open_targets(self, event: OpenTargets) -> None:
        # Let it bubble to the app, which pushes the Reader.
        self.selected_target = event.index
