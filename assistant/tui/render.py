"""How answers, citations and passages look: pure functions from the domain model to
Textual `Content`, so the widgets stay small and the look is testable.

Document text is untrusted. Everything taken from a document (text, titles, sections, page
labels, paths) goes through `assistant.display.printable` here, so control characters show
as visible stand-ins, and is put in `Content` as plain text, never parsed as markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from textual.content import Content

from assistant.cite.references import ocr_note, revoked_note
from assistant.display import Cut, clipped, markup_cuts, plain, printable, without
from assistant.model import DocType, Document, Passage
from assistant.tui.i18n import language, tr
from assistant.tui.state import Target, Turn, TurnStatus

MARKER = re.compile(r"\[\d+\]")
QUOTE_STYLE = "bold $text-warning on $warning-muted"
PASSAGE_STYLE = "on $boost"
FOUND_STYLE = "bold reverse"  # a match of the Reader's find
MARKER_STYLE = "bold $text-accent"
EXCERPT_CHARS = 420


def where(passage: Passage | None, title: str = "", pdf_page: bool = False) -> str:
    """'p. 12' / 'rows 3-9' / the section: where a passage is in its document; with
    `pdf_page`, a printed page number that is not the PDF's page is followed by that one
    ('p. 6 (PDF page 31)'), as a citation gives it."""
    if passage is None:
        return ""
    if passage.page_label or passage.page:
        here = tr("where.page", p=passage.page_label or passage.page)
        if pdf_page and passage.page and passage.page_label and passage.page_label != str(passage.page):
            here += tr("where.pdf_page", n=passage.page)
        return here
    if passage.rows:
        return tr("where.rows", r=passage.rows)
    return section(passage.section, title, last=True)


def place(target: Target, title: str = "") -> str:
    """Where a target is, as cite words it ("UU 18/2008, Pasal 44 ayat (2), hlm. 24", "row 7")
    when the controller has read it, else the short `where` of its passage."""
    return target.location(language()) or where(target.passage, title)


def section(path: str | None, title: str = "", last: bool = False) -> str:
    """A section path without the document's own title at its head (or only its last part)."""
    if not path:
        return ""
    parts = [p.strip() for p in path.split(">")]
    if len(parts) > 1 and title and parts[0].lower() == title.strip().lower():
        parts = parts[1:]
    return parts[-1] if last else " > ".join(parts)


def doc_type(value: DocType) -> str:
    return tr(f"type.{value.value}")


def doc_meta(doc: Document | None) -> list[str]:
    """Type and year of a document, translated, and what revoked it, if anything."""
    if doc is None:
        return []
    revoked = revoked_note(doc, language())
    return [doc_type(doc.type), *([str(doc.year)] if doc.year else []), *([revoked] if revoked else [])]


def flat(text: str, rows: bool = False, cuts: list[Cut] | None = None, base: int = 0) -> str:
    """Printable and without Markdown markup (`cuts`, found in the text `text` starts at
    offset `base` of; by default in `text` itself), with whitespace runs as one space
    (table rows keep one row a line)."""
    text = printable(without(text, markup_cuts(text) if cuts is None else cuts, base))
    if rows:  # keep the line breaks between rows, even at the edge of a slice
        return re.sub(r"\n\s*\n", "\n", re.sub(r"[^\S\n]+", " ", text))
    return re.sub(r"\s+", " ", text)


def marked(text: str, spans: Sequence[tuple[int, int, str]]) -> Content:
    """`text` made printable and without its Markdown markup, with each (start, end, style)
    span (offsets into `text`) styled.

    A control character can become several characters (`<U+009B>`) and markup goes, so
    the spans are moved to the shown text's offsets."""
    markup = markup_cuts(text)
    ends = (x for a, b, _ in markup for x in (a, b))
    cuts = sorted({0, len(text), *ends, *(max(0, min(x, len(text))) for a, b, _ in spans for x in (a, b))})
    moved, pieces, at = {0: 0}, [], 0
    for a, b in pairwise(cuts):
        pieces.append(printable(without(text[a:b], markup, a)))
        at += len(pieces[-1])
        moved[b] = at
    content = Content("".join(pieces))
    for a, b, style in spans:
        content = content.stylize(style, moved[max(0, min(a, len(text)))], moved[max(0, min(b, len(text)))])
    return content


