"""`mitra search`: the passages that best match a query.

    mitra search "query" [-k N] [--json] [--type TYPE] [--lang en|id] [--doc ID] [--year Y]
    mitra search --file queries.txt        # one JSON list per line of the file

An empty line of the file gives `[]`, so output line n answers input line n.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.cli import args as cli_args
from assistant.cli import output
from assistant.errors import ConfigError

if TYPE_CHECKING:
    from assistant.cli.args import Subparsers

DEFAULT_K = 5


def register(sub: Subparsers) -> None:
    """The `search` sub-command and its arguments."""
    p = sub.add_parser("search", help="find the passages that best match a query")
    p.add_argument("query", nargs="?", help="what to look for (omit with --file)")
    cli_args.add_k(p, DEFAULT_K, "number of passages")
    p.add_argument("--file", type=Path, help="read one query per line; write one JSON list per line")
    p.add_argument("--json", action="store_true", help="print JSON")
    cli_args.add_filters(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Search for the query (or each line of --file: an empty line gives `[]`); print the hits."""
    k = cli_args.check_k(args.k, DEFAULT_K)
    filters = cli_args.search_filters(args)
    if args.file:
        queries = [q.strip() for q in cli_args.read_lines(args.file)]
    elif args.query and args.query.strip():
        queries = [args.query.strip()]
    else:
        raise ConfigError("no query given", 'use mitra search "your question" or --file FILE')

    from assistant.index.library import Library
    from assistant.search.retriever import Retriever

    library = Library.open(cli_args.settings(args))
    retriever = Retriever(library)
    if not args.file and not args.json:
        output.print_hits(output.console(), retriever.search(queries[0], k=k, filters=filters), library.text)
        return 0
    for q in queries:
        hits = retriever.search(q, k=k, filters=filters) if q else []
        output.print_json([output.hit_json(i, h) for i, h in enumerate(hits, 1)], indent=None if args.file else 1)
        sys.stdout.flush()
    return 0
