"""The command palette (Ctrl+P): Mitra's commands, and one 'open document' per document."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.command import Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from assistant.display import printable
from assistant.tui.controller import controller_of
from assistant.tui.i18n import tr
from assistant.tui.messages import OpenDocument
from assistant.tui.render import doc_type

# (i18n key, app action): the palette's own commands, in the order they are listed.
COMMANDS = (
    ("cmd.reindex", "reindex"),
    ("cmd.rebuild", "reindex(True)"),
    ("cmd.cancel", "cancel_index"),
    ("cmd.export", "export_brief"),
    ("cmd.copy", "copy_citation"),
    ("cmd.answer_lang", "scope('answer')"),
    ("cmd.ui_lang", "ui_language"),
    ("cmd.type", "scope('type')"),
    ("cmd.lang", "scope('language')"),
    ("cmd.library", "library"),
    ("cmd.help", "help"),
    ("cmd.dark", "toggle_dark"),
)


def mitra_commands(app: App[Any]) -> Iterable[SystemCommand]:
    """Mitra's own commands, for the app's `get_system_commands`; "cancel indexing" only
    while an index is being built."""
    indexing = controller_of(app).index_state is not None
    for key, action in COMMANDS:
        if action == "cancel_index" and not indexing:
            continue
        yield SystemCommand(tr(key), tr(f"{key}.help"), partial(app.run_action, action))


class DocumentCommands(Provider):
    """'Open document: <title>' for every document of the library."""

    def _commands(self) -> list[tuple[str, str, str]]:
        return [
            (
                printable(tr("cmd.open", title=d.title)),
                printable(tr("cmd.open.help", type=doc_type(d.type), year=d.year or "—", id=d.id)),
                d.id,
            )
            for d in controller_of(self.app).documents()
        ]

    def _open(self, doc_id: str) -> None:
        self.app.post_message(OpenDocument(doc_id))

    async def discover(self) -> Hits:
        # Documents are found by typing ("open …"); the empty palette lists the commands.
        return
        yield  # an async generator that yields nothing

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, doc_id in self._commands():
            score = matcher.match(f"{name} {help_text}")
            if score > 0:
                # The palette reads a hit's help as markup, and Matcher.highlight its text:
                # a title is plain text, so it is highlighted here and the help escaped.
                shown = Content(name)
                for offset in matcher.fuzzy_search.match(query, name)[1]:
                    if not name[offset].isspace():
                        shown = shown.stylize(matcher.match_style, offset, offset + 1)
                yield Hit(score, shown, partial(self._open, doc_id), text=name, help=escape(help_text))
