"""Words, sentences and paragraphs: spans (absolute offsets) of a text, shared by the
loaders, the chunker and the answer engine."""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.model import Passage

WORD = re.compile(r"\S+")


def word_count(text: str) -> int:
    """The number of whitespace-separated words of `text`."""
    return len(WORD.findall(text))


# Abbreviations after which a period does not end a sentence.
_ABBREV = frozenset(
    "e.g i.e etc dr mr mrs ms prof no vol pp p jl kel kec fig art st vs cf ed eds inc ltd co dll dsb hlm tbk "
    "approx dept govt jan feb mar apr jun jul aug sep sept oct nov dec jo ttd yth sdr bpk ir".split()
) | {"et al"}
_BOUNDARY = re.compile(
    r"""[.!?]["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])"""  # end of a sentence
    r"|\n\s*\n"  # a paragraph break
    r"|\n(?=[ \t]*(?:\d+[.)]|\(\d+\)|[a-z][.)]|[-•*])\s|[^\n]*\t)"  # a list item, ayat (n) or table row
)


# A line ending in a word that a number follows: the "(1)" or "a." opening the next line
# completes a reference ("sebagaimana dimaksud pada ayat\n(1)"), it opens no list item.
_REFERENCE_END = re.compile(r"\b(?:ayat|pasal|huruf|angka|nomor|butir|paragraph|article|section|item)[ \t]*$", re.I)


# OCR puts a blank line between some lines of one sentence ("... tentang Perubahan atas" /
# "" / "Peraturan Daerah ..."): in OCR'd text a blank line after a line that ends in a
# lowercase letter or a comma, before one that opens no list item, ayat or heading, is no
# paragraph break.
_OCR_GAP = re.compile(
    r"[a-z,][ \t]*\n\s*\n[ \t]*(?!(?:\d+[.)]|\(\d+\)|[a-z][.)]|[-•*]|Pasal\b|BAB\b|Bagian\b|Paragraf\b)\s)"
)


def sentence_spans(text: str, start: int = 0, end: int | None = None, ocr: bool = False) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) of `text[start:end]`, whitespace trimmed.

    A paragraph break ends a sentence, but in `ocr` text not one inside a sentence (see
    `_OCR_GAP`); a period after a known abbreviation or a single initial ("F. N. Hakiem")
    does not.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _BOUNDARY.finditer(text, start, end):
        if ocr and m.group().startswith("\n") and _OCR_GAP.match(text, max(start, m.start() - 1)):
            continue
        if m.group().startswith("."):
            before = text[max(start, m.start() - 12) : m.start()]
            token = re.split(r"[\s(]", before)[-1].lower()
            if token in _ABBREV or (len(token) == 1 and token.isalpha()):
                continue
            line_start = text.rfind("\n", start, m.start()) + 1
            if token.isdigit() and text[max(line_start, start) : m.start()].strip() == token:
                continue  # "1." opening a numbered list item
        if m.group().startswith("\n") and _REFERENCE_END.search(text, max(start, m.start() - 40), m.start()):
            continue  # "... dimaksud pada ayat\n(1) wajib ...": the reference's number, not an ayat
        cut = m.end() if not m.group().startswith("\n") else m.start()
        spans.append((cursor, cut))
        cursor = m.end()
    spans.append((cursor, end))
    return [s for s in (_trim(text, a, b) for a, b in spans) if s[1] > s[0]]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Spans of blank-line separated paragraphs, whitespace trimmed."""
    for m in re.finditer(r"(?:[^\n]|\n(?!\s*\n))+", text):
        a, b = _trim(text, m.start(), m.end())
        if b > a:
            yield a, b


def passage_units(text: str, passage: Passage) -> list[tuple[int, int]]:
    """Absolute spans of a passage's sentences, one per line for table rows."""
    if not passage.rows:
        spans = sentence_spans(text, passage.start, passage.end, ocr=passage.ocr_confidence is not None)
        # A bulleted line (a reference, a list item) is one unit, whatever its full stops.
        for m in re.finditer(r"(?m)^[ \t]*[-*•][ \t]+\S.*$", text[passage.start : passage.end]):
            a, b = passage.start + m.start(), passage.start + m.end()
            inside = [sp for sp in spans if a <= sp[0] and sp[1] <= b]
            if len(inside) > 1:
                spans = sorted({*spans} - set(inside) | {(inside[0][0], inside[-1][1])})
        return spans
    spans = []
    pos = passage.start
    for line in text[passage.start : passage.end].split("\n"):
        a, b = pos, pos + len(line)
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
        pos += len(line) + 1
    return spans
