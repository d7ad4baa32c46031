"""Markdown, plain text and HTML: sections from headings, encodings detected."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

from assistant.errors import LoadError
from assistant.ingest.decode import decode_bytes
from assistant.ingest.legal import is_regulation, split_all_inline_headings
from assistant.ingest.loaders.base import LoadOptions
from assistant.ingest.sentences import paragraphs
from assistant.ingest.structure import assemble, repair_paragraphs, split_paragraphs
from assistant.model import LoadedText


def load_paragraph_text(raw: str, path: Path, warnings: list[str]) -> LoadedText:
    """Shared by the text and HTML loaders: repair, section and package a text."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    paras = [raw[a:b] for a, b in paragraphs(raw)]
    if not paras:
        raise LoadError(f"{path.name}: the file is empty", "add text to it or remove it")
    legal = is_regulation(raw.split("\n"))
    if legal:  # every BAB, Bagian, Paragraf and Pasal line (and their titles) a paragraph of its own
        paras = [q for part in split_all_inline_headings(paras) for q in split_paragraphs(part, legal=True)]
    paras, dropped, joined = repair_paragraphs(paras)
    if dropped:
        warnings.append(f"{dropped} repeated running head{'s' * (dropped != 1)} removed")
    if joined:
        warnings.append(f"{joined} sentence{'s' * (joined != 1)} split by page breaks rejoined")
    text, blocks, first_heading = assemble(paras, legal=legal)
    return LoadedText(
        text=text,
        blocks=tuple(blocks),
        title=first_heading,
        warnings=tuple(warnings),
        regulation=legal,
    )


class TextLoader:
    """Markdown and plain text."""

    suffixes: tuple[str, ...] = (".md", ".markdown", ".txt", ".text", ".rst")

    def load(self, path: Path, options: LoadOptions | None = None) -> LoadedText:
        data = path.read_bytes()
        if not data.strip():
            raise LoadError(f"{path.name}: the file is empty", "add text to it or remove it")
        raw, warning = decode_bytes(data, path)
        return load_paragraph_text(raw, path, [warning] if warning else [])


class _HtmlText(HTMLParser):
    _BLOCK: ClassVar[set[str]] = {"p", "div", "br", "li", "tr", "section", "article", "table", "ul", "ol"}
    _SKIP: ClassVar[set[str]] = {"script", "style", "head", "nav", "footer"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skip += 1
        elif re.fullmatch(r"h[1-6]", tag):
            self.out.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag in self._BLOCK:
            self.out.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
        elif re.fullmatch(r"h[1-6]", tag) or tag in self._BLOCK:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(re.sub(r"\s+", " ", data))


class HtmlLoader:
    """HTML pages: visible text, headings kept as sections."""

    suffixes: tuple[str, ...] = (".html", ".htm")

    def load(self, path: Path, options: LoadOptions | None = None) -> LoadedText:
        raw, warning = decode_bytes(path.read_bytes(), path)
        parser = _HtmlText()
        parser.feed(raw)
        text = re.sub(r"[ \t]*\n[ \t]*", "\n", "".join(parser.out))
        return load_paragraph_text(text, path, [warning] if warning else [])
