"""A page's text in reading order where the PDF drew a block late into a gap it left.

pypdf's `extract_text` follows the content stream. PermenLH 11/2025's Lampiran I draws the
heading "1. AIR LIMBAH KAKUS ... (IPLT) ...", leaves room, goes on with "Keterangan", heading 2
and its table, and only then draws the IPLT table into the room left under heading 1: its
limits (BOD 150 mg/l, ...) were read, cited and answered as heading 2's. pypdf's layout mode
would place it, but lays out every page anew (columns of spaces, other line breaks), so every
document's text, passages and citations would change; this keeps pypdf's text and moves whole
lines only.

The lines (with the height pypdf's visitor gives each) are cut into blocks where a line lies
far above the one before: more than three times the page's usual line spacing (a table row
whose value is centred beside a cell of several lines rises by a line or two). A later block
of three lines or more that fits wholly into a gap between two consecutive lines of the text
before it is moved into that gap; anything else stays where it was (a second column spans
the page's height and fits no gap; a running head drawn last stays last). Pages without such
a block, nearly all, come out exactly as `extract_text` gives them. Hand-written: neither
pypdf nor the other reading libraries we ship orders lines this way.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

_MIN_LINES = 3  # a block this long or longer may be moved
_JUMP = 3.0  # line spacings a line must rise above the one before to start a block


@dataclass(frozen=True)
class Line:
    text: str
    y: float | None  # the height of its first visible text; None for a blank line


def ordered_text(page: Any) -> str:
    """The page's text as `extract_text` gives it, with a block the PDF drew late moved
    into the gap it fills."""
    parts: list[tuple[str, float | None]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: Any) -> None:
        parts.append((text, tm[5] * cm[3] + cm[5] if text.strip() else None))

    raw = page.extract_text(visitor_text=visit) or ""
    if "".join(t for t, _ in parts) != raw:
        return raw  # the visitor did not see the text as returned: leave it
    lines = reordered(_lines(parts))
    return "\n".join(line.text for line in lines)


def _lines(parts: list[tuple[str, float | None]]) -> list[Line]:
    out: list[Line] = []
    text: list[str] = []
    y: float | None = None
    for piece, height in parts:
        *ended, piece = piece.split("\n")
        for head in ended:
            text.append(head)
            y = height if y is None and head.strip() else y
            out.append(Line("".join(text), y))
            text, y = [], None
        text.append(piece)
        y = height if y is None and piece.strip() else y
    out.append(Line("".join(text), y))
    return out


def reordered(lines: list[Line]) -> list[Line]:
    """`lines` with each late block that fits a gap of the lines before it moved there."""
    heights = [line.y for line in lines if line.y is not None]
    drops = sorted(a - b for a, b in itertools.pairwise(heights) if a - b > 1.0)
    if not drops:
        return lines
    jump = _JUMP * drops[len(drops) // 2]
    blocks: list[list[Line]] = [[]]
    last: float | None = None
    for line in lines:
        if line.y is not None:
            if last is not None and line.y > last + jump:
                blocks.append([])
            last = line.y
        blocks[-1].append(line)
    out = blocks[0]
    for block in blocks[1:]:
        at = _gap(out, block)
        out = out + block if at is None else out[:at] + block + out[at:]
    return out


def _gap(lines: list[Line], block: list[Line]) -> int | None:
    """Where in `lines` the `block` fits: the index of the line below the gap it fills."""
    heights = [line.y for line in block if line.y is not None]
    if len(heights) < _MIN_LINES:
        return None
    top, bottom = max(heights), min(heights)
    placed = [(i, line.y) for i, line in enumerate(lines) if line.y is not None]
    for (_, above), (i, below) in itertools.pairwise(placed):
        if above > top and below < bottom:
            return i
    return None
