"""Words: the languages Mitra reads, the tokens of a text and each language's stopwords
(`data/stopwords-en.txt`, `data/stopwords-id.txt`)."""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from assistant.lang.data import read_list

Language = Literal["en", "id"]
LANGUAGES: tuple[Language, ...] = ("en", "id")

_TOKEN = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """The lower-cased word tokens of `text` (letters, digits and underscores)."""
    return _TOKEN.findall(text.lower())


@cache
def stopwords(language: Language | None = None) -> frozenset[str]:
    """The stopwords of `language`, or of every language when it is None."""
    if language is None:
        return frozenset().union(*(stopwords(lang) for lang in LANGUAGES))
    return frozenset(read_list(f"stopwords-{language}.txt"))
