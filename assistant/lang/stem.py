"""Snowball stems (PyStemmer): English for English text, Indonesian for Indonesian text.

BM25 indexes each passage with the stemmer of its document's language and searches with
both stems of every query word (`query_stems`), so a query finds documents of either
language; the Indonesian stemmer raised BM25 and hybrid MRR on both question sets
(see `assistant/index/lexical.py`).
"""

from __future__ import annotations

import threading
from typing import Any

from assistant.lang.words import Language, stopwords, words

STOPWORDS = stopwords()
_SNOWBALL = {"en": "english", "id": "indonesian"}
_local = threading.local()  # a PyStemmer object is not thread-safe: one per thread


def _stemmer(language: Language) -> Any:  # PyStemmer is untyped
    cache: dict[str, Any] | None = getattr(_local, "stemmers", None)
    if cache is None:
        cache = _local.stemmers = {}
    if language not in cache:
        import Stemmer

        cache[language] = Stemmer.Stemmer(_SNOWBALL[language])
    return cache[language]


def stem_words(tokens: list[str], language: Language = "en") -> list[str]:
    """The Snowball stems of lower-cased `tokens` in `language`."""
    return list(_stemmer(language).stemWords(tokens))


def stem_tokens(text: str, drop_stopwords: bool = False, language: Language = "en") -> list[str]:
    """Lower-cased Snowball stems of the words of `text`, stopwords of both languages
    left out when `drop_stopwords`."""
    tokens = [w for w in words(text) if not (drop_stopwords and w in STOPWORDS)]
    return stem_words(tokens, language)


def query_stems(text: str, drop_stopwords: bool = False) -> list[str]:
    """Each word's English stem, followed by its Indonesian stem where that differs: the
    terms that find the word in documents of either language."""
    tokens = [w for w in words(text) if not (drop_stopwords and w in STOPWORDS)]
    out: list[str] = []
    for en, idn in zip(stem_words(tokens, "en"), stem_words(tokens, "id"), strict=True):
        out.append(en)
        if idn != en:
            out.append(idn)
    return out
