"""One loader per file format, all behind the `Loader` Protocol."""

from assistant.ingest.loaders.base import Loader, LoadOptions, loader_for, supported_suffixes

__all__ = ["LoadOptions", "Loader", "loader_for", "supported_suffixes"]
