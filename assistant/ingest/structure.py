"""Turn a list of paragraphs into document text plus section blocks.

Shared by the text, HTML and PDF loaders. Text extracted from PDFs arrives with
page breaks inside sentences and running heads, footnotes and boxes cut into
the flow; `repair_paragraphs` rejoins the broken sentences and moves the short
interrupting paragraphs after them, so nothing is lost and sentences read whole.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from assistant.ingest.artefacts import labels_in_place, may_be_running_head
from assistant.ingest.headings import clean_heading, heading_level
from assistant.ingest.legal import (
    BAB,
    PASAL,
    ROOT,
    TITLE_LINES,
    annex_heading,
    legal_heading,
    opens_unit,
    stands_alone,
    title_line,
)
from assistant.ingest.sentences import word_count
from assistant.model import Block

_ENDS_SENTENCE = re.compile(r"""[.!?:;)\]"'”’*>]$""")
_CONTINUES = re.compile(r"""^[a-z(,;]""")


def repair_paragraphs(paras: list[str]) -> tuple[list[str], int, int]:
    """Drop repeated running heads and rejoin sentences split by page breaks.

    Returns the repaired paragraphs, the number of running heads dropped and the
    number of broken sentences rejoined.
    """
    # A repeated line that ends a sentence is text, however often it recurs ("Cukup jelas."
    # under each Pasal of an elucidation), never a running head.
    counts = Counter(p for p in paras if may_be_running_head(p))
    seen: set[str] = set()
    kept: list[str] = []
    dropped = 0
    for p in paras:
        if counts[p] >= 3 and p in seen:
            dropped += 1
            continue
        seen.add(p)
        kept.append(p)

    out: list[str] = []
    joined = 0
    i = 0
    while i < len(kept):
        p = kept[i]
        j = _continuation(kept, i)
        if j is None:
            out.append(p)
            i += 1
            continue
        # The short paragraphs that interrupted the sentence go first; the
        # rejoined paragraph is then looked at again (it may break once more).
        out.extend(kept[i + 1 : j])
        kept[j] = p + " " + kept[j]
        joined += 1
        i = j
    return out, dropped, joined


def _continuation(paras: list[str], i: int) -> int | None:
    """Index of the paragraph that continues the unfinished sentence of paras[i]."""
    p = paras[i]
    if word_count(p) < 10 or _ENDS_SENTENCE.search(p) or heading_level(p, _next(paras, i)) is not None:
        return None
    if opens_unit(p) or stands_alone(p):  # a BAB and its long title in capitals continue nothing
        return None
    for j in range(i + 1, min(i + 10, len(paras))):
        q = paras[j]
        if opens_unit(q) or stands_alone(q):
            return None  # a sentence never runs on across a BAB, Bagian or Pasal heading
        if _CONTINUES.match(q) and word_count(q) > 3:
            return j
        if word_count(q) > 25:
            return None
    return None


def _next(paras: list[str], i: int) -> str:
    return paras[i + 1] if i + 1 < len(paras) else ""


@dataclass
class _Section:
    path: str | None
    start: int


@dataclass(frozen=True, slots=True)
class PageInfo:
    """Where assembled text sits in a paginated document, for its blocks."""

    page: int | None = None
    label: str | None = None
    ocr_confidence: float | None = None  # the page's text comes from OCR


def _heading(paras: list[str], i: int, stack: list[tuple[int, str]], legal: bool) -> tuple[int, str | None, int] | None:
    """(level, title or None to only close sections, title paragraphs taken) of paragraph i."""
    if legal:
        in_penjelasan = bool(stack) and stack[0] == (ROOT, "Penjelasan")
        if found := legal_heading(paras, i, in_penjelasan):
            return found.level, found.title, found.title_paragraphs
        if not (stack and stack[0][1].startswith("Lampiran")):
            return None  # capitals and Title Case lines of a regulation are no headings
        annex = annex_heading(paras, i)
        return (annex.level, annex.title, annex.title_paragraphs) if annex else None
    level = heading_level(paras[i], _next(paras, i))
    if level is None and (label := _LABEL.match(paras[i])):
        # "Abstract: This research ...": the paragraph is body text that opens its section
        # (without it, a study's abstract is filed under the journal's running head).
        return 1, label.group(1).capitalize(), 0
    return (level, clean_heading(paras[i]), 0) if level is not None else None


_LABEL = re.compile(r"^\W*(abstract|abstrak|summary|ringkasan)\W*:", re.IGNORECASE)


def _penjelasan_begins(stack: list[tuple[int, str]], level: int, title: str | None) -> bool:
    """Whether a "Pasal 1" after a later Pasal starts the elucidation of a regulation that
    does not print "PENJELASAN" (as in transcriptions that lost it)."""
    if level != PASAL or title != "Pasal 1" or (stack and stack[0] == (ROOT, "Penjelasan")):
        return False
    return any(lv == PASAL and t.split()[-1].isdigit() and int(t.split()[-1]) > 1 for lv, t in stack)


