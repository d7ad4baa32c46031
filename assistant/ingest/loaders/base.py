"""The Loader Protocol and what a load may be given."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from assistant.config import OcrSettings
from assistant.ingest.ocr_types import PageProgress
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
