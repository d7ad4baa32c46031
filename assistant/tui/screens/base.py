"""What every screen shares: the status bar, the indexing panel, the footer, and
key descriptions translated into the interface language."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.binding import ActiveBinding
from textual.screen import Screen

from assistant.tui.controller import Controller, controller_of
from assistant.tui.i18n import tr
from assistant.tui.widgets.index_panel import IndexPanel
from assistant.tui.widgets.status import StatusBar


class MitraScreen(Screen[Any]):
    """A screen of the app. Subclasses fill themselves from the app's state in `populate`."""

    @property
    def controller(self) -> Controller:
        """The app's state (screens do not import the app)."""
        return controller_of(self.app)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        # Binding descriptions are i18n keys; show them in the interface language.
        return {
            key: active._replace(binding=replace(active.binding, description=tr(active.binding.description)))
            for key, active in super().active_bindings.items()
        }

    def on_mount(self) -> None:
        self.populate()
        self.paint_chrome()

    def populate(self) -> None:
        """Fill the widgets from the app's state (after mounting, and after a language switch)."""

    async def relabel(self) -> None:
        """Rebuild the screen in the current interface language, keeping its state."""
        await self.recompose()
        self.populate()
        self.paint_chrome()
        self.refresh_bindings()

    def paint_chrome(self) -> None:
        """Show the app's state in the status bar and the indexing panel."""
        c = self.controller
        for bar in self.query(StatusBar):
            bar.show("Mitra", c.status_parts())
        for panel in self.query(IndexPanel):
            if c.index_state is None:
                panel.hide()
            else:
                panel.show_progress(c.index_state)
