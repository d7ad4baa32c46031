"""`mitra ask`: answers with verified citations, or an honest refusal.

    mitra ask "question" [--json] [-k N] [--type TYPE] [--lang en|id] [--export brief.md] [--bibtex refs.bib]
    mitra ask --file questions.txt --json      # one JSON object per question, models loaded once

`--lang` sets the language of the answer's framing (default: the question's); the
documents searched are filtered with `--type`, `--doc`, `--year` and `--doc-lang`
(what `mitra search` calls `--lang`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import ConfigError

if TYPE_CHECKING:
    from assistant.answer import AnswerEngine
    from assistant.config import Settings
    from assistant.model import Answer, Citation, SearchFilters


def add_ask_parser(sub: Any) -> None:
    """The `ask` sub-command's arguments."""
    from assistant.cli.args import DOC_TYPES

    p = sub.add_parser("ask", help="answer a question with cited, verified quotes")
    p.add_argument("question", nargs="?", help="the question, in English or Bahasa Indonesia (omit with --file)")
    p.add_argument("-k", "--k", dest="k", type=int, default=8, help="passages read (default 8)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--file", type=Path, help="read one question per line; write one JSON object per line")
    p.add_argument("--lang", choices=("en", "id"), help="language of the answer (default: the question's)")
    p.add_argument("--export", type=Path, metavar="BRIEF.md", help="also write an evidence brief (Markdown)")
    p.add_argument("--bibtex", type=Path, metavar="REFS.bib", help="also write BibTeX for the cited documents")
    p.add_argument("--type", action="append", choices=DOC_TYPES, help="only this document type (repeatable)")
    p.add_argument("--doc", action="append", help="only this document id (repeatable)")
    p.add_argument("--year", help="a year or a range: 2020, 2016-2020, 2018-")
    p.add_argument("--doc-lang", action="append", help="only documents in this language (en, id)")


def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer the question (or each line of --file); print text or JSON; write the exports."""
    if args.k < 1:
        raise ConfigError(f"-k {args.k} is not a number of passages", "use 1 or more (default 8)")
    if args.file and (args.export or args.bibtex):
        raise ConfigError("--export and --bibtex take a single question", "drop --file, or the export flags")
    filters = filters_from(args)
    if args.file:
        questions = _read_questions(args.file)
    elif args.question and args.question.strip():
        questions = [args.question.strip()]
    else:
        raise ConfigError("no question given", 'use mitra ask "your question" or --file FILE')

    engine = _engine(settings)
    for question in questions:
        answer = engine.answer(question, k=args.k, filters=filters, language=args.lang)
        if args.json:
            print(json.dumps(answer_json(answer), ensure_ascii=False, indent=None if args.file else 1))
        else:
            print_answer(answer)
        if args.export:
            from assistant.cite.brief import write_brief

            path = write_brief(answer, engine.library, args.export)
            _note(f"evidence brief written to {path}")
        if args.bibtex:
            from assistant.cite.bibtex import write_bibtex

            path = write_bibtex(answer, engine.library, args.bibtex)
            _note(f"BibTeX written to {path}")
        sys.stdout.flush()
    return 0


def _read_questions(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}", "check the path") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text", "save it as UTF-8, one question per line") from None
    return [q.strip() for q in lines if q.strip() and not q.lstrip().startswith("#")]


def _engine(settings: Settings) -> AnswerEngine:
    from rich.console import Console

    from assistant.answer import AnswerEngine
    from assistant.index.library import Library

    library = Library.open(settings)
    err = Console(stderr=True)
    with err.status("Loading the models…", spinner="dots") if err.is_terminal else _nothing():
        engine = AnswerEngine(library)
        engine.warm_up()
    return engine


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _note(text: str) -> None:
    print(f"mitra: {text}", file=sys.stderr)


# -- JSON ------------------------------------------------------------------------------------


def citation_json(c: Citation) -> dict[str, Any]:
    p = c.passage
    return {
        "n": c.n,
        "doc_id": c.doc_id,
        "title": c.title,
        "page": p.page,
        "page_label": p.page_label,
        "section": p.section,
        "rows": p.rows,
        "quote": c.quote,
        "start": c.start,
        "end": c.end,
        "passage": p.text,
        "score": round(c.score, 6),
    }


def answer_json(answer: Answer) -> dict[str, Any]:
    """The stable JSON shape of an answer (issue 4); `nearest` lists the passages shown
    instead of an answer when Mitra abstains."""
    from assistant.cli.output import hit_json

    return {
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        "language": answer.language,
        "citations": [citation_json(c) for c in answer.citations],
        "timings_ms": {k: round(answer.timings_ms.get(k, 0.0), 1) for k in ("retrieve", "answer", "total")},
        "nearest": [hit_json(i, h) for i, h in enumerate(answer.nearest, 1)],
    }


# -- text ------------------------------------------------------------------------------------


def print_answer(answer: Answer) -> None:
    """The answer, then its numbered quotes (or the nearest passages when it abstains)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.panel import Panel

    from assistant.cite.references import location

    console = Console()
    lang = answer.language
    console.print(Panel(escape(answer.text), title=escape(answer.question), title_align="left"))
    for c in answer.citations:
        where = location(c.passage, lang)
        doc_lang = c.document.language if c.document else None
        note = ""
        if doc_lang and doc_lang != lang:
            names = {"en": "English", "id": "Indonesian"} if lang == "en" else {"en": "Inggris", "id": "Indonesia"}
            other = names.get(doc_lang, doc_lang)
            note = f" (quoted in {other})" if lang == "en" else f" (kutipan dalam bahasa {other})"
        console.print(f"[bold][{c.n}][/] [italic]{escape(c.title)}[/]" + (f" · {escape(where)}" if where else ""))
        console.print(f"    “{escape(' '.join(c.quote.split()))}”{escape(note)}", highlight=False)
        console.print(f"    [dim]{c.doc_id} · characters {c.start}–{c.end} · score {c.score:.3f}[/]")
    if answer.abstained and answer.nearest:
        console.print("[bold]Nearest passages:[/]" if lang == "en" else "[bold]Bagian terdekat:[/]")
        for i, h in enumerate(answer.nearest, 1):
            p = h.passage
            title = h.document.title if h.document else p.doc_id
            where = location(p, lang)
            body = " ".join(p.text.split())
            body = body if len(body) <= 400 else body[:400] + " …"
            console.print(f"[bold]{i}.[/] [italic]{escape(title)}[/]" + (f" · {escape(where)}" if where else ""))
            console.print(f"    [dim]{escape(body)}[/]", highlight=False)
    t = answer.timings_ms
    console.print(f"[dim]{t.get('total', 0):.0f} ms (retrieval {t.get('retrieve', 0):.0f} ms)[/]")


def filters_from(args: argparse.Namespace) -> SearchFilters:
    """The document filters of an `ask` command line."""
    from assistant.cli.args import search_filters

    return search_filters(argparse.Namespace(type=args.type, lang=args.doc_lang, doc=args.doc, year=args.year))
