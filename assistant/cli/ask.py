"""`mitra ask`: answers with verified citations, or an honest refusal.

    mitra ask "question" [--json] [-k N] [--type TYPE] [--lang en|id] [--export brief.md] [--bibtex refs.bib]
    mitra ask --file questions.txt --json      # one JSON object per question, models loaded once

`--lang` sets the language of the answer's framing (default: the question's); the
documents searched are filtered with `--type`, `--doc`, `--year` and `--doc-lang`
(what `mitra search` calls `--lang`). In a question file, blank lines and lines starting
with `#` are skipped.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.cli import args as cli_args
from assistant.cli import output
from assistant.display import clipped
from assistant.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from assistant.answer import AnswerEngine
    from assistant.cli.args import Subparsers
    from assistant.config import Settings
    from assistant.model import Answer, Citation

DEFAULT_K = 8


def register(sub: Subparsers) -> None:
    """The `ask` sub-command and its arguments."""
    p = sub.add_parser("ask", help="answer a question with cited, verified quotes")
    p.add_argument("question", nargs="?", help="the question, in English or Bahasa Indonesia (omit with --file)")
    cli_args.add_k(p, DEFAULT_K, "passages read")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--file", type=Path, help="read one question per line; write one JSON object per line")
    p.add_argument("--lang", choices=("en", "id"), help="language of the answer (default: the question's)")
    p.add_argument("--export", type=Path, metavar="BRIEF.md", help="also write an evidence brief (Markdown)")
    p.add_argument("--bibtex", type=Path, metavar="REFS.bib", help="also write BibTeX for the cited documents")
    cli_args.add_filters(p, lang_flag="--doc-lang")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Answer the question (or each line of --file); print text or JSON; write the exports."""
    k = cli_args.check_k(args.k, DEFAULT_K)
    if args.file and (args.export or args.bibtex):
        raise ConfigError("--export and --bibtex take a single question", "drop --file, or the export flags")
    filters = cli_args.search_filters(args)
    if args.file:
        lines = (q.strip() for q in cli_args.read_lines(args.file))
        questions = [q for q in lines if q and not q.startswith("#")]
    elif args.question and args.question.strip():
        questions = [args.question.strip()]
    else:
        raise ConfigError("no question given", 'use mitra ask "your question" or --file FILE')

    engine = _engine(cli_args.settings(args))
    for question in questions:
        answer = engine.answer(question, k=k, filters=filters, language=args.lang)
        if args.json:
            output.print_json(output.answer_json(answer), indent=None if args.file else 1)
        else:
            print_answer(output.console(), answer, engine.library.text)
        if args.export:
            from assistant.cite.brief import write_brief

            output.note(f"evidence brief written to {write_brief(answer, engine.library, args.export)}")
        if args.bibtex:
            from assistant.cite.bibtex import write_bibtex

            output.note(f"BibTeX written to {write_bibtex(answer, engine.library, args.bibtex)}")
        sys.stdout.flush()
    return 0


def _engine(settings: Settings) -> AnswerEngine:
    from assistant.answer import AnswerEngine
    from assistant.index.library import Library

    library = Library.open(settings)
    err = output.console(stderr=True)
    with err.status("Loading the models…", spinner="dots") if err.is_terminal else contextlib.nullcontext():
        engine = AnswerEngine(library)
        engine.warm_up()
    return engine


def print_answer(out: Console, answer: Answer, text: Callable[[str], str] | None = None) -> None:
    """The answer, then its numbered quotes (or the nearest passages when it abstains),
    each with its location ('UU 18/2008, Pasal 44 ayat (2), hlm. 24' for a regulation:
    `text` gives a document's stored text, which the legal form is read from)."""
    from rich.panel import Panel

    from assistant.cite.references import citation_location, passage_location

    lang = answer.language
    out.print(Panel(output.prose(answer.text), title=output.shown(answer.question), title_align="left"))
    for c in answer.citations:
        _print_citation(out, c, lang, citation_location(c, text(c.doc_id) if text else None, lang))
    if answer.abstained and answer.nearest:
        out.print("[bold]Nearest passages:[/]" if lang == "en" else "[bold]Bagian terdekat:[/]")
        for i, h in enumerate(answer.nearest, 1):
            p = h.passage
            where = passage_location(p, h.document, text(p.doc_id) if text else None, lang)
            # a table's rows one to a line, as the TUI shows them; prose on one line
            body = clipped(
                "\n".join(" ".join(x.split()) for x in p.text.splitlines()) if p.rows else " ".join(p.text.split()), 400
            )
            body = body.replace("\n", "\n    ")
            title = h.document.title if h.document else p.doc_id
            out.print(output.line((f"{i}.", "bold"), " ", (title, "italic"), f" · {where}" if where else ""))
            out.print(output.line("    ") + output.prose(body, "dim"))
    t = answer.timings_ms
    retrieval = "pencarian" if lang == "id" else "retrieval"
    out.print(f"[dim]{t.get('total', 0):.0f} ms ({retrieval} {t.get('retrieve', 0):.0f} ms)[/]")


def _print_citation(out: Console, c: Citation, lang: str, where: str) -> None:
    from assistant.lang.names import language_name

    doc_lang = c.document.language if c.document else None
    note = ""
    if doc_lang and doc_lang != lang:
        other = language_name(doc_lang, lang)
        note = f" (quoted in {other})" if lang == "en" else f" (kutipan dalam bahasa {other})"
    out.print(output.line((f"[{c.n}]", "bold"), " ", (c.title, "italic"), f" · {where}" if where else ""))
    out.print(output.line("    “") + output.prose(" ".join(c.quote.split())) + output.line(f"”{note}"))
    from assistant.cite.references import ocr_note

    chars, score = ("karakter", "skor") if lang == "id" else ("characters", "score")
    out.print(output.line("    ", (f"{c.doc_id} · {chars} {c.start}–{c.end} · {score} {c.score:.3f}", "dim")))
    if ocr := ocr_note(c.passage, lang, c.document):
        out.print(output.line("    ", (ocr, "yellow")))
