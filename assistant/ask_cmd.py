"""`mitra ask`: answers with verified citations (placeholder until the answer engine lands)."""

from __future__ import annotations

import argparse
from typing import Any


def add_ask_parser(sub: Any) -> None:
    p = sub.add_parser("ask", help="answer a question with cited, verified quotes")
    p.add_argument("question", nargs="?", help="the question (omit with --file)")


def run_ask(args: argparse.Namespace, settings: Any) -> int:
    from assistant.errors import MitraError

    raise MitraError("`mitra ask` is not available yet", "use `mitra search` for now")
