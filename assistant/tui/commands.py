"""The command palette (Ctrl+P): Mitra's commands, and one 'open document' per document."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.app import SystemCommand
from textual.command import Hit, Hits, Provider

from assistant.tui.i18n import tr
from assistant.tui.render import doc_type

if TYPE_CHECKING:
    from assistant.tui.app import MitraApp

# (i18n key, app action): the palette's own commands, in the order they are listed.
COMMANDS = (
    ("cmd.reindex", "reindex"),
    ("cmd.rebuild", "reindex(True)"),
    ("cmd.cancel", "cancel_index"),
    ("cmd.export", "export_brief"),
    ("cmd.copy", "copy_citation"),
    ("cmd.answer_lang", "answer_language"),
    ("cmd.ui_lang", "ui_language"),
    ("cmd.type", "scope_type"),
    ("cmd.lang", "scope_language"),
    ("cmd.library", "library"),
    ("cmd.help", "help"),
    ("cmd.dark", "toggle_dark"),
)


def mitra_commands(app: MitraApp) -> Iterable[SystemCommand]:
    for key, action in COMMANDS:
        yield SystemCommand(tr(key), tr(f"{key}.help"), partial(app.run_action, action))


class DocumentCommands(Provider):
    """'Open document: <title>' for every document of the library."""

    def _commands(self) -> list[tuple[str, str, str]]:
        app = cast("MitraApp", self.app)
        if app.library is None:
            return []
        return [
            (
                tr("cmd.open", title=d.title),
                tr("cmd.open.help", type=doc_type(d.type), year=d.year or "—", id=d.id),
                d.id,
            )
            for d in app.library.documents()
        ]

    def _open(self, doc_id: str) -> None:
        cast("MitraApp", self.app).open_document(doc_id)

    async def discover(self) -> Hits:
        # Documents are found by typing ("open …"); the empty palette lists the commands.
        return
        yield  # an async generator that yields nothing

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, doc_id in self._commands():
            score = matcher.match(f"{name} {help_text}")
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._open, doc_id), help=help_text)
