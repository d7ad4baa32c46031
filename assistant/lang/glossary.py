"""A bilingual (Bahasa Indonesia <-> English) glossary of the library's domain, for
cross-lingual query expansion (`data/glossary.tsv`).

BM25 and all-MiniLM-L6-v2 only match words of the query's language, and the library
mixes English studies with Indonesian regulations and tables. No offline translation
library covers Indonesian environmental administration well enough to ship, so this is a
short hand-kept list of the domain's terms. `expand` adds the other language's terms to a
query, translating from the query's language only (an English "air quality" gains
"kualitas udara", never "water"); `to_english` rewrites an Indonesian query word by word
for the English dense model. Unknown words pass through unchanged.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache

from assistant.lang.cognates import cognates
from assistant.lang.data import read_list, read_text
from assistant.lang.detect import detect_language
from assistant.lang.morph import strip_affixes
from assistant.lang.stem import stem_words
from assistant.lang.words import Language, stopwords

_TOKEN = re.compile(r"[\w-]+")
STOPWORDS_EN = stopwords("en")
STOPWORDS_ID = stopwords("id")
_DIRECTIONS = ("both", "id>en", "en>id")

Table = dict[tuple[str, ...], list[str]]


@dataclass(frozen=True, slots=True)
class Entry:
    """One glossary line: an Indonesian term, its English equivalent, and which way it
    translates ('both', 'id>en' or 'en>id': 'tahu' is 'tofu' only from English, since in
    an Indonesian text it mostly means 'know')."""

    indonesian: str
    english: str
    direction: str = "both"

    def translates_from(self, language: Language) -> bool:
        """Whether a text in `language` gains this entry's other side."""
        return self.direction in ("both", f"{language}>{'en' if language == 'id' else 'id'}")


@cache
def entries() -> tuple[Entry, ...]:
    """Every glossary entry, in file order."""
    out = []
    for line in read_list("glossary.tsv")[1:]:  # the first line names the columns
        idn, en, *rest = line.split("\t")
        direction = rest[0] if rest else "both"
        if direction not in _DIRECTIONS:
            raise ValueError(f"glossary.tsv: direction {direction!r} of {idn!r} is not one of {_DIRECTIONS}")
        out.append(Entry(idn.strip(), en.strip(), direction))
    return tuple(out)


# (Indonesian, English) of every entry, both directions and one-way alike.
PAIRS: tuple[tuple[str, str], ...] = tuple((e.indonesian, e.english) for e in entries())


@cache
def _table(language: Language) -> Table:
    """Phrase of `language` (as words) -> its translations."""
    table: Table = {}
    for e in entries():
        if e.translates_from(language):
            src, dst = (e.indonesian, e.english) if language == "id" else (e.english, e.indonesian)
            table.setdefault(tuple(src.split()), []).append(dst)
    return table


@cache
def _longest(language: Language) -> int:
    return max(len(k) for k in _table(language))


def _variants(word: str, language: Language) -> tuple[str, ...]:
    """Root forms to look up: an English plural's singular, an Indonesian word's roots."""
    if language == "en":
        return (word[:-1],) if word.endswith("s") and len(word) > 3 else ()
    return strip_affixes(word)


def _translate(words: list[str], language: Language) -> list[tuple[str, list[str]]]:
    """Greedy longest match: (source phrase, its translations or []) in order."""
    table = _table(language)
    out: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(words):
        for n in range(min(_longest(language), len(words) - i), 0, -1):
            key = tuple(words[i : i + n])
            if key in table:
                out.append((" ".join(key), table[key]))
                i += n
                break
        else:
            word = words[i]
            out.append((word, next((table[(v,)] for v in _variants(word, language) if (v,) in table), [])))
            i += 1
    return out


@cache
def _dictionary() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """English word -> Indonesian translations (data/dictionary-en-id.tsv: FreeDict/WikDict,
    general language, where the glossary holds the library's domain), and Snowball stem ->
    the shortest headword with that stem ('rates' finds 'rate')."""
    exact: dict[str, tuple[str, ...]] = {}
    for line in read_list("dictionary-en-id.tsv"):
        word, translations = line.split("\t")
        exact[word] = tuple(translations.split("|"))
    by_stem: dict[str, str] = {}
    for word, stem in sorted(zip(exact, stem_words(list(exact)), strict=True), key=lambda ws: (len(ws[0]), ws[0])):
        by_stem.setdefault(stem, word)
    return exact, by_stem


