"""What every screen shares: the status bar, the indexing panel, the footer, and
key descriptions translated into the interface language."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from textual.binding import ActiveBinding
from textual.screen import Screen

from assistant.tui.i18n import tr
from assistant.tui.widgets.index_panel import IndexPanel
from assistant.tui.widgets.status import StatusBar

if TYPE_CHECKING:
    from assistant.tui.app import MitraApp


class MitraScreen(Screen[Any]):
    """A screen of the app. Subclasses fill themselves from the app's state in `populate`."""

    @property
    def mitra(self) -> MitraApp:
        return cast("MitraApp", self.app)

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
        app = self.mitra
        for bar in self.query(StatusBar):
            bar.show("Mitra", app.status_parts())
        for panel in self.query(IndexPanel):
            if app.index_state is None:
                panel.hide()
            else:
                panel.show_progress(app.index_state)

    def on_index_panel_cancel_pressed(self, event: IndexPanel.CancelPressed) -> None:
        self.mitra.action_cancel_index()
