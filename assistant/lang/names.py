"""The names of the languages Mitra reads, in English, in Indonesian and in themselves."""

from __future__ import annotations

# name of a language (row) in a language (column)
_NAMES = {
    "en": {"en": "English", "id": "Inggris"},
    "id": {"en": "Indonesian", "id": "Indonesia"},
}
_OWN_NAMES = {"en": "English", "id": "Bahasa Indonesia"}


def language_name(code: str, in_language: str | None = None) -> str:
    """The name of language `code` in `in_language` ('id' in English: 'Indonesian'; in
    Indonesian: 'Indonesia'), or its own name when `in_language` is None ('Bahasa
    Indonesia'). An unknown code is returned as it is."""
    if in_language is None:
        return _OWN_NAMES.get(code, code)
    return _NAMES.get(code, {}).get(in_language, code)