def with_markers(text: str, base: str = "") -> Content:
    """Answer text (printable, without Markdown markup) with its [n] citation markers picked out."""
    text = plain(text)
    content = Content.styled(text, base) if base else Content(text)
    for m in MARKER.finditer(text):
        content = content.stylize(MARKER_STYLE, m.start(), m.end())
    return content


def turn_content(turn: Turn) -> Content:
    """One question and its answer (or its state) for the conversation pane."""
    head = Content.assemble((f"{turn.asked_at:%H:%M} ", "$text-muted"), (printable(turn.question), "bold"), "\n")
    answer = turn.answer
    if turn.status is TurnStatus.FAILED:
        return head + Content.styled(printable(tr("turn.failed", error=turn.error)), "$text-error")
    if answer is None:
        return head + Content.styled(_waiting(turn), "italic $text-muted")
    ms = round(answer.timings_ms.get("total", 0))
    if answer.abstained:  # its text says so ("The library does not answer ..."): once
        body = (
            with_markers(answer.text, "$text-warning")
            if answer.text
            else Content.styled(tr("turn.abstained"), "bold $text-warning")
        )
        meta = tr("turn.meta_nearest", ms=ms)
    else:
        body = with_markers(answer.text)
        n = len(answer.citations)
        meta = tr("turn.meta1", ms=ms) if n == 1 else tr("turn.meta", n=n, ms=ms)
    return head + body + Content.styled(f"\n{meta}", "$text-muted")


def _waiting(turn: Turn) -> str:
    if turn.status is TurnStatus.THINKING:
        return tr("turn.thinking")
    return turn.error or tr("turn.queued")


def excerpt(passage: Passage, start: int, end: int, limit: int = EXCERPT_CHARS) -> Content:
    """The passage with [start, end) (document offsets) highlighted, trimmed around it."""
    text = passage.text
    qs, qe = start - passage.start, end - passage.start
    if not (0 <= qs <= qe <= len(text)):
        return Content.styled(flat(text[:limit]), "")
    # A row leads its excerpt: the rows before it are other records, and at 80x24 they
    # pushed the quoted row out of the panel.
    lo, hi = (qs if passage.rows else 0), len(text)
    if hi - lo > limit:
        room = max(0, limit - (qe - qs)) // (1 if passage.rows else 2)
        lo, hi = max(lo, qs - room), min(len(text), qe + room)
        # cut between words, not inside one
        if lo > 0 and (space := text.find(" ", lo, qs)) >= 0:
            lo = space + 1
        if hi < len(text) and (space := text.rfind(" ", qe, hi)) >= 0:
            hi = space
    rows, cuts = bool(passage.rows), markup_cuts(text)
    before, quote, after = (flat(text[a:b], rows, cuts, a) for a, b in ((lo, qs), (qs, qe), (qe, hi)))
    return Content.assemble(
        "…" if lo > 0 else "",
        before,
        (quote, QUOTE_STYLE),
        after,
        "…" if hi < len(text) else "",
    )


def target_content(target: Target) -> Content:
    """One citation (or nearest passage) for the evidence panel."""
    doc = target.document
    title = doc.title if doc is not None else target.doc_id
    meta = [*doc_meta(doc), place(target, title)]
    if target.score is not None:
        meta.append(tr("evidence.score", s=f"{target.score:.2f}"))
    if target.passage is not None:
        meta.append(ocr_note(target.passage, language(), doc))  # "OCR, check the page (confidence 0.99)"
    head = Content.assemble((f"{target.label} ", MARKER_STYLE), (printable(title), "bold"), "\n")
    line = Content.styled(printable(" · ".join(m for m in meta if m)) + "\n", "$text-muted")
    if target.passage is None:
        return head + line
    if target.citation is not None:
        body = excerpt(target.passage, target.start, target.end)
    else:
        body = Content(flat(clipped(target.passage.text, EXCERPT_CHARS), bool(target.passage.rows)))
    return head + line + body