def assemble(
    paras: list[str],
    *,
    at: PageInfo | None = None,
    base: int = 0,
    stack: list[tuple[int, str]] | None = None,
    legal: bool = False,
) -> tuple[str, list[Block], str | None]:
    """Join paragraphs with blank lines and cut blocks at headings.

    `at` is the page the text comes from; `base` its offset in the whole document;
    `stack` carries the open headings across calls (PDF pages); `legal` reads the
    headings of a regulation (see `assistant.ingest.legal`). Returns text, blocks,
    first heading.
    """
    at = at or PageInfo()
    stack = stack if stack is not None else []
    paras = labels_in_place(paras) if legal else paras
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    first_heading: str | None = None
    current = _Section(_path(stack), 0)
    title_left = 0

    def block(start: int, end: int, section: str | None, rows: tuple[int, ...] | None = None) -> Block:
        return Block(
            base + start,
            base + end,
            page=at.page,
            page_label=at.label,
            section=section,
            table=rows is not None,
            row_starts=rows or (),
            ocr_confidence=at.ocr_confidence,
        )

    def close(end: int) -> None:
        if end > current.start:
            blocks.append(block(current.start, end, current.path))

    for i, p in enumerate(paras):
        if _is_table(p):
            # A tab-separated table: its own block, cut between rows, whose section
            # names the caption and the header row so every row passage carries them.
            close(max(offset - 2, 0))
            caption = paras[i - 1] if i and _CAPTION.match(paras[i - 1]) else "Table"
            header = p.split("\n", 1)[0].replace("\t", " | ")
            path = " > ".join(x for x in (current.path, f"{caption} ({header})") if x)
            starts = tuple(base + offset + m.start() for m in re.finditer(r"^", p, re.M))
            blocks.append(block(offset, offset + len(p), path, starts))  # row starts: absolute
            parts.append(p)
            offset += len(p) + 2
            current = _Section(current.path, offset)
            continue
        found = None if title_left else _heading(paras, i, stack, legal)
        title_left = max(0, title_left - 1)
        if found is not None:
            level, title, title_left = found
            close(max(offset - 2, 0))
            if legal and _penjelasan_begins(stack, level, title):
                stack[:] = [(ROOT, "Penjelasan")]
            if legal and level == PASAL and stack and stack[-1] == (BAB, "Pembukaan"):
                stack.pop()  # a regulation without chapters: its first article ends the opening
            while stack and stack[-1][0] >= level:
                stack.pop()
            if title:
                first_heading = first_heading or title
                stack.append((level, title))
            current = _Section(_path(stack), offset)
        parts.append(p)
        offset += len(p) + 2
    close(max(offset - 2, 0))
    return "\n\n".join(parts), blocks, first_heading


_CAPTION = re.compile(r"^(?:table|tabel)\s+\d+", re.IGNORECASE)


def _is_table(paragraph: str) -> bool:
    """Three or more lines, most of them tab-separated cells."""
    lines = paragraph.split("\n")
    return len(lines) >= 3 and sum("\t" in ln for ln in lines) >= 0.6 * len(lines)


def _path(stack: list[tuple[int, str]]) -> str | None:
    return " > ".join(t for _, t in stack) if stack else None


def split_paragraphs(page_text: str, legal: bool) -> list[str]:
    """Paragraphs of a page of text extracted from a PDF: blank-line separated, or one per heading-looking line
    (in a regulation also every BAB, Bagian, Paragraf and Pasal line and their titles)."""
    out: list[str] = []
    current: list[str] = []
    lines = [ln.rstrip() for ln in page_text.split("\n")]
    unit: str | None = None  # the BAB, Bagian or Paragraf line whose title lines follow
    title_lines = 0

    def flush() -> None:
        if current:
            out.append("\n".join(current))
            current.clear()

    for k, line in enumerate(lines):
        if not line.strip():
            flush()
            continue
        nxt = " ".join(lines[k + 1 : k + 4])
        continues = bool(re.match(r"[a-z]", nxt.lstrip()))  # the sentence goes on below
        in_title = unit is not None and title_lines < TITLE_LINES and title_line(line, caps=unit.startswith("BAB"))
        if legal and (stands_alone(line) or in_title):
            flush()
            out.append(line.strip())
            if in_title:
                title_lines += 1
            else:
                unit, title_lines = (line.strip(), 0) if opens_unit(line) else (None, 0)
            continue
        unit = None
        if not continues and heading_level(line, nxt) is not None and len(line.split()) <= 10:
            flush()
            out.append(line.strip())
            continue
        current.append(line)
    flush()
    return out