_INFLECTIONS = ("s", "es", "ed", "d", "ing")


def inflects(word: str, head: str) -> bool:
    """Whether `word` is an inflection of the headword `head` ('sanctions' of 'sanction',
    'importing' of 'import', 'studies' of 'study', 'controlled' of 'control', 'managed' of
    'manage'), not a word derived from it or one it derives from, which a shared Snowball
    stem also gives ('contain' and 'container', 'businesses' and 'busy', 'administrative'
    and 'administrator')."""
    bases = {head, head + head[-1]}  # a doubled final consonant: 'controlled'
    if head.endswith("e"):
        bases.add(head[:-1])  # 'managing'
    if head.endswith("y"):
        bases.add(head[:-1] + "i")  # 'studies', 'studied'
    return any(word == b + ending for b in bases for ending in _INFLECTIONS)


def dictionary_terms(words: list[str]) -> list[str]:
    """The dictionary's Indonesian translations of English `words` (stopwords left out):
    the word's own entry, else that of the headword it inflects ('sanctions', 'importing';
    found by its Snowball stem), else its spelling as a loanword ('compensation' ->
    'kompensasi', `cognates`)."""
    exact, by_stem = _dictionary()
    out: list[str] = []
    for word in words:
        if word in STOPWORDS_EN:
            continue
        head = by_stem.get(stem_words([word])[0], "")
        found = exact.get(word) or (exact[head] if head and inflects(word, head) else ())
        out += found or cognates(word)
    return out


@cache
def _lexicon() -> dict[str, tuple[str, ...]]:
    """Indonesian word -> English words (data/lexicon-id-en.tsv, made by bench/lexicon.py:
    learned from SQuAD question pairs of training articles, and FreeDict read backwards)."""
    out: dict[str, tuple[str, ...]] = {}
    for line in read_list("lexicon-id-en.tsv"):
        word, translations = line.split("\t")
        out[word] = tuple(translations.split("|"))
    return out


def english_terms(words: list[str]) -> list[str]:
    """The lexicon's English for Indonesian `words` (function words left out): the word's
    own entry, else that of its first root that has one ('dibentuknya' -> 'bentuk')."""
    lexicon = _lexicon()
    out: list[str] = []
    for word in words:
        if word in STOPWORDS_ID:
            continue
        found = lexicon.get(word) or next((lexicon[r] for r in strip_affixes(word) if r in lexicon), ())
        out += found
    return out


def expand(query: str, language: Language | None = None, dictionary: bool = False, lexicon: bool = False) -> str:
    """The query plus the other language's terms for the domain words it contains,
    translated from `language` (detected when None) only. With `dictionary`, an English
    query's words the glossary does not hold gain the general dictionary's translations;
    with `lexicon`, an Indonesian query's gain the lexicon's English."""
    source = language or detect_language(query)
    found = _translate(_TOKEN.findall(query.lower()), source)
    extra = [t for _, translations in found for t in translations]
    if dictionary and source == "en":
        extra += dictionary_terms([w for phrase, ts in found if not ts for w in phrase.split()])
    if lexicon and source == "id":
        extra += english_terms([w for phrase, ts in found if not ts for w in phrase.split()])
    return query if not extra else f"{query} {' '.join(dict.fromkeys(extra))}"


@cache
def english_version() -> str:
    """A digest of the word lists `to_english` reads (the glossary and the lexicon): an
    Indonesian passage's English gloss made with other lists is stale."""
    h = hashlib.sha256()
    for name in ("glossary.tsv", "lexicon-id-en.tsv"):
        h.update(read_text(name).encode("utf-8"))
    return h.hexdigest()[:16]


def to_english(query: str, lexicon: bool = False) -> str:
    """An Indonesian query with every known term replaced by its English equivalent (the
    glossary's; with `lexicon`, a word it lacks by the lexicon's first English)."""
    words = _TOKEN.findall(query.lower())
    out = []
    for src, t in _translate(words, "id"):
        general = english_terms([src]) if lexicon and not t and " " not in src else []
        out.append(t[0] if t else general[0] if general else src)
    return " ".join(out)
