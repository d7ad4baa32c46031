"""The names of the languages Mitra knows, written in English, in Bahasa Indonesia, or in
themselves."""

from __future__ import annotations

# name of a language (column) written in a language (row)
_NAMES = {"en": {"en": "English", "id": "Indonesian"}, "id": {"en": "Inggris", "id": "Indonesia"}}
_OWN_NAMES = {"en": "English", "id": "Bahasa Indonesia"}


def language_name(code: str, in_language: str = "en") -> str:
    """The name of language `code` in `in_language`: ("id", "en") -> "Indonesian",
    ("en", "id") -> "Inggris"; an unknown code is returned as given."""
    return _NAMES.get(in_language, _NAMES["en"]).get(code, code)


def own_name(code: str) -> str:
    """The language's name for itself, as a language menu shows it: "id" -> "Bahasa
    Indonesia"; an unknown code is returned as given."""
    return _OWN_NAMES.get(code, code)
