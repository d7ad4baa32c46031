"""One loader per file format, all behind the `Loader` Protocol, and the registry that
picks a loader by file suffix."""

from __future__ import annotations

from pathlib import Path

from assistant.ingest.loaders.base import Loader, LoadOptions
from assistant.ingest.loaders.csv_loader import CsvLoader
from assistant.ingest.loaders.pdf_loader import PdfLoader
from assistant.ingest.loaders.text_loader import HtmlLoader, TextLoader

__all__ = ["LoadOptions", "Loader", "loader_for", "supported_suffixes"]


def _loaders() -> list[Loader]:
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
