"""`mitra eval FILE.jsonl [--k 1|5|10] [--mode MODE ...] [--json]`: retrieval quality per
configuration on a question set (e.g. tests/eval/questions.jsonl)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.cli import args as cli_args
from assistant.cli import output

if TYPE_CHECKING:
    from assistant.cli.args import Subparsers

MODES = ("bm25", "dense", "multilingual", "hybrid")  # assistant.search.retriever.MODES, kept light


def register(sub: Subparsers) -> None:
    """The `eval` sub-command and its arguments."""
    p = sub.add_parser("eval", help="measure retrieval quality on a question set")
    p.add_argument("file", type=Path, help="question set (JSON Lines), e.g. tests/eval/questions.jsonl")
    p.add_argument("--k", type=int, choices=(1, 5, 10), default=5, help="the Recall@k shown first (default 5)")
    p.add_argument("--mode", action="append", choices=MODES, help="only these retriever configurations (default: all)")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Evaluate every configuration asked for; print a table (or the report as JSON)."""
    from assistant.evaluate.retrieval import evaluate, parse_questions
    from assistant.index.library import Library

    questions = parse_questions(cli_args.read_lines(args.file), args.file)
    library = Library.open(cli_args.settings(args))
    modes = tuple(args.mode) if args.mode else MODES
    with output.console(stderr=True).status(f"Evaluating {len(questions)} questions…"):
        report = evaluate(library, questions, modes)
    if args.json:
        output.print_json(report, indent=1)
    else:
        print_report(report, args.file.name, args.k)
    return 0


def print_report(report: dict[str, Any], name: str, k: int) -> None:
    """One row per configuration and question group: R@k first, then R@1, R@10, MRR, nDCG@10."""
    from rich import box
    from rich.table import Table

    latency = " · ".join(
        f"{mode} {data['latency_ms']['p50']:.0f}/{data['latency_ms']['p95']:.0f} ms"
        for mode, data in report["modes"].items()
    )
    table = Table(
        title=output.shown(f"Retrieval on {name}: {report['questions']} answerable questions"),
        caption=f"Latency per query, p50/p95: {latency}",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    for col in ("config", "group", "n", f"R@{k}", "R@1", "R@10", "MRR", "nDCG"):
        table.add_column(col, justify="left" if col in ("config", "group") else "right", no_wrap=True)
    for mode, data in report["modes"].items():
        for i, (group, m) in enumerate(data["groups"].items()):
            table.add_row(
                mode if i == 0 else "",
                output.shown(group),
                str(m["n"]),
                f"{m[f'recall@{k}']:.3f}",
                f"{m['recall@1']:.3f}",
                f"{m['recall@10']:.3f}",
                f"{m['mrr']:.3f}",
                f"{m['ndcg@10']:.3f}",
            )
        table.add_section()
    output.console().print(table)
