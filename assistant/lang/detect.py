"""Which language a text is in: Bahasa Indonesia or English, offline and instant."""

from __future__ import annotations

import re

from assistant.lang.stem import ID_FUNCTION_WORDS

_ID_WORDS = ID_FUNCTION_WORDS | frozenset(
    """
    tahun kota sampah sungai air kerja sama program kegiatan jumlah berdasarkan menurut antara
    tentang bantuan dana pemerintah daerah udara pengelolaan limbah
    """.split()
)
_EN_WORDS = frozenset(
    """
    the and of to in is are for with that this on what which who when where how does did do was
    were has have by from about city cities waste water air program programme cooperation
    """.split()
)
_ID_AFFIX = re.compile(r"^(?:me[mn]?|ber|di|ter|pe[mn]?)\w{3,}|\w{3,}(?:kan|nya|an)$")


def detect_language(text: str) -> str:
    """'id' for Bahasa Indonesia, else 'en': function words, then affixes; offline and instant."""
    words = re.findall(r"[a-zA-Z]+", text.lower())
    if not words:
        return "en"
    idn = sum(w in _ID_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    if idn != en:
        return "id" if idn > en else "en"
    affixed = sum(bool(_ID_AFFIX.match(w)) for w in words if w not in _EN_WORDS)
    return "id" if affixed > len(words) / 2 else "en"
