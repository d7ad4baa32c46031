"""Text helpers shared by loaders and the chunker: decoding, headings, sentences."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from assistant.errors import LoadError

_WORD = re.compile(r"\S+")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


_ENCODINGS = ["cp1252", "latin_1", "utf_16", "shift_jis", "cp932", "euc_jp", "iso2022_jp"]


def decode_bytes(data: bytes, path: Path) -> tuple[str, str | None]:
    """Decode file bytes: UTF-8 first, else the detected encoding.

    Returns the text and a warning when the encoding had to be guessed.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # The library's languages are Indonesian, English and Japanese: weigh only the
    # encodings such files come in, so Latin text is not read as Baltic or Cyrillic.
    best = from_bytes(data, cp_isolation=_ENCODINGS).best() or from_bytes(data).best()
    if best is None or b"\x00" in data[:4096]:
        raise LoadError(
            f"{path.name}: not readable as text (binary content or unknown encoding)",
            "save it as UTF-8 text, or remove it from the library",
        )
    return str(best), f"not UTF-8: decoded as {best.encoding}"


# Abbreviations after which a period does not end a sentence.
_ABBREV = {
    "e.g",
    "i.e",
    "et al",
    "etc",
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "no",
    "vol",
    "pp",
    "p",
    "jl",
    "kel",
    "kec",
    "fig",
    "art",
    "st",
    "vs",
    "cf",
    "ed",
    "eds",
    "inc",
    "ltd",
    "co",
    "dll",
    "dsb",
    "hlm",
    "tbk",
    "approx",
    "dept",
    "govt",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}
_BOUNDARY = re.compile(
    r"""[.!?]["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])"""  # end of a sentence
    r"|\n\s*\n"  # a paragraph break
    r"|\n(?=[ \t]*(?:\d+[.)]|[-•*])\s|[^\n]*\t)"  # a list item or a table row on its own line
)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) of `text[start:end]`, whitespace trimmed.

    A paragraph break always ends a sentence; a period after a known abbreviation
    or a single initial ("F. N. Hakiem") does not.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _BOUNDARY.finditer(text, start, end):
        if m.group().startswith("."):
            before = text[max(start, m.start() - 12) : m.start()]
            token = re.split(r"[\s(]", before)[-1].lower()
            if token in _ABBREV or (len(token) == 1 and token.isalpha()):
                continue
            line_start = text.rfind("\n", start, m.start()) + 1
            if token.isdigit() and text[max(line_start, start) : m.start()].strip() == token:
                continue  # "1." opening a numbered list item
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


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_BOLD_LINE = re.compile(r"^\*\*([^*]+)\*\*$")
_NUMBERED = re.compile(
    r"^(?:(?:article|pasal|chapter|bab|section|bagian|annex|lampiran)\s+[\dIVXLC]+\b.*"
    r"|\d+(?:\.\d+)*\.?\s+[A-Z][^.;:]{1,70})$",
    re.IGNORECASE,
)


def heading_level(line: str, next_text: str = "") -> int | None:
    """The heading level of a one-line paragraph, or None if it is body text.

    Recognises Markdown `#` headings, whole-line **bold**, ALL-CAPS lines, numbered
    headings ("Article 3 Funding", "2.1 Sedimentation tank") and short Title Case
    lines followed by a body paragraph (as in text extracted from PDFs).
    """
    line = line.strip()
    if not line or "\n" in line or "\t" in line:
        return None
    if m := _MD_HEADING.match(line):
        return len(m.group(1))
    if m := _BOLD_LINE.match(line):
        inner = m.group(1).strip()
        return 1 if inner.isupper() else 2
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


def clean_heading(line: str) -> str:
    line = line.strip()
    if m := _MD_HEADING.match(line):
        line = m.group(2)
    if m := _BOLD_LINE.match(line):
        line = m.group(1)
    return line.strip().strip("*").strip()


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Spans of blank-line separated paragraphs, whitespace trimmed."""
    for m in re.finditer(r"(?:[^\n]|\n(?!\s*\n))+", text):
        a, b = _trim(text, m.start(), m.end())
        if b > a:
            yield a, b
