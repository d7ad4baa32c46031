"""Words: tokens, stopwords (English and Indonesian function words) and Snowball stems."""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(r"\w+", re.UNICODE)

# English stopwords (Lucene's list) and common Indonesian function words.
EN_STOPWORDS = frozenset(
    """
    a an and are as at be but by for if in into is it no not of on or such that the their then
    there these they this to was will with what which who whom when where why how does do did has
    have had from than its about can could should would shall may might
    """.split()
)
ID_FUNCTION_WORDS = frozenset(
    """
    yang dan di ke dari untuk dengan pada ini itu adalah atau dalam oleh akan juga tidak ada apa
    apakah siapa kapan dimana mana bagaimana berapa mengapa kenapa sebagai serta bahwa para
    tersebut telah sudah masih saja hanya lebih
    """.split()
)
STOPWORDS = EN_STOPWORDS | ID_FUNCTION_WORDS


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("english")


def stem_tokens(text: str, drop_stopwords: bool = False) -> list[str]:
    """Lower-cased Snowball stems of the words of `text`."""
    words = [w for w in _TOKEN.findall(text.lower()) if not (drop_stopwords and w in STOPWORDS)]
    return list(_stemmer().stemWords(words))


@lru_cache(maxsize=1)
def _indonesian():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("indonesian")


def indonesian_stems(words: list[str]) -> list[str]:
    """Snowball Indonesian stems of lower-cased `words` ("memerintahkan" -> "perintah")."""
    return list(_indonesian().stemWords(words))
