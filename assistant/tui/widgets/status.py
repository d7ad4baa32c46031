"""The one-line status bar at the top of every screen: library, models, scope."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class StatusBar(Static):
    """Shows what the app is doing; the app pushes new parts with `show`."""

    DEFAULT_CSS = """
    StatusBar { dock: top; height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    """

    def show(self, title: str, parts: list[tuple[str, str]]) -> None:
        """`parts` are (text, style) pairs joined with separators after the title."""
        pieces: list[str | tuple[str, str] | Content] = [(title, "bold $text-accent")]
        for text, style in parts:
            if text:
                pieces += [(" │ ", "$text-muted"), (text, style)]
        self.update(Content.assemble(*pieces))
