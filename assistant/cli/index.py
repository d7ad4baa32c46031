"""`mitra index [--rebuild] [--json]`: build or update the index from the corpus folder."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.cli import args as cli_args
from assistant.cli import output

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import TaskID

    from assistant.cli.args import Subparsers
    from assistant.index.build import IndexReport


def register(sub: Subparsers) -> None:
    """The `index` sub-command and its arguments."""
    p = sub.add_parser("index", help="build or update the index from the corpus folder")
    p.add_argument("--rebuild", action="store_true", help="re-read and re-embed every document")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Bring the index up to date (progress bars on a terminal), then say what changed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from assistant.index.build import build_index

    settings = cli_args.settings(args)
    err = output.console(stderr=True)
    with Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=args.json or not err.is_terminal,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        report = build_index(settings, rebuild=args.rebuild, progress=progress)

    if args.json:
        output.print_json(output.report_json(report), indent=1)
    else:
        print_report(output.console(), report)
    return 0


def print_report(out: Console, report: IndexReport) -> None:
    """The build summary, then each file's notes and each skipped file with the reason."""
    if report.rebuilt_because:
        out.print(output.line((f"Rebuilt the whole index: {report.rebuilt_because}.", "yellow")))
    total_s = report.timings.get("total_s", 0)
    if report.changed_anything:
        unread = f" ({report.unreadable} not readable, below)" if report.unreadable else ""
        out.print(
            f"Indexed {report.documents} documents{unread}, {report.passages} passages "
            f"({len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed, "
            f"{report.unchanged} unchanged; {report.embedded} passages embedded) in {total_s:.1f} s."
            + (
                f" Vectors: {report.computed:,} computed, {report.bundled:,} shipped with the library."
                if report.bundled
                else ""
            )
        )
    else:
        out.print(
            f"Index is up to date: {report.documents} documents"
            + (f" ({report.unreadable} not readable)" if report.unreadable else "")
            + f", {report.passages} passages "
            f"(checked in {total_s:.2f} s)."
        )
    for path, warnings in report.warnings.items():
        for w in warnings:
            out.print(output.line("  ", ("note", "dim"), f" {path}: {w}"))
    if report.skipped:
        out.print(f"[bold yellow]{len(report.skipped)} file(s) not indexed:[/]")
        for s in report.skipped:
            reason = s.reason.removeprefix(f"{Path(s.path).name}: ")  # a loader's reason may name the file too
            out.print(
                output.line("  ", ("skipped", "yellow"), f" {s.path}: {reason}" + (f" — {s.hint}" if s.hint else ""))
            )
