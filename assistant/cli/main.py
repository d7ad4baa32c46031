"""The `mitra` command: the parser of every sub-command, and one place that turns errors
into a line on stderr.

Each command lives in its own module, which registers its sub-parser and runs it. Heavy
modules (the layers below, numpy, FAISS, sentence-transformers, Rich) are imported inside
the commands, so `mitra --help` answers at once. An error a user can hit (MitraError)
prints `mitra: error: ...` and exits 2; anything else prints one line naming the command
and the exception and exits 1. `MITRA_DEBUG=1` adds the traceback before that line; it is
read here, not in Settings, because it must work when the settings themselves fail.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from assistant import __version__
from assistant.cli import ask, docs, index, search, shell, tui
from assistant.cli import eval as evaluate
from assistant.display import printable
from assistant.errors import MitraError


def parser() -> argparse.ArgumentParser:
    """The `mitra` parser with every sub-command registered."""
    p = argparse.ArgumentParser(
        prog="mitra",
        description="Offline document assistant for the Bandung-Kawasaki environmental cooperation.",
    )
    p.add_argument("--version", action="version", version=f"mitra {__version__}")
    p.add_argument(
        "--corpus",
        type=Path,
        help="folder of documents (default: ./corpus; from a folder without one, the bundled library)",
    )
    p.add_argument("--index", type=Path, help="folder of the built index (default: ./index, beside the corpus)")
    p.add_argument("--embedder", action="append", choices=("minilm", "e5", "fake"), help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for command in (index, docs, search, ask, evaluate, shell, tui):  # the order --help lists them
        command.register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Parse `argv` (default: the command line), run the command, return the exit code."""
    p = parser()
    args = p.parse_args(argv)
    if not args.command:
        if not sys.stdin.isatty() or not sys.stdout.isatty():
            p.print_help()
            return 0
        args.command, args.run = "tui", tui.run
    try:
        code: int = args.run(args)
        return code
    except MitraError as exc:
        _traceback()
        _error(exc.message + (f" — {exc.hint}" if exc.hint else ""))
        return 2
    except KeyboardInterrupt:
        print("mitra: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`mitra search ... | head`): stop quietly, and keep Python from
        # complaining when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        _traceback()
        what = f"{exc.filename}: " if exc.filename else ""
        _error(f"{args.command} failed: {what}{exc.strerror or exc}" + _DEBUG_HINT)
        return 1
    except Exception as exc:
        _traceback()
        _error(f"{args.command} failed: {type(exc).__name__}: {exc}" + _DEBUG_HINT)
        return 1


_DEBUG_HINT = " (set MITRA_DEBUG=1 for the traceback)"


def _traceback() -> None:
    """The traceback of the exception being handled, on stderr, when MITRA_DEBUG is set."""
    if os.environ.get("MITRA_DEBUG"):
        import traceback

        traceback.print_exc()


def _error(text: str) -> None:
    """`mitra: error: text` on stderr, on one line, with document text made printable."""
    print("mitra: error: " + printable(" ".join(text.split())), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
