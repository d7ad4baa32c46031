"""Structure-aware chunking: passages never cross a block (section, page, table).

Prose is cut at sentence boundaries into passages of about `target_words`, never
more than `max_words` (a longer sentence is cut at a word), with `overlap_sentences`
repeated at the start of the next passage. Tables are cut between rows.
Every passage is a span of the document text: `text[start:end]`; a passage of an
OCR'd page carries that page's OCR confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.config import ChunkSettings
from assistant.ingest.sentences import sentence_spans, word_count
from assistant.model import Block

_WORD_SPAN = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Span:
    """A passage before it gets an id: offsets plus where it sits."""

    start: int
    end: int
    block: Block
    rows: str | None = None
    ocr_confidence: float | None = None  # the block's page was OCR'd, with this confidence


def chunk_blocks(text: str, blocks: tuple[Block, ...] | list[Block], cfg: ChunkSettings) -> list[Span]:
    """Cut every block of `text` into passage spans, in document order."""
    spans: list[Span] = []
    for block in blocks:
        if block.table:
            spans.extend(_chunk_table(text, block, cfg))
        else:
            spans.extend(_chunk_prose(text, block, cfg))
    return spans


def _split_long(text: str, a: int, b: int, max_words: int) -> list[tuple[int, int]]:
    words = list(_WORD_SPAN.finditer(text, a, b))
    if len(words) <= max_words:
        return [(a, b)]
    out = []
    for i in range(0, len(words), max_words):
        group = words[i : i + max_words]
        out.append((group[0].start(), group[-1].end()))
    return out


def _chunk_prose(text: str, block: Block, cfg: ChunkSettings) -> list[Span]:
    sentences: list[tuple[int, int, int]] = []  # start, end, words
    for a, b in sentence_spans(text, block.start, block.end):
        for s, e in _split_long(text, a, b, cfg.max_words):
            sentences.append((s, e, word_count(text[s:e])))
    if not sentences:
        return []

    groups: list[list[int]] = []  # indices into sentences
    current: list[int] = []
    words = 0
    for i, (_, _, n) in enumerate(sentences):
        if current and words + n > cfg.max_words:
            groups.append(current)
            current, words = _overlap(current, sentences, cfg), 0
            words = sum(sentences[j][2] for j in current)
            if words + n > cfg.max_words:
                current, words = [], 0
        current.append(i)
        words += n
        if words >= cfg.target_words:
            groups.append(current)
            current = _overlap(current, sentences, cfg)
            words = sum(sentences[j][2] for j in current)
    fresh = [i for i in current if not groups or i > groups[-1][-1]]
    if fresh:
        tail_words = sum(sentences[j][2] for j in fresh)
        if groups and tail_words < cfg.min_words:
            merged = groups[-1] + fresh
            if sum(sentences[j][2] for j in merged) <= cfg.max_words:
                groups[-1] = merged
            else:
                groups.append(current)
        else:
            groups.append(current)
    return [Span(sentences[g[0]][0], sentences[g[-1]][1], block, None, block.ocr_confidence) for g in groups]


def _overlap(group: list[int], sentences: list[tuple[int, int, int]], cfg: ChunkSettings) -> list[int]:
    """The last sentences of `group` to repeat, if they are short enough."""
    if cfg.overlap_sentences <= 0 or len(group) < 2:
        return []
    tail = group[-cfg.overlap_sentences :]
    if sum(sentences[j][2] for j in tail) > cfg.target_words // 3:
        return []
    return tail


def _chunk_table(text: str, block: Block, cfg: ChunkSettings) -> list[Span]:
    starts = [*block.row_starts, block.end + 1]
    out: list[Span] = []
    first = 0
    words = 0
    for r in range(len(block.row_starts)):
        row_words = word_count(text[starts[r] : starts[r + 1] - 1])
        if r > first and words + row_words > cfg.table_rows_max_words:
            out.append(_table_span(block, starts, first, r))
            first, words = r, 0
        words += row_words
    if len(block.row_starts) > first:
        out.append(_table_span(block, starts, first, len(block.row_starts)))
    return out


def _table_span(block: Block, starts: list[int], first: int, stop: int) -> Span:
    rows = f"{first + 1}" if stop - first == 1 else f"{first + 1}-{stop}"
    return Span(starts[first], starts[stop] - 1, block, rows=rows, ocr_confidence=block.ocr_confidence)
