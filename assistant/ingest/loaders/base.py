"""The Loader Protocol, what a load may be given, and the registry that picks a loader
by file suffix."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from assistant.config import OcrSettings
from assistant.ingest.ocr import PageProgress
from assistant.model import LoadedText


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """How to read a file: OCR settings, where OCR'd pages are cached, and who hears of
    OCR progress (called with pages done and pages to do)."""

    ocr: OcrSettings = field(default_factory=OcrSettings)
    ocr_cache: Path | None = None
    progress: PageProgress | None = None


class Loader(Protocol):
    """Reads one file into text plus the blocks that passages may not cross."""

    suffixes: tuple[str, ...]

    def load(self, path: Path, options: LoadOptions | None = None) -> LoadedText:
        """Extract the text of `path`; raise `LoadError` with a clear message on failure."""
        ...


def _loaders() -> list[Loader]:
    from assistant.ingest.loaders.csv_loader import CsvLoader
    from assistant.ingest.loaders.pdf_loader import PdfLoader
    from assistant.ingest.loaders.text_loader import HtmlLoader, TextLoader

    return [PdfLoader(), TextLoader(), CsvLoader(), HtmlLoader()]


def supported_suffixes() -> set[str]:
    """Every file suffix some loader reads."""
    return {s for loader in _loaders() for s in loader.suffixes}


def loader_for(path: Path) -> Loader | None:
    """The loader for `path`'s suffix, or None if the format is unsupported."""
    suffix = path.suffix.lower()
    for loader in _loaders():
        if suffix in loader.suffixes:
            return loader
    return None
