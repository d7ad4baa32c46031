"""The names of the languages Mitra knows, written in English or in Bahasa Indonesia."""

from __future__ import annotations

_NAMES = {"en": {"en": "English", "id": "Indonesian"}, "id": {"en": "Inggris", "id": "Indonesia"}}


def language_name(code: str, in_language: str = "en") -> str:
    """The name of language `code` in `in_language`: ("id", "en") -> "Indonesian",
    ("en", "id") -> "Inggris"; an unknown code is returned as given."""
    return _NAMES.get(in_language, _NAMES["en"]).get(code, code)
