"""One small error hierarchy that the CLI and the TUI know how to show."""

from __future__ import annotations


class MitraError(Exception):
    """An error a user can hit: `message` says what happened, `hint` what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message, hint)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class LoadError(MitraError):
    """A file could not be read into text."""


class NeedsOcrError(LoadError):
    """A PDF with no text layer at all: it has to go through OCR first."""


class IndexMissingError(MitraError):
    """No index has been built yet."""


class IndexBusyError(MitraError):
    """Another process is building the index."""


class IndexFormatError(MitraError):
    """The index on disk was built by another format or embedder."""


class QueryTooLongError(MitraError):
    """A query longer than the configured limit (`max_query_chars`)."""


class ConfigError(MitraError):
    """A setting or argument is invalid."""


class IndexCorruptError(IndexFormatError):
    """The index on disk is damaged (a file truncated or missing): it must be rebuilt."""


class IndexWriteError(MitraError):
    """The index folder cannot be written (read-only, immutable, full)."""
