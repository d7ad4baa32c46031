"""Reading a question: its key terms with their translations and synonyms, numbers and
dates, the kind of answer it wants, acronyms, and words that ask for a table's extreme."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from assistant.lang.glossary import PAIRS
from assistant.lang.stem import STOPWORDS, stem_tokens
from assistant.search.abbreviations import parenthesised
from assistant.search.tables import MONTH_ABBR as _MONTH_ABBR
from assistant.search.tables import MONTH_NUMBER as _MONTH_NUMBER
from assistant.search.tables import YEAR as _YEAR


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Question words and fillers that say nothing about the answer's content.
QUESTION_STOPWORDS = STOPWORDS | _words(
    """
    much many according say says said roughly approximately around about exactly also any some whose
    one ones kind sort here them it its our your you we me my he she his her been being were was is
    are am get got make made use used using just only very far ever under over above below past
    after before during between among through across toward towards upon within without like other
    another same each every own so too more less first last et al etc take took taken give gave go
    went come came become became called named saja punya sampai menurut dkk berapakah apakah manakah
    siapakah kapankah sebut disebut disebutkan bisa dapat boleh harus perlu pernah sedang lagi
    tentang mengenai terhadap hingga atas bagi ya bukan sekitar kira seberapa menjadi paling jumlah
    banyak dimaksud meant list all show tell semua tampilkan sebutkan
    """
)

_NUMBER = re.compile(r"(?:(?<![\w.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,])-?\d+(?:[.,]\d+)?)(?![A-Z])")
_MONTH_NAMES = sorted(
    _words(
        """
        january february march april may june july august september october november december januari
        februari maret mei juni juli agustus oktober nopember desember
        """
    )
)
_DATE = re.compile(
    r"\b\d{1,2}[-/ ](?:" + "|".join(_MONTH_ABBR + _MONTH_NAMES) + r")\b"
    r"|\b(?:" + "|".join(_MONTH_NAMES) + r")\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"\d\s?%|\bper ?cent|\bpersen|\bpersentase", re.IGNORECASE)
_ROW_NOISE = re.compile(r"^Row \d+:\s*|(?<!\w)[Nn]o[:.] ?[\d./-]+;?|(?<!\w)\d{1,2}[.)](?=\s)")
_CITATION = re.compile(r"\([^()]*[A-Za-z][^()]*[ ,](?:19|20)\d{2}[a-z]?\)")  # (Kompas, 2023)
# An entry of a reference list ("- Author. (2020).") or a citation of the article itself
# ("How to cite: Hakiem, F. N., Argenti, G., & ... (2025)."); or one with its year between
# commas, as regulations list their sources ("13) Water Environment Foundation, 2011, Biofilm
# Reactors: ...", "10) von Sperling, M., 2007, ..."), never "... (Kompas, 2023, p. 3).".
_REFERENCE = re.compile(
    r"\s*(?:(?:[-*•]\s.*|[A-Z][\w'-]+, (?:[A-Z]\.\s?)+.*)\((?:19|20)\d{2}[a-z]?(?:, [^)]*)?\)\."
    r"|(?:\d{1,3}[.)]\s+[A-Za-z]|[A-Z])[^\d:;()]{0,100}?(?:\s\([^()\d]+\))?,\s(?:19|20)\d{2}[a-z]?,\s\S)"
)
# A number labelling a name ('SMAN 24', 'RW 05', 'Vol 9') or a part of a law ('Pasal 14',
# 'ayat (1)') is an identifier, not a quantity; a unit's letter names nothing ("mg/L 30").
_IDENTIFIER = re.compile(r"(?<!/)\b(?:[A-Z][\w.]*\.?|ayat|angka|pasal|article|paragraph) (?:\d+[a-z]?\b|\(\d+[a-z]?\))")
# A capitalised word that does not open its sentence: a name ("... the population of Kawasaki?").
NAME = re.compile(r"(?<=[\w,;:)] )[A-Z][\w-]{2,}")
_WANTS = (
    (
        "percent",
        re.compile(
            r"\b(?:what|which) (?:share|percentage|proportion)\b|\bpercent|\bberapa persen|"
            r"\bpersentase\b|\bpersen\b",
            re.IGNORECASE,
        ),
    ),
    (
        "date",
        re.compile(
            r"\bwhen\b|\b(?:what|which) (?:year|date|month)\b|\bkapan\b|\btahun berapa\b|"
            r"\btanggal berapa\b",
            re.IGNORECASE,
        ),
    ),
    (
        "number",
        re.compile(
            r"\bhow (?:many|much|long)\b|\bnumber of\b|\bberapa\b|\bcoordinates\b|\bkoordinat\b"
            r"|\bwhat (?:is|was) the (?:population|size|area|total|amount|volume|budget|cost)\b",
            re.I,
        ),
    ),
    (
        "name",
        re.compile(
            r"^\s*who\b|\bwho (?:is|was|were|led|wrote)\b|\bsiapa\b|\bwhere\b|\bdi ?mana\b|\bcalled\b"
            r"|\bwhich (?:institution|organi[sz]ation|agency|office|bureau|university|company|ministry)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "source",
        re.compile(
            r"\bwhich (?:newspaper|journal|authors?|researchers?|source|media)\b|\bwho (?:reported|wrote)\b"
            r"|\bsiapa (?:penulis|peneliti)\b|\bpenelitian siapa\b",
            re.IGNORECASE,
        ),
    ),
)
_WORD = re.compile(r"(?:[^\W\d_]|\d+[^\W\d_])[^\W_]*(?:-[^\W_]+)*")  # words, '3R', 'CO2'
NUMBER_WORDS = {
    w: str(n)
    for n, words in enumerate(
        ("", "one satu", "two dua", "three tiga", "four empat", "five lima", "six enam", "seven tujuh",
         "eight delapan", "nine sembilan", "ten sepuluh"),
    )
    for w in words.split()
}  # fmt: skip


def normalise_number(raw: str) -> str:
    """'1,600' -> '1600', '2014.0' -> '2014', '2,5' -> '2.5', '316.80' -> '316.8'."""
    s = raw.lstrip("-")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):
        s = s.replace(",", "")
    s = s.replace(",", ".")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s or "0"


def numbers_in(text: str) -> set[str]:
    """The normalised numbers of `text`, signs dropped; a range '2017–2020' gives both ends."""
    return {normalise_number(m.group()) for m in _NUMBER.finditer(text)}


_SHORT_DATE = re.compile(r"\b(\d{1,2})-([A-Za-z]{3})-(\d{2})\b")  # 05-Mar-19, as the open-data tables write dates
_MONTHS = (
    "january february march april may june july august september october november december".split(),
    "januari februari maret april mei juni juli agustus september oktober november desember".split(),
)


def short_dates(text: str) -> tuple[set[str], list[str]]:
    """The numbers and month stems of `text`'s short dates: "05-Mar-19" reads as 5, March
    (Maret) and 2019, as a question says it ("on 5 March 2019")."""
    nums: set[str] = set()
    months: list[str] = []
    for day, month, yy in _SHORT_DATE.findall(text):
        if (n := _MONTH_NUMBER.get(month.lower())) is None:
            continue
        nums |= {str(int(day)), f"20{yy}"}
        months += tokens(" ".join(names[n - 1] for names in _MONTHS))
    return nums, months


def tokens(text: str) -> list[str]:
    """Snowball stems of the words of `text` (underscores split, numbers left out)."""
    return list(_stems(text))


@lru_cache(maxsize=65536)
def _stems(text: str) -> tuple[str, ...]:
    # Cached: an answer reads a passage's sentences, its text and its document's metadata
    # again for every candidate and every term of the question.
    return tuple(stem_tokens(" ".join(_WORD.findall(text.replace("_", " ").lower()))))


def wanted_kinds(question: str) -> frozenset[str]:
    """The kinds of answer a question asks for: 'percent', 'date', 'number', 'name'."""
    wants = {kind for kind, pattern in _WANTS if pattern.search(question)}
    if wants & {"percent", "date"}:
        wants.discard("number")  # "berapa persen", "tahun berapa": that is the number
    return frozenset(wants)


_COUNT = re.compile(r"\bhow many\b|\bnumber of\b|\bberapa\b|\bjumlah\b", re.IGNORECASE)
_WHICH = re.compile(r"\bwhich\b|\bmana\b|\bapa saja\b|\bsebutkan\b|^\s*list\b", re.IGNORECASE)


def count_of(question: str) -> str | None:
    """'count' when the question asks how many ("how many", "berapa banyak", "jumlah"),
    'which' when it asks which ones, else None: what a table may answer by counting rows."""
    if _COUNT.search(question) and "number" in wanted_kinds(question):
        return "count"
    if _WHICH.search(question):
        return "which"
    return None


def answer_kinds(text: str, question: str = "", is_rare: Callable[[str], bool] | None = None) -> set[str]:
    """The kinds of answer `text` holds that the question does not already state. Row
    numbers, list numbers and in-text citations ('(Kompas, 2023)') do not count, nor, when
    `is_rare` is given, names the library mentions everywhere ('Bandung')."""
    body = _CITATION.sub(" ", _ROW_NOISE.sub(" ", text))
    asked = numbers_in(question)
    asked_words = {w.lower() for w in re.findall(r"[^\W\d_]+", question)}
    kinds = set()
    if _PERCENT.search(body):
        kinds.add("percent")
    years = {y for y in _YEAR.findall(body) if y not in asked}
    dates = [d for d in _DATE.findall(body) if d.lower() not in asked_words]
    if years or dates:
        kinds.add("date")
    undated = _YEAR.sub(" ", _DATE.sub(" ", re.sub(r"\b\d{1,2}-\w{3}-\d{2}\b", " ", body)))
    if numbers_in(_IDENTIFIER.sub(" ", undated)) - asked:
        kinds.add("number")
    names = [n for n in NAME.findall(body) if n.lower() not in asked_words]
    if any(is_rare is None or is_rare(n) for n in names) and not _REFERENCE.match(text):
        kinds.add("name")  # an entry of a reference list names a source, not a person or place
    # A source may be named in a citation: "(Kompas, 2023)" answers "which newspaper reported".
    names = [n for n in NAME.findall(_ROW_NOISE.sub(" ", text)) if n.lower() not in asked_words]
    if any(is_rare is None or is_rare(n) for n in names):
        kinds.add("source")
    return kinds


@dataclass(frozen=True)
class TermGroup:
    """One thing the question asks about: a word or phrase with its translations, or a number."""

    label: str
    forms: tuple[tuple[str, ...], ...]  # each a sequence of stems
    weight: float
    number: bool = False
    rare_name: bool = False  # a capitalised name few passages mention: the answer must name it
    name: bool = False  # capitalised: matched as written, never as a cognate
    unseen: bool = False  # no form of it occurs anywhere in the library


@dataclass(frozen=True)
class QuestionProfile:
    """A question as the engine sees it."""

    text: str
    language: str
    groups: tuple[TermGroup, ...]
    wants: frozenset[str]
    extreme: str | None = None  # "max" | "min" | "first" | "last": a question about a table's extreme
    count: str | None = None  # "count" | "which": a question a table may answer by counting rows

    @property
    def total_weight(self) -> float:
        return sum(g.weight for g in self.groups) or 1.0

    @property
    def numbers(self) -> frozenset[str]:
        return frozenset(g.label for g in self.groups if g.number)


_ID_PREFIX = re.compile(r"^(?:ber|ter|per|mem|men|meng|meny|me|di|ke|se|pe|pem|pen|peng)")
_ID_SUFFIX = re.compile(r"(?:kan|an|nya|lah|i)$")


def root_variants(word: str) -> list[str]:
    """Indonesian affixes stripped ('dicakup' -> 'cakup', 'airnya' -> 'air') for glossary look-up."""
    out = []
    stem = _ID_SUFFIX.sub("", word) if len(word) > 5 else word
    for w in (stem, word):
        bare = _ID_PREFIX.sub("", w)
        if len(bare) >= 4 and bare != word:
            out.append(bare)
    if stem != word and len(stem) >= 3:
        out.append(stem)
    return out


# Everyday English synonyms the glossary (a bilingual list) does not hold; each set is one word.
SYNONYMS = (
    ("aim", "objective", "goal", "purpose", "tujuan"),
    ("produce", "generate"),
    ("begin", "start", "initiate"),
    ("end", "conclude", "finish"),
    ("fund", "finance"),
    ("obstacle", "challenge", "barrier"),
    ("limitation", "constraint"),
    ("result", "outcome", "output"),
    ("name", "title", "judul"),
    ("acronym", "abbreviation", "singkatan"),
)


@lru_cache(maxsize=1)
def synonyms_only() -> frozenset[tuple[str, ...]]:
    """The stemmed words the glossary table holds only through SYNONYMS, with no translation
    of their own ('limit', the stem of 'limitation'; 'goal', whose group holds 'tujuan'):
    the dictionary translates them too ('batas')."""
    translated = {tuple(tokens(w)) for pair in PAIRS for w in pair}
    return frozenset(k for group in SYNONYMS for w in group if (k := tuple(tokens(w))) not in translated)


@lru_cache(maxsize=1)
def glossary_table() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Stemmed phrase -> its stemmed translations and synonyms, both directions;
    Indonesian single words also under their root ('cakupan' under 'cakup')."""
    table: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for group in SYNONYMS:
        stemmed = [tuple(tokens(w)) for w in group]
        for a in stemmed:
            table.setdefault(a, set()).update(stemmed)
    for idn, en in PAIRS:
        a, b = tuple(tokens(idn)), tuple(tokens(en))
        if not (a and b):
            continue
        table.setdefault(a, set()).add(b)
        table.setdefault(b, set()).add(a)
        if " " not in idn:
            for root in root_variants(idn):
                table.setdefault(tuple(tokens(root)), set()).update({a, b})
    return {k: tuple(sorted(v - {k})) for k, v in table.items()}


def with_acronyms(
    glossary: dict[tuple[str, ...], tuple[tuple[str, ...], ...]],
    acronyms: dict[tuple[str, ...], tuple[tuple[str, ...], ...]],
) -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The glossary with the acronyms a library defines (stemmed acronym -> its long forms)."""
    if not acronyms:
        return glossary
    out = {**glossary}
    for short, longs in acronyms.items():
        out[short] = tuple(dict.fromkeys([*out.get(short, ()), *longs]))
    return out


_LIST_START = re.compile(r"(?:first(?:ly)?|pertama|1[.)])[\s,]", re.IGNORECASE)
_LIST_ITEM = re.compile(
    r"(?:second(?:ly)?|third(?:ly)?|fourth(?:ly)?|finally|lastly|kedua|ketiga|keempat|terakhir|\d{1,2}[.)])[\s,]",
    re.IGNORECASE,
)


def acronyms_in(text: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Acronyms a text defines in a parenthesis, as (stemmed acronym, stemmed long form):
    'Joint Crediting Mechanism (JCM)', 'memorandum of understanding (MoU)'."""
    return [(tuple(tokens(short)), tuple(tokens(long))) for long, short in parenthesised(text)]


# -- sentences -------------------------------------------------------------------------
