"""What the commands print: JSON records, and Rich renderings of documents.

Documents are untrusted. In JSON their text is kept exact (every control character is
written as a `\\uXXXX` escape, which a terminal does not obey); for Rich, document text,
titles and paths become `Text` objects of `printable` text, never markup, so `[/]` or
`[blink]` in a document is shown as written and ESC sequences are shown, not obeyed.
Rich is imported inside the functions: `mitra --help` never loads it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from assistant.display import plain, printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from assistant.index.build import IndexReport
    from assistant.model import Answer, Citation, Document, Hit

# json.dumps escapes C0 controls itself; these it leaves raw: DEL, the C1 controls (U+009B is
# an 8-bit CSI), the line/paragraph separators and the bidirectional overrides.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def dumps(record: Any, indent: int | None = None) -> str:
    """`record` as JSON, non-ASCII text readable, every control character escaped."""
    text = json.dumps(record, ensure_ascii=False, indent=indent)
    # These characters can only stand inside JSON strings, where `\uXXXX` means the same.
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def print_json(record: Any, indent: int | None = None) -> None:
    """Print `record` as JSON on stdout (one line when `indent` is None)."""
    print(dumps(record, indent))


def note(text: str) -> None:
    """A one-line message on stderr, `mitra: ...`; `text` may hold paths or document text.
    What stdout holds is written first, so the note never lands inside its last line."""
    sys.stdout.flush()
    print(f"mitra: {printable(text)}", file=sys.stderr)


def console(stderr: bool = False) -> Console:
    """A Rich console that never turns `:name:` into emoji."""
    from rich.console import Console

    return Console(stderr=stderr, emoji=False)


def shown(text: str, style: str = "") -> Text:
    """Document text, a title or a path for Rich: control characters visible, no markup."""
    from rich.text import Text

    return Text(printable(text), style=style)


def prose(text: str, style: str = "") -> Text:
    """Document text (a passage, a quote, an answer) as a reader sees it: control characters
    visible, no Rich markup, and no Markdown markup (`*Sister City*` reads "Sister City")."""
    from rich.text import Text

    return Text(plain(text), style=style)


def line(*parts: str | tuple[str, str]) -> Text:
    """One line of text from plain parts and (text, style) parts, all shown as written."""
    from rich.text import Text

    out = Text()
    for part in parts:
        text, style = part if isinstance(part, tuple) else (part, "")
        out.append(printable(text), style=style)
    return out


# -- JSON records ------------------------------------------------------------------------------


def hit_json(rank: int, hit: Hit) -> dict[str, Any]:
    """A search hit: rank, where the passage is, its text and its scores per retriever."""
    p = hit.passage
    return {
        "rank": rank,
        "doc_id": p.doc_id,
        "title": hit.document.title if hit.document else p.doc_id,
        "page": p.page,
        "page_label": p.page_label,
        "section": p.section,
        "rows": p.rows,
        "text": p.text,
        "score": round(hit.score, 6),
        "scores": {k: round(v, 6) for k, v in hit.scores.items()},
    }


def citation_json(c: Citation) -> dict[str, Any]:
    """A citation: its marker, document, location, verified quote and offsets, its passage."""
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
    """The stable JSON shape of an answer; `nearest` lists the passages shown instead of an
    answer when Mitra abstains, and `refusal_reason` why."""
    return {
        "question": answer.question,
        "answer": answer.text,
        "abstained": answer.abstained,
        # why Mitra abstained (`Answer.refusal_reason`; "" for an answer)
        "refusal_reason": answer.refusal_reason,
        "language": answer.language,
        "citations": [citation_json(c) for c in answer.citations],
        "timings_ms": {k: round(answer.timings_ms.get(k, 0.0), 1) for k in ("retrieve", "answer", "total")},
        "nearest": [hit_json(i, h) for i, h in enumerate(answer.nearest, 1)],
    }


def document_json(d: Document) -> dict[str, Any]:
    """A document of the library with its catalogue fields and indexing status."""
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
        "revoked_by": d.revoked_by,
        "ocr_transcript": d.ocr_transcript,
        "warnings": list(d.warnings),
        "sha256": d.sha256,
        "source": d.source,
        "licence": d.licence,
    }


def report_json(report: IndexReport) -> dict[str, Any]:
    """What an index build did."""
    return {
        "documents": report.documents,
        "unreadable": report.unreadable,
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
    }


# -- search hits as text -----------------------------------------------------------------------


def print_hits(out: Console, hits: Sequence[Hit], text: Callable[[str], str] | None = None) -> None:
    """Each hit as a panel: rank, title and location above ('UU 18/2008, Pasal 44, p. 24' for a
    regulation: `text` gives a document's stored text), the passage (cut at 700 characters)."""
    from rich.panel import Panel

    from assistant.cite.references import passage_location

    if not hits:
        out.print("No passage matches (check the filters).")
    for i, h in enumerate(hits, 1):
        p = h.passage
        title = h.document.title if h.document else p.doc_id
        body = p.text if len(p.text) < 700 else p.text[:700] + " …"
        out.print(
            Panel(
                prose(body),
                title=shown(f"[{i}] {title} · {passage_location(p, h.document, text(p.doc_id) if text else None)}"),
                subtitle=shown(f"{p.doc_id} · score {h.score:.3f}"),
                title_align="left",
                subtitle_align="right",
            )
        )
