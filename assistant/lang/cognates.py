"""The Indonesian spelling of an English word of Latin or Greek stock, which Indonesian
borrowed by regular rules: 'compensation' -> 'kompensasi', 'facility' -> 'fasilitas',
'technology' -> 'teknologi', 'administrative' -> 'administratif', 'procedure' ->
'prosedur'.

The general dictionary (FreeDict) lacks many of these ("compensation", "sanction" in
the plural, "infrastructure"), and they are the words an English question about an
Indonesian regulation most often shares with it. Hand-written rules rather than a
library: no transliteration package on PyPI covers English -> Indonesian loanwords, and
the rules are few and regular. A spelling the rules make is only a candidate: callers
keep those the library holds (the answer engine) or that BM25 finds (retrieval, where a
term no passage holds scores nothing).
"""

from __future__ import annotations

import re
from functools import lru_cache

# English ending -> Indonesian ending, the longest first; a word must keep a stem of at
# least four letters before it.
_ENDINGS = (
    ("isation", "isasi"),
    ("ization", "isasi"),
    ("ction", "ksi"),
    ("tion", "si"),
    ("sion", "si"),
    ("ities", "itas"),
    ("ity", "itas"),
    ("ical", "is"),
    ("ics", "ika"),
    ("ic", "ik"),
    ("ive", "if"),
    ("logy", "logi"),
    ("graphy", "grafi"),
    ("ism", "isme"),
    ("ancy", "ansi"),
    ("ency", "ensi"),
    ("ance", "ansi"),
    ("ence", "ensi"),
    ("ary", "er"),
    ("ory", "ori"),
    ("ure", "ur"),
    ("ment", "men"),
    ("al", "al"),
    ("or", "or"),
    ("um", "um"),
)
MIN_STEM = 4
# Spelling, in order: 'ph' is 'f', 'th' 't', 'ch' 'k', 'qu' 'ku', 'x' 'ks', 'y' 'i'; a 'c'
# before e, i or y is 's' ('facility' 'fasilitas'), else 'k' ('public' 'publik').
_SPELLING = (("ph", "f"), ("th", "t"), ("ch", "k"), ("qu", "ku"), ("x", "ks"), ("y", "i"))
_SOFT_C = re.compile(r"c(?=[eiy])")
_SOFT_T = re.compile(r"(?<=[aeioun])ti(?=[aou])")  # 'national' 'nasional', 'potential' 'potensial'


def _respell(stem: str) -> str:
    stem = _SOFT_T.sub("si", _SOFT_C.sub("s", stem))
    for a, b in _SPELLING:
        stem = stem.replace(a, b)
    stem = stem.replace("c", "k")
    return re.sub(r"([^aeiou])\1", r"\1", stem)  # 'commission' 'komisi', 'collection' 'koleksi'


@lru_cache(maxsize=4096)
def cognates(word: str) -> tuple[str, ...]:
    """The Indonesian spellings `word` (English, lower case) may have as a loanword, or ()
    when it has none of the endings Indonesian borrows by rule. A plural is read as its
    singular ('sanctions' -> 'sanksi')."""
    word = word.lower()
    forms = []
    if word.endswith("ies") and not word.endswith("ities"):
        forms = [word[:-3] + "y"]  # 'categories' 'category'
    elif word.endswith("s") and not word.endswith(("ss", "ics", "ities")):
        forms = [word[:-1]]
    for w in [word, *forms]:
        for ending, replacement in _ENDINGS:
            if w.endswith(ending) and len(w) - len(ending) >= MIN_STEM:
                return (_respell(w[: -len(ending)] + replacement),)
    return ()
