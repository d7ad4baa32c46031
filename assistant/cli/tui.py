"""`mitra tui` (and `mitra` alone, on a terminal): the Mitra terminal app."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from assistant.cli import args as cli_args

if TYPE_CHECKING:
    from assistant.cli.args import Subparsers


def register(sub: Subparsers) -> None:
    """The `tui` sub-command."""
    p = sub.add_parser("tui", help="open the Mitra terminal app (the default)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Open the app in this terminal; its exit code."""
    from assistant.tui.app import run as run_app

    return run_app(cli_args.settings(args))
