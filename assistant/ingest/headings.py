"""Which one-line paragraphs are headings, and at what level.

Markdown headings (ATX `#`, setext underlines) and whole-line bold come from a
CommonMark parser (markdown-it-py); text extracted from PDFs has no markup, so
ALL-CAPS lines, numbered headings ("Article 3 Funding", "2.1 Sedimentation tank")
and short Title Case lines followed by a body paragraph are recognised by shape.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt

from assistant.ingest.sentences import word_count

_NUMBERED = re.compile(
    r"^(?:(?:article|pasal|chapter|bab|section|bagian|annex|lampiran)\s+[\dIVXLC]+\b.*"
    r"|\d+(?:\.\d+)*\.?\s+[A-Z][^.;:]{1,70})$",
    re.IGNORECASE,
)
_SETEXT = re.compile(r"\n[ ]{0,3}(?:=+|-+)[ \t]*$")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


def markdown_heading(paragraph: str) -> tuple[int, str] | None:
    """(level, text) when `paragraph` is a Markdown heading or a whole line in bold.

    A bold line is a level-1 heading when it is in capitals, else level 2.
    """
    p = paragraph.strip()
    if not p.startswith(("#", "**", "__")) and not (p.count("\n") == 1 and _SETEXT.search(p)):
        return None  # the parser is not needed to know (and costs a fraction of a millisecond)
    tokens = _parser().parse(p)
    if len(tokens) != 3 or tokens[1].type != "inline":
        return None
    inline = tokens[1]
    if tokens[0].type == "heading_open":
        text = inline.content.strip()
        return (int(tokens[0].tag[1]), text) if text else None
    kinds = [c.type for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
    if kinds == ["strong_open", "text", "strong_close"]:
        text = next(c.content for c in inline.children or [] if c.type == "text" and c.content.strip()).strip()
        return (1 if text.isupper() else 2), text
    return None


def heading_level(line: str, next_text: str = "") -> int | None:
    """The heading level of a one-line paragraph, or None if it is body text.

    Recognises Markdown headings and whole-line **bold** (see `markdown_heading`),
    ALL-CAPS lines, numbered headings and short Title Case lines followed by at
    least 25 words of body text (as in text extracted from PDFs).
    """
    if md := markdown_heading(line):
        return md[0]
    line = line.strip()
    if not line or "\n" in line or "\t" in line:
        return None
    words = line.split()
    if len(words) > 12 or line[-1] in ".,;:!?" or not line[0].isalnum():
        return None
    if _NUMBERED.match(line):
        return line.split()[0].count(".") + 1 if line[0].isdigit() else 1
    letters = [c for c in line if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return 1
    if line[0].isupper() and ":" not in line and word_count(next_text) >= 25 and len(words) <= 10:
        return 2
    return None


def clean_heading(paragraph: str) -> str:
    """The text of a heading, without Markdown markup."""
    if md := markdown_heading(paragraph):
        return md[1]
    return paragraph.strip().strip("*").strip()
