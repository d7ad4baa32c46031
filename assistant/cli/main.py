"""The `mitra` command: thin argument parsing over the core, text or JSON out.

Heavy modules (the core, numpy, FAISS, sentence-transformers) are imported inside
the commands, so `mitra --help` and `mitra docs` answer at once.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import __version__
from assistant.cli.args import add_filters, search_filters
from assistant.cli.output import hit_json
from assistant.errors import MitraError

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.model import Hit


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="mitra",
        description="Offline document assistant for the Bandung-Kawasaki environmental cooperation.",
    )
    p.add_argument("--version", action="version", version=f"mitra {__version__}")
    p.add_argument("--corpus", type=Path, help="folder of documents (default: ./corpus)")
    p.add_argument("--index", type=Path, help="folder of the built index (default: ./index)")
    p.add_argument("--embedder", action="append", choices=("minilm", "e5", "fake"), help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    ix = sub.add_parser("index", help="build or update the index from the corpus folder")
    ix.add_argument("--rebuild", action="store_true", help="re-read and re-embed every document")
    ix.add_argument("--json", action="store_true", help="print the summary as JSON")

    dc = sub.add_parser("docs", help="list the documents of the library")
    dc.add_argument("--json", action="store_true", help="print JSON instead of a table")

    se = sub.add_parser("search", help="find the passages that best match a query")
    se.add_argument("query", nargs="?", help="what to look for (omit with --file)")
    se.add_argument("-k", type=int, default=5, help="number of passages (default 5)")
    se.add_argument("--file", type=Path, help="read one query per line; write one JSON list per line")
    se.add_argument("--json", action="store_true", help="print JSON")
    add_filters(se)

    ev = sub.add_parser("eval", help="measure retrieval quality on a question set")
    ev.add_argument("file", type=Path, help="question set (JSON Lines), e.g. tests/eval/questions.jsonl")
    ev.add_argument("--k", type=int, default=5, help="the Recall@k shown first (default 5)")
    ev.add_argument(
        "--mode",
        action="append",
        choices=("bm25", "dense", "multilingual", "hybrid"),
        help="only these retriever configurations (default: all)",
    )
    ev.add_argument("--json", action="store_true", help="print the full report as JSON")

    from assistant.cli.ask import add_ask_parser

    add_ask_parser(sub)
    sub.add_parser("shell", help="interactive search prompt (plain terminal)")
    sub.add_parser("tui", help="open the Mitra terminal app (the default)")
    return p


def _settings(args: argparse.Namespace) -> Settings:
    from assistant.config import Settings

    overrides: dict[str, Any] = {}
    if args.corpus:
        overrides["corpus_dir"] = args.corpus
    if args.index:
        overrides["index_dir"] = args.index
    if args.embedder:
        overrides["embedders"] = tuple(args.embedder)
    return Settings(**overrides)


def cmd_index(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from assistant.index.build import build_index

    settings = _settings(args)
    err = Console(stderr=True)
    with Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=args.json or not err.is_terminal,
    ) as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        report = build_index(settings, rebuild=args.rebuild, progress=progress)

    if args.json:
        print(
            json.dumps(
                {
                    "documents": report.documents,
                    "passages": report.passages,
                    "added": report.added,
                    "changed": report.changed,
                    "removed": report.removed,
                    "unchanged": report.unchanged,
                    "embedded": report.embedded,
                    "rebuilt_because": report.rebuilt_because,
                    "skipped": [{"path": s.path, "reason": s.reason, "hint": s.hint} for s in report.skipped],
                    "warnings": report.warnings,
                    "timings": report.timings,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    out = Console()
    if report.rebuilt_because:
        out.print(f"[yellow]Rebuilt the whole index: {report.rebuilt_because}.[/]")
    if report.changed_anything:
        out.print(
            f"Indexed {report.documents} documents, {report.passages} passages "
            f"({len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed, "
            f"{report.unchanged} unchanged; {report.embedded} passages embedded) "
            f"in {report.timings.get('total_s', 0):.1f} s."
        )
    else:
        out.print(
            f"Index is up to date: {report.documents} documents, {report.passages} passages "
            f"(checked in {report.timings.get('total_s', 0):.2f} s)."
        )
    for path, warnings in report.warnings.items():
        for w in warnings:
            out.print(f"  [dim]note[/] {path}: {w}")
    if report.skipped:
        out.print(f"[bold yellow]{len(report.skipped)} file(s) not indexed:[/]")
        for s in report.skipped:
            out.print(f"  [yellow]skipped[/] {s.path}: {s.reason}" + (f" — {s.hint}" if s.hint else ""))
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from assistant.index.library import Library

    settings = _settings(args)
    library = Library.open(settings)
    docs = library.documents()
    if args.json:
        print(json.dumps([_doc_json(d) for d in docs], ensure_ascii=False, indent=1))
        return 0
    table = Table(title=f"Library: {len(docs)} documents, {library.passage_count()} passages")
    table.add_column("id", overflow="fold", max_width=28)
    for col in ("type", "year", "lang", "size", "passages"):
        table.add_column(col, no_wrap=True, justify="right" if col == "passages" else "left")
    table.add_column("status", min_width=9)
    for d in docs:
        size = f"{d.pages} p." if d.pages else (f"{d.rows} rows" if d.rows else "")
        status = d.status.value + (" *" if d.warnings else "")
        colour = {"indexed": "green", "partial": "yellow"}.get(d.status.value, "red")
        table.add_row(
            d.id,
            d.type.value,
            str(d.year or ""),
            d.language or "",
            size,
            str(d.passages),
            f"[{colour}]{status}[/]",
        )
    console = Console()
    console.print(table)
    if any(d.warnings for d in docs):
        console.print("* notes:")
    for d in docs:
        for w in d.warnings:
            console.print(f"  [dim]{d.id}:[/] {w}")
    stale = _stale_files(settings, library)
    if stale:
        Console(stderr=True).print(f"[yellow]{stale} file(s) changed since the index was built: run `mitra index`.[/]")
    return 0


def _stale_files(settings: Settings, library: Any) -> int:
    """Files added, changed or removed since the index was built."""
    from assistant.index.plan import stale_files

    return stale_files(settings, library.manifest)


def _doc_json(d: Any) -> dict[str, Any]:
    return {
        "id": d.id,
        "title": d.title,
        "type": d.type.value,
        "year": d.year,
        "language": d.language,
        "authors": list(d.authors),
        "issuer": d.issuer,
        "path": d.path,
        "pages": d.pages,
        "rows": d.rows,
        "passages": d.passages,
        "status": d.status.value,
        "warnings": list(d.warnings),
        "sha256": d.sha256,
        "source": d.source,
        "licence": d.licence,
    }


def cmd_search(args: argparse.Namespace) -> int:
    from assistant.errors import ConfigError
    from assistant.index.library import Library
    from assistant.search.retriever import Retriever

    settings = _settings(args)
    filters = search_filters(args)
    library = Library.open(settings)
    if args.file:
        try:
            queries = [q.strip() for q in args.file.read_text(encoding="utf-8").splitlines()]
        except OSError as exc:
            raise ConfigError(f"cannot read {args.file}: {exc.strerror}", "check the path") from None
        for q in queries:
            hits = Retriever(library).search(q, k=args.k, filters=filters) if q else []
            print(json.dumps([hit_json(i, h) for i, h in enumerate(hits, 1)], ensure_ascii=False))
        return 0
    if not args.query:
        raise ConfigError("no query given", 'use mitra search "your question" or --file FILE')
    hits = Retriever(library).search(args.query, k=args.k, filters=filters)
    if args.json:
        print(json.dumps([hit_json(i, h) for i, h in enumerate(hits, 1)], ensure_ascii=False, indent=1))
    else:
        _print_hits(hits)
    return 0


def _print_hits(hits: Sequence[Hit]) -> None:
    from rich.console import Console
    from rich.panel import Panel

    console = Console()
    if not hits:
        console.print("No passage matches (check the filters).")
    for i, h in enumerate(hits, 1):
        p = h.passage
        where = (
            (f"p. {p.page_label}" if p.page_label else "") or (f"rows {p.rows}" if p.rows else "") or (p.section or "")
        )
        title = h.document.title if h.document else p.doc_id
        body = p.text if len(p.text) < 700 else p.text[:700] + " …"
        console.print(
            Panel(
                body,
                title=f"[{i}] {title} · {where}",
                subtitle=f"{p.doc_id} · score {h.score:.3f}",
                title_align="left",
                subtitle_align="right",
            )
        )


def cmd_shell(args: argparse.Namespace) -> int:
    from rich.console import Console

    from assistant.index.build import build_index
    from assistant.index.library import Library
    from assistant.search.retriever import Retriever

    settings = _settings(args)
    console = Console()
    with console.status("Checking the index…"):
        report = build_index(settings)
    console.print(
        f"Library: {report.documents} documents, {report.passages} passages. "
        "Type a question (empty line or Ctrl-D to quit)."
    )
    library = Library.open(settings)
    with console.status("Loading the embedding model…"):
        _ = library.embedder
    while True:
        try:
            query = input("mitra> ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if not query:
            break
        _print_hits(Retriever(library).search(query, k=5))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from assistant.evaluate.retrieval import evaluate, load_questions
    from assistant.index.library import Library
    from assistant.search.retriever import MODES

    settings = _settings(args)
    questions = load_questions(args.file)
    library = Library.open(settings)
    modes = tuple(args.mode) if args.mode else MODES
    with Console(stderr=True).status(f"Evaluating {len(questions)} questions…"):
        report = evaluate(library, questions, modes)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    from rich import box

    k = args.k if args.k in (1, 5, 10) else 5
    latency = " · ".join(
        f"{mode} {data['latency_ms']['p50']:.0f}/{data['latency_ms']['p95']:.0f} ms"
        for mode, data in report["modes"].items()
    )
    table = Table(
        title=f"Retrieval on {args.file.name}: {report['questions']} answerable questions",
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
                group,
                str(m["n"]),
                f"{m[f'recall@{k}']:.3f}",
                f"{m['recall@1']:.3f}",
                f"{m['recall@10']:.3f}",
                f"{m['mrr']:.3f}",
                f"{m['ndcg@10']:.3f}",
            )
        table.add_section()
    Console().print(table)
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.cli.ask import run_ask

    return run_ask(args, _settings(args))


def cmd_tui(args: argparse.Namespace) -> int:
    from assistant.tui.app import run

    return run(_settings(args))


COMMANDS = {
    "ask": cmd_ask,
    "tui": cmd_tui,
    "eval": cmd_eval,
    "index": cmd_index,
    "docs": cmd_docs,
    "search": cmd_search,
    "shell": cmd_shell,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.command:
        if not sys.stdin.isatty() or not sys.stdout.isatty():
            parser.print_help()
            return 0
        args.command = "tui"
    try:
        return COMMANDS[args.command](args)
    except MitraError as exc:
        print(f"mitra: error: {exc.message}" + (f" — {exc.hint}" if exc.hint else ""), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mitra: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
