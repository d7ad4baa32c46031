"""`mitra docs [--json]`: the library as a table, with each document's status and notes."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from assistant.cite.references import document_notes
from assistant.cli import args as cli_args
from assistant.cli import output

if TYPE_CHECKING:
    from assistant.cli.args import Subparsers
    from assistant.config import Settings
    from assistant.index.library import Library
    from assistant.model import Document


def register(sub: Subparsers) -> None:
    """The `docs` sub-command and its arguments."""
    p = sub.add_parser("docs", help="list the documents of the library")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """List the documents; on stderr, how many files changed since the index was built."""
    from assistant.index.library import Library

    settings = cli_args.settings(args)
    library = Library.open(settings)
    docs = library.documents()
    if args.json:
        output.print_json([output.document_json(d) for d in docs], indent=1)
    else:
        print_documents(docs, library.passage_count())
    try:
        stale = stale_files(settings, library)
    except OSError as exc:
        output.note(f"could not compare the corpus with the index: {exc}")
    else:
        if stale:
            output.note(f"{stale} file(s) changed since the index was built: run `mitra index`")
    return 0


def print_documents(docs: list[Document], passages: int) -> None:
    """The documents as a table, then the notes of those that have some."""
    from rich import box
    from rich.table import Table

    out = output.console()
    title = f"Library: {len(docs)} documents, {passages} passages"
    # An id is what --doc takes: never folded. A terminal too narrow for the boxed table
    # (80 columns) gets one without lines or padding.
    narrow = {"box": box.SIMPLE_HEAD, "padding": 0, "show_edge": False} if out.width < 100 else {}
    table = Table(title=title, **narrow)  # type: ignore[arg-type]
    table.add_column("id", no_wrap=True, min_width=min(28, max((len(d.id) for d in docs), default=2)))
    for col in ("type", "year", "lang", "size", "passages"):
        table.add_column(col, no_wrap=True, justify="right" if col == "passages" else "left")
    table.add_column("status", min_width=9)
    notes = {d.id: [*document_notes(d), *d.warnings] for d in docs}
    for d in docs:
        size = f"{d.pages} p." if d.pages else (f"{d.rows} rows" if d.rows else "")
        colour = {"indexed": "green", "partial": "yellow"}.get(d.status.value, "red")
        table.add_row(
            output.shown(d.id),
            d.type.value,
            str(d.year or ""),
            output.shown(d.language or ""),
            size,
            str(d.passages),
            output.line((d.status.value + (" *" if notes[d.id] else ""), colour)),
        )
    out.print(table)
    if any(notes.values()):
        out.print("* notes:")
    for d in docs:
        for w in notes[d.id]:
            out.print(output.line("  ", (f"{d.id}:", "dim"), f" {w}"))


def stale_files(settings: Settings, library: Library) -> int:
    """How many files were added, changed or removed since the index was built (a changed
    file counts once). 0 when there is no corpus folder: the index is all there is."""
    from assistant.index.plan import stale_files as count_stale

    return count_stale(settings, library.manifest)
