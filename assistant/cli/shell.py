"""`mitra shell [-k N]`: a plain search prompt in the terminal, without the app."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from assistant.cli import args as cli_args
from assistant.cli import output

if TYPE_CHECKING:
    from assistant.cli.args import Subparsers

DEFAULT_K = 5


def register(sub: Subparsers) -> None:
    """The `shell` sub-command and its arguments."""
    p = sub.add_parser("shell", help="interactive search prompt (plain terminal)")
    cli_args.add_k(p, DEFAULT_K, "passages shown per query")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Bring the index up to date, load the models, then search each line typed until an
    empty line, Ctrl-D or Ctrl-C."""
    from assistant.cli.index import print_report
    from assistant.index.build import build_index
    from assistant.index.library import Library
    from assistant.search.retriever import Retriever

    k = cli_args.check_k(args.k, DEFAULT_K)
    settings = cli_args.settings(args)
    out = output.console()
    with out.status("Checking the index…"):
        report = build_index(settings)
    if report.changed_anything or report.skipped:
        print_report(out, report)
    library = Library.open(settings)
    with out.status("Loading the embedding models…"):
        for space in library.spaces:
            library.embedder(space)
    out.print(
        f"Library: {report.documents} documents, {report.passages} passages. "
        "Type a question (empty line or Ctrl-D to quit)."
    )
    retriever = Retriever(library)
    while True:
        try:
            query = input("mitra> ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if not query:
            break
        output.print_hits(out, retriever.search(query, k=k))
    return 0
