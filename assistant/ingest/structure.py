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

from assistant.ingest.headings import clean_heading, heading_level
from assistant.ingest.sentences import word_count
from assistant.model import Block

_ENDS_SENTENCE = re.compile(r"""[.!?:;)\]"'”’*>]$""")
_CONTINUES = re.compile(r"""^[a-z(,;]""")


def repair_paragraphs(paras: list[str]) -> tuple[list[str], int, int]:
    """Drop repeated running heads and rejoin sentences split by page breaks.

    Returns the repaired paragraphs, the number of running heads dropped and the
    number of broken sentences rejoined.
    """
    counts = Counter(p for p in paras if word_count(p) <= 15)
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
    for j in range(i + 1, min(i + 10, len(paras))):
        q = paras[j]
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


def assemble(
    paras: list[str],
    *,
    page: int | None = None,
    page_label: str | None = None,
    base: int = 0,
    stack: list[tuple[int, str]] | None = None,
) -> tuple[str, list[Block], str | None]:
    """Join paragraphs with blank lines and cut blocks at headings.

    `base` is the offset of this text in the whole document; `stack` carries the
    open headings across calls (PDF pages). Returns text, blocks, first heading.
    """
    stack = stack if stack is not None else []
    parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    first_heading: str | None = None
    current = _Section(_path(stack), 0)

    def close(end: int) -> None:
        if end > current.start:
            blocks.append(
                Block(base + current.start, base + end, page=page, page_label=page_label, section=current.path)
            )

    for i, p in enumerate(paras):
        level = heading_level(p, _next(paras, i))
        if _is_table(p):
            # A tab-separated table: its own block, cut between rows, whose section
            # names the caption and the header row so every row passage carries them.
            close(max(offset - 2, 0))
            caption = paras[i - 1] if i and _CAPTION.match(paras[i - 1]) else "Table"
            header = p.split("\n", 1)[0].replace("\t", " | ")
            path = " > ".join(x for x in (current.path, f"{caption} ({header})") if x)
            starts = [offset + m.start() for m in re.finditer(r"^", p, re.M)]
            blocks.append(
                Block(
                    base + offset,
                    base + offset + len(p),
                    page=page,
                    page_label=page_label,
                    section=path,
                    table=True,
                    row_starts=tuple(base + x for x in starts),
                )
            )
            parts.append(p)
            offset += len(p) + 2
            current = _Section(current.path, offset)
            continue
        if level is not None:
            close(max(offset - 2, 0))
            title = clean_heading(p)
            first_heading = first_heading or title
            while stack and stack[-1][0] >= level:
                stack.pop()
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
