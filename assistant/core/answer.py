"""Extractive answers with verified citations, or an honest refusal.

No language model: the answer is made of the library's own sentences. The engine
retrieves the top passages (`gather`), cuts them into sentences (one per row for
tables, one per bulleted line), scores each sentence against the question and keeps
the best one to four (`select`) that add something and do not repeat each other.
Every kept sentence becomes a `Citation` whose quote is checked to be exactly
`library.text(doc_id)[start:end]` and the same characters of its stored passage
before it is returned; a sentence whose quote fails the check is dropped.

Scoring (`AnswerEngine.score`): the question becomes *term groups*: a word or phrase
with its glossary translations, everyday synonyms and the long forms of acronyms the
library defines ("MoU" = "memorandum of understanding"), or a number it names. Each
group weighs its inverse document frequency over the library's passages; rare names
weigh double, words the library never uses little. A sentence earns a group's weight
when it holds one of its forms (stems, prefixes such as 'produc'/'product', and
Indonesian-English cognates such as 'paradiplomasi'/'paradiplomacy'), part of it when
only its document's title, description, section or authors do, or the rest of its
passage. The covered share then meets the kind of answer the question wants ("what
share" a percentage, "when" a date, "how many" a number, "who"/"where" a name, "which
newspaper" a source; never one the question already states), is halved for each
number or rare name of the question the sentence lacks, and gets a bonus by its
passage's retrieval rank. Questions about a table's extreme ("which TPS received the
most waste") are answered from the whole table: the rows with the largest or
smallest value of the column the question names. A kept sentence that announces a
list ("...the following objectives:", "... First, ...") brings the list with it.

When the best sentence scores below `AnswerConfig.min_score` (calibrated on the
odd-numbered questions of the question set: `bench/answers.py`, `docs/answers.md`),
the engine abstains and returns the nearest passages instead.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.core.glossary import PAIRS
from assistant.core.lexical import STOPWORDS, stem_tokens
from assistant.core.library import Library
from assistant.core.retrieve import Retriever, detect_language
from assistant.core.textutil import sentence_spans
from assistant.core.types import Answer, Citation, Document, Hit, Passage, SearchFilters


@dataclass(frozen=True)
class AnswerConfig:
    """The engine's knobs. `min_score` was calibrated on the odd-numbered questions."""

    min_score: float = 0.55  # abstain when the best sentence scores less (calibrated)
    max_sentences: int = 4
    extra_ratio: float = 0.7  # a further sentence must score this share of the best ...
    extra_gain: float = 0.1  # ... and cover this share of the question's weight not yet covered
    neighbour_ratio: float = 0.2  # the sentence just before or after the best, if it scores this share ...
    neighbour_gain: float = 0.05  # ... and adds this much coverage
    row_tie_ratio: float = 0.99
    tie_ratio: float = 0.9  # sentences scoring this share of the best are kept without adding
    redundancy: float = 0.6  # word overlap above which a sentence repeats a kept one
    context_credit: float = 0.5  # a term found only in the title, description, section or authors
    passage_credit: float = 0.35  # ... or elsewhere in the sentence's passage
    name_weight: float = 2.0  # capitalised names and numbers of the question
    unseen_weight: float = 0.3  # words found nowhere in the library (often untranslated)
    want_bonus: float = 0.1  # the sentence holds the kind of answer asked for
    want_penalty: float = 0.6  # score factor lost when it lacks it
    missing_number: float = 0.5  # score factor when a number of the question is nowhere near
    missing_name: float = 0.5  # ... when a rare name of the question is not in the sentence
    rare_idf: float = 3.0  # a name is rare above this IDF (in about 1 passage in 20 or fewer)
    name_idf: float = 2.0  # "who" wants a name at least this rare (not 'Bandung', 'City')
    per_table: float = 0.5  # share of the passages read that may come from one table
    retrieval_weight: float = 0.3  # bonus for the best passage's sentences, / (1 + rank) for others
    nearest: int = 3  # passages shown with a refusal
    max_words: int = 90  # longer "sentences" (run-on extraction) are not used


# -- question analysis -----------------------------------------------------------------


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
    banyak
    """
)

_NUMBER = re.compile(r"(?:(?<![\w.])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,])-?\d+(?:[.,]\d+)?)(?![A-Z])")
_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d{2}(?!\d)")
_MONTH_NAMES = sorted(
    _words(
        """
        january february march april may june july august september october november december januari
        februari maret mei juni juli agustus oktober nopember desember
        """
    )
)
_MONTH_NUMBER = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "mei": 5, "jun": 6, "jul": 7, "aug": 8, "agu": 8,
    "sep": 9, "oct": 10, "okt": 10, "nov": 11, "dec": 12, "des": 12,
}  # fmt: skip
_MONTH_ABBR = [*_MONTH_NUMBER, "sept"]
_DATE = re.compile(
    r"\b\d{1,2}[-/ ](?:" + "|".join(_MONTH_ABBR + _MONTH_NAMES) + r")\b"
    r"|\b(?:" + "|".join(_MONTH_NAMES) + r")\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"\d\s?%|\bper ?cent|\bpersen|\bpersentase", re.IGNORECASE)
_ROW_NOISE = re.compile(r"^Row \d+:\s*|(?<!\w)[Nn]o[:.] ?[\d./-]+;?|(?<!\w)\d{1,2}[.)](?=\s)")
_CITATION = re.compile(r"\([^()]*[A-Za-z][^()]*[ ,](?:19|20)\d{2}[a-z]?\)")  # (Kompas, 2023)
_REFERENCE = re.compile(r"\s*[-*•]\s.*\((?:19|20)\d{2}[a-z]?(?:, [^)]*)?\)\.")  # - Author. (2020).
# A number labelling a name ('SMAN 24', 'RW 05', 'Vol 9') is an identifier, not a quantity.
_IDENTIFIER = re.compile(r"\b[A-Z][\w.]*\.? \d+[a-z]?\b")
_NAME = re.compile(r"(?<=[\w,;:)] )[A-Z][\w-]{2,}")
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
        re.compile(r"\bhow (?:many|much|long)\b|\bnumber of\b|\bberapa\b|\bcoordinates\b|\bkoordinat\b", re.I),
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
_NUMBER_WORDS = {
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


def tokens(text: str) -> list[str]:
    """Snowball stems of the words of `text` (underscores split, numbers left out)."""
    return list(stem_tokens(" ".join(_WORD.findall(text.replace("_", " ").lower()))))


def wanted_kinds(question: str) -> frozenset[str]:
    """The kinds of answer a question asks for: 'percent', 'date', 'number', 'name'."""
    wants = {kind for kind, pattern in _WANTS if pattern.search(question)}
    if wants & {"percent", "date"}:
        wants.discard("number")  # "berapa persen", "tahun berapa": that is the number
    return frozenset(wants)


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
    names = [n for n in _NAME.findall(body) if n.lower() not in asked_words]
    if any(is_rare is None or is_rare(n) for n in names) and not _REFERENCE.match(text):
        kinds.add("name")  # an entry of a reference list names a source, not a person or place
    # A source may be named in a citation: "(Kompas, 2023)" answers "which newspaper reported".
    names = [n for n in _NAME.findall(_ROW_NOISE.sub(" ", text)) if n.lower() not in asked_words]
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


@dataclass(frozen=True)
class QuestionProfile:
    """A question as the engine sees it."""

    text: str
    language: str
    groups: tuple[TermGroup, ...]
    wants: frozenset[str]
    extreme: str | None = None  # "max" | "min" | "first" | "last": a question about a table's extreme

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


_EXTREMES = (
    (
        "max",
        r"most|largest|highest|biggest|greatest|maximum|best|terbanyak|terbesar|tertinggi"
        r"|paling (?:banyak|besar|tinggi)",
    ),
    (
        "min",
        r"least|lowest|smallest|fewest|minimum|worst|terendah|terkecil|tersedikit"
        r"|paling (?:sedikit|kecil|rendah)",
    ),
    ("first", r"earliest|first|oldest|pertama|terawal|sejak tahun berapa|sejak kapan"),
    ("last", r"latest|last|most recent|terakhir|terbaru"),
)


_LIST_START = re.compile(r"(?:first(?:ly)?|pertama|1[.)])[\s,]", re.IGNORECASE)
_LIST_ITEM = re.compile(
    r"(?:second(?:ly)?|third(?:ly)?|fourth(?:ly)?|finally|lastly|kedua|ketiga|keempat|terakhir|\d{1,2}[.)])[\s,]",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z]{1,9})\)")
_LINKING = frozenset(("of", "for", "and", "the", "on", "to", "in", "dan", "untuk"))


def acronyms_in(text: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Acronyms a text defines, as (stemmed acronym, stemmed long form): 'Joint Crediting
    Mechanism (JCM)', 'memorandum of understanding (MoU)' (linking words may be skipped)."""
    out = []
    for m in _ACRONYM.finditer(text):
        letters = m.group(1).lower()
        words = re.findall(r"[^\W\d_][\w-]*", text[max(0, m.start() - 120) : m.start()])
        used: list[str] = []
        i = len(letters) - 1
        while i >= 0 and words:
            w = words.pop()
            if w[0].lower() == letters[i]:
                i -= 1
            elif w.lower() not in _LINKING:
                break
            used.append(w)
        if i < 0 and len(used) >= 2:
            out.append((tuple(tokens(m.group(1))), tuple(tokens(" ".join(reversed(used))))))
    return out


def extreme_of(question: str) -> str | None:
    """'max', 'min', 'first' or 'last' when the question asks for a table's extreme."""
    for kind, words in _EXTREMES:
        if re.search(rf"\b(?:{words})\b", question, re.IGNORECASE):
            return kind
    return None


# -- sentences -------------------------------------------------------------------------


@dataclass
class Candidate:
    """A sentence (or table row) of a retrieved passage, with its score."""

    hit: Hit
    start: int  # absolute offsets in the document's text
    end: int
    text: str
    score: float = 0.0
    credit: dict[str, float] = field(default_factory=dict)  # group label -> credit
    stems: frozenset[str] = frozenset()
    rank: int = 0  # of its passage among the passages read, 0 = the best


def passage_units(text: str, passage: Passage) -> list[tuple[int, int]]:
    """Absolute spans of a passage's sentences, one per line for table rows."""
    if not passage.rows:
        spans = sentence_spans(text, passage.start, passage.end)
        # A bulleted line (a reference, a list item) is one unit, whatever its full stops.
        for m in re.finditer(r"(?m)^[ \t]*[-*•][ \t]+\S.*$", text[passage.start : passage.end]):
            a, b = passage.start + m.start(), passage.start + m.end()
            inside = [sp for sp in spans if a <= sp[0] and sp[1] <= b]
            if len(inside) > 1:
                spans = sorted({*spans} - set(inside) | {(inside[0][0], inside[-1][1])})
        return spans
    spans = []
    pos = passage.start
    for line in text[passage.start : passage.end].split("\n"):
        a, b = pos, pos + len(line)
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
        pos += len(line) + 1
    return spans


_SKELETON = (("ph", "f"), ("th", "t"), ("ch", "k"), ("c", "k"), ("q", "k"), ("y", "i"), ("z", "s"))


@lru_cache(maxsize=65536)
def skeleton(stem: str) -> str:
    """A spelling-neutral key, so that Indonesian and English cognates meet:
    'paradiplomasi' and 'paradiplomaci' (paradiplomacy), 'teknologi' and 'technolog'."""
    for a, b in _SKELETON:
        stem = stem.replace(a, b)
    return re.sub(r"(.)\1", r"\1", stem)


_ID_PREFIXES = frozenset({"ter", "ber", "di", "me", "mem", "men", "meng", "pe", "pem", "pen", "peng", "ke", "se"})


@lru_cache(maxsize=65536)
def _same(a: str, b: str, exact: bool = False) -> bool:
    """Whether two stems are the same word: equal, one a long prefix of the other
    ('produc', 'product'), or (unless `exact`) cognates sharing most of their skeleton."""
    if a == b:
        return True
    if len(a) < 5 or len(b) < 5:
        return False
    short, long_ = sorted((a, b), key=len)
    if long_.endswith(short) and long_[: len(long_) - len(short)] in _ID_PREFIXES:
        return True  # an Indonesian prefix: 'tercemar' is 'cemar', 'berdampak' is 'dampak'
    if exact:  # a name: as written ('Europe' is not 'European', 'Kawasan' not 'Kawasaki')
        return False
    if a.startswith(b) or b.startswith(a):
        return True
    if len(a) < 6 or len(b) < 6:
        return False
    ka, kb = skeleton(a), skeleton(b)
    common = 0
    for x, y in zip(ka, kb, strict=False):
        if x != y:
            break
        common += 1
    return common >= max(6, 0.75 * min(len(ka), len(kb)))


def _contains(stems: list[str], form: tuple[str, ...], exact: bool = False) -> bool:
    """Whether `stems` holds `form` (a phrase: its words in order)."""
    if len(form) == 1:
        return any(_same(s, form[0], exact) for s in stems)
    n = len(form)
    return any(
        all(_same(s, f, exact) for s, f in zip(stems[i : i + n], form, strict=True)) for i in range(len(stems) - n + 1)
    )


def _repeats(a: Candidate, b: Candidate, limit: float) -> bool:
    """Whether `a` says what `b` says: two rows with the same values, or two sentences sharing
    more than `limit` of the shorter one's words. Different rows are different records."""
    if a is b:
        return True
    if a.hit.passage.rows and b.hit.passage.rows:
        return list(row_fields(a.text).values()) == list(row_fields(b.text).values())
    return _overlap(a.stems, b.stems) > limit


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


# -- the engine ------------------------------------------------------------------------


@dataclass
class Evidence:
    """What the engine read for a question: the passages, their scored sentences (best
    first) and the documents' texts."""

    hits: list[Hit]
    profile: QuestionProfile
    candidates: list[Candidate]
    texts: dict[str, str]
    retrieve_ms: float = 0.0

    @property
    def best_score(self) -> float:
        """How well the best sentence answers: the engine abstains below `min_score`."""
        return self.candidates[0].score if self.candidates else 0.0


class AnswerEngine:
    """Answers questions from a Library with verified, numbered quotes."""

    def __init__(
        self, library: Library, retriever: Retriever | None = None, config: AnswerConfig | None = None
    ) -> None:
        self.library = library
        self.retriever = retriever or Retriever(library)
        self.config = config or AnswerConfig()
        self._df: dict[str, int] | None = None
        self._n = 0
        self.acronyms: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}

    def warm_up(self) -> None:
        """Load the embedding models and count the library's words now, not at the first question."""
        self.retriever.search("warm up", k=1)
        self.document_frequencies()

    def document_frequencies(self) -> dict[str, int]:
        """How many passages hold each stem and number (computed once per engine)."""
        if self._df is None:
            df: dict[str, int] = {}
            n = 0
            for doc in self.library.documents():
                for p in self.library.passages_of(doc.id):
                    n += 1
                    for term in set(tokens(p.text)) | numbers_in(p.text):
                        df[term] = df.get(term, 0) + 1
                    for short, long in acronyms_in(p.text):
                        self.acronyms[short] = tuple({*self.acronyms.get(short, ()), long})
            self._df, self._n = df, n
        return self._df

    def _idf(self, form: tuple[str, ...]) -> float | None:
        """IDF of a form (a phrase counts as its rarest word); None when it is nowhere."""
        df = self.document_frequencies()
        counts = [df.get(s, 0) for s in form]
        if not counts or min(counts) == 0:
            return None
        return math.log((self._n + 1) / (min(counts) + 0.5))

    def _rare_name(self, word: str) -> bool:
        stems = tokens(word)
        return bool(stems) and (self._idf(tuple(stems)) or 99.0) >= self.config.name_idf

    def profile(self, question: str, language: str | None = None) -> QuestionProfile:
        """The question as weighted term groups, the kinds of answer it wants, and
        whether it asks for a table's extreme."""
        cfg = self.config
        df = self.document_frequencies()
        unseen = math.log((self._n + 1) / 0.5)
        words = [m for m in _WORD.finditer(question)]
        stems = [tuple(tokens(m.group())) for m in words]
        glossary = glossary_table()
        if self.acronyms:
            glossary = {**glossary}
            for short, longs in self.acronyms.items():
                glossary[short] = tuple(dict.fromkeys([*glossary.get(short, ()), *longs]))
        groups: list[TermGroup] = []
        i = 0
        while i < len(words):
            span, forms = 1, [stems[i]] if stems[i] else []
            for n in range(min(4, len(words) - i), 0, -1):
                key = tuple(s for st in stems[i : i + n] for s in st)
                found = glossary.get(key)
                if not found and n == 1:
                    found = next(
                        (
                            glossary[r]
                            for v in root_variants(words[i].group().lower())
                            if (r := tuple(tokens(v))) in glossary
                        ),
                        None,
                    )
                if found:
                    span, forms = n, [key, *found]
                    break
            if span == 1 and (digit := _NUMBER_WORDS.get(words[i].group().lower())):
                forms = [*forms, (digit,)]  # "three programmes" finds "3 aspects"
            phrase = [m.group() for m in words[i : i + span]]
            first = words[i].start() == 0
            i += span
            if not forms or all(w.lower() in QUESTION_STOPWORDS or len(w) < 2 for w in phrase):
                continue
            idfs = [x for f in forms if (x := self._idf(f)) is not None]
            # A concept is as common as its most common form; a word the library never uses
            # weighs little: it is as likely an untranslated word as a missing fact.
            weight = min(idfs) if idfs else unseen * cfg.unseen_weight
            name = not first and any(w[0].isupper() for w in phrase)
            rare = name and bool(idfs) and weight >= cfg.rare_idf
            if rare:
                weight *= cfg.name_weight
            label = " ".join(phrase).lower()
            if all(g.label != label for g in groups):  # a word asked twice counts once
                groups.append(TermGroup(label, tuple(dict.fromkeys(forms)), weight, rare_name=rare, name=name))
        for num in sorted(numbers_in(question)):
            weight = math.log((self._n + 1) / (df.get(num, 0) + 0.5)) * cfg.name_weight
            groups.append(TermGroup(num, ((num,),), weight, number=True))
        language = language or detect_language(question)
        return QuestionProfile(question, language, tuple(groups), wanted_kinds(question), extreme_of(question))

    def candidates(self, hits: list[Hit], texts: dict[str, str]) -> list[Candidate]:
        """The sentences (table rows) of the hits' passages, each once."""
        seen: set[tuple[str, int, int]] = set()
        out: list[Candidate] = []
        for rank, hit in enumerate(hits):
            p = hit.passage
            text = texts[p.doc_id]
            for a, b in passage_units(text, p):
                if (p.doc_id, a, b) in seen:
                    continue
                seen.add((p.doc_id, a, b))
                unit = text[a:b]
                n_words = len(unit.split())
                too_long = n_words > self.config.max_words and not p.rows  # a row is a record, whole
                if n_words < 4 or too_long or unit.lstrip().startswith("#"):
                    continue
                out.append(Candidate(hit, a, b, unit, rank=rank))
        return out

    def score(self, profile: QuestionProfile, cand: Candidate) -> float:
        """Score one sentence against the question (see the module docstring)."""
        cfg = self.config
        nums = numbers_in(_CITATION.sub(" ", _ROW_NOISE.sub(" ", cand.text)))
        stems = tokens(cand.text) + sorted(nums)
        section = cand.hit.passage.section or ""
        if cand.hit.passage.rows and section.endswith(")") and "(" in section:
            # A row of a table in a text: its column names (the header, kept in the
            # section as "Table 1 ... (No | City | Scope)") are part of the record.
            stems += tokens(section[section.rindex("(") :])
        cand.stems = frozenset(stems)
        hit = cand.hit
        meta = [hit.passage.section or ""]
        if hit.document is not None:
            d = hit.document
            meta += [d.title, d.description or "", " ".join(d.authors), d.issuer or ""]
        meta_text = " ".join(meta)
        # The rest of a prose passage is context too; the other rows of a table are not.
        passage_text = "" if hit.passage.rows else hit.passage.text
        meta_stems = tokens(meta_text)
        passage_stems = tokens(passage_text)
        # A rare name counts around the sentence only in the metadata or in the sentence just
        # before ("JCM facilitates ... The aim of the program is ..."), not anywhere in the passage.
        offset = min(len(passage_text), max(0, cand.start - hit.passage.start))
        before = sentence_spans(passage_text, 0, offset) if offset else []
        name_stems = meta_stems + (tokens(passage_text[slice(*before[-1])]) if before else [])
        context_nums = numbers_in(meta_text + " " + _CITATION.sub(" ", passage_text))
        got = 0.0
        credit: dict[str, float] = {}
        factor = 1.0
        for g in profile.groups:
            if g.number:
                c = 1.0 if g.label in nums else cfg.context_credit if g.label in context_nums else 0.0
                factor *= cfg.missing_number if c == 0.0 else 1.0
            elif any(_contains(stems, f, g.name) for f in g.forms):
                c = 1.0
            elif any(_contains(name_stems if g.rare_name else meta_stems, f, g.name) for f in g.forms):
                c = cfg.context_credit
            elif not g.rare_name and any(_contains(passage_stems, f, g.name) for f in g.forms):
                c = cfg.passage_credit
            else:
                c = 0.0
                factor *= cfg.missing_name if g.rare_name else 1.0
            if c:
                credit[g.label] = c
            got += g.weight * c
        score = got / profile.total_weight
        score += cfg.retrieval_weight / (1 + cand.rank)
        if profile.wants:
            kinds = answer_kinds(cand.text, profile.text, self._rare_name)
            share = len(profile.wants & kinds) / len(profile.wants)
            score = score * (1 - cfg.want_penalty * (1 - share)) + cfg.want_bonus * share
        score *= factor
        cand.score, cand.credit = score, credit
        return score

    def select(
        self, profile: QuestionProfile, cands: list[Candidate], neighbours: list[Candidate] | None = None
    ) -> list[Candidate]:
        """The best sentence, then up to three more: its `neighbours` (the sentences just
        before and after it) when they cover part of the question it does not, others scoring
        close to it that do too, and equally good ones (rows matching as well as the best);
        never one that repeats a kept sentence."""
        cfg = self.config
        ranked = sorted(cands, key=lambda c: -c.score)
        if not ranked or ranked[0].score < cfg.min_score:
            return []
        best = ranked[0]
        kept = [best]
        weights = {g.label: g.weight for g in profile.groups}
        covered = dict(best.credit)

        def gain(c: Candidate) -> float:
            new = sum(weights[label] * max(0.0, v - covered.get(label, 0.0)) for label, v in c.credit.items())
            return new / profile.total_weight

        def keep(c: Candidate) -> None:
            kept.append(c)
            for label, v in c.credit.items():
                covered[label] = max(covered.get(label, 0.0), v)

        def repeats(c: Candidate) -> bool:
            return any(_repeats(c, k, cfg.redundancy) for k in kept)

        for c in neighbours or ():
            if gain(c) >= cfg.neighbour_gain and c.score >= cfg.neighbour_ratio * best.score and not repeats(c):
                keep(c)
        for c in ranked[1:]:
            if len(kept) >= cfg.max_sentences or c.score < cfg.extra_ratio * best.score:
                break
            if repeats(c):
                continue
            # Table rows are records: another row comes only if it matches as well as the best.
            tie = cfg.row_tie_ratio if c.hit.passage.rows else cfg.tie_ratio
            if c.score >= tie * best.score or (gain(c) >= cfg.extra_gain and not c.hit.passage.rows):
                keep(c)
        return kept[: cfg.max_sentences]

    def neighbours(self, ev: Evidence, c: Candidate) -> list[Candidate]:
        """The sentences just after and just before `c` in its document (nothing but space
        between), scored; read from the library when their passage was not retrieved."""
        p = c.hit.passage
        if p.rows:
            return []
        text = ev.texts[p.doc_id]
        known = {(x.hit.passage.doc_id, x.start, x.end): x for x in ev.candidates}
        read = {h.passage.id: h for h in ev.hits}
        after: Candidate | None = None
        before: Candidate | None = None
        for q in self.library.passages_of(p.doc_id):
            if q.rows or q.end < c.start - 1 or q.start > c.end + 1:
                continue
            hit = read.get(q.id) or Hit(q, 0.0, {}, c.hit.document)
            for a, b in passage_units(text, q):
                if a >= c.end and not text[c.end : a].strip() and after is None:
                    after = known.get((q.doc_id, a, b)) or Candidate(hit, a, b, text[a:b], rank=len(ev.hits))
                if b <= c.start and not text[b : c.start].strip() and before is None:
                    before = known.get((q.doc_id, a, b)) or Candidate(hit, a, b, text[a:b], rank=len(ev.hits))
        out = [x for x in (after, before) if x is not None and len(x.text.split()) >= 4]
        for x in out:
            if not x.credit:
                self.score(ev.profile, x)
        return out

    def reading_list(self, hits: list[Hit], k: int, profile: QuestionProfile | None = None) -> list[Hit]:
        """The passages to read: the first k hits, with at most `per_table` of them from any
        one table (so that a table's many similar rows do not crowd out the prose that
        answers), then any further hit that names one of the question's rare names."""
        limit = max(1, int(k * self.config.per_table))
        out: list[Hit] = []
        per_doc: dict[str, int] = {}
        rest: list[Hit] = []
        for h in hits:
            if len(out) == k:
                rest.append(h)
                continue
            if h.passage.rows:
                n = per_doc.get(h.passage.doc_id, 0)
                if n >= limit:
                    rest.append(h)
                    continue
                per_doc[h.passage.doc_id] = n + 1
            out.append(h)
        names = [f for g in (profile.groups if profile else ()) if g.rare_name for f in g.forms]
        for h in rest:
            stems = tokens(h.passage.text)
            if any(_contains(stems, f, exact=True) for f in names):
                out.append(h)
        return out

    def continue_lists(self, chosen: list[Candidate], cands: list[Candidate], texts: dict[str, str]) -> list[Candidate]:
        """A kept sentence that announces a list ('... the following objectives:', or one
        followed by 'First, ...') brings the list's items with it, within `max_sentences`."""
        limit = self.config.max_sentences
        out: list[Candidate] = []
        for c in chosen:
            if len(out) >= limit:
                break
            if c in out:
                continue
            out.append(c)
            text = texts[c.hit.passage.doc_id]
            following = sorted(
                (x for x in cands if x.hit.passage.doc_id == c.hit.passage.doc_id and x.start >= c.end),
                key=lambda x: x.start,
            )
            colon = c.text.rstrip().endswith(":")
            prev = c
            for i, x in enumerate(following):
                if len(out) >= limit or text[prev.end : x.start].strip():
                    break  # the list is over, or the next sentence is not a candidate
                pattern = _LIST_START if i == 0 else _LIST_ITEM
                if not (colon or pattern.match(x.text)):
                    break
                if x not in out:
                    out.append(x)
                prev = x
        return out

    def answer(
        self,
        question: str,
        k: int = 8,
        filters: SearchFilters | None = None,
        language: str | None = None,
    ) -> Answer:
        """Answer `question` from the library, or abstain (see the module docstring).

        Args:
            question: the question, in English or Bahasa Indonesia.
            k: passages retrieved and read.
            filters: restrict the search to some documents.
            language: the language of the answer's framing ("en" or "id"); None
                detects it from the question.
        """
        t0 = time.perf_counter()
        language = language or detect_language(question)
        ev = self.gather(question, k, filters)
        neighbours = self.neighbours(ev, ev.candidates[0]) if ev.candidates else []
        chosen = self.select(ev.profile, ev.candidates, neighbours)
        if chosen and ev.profile.extreme and chosen[0].hit.passage.rows:
            chosen = self.table_extreme(ev.profile, chosen[0], ev.texts) or chosen
        chosen = self.continue_lists(chosen, ev.candidates, ev.texts)
        citations = make_citations(chosen, ev.texts)
        total = (time.perf_counter() - t0) * 1000
        timings = {"retrieve": ev.retrieve_ms, "answer": total - ev.retrieve_ms, "total": total}
        if not citations:
            nearest = tuple(ev.hits[: self.config.nearest])
            return Answer(question, refusal_text(language), True, language, nearest=nearest, timings_ms=timings)
        return Answer(question, compose(citations, language), False, language, tuple(citations), timings_ms=timings)

    def gather(self, question: str, k: int = 8, filters: SearchFilters | None = None) -> Evidence:
        """Retrieve, read and score: the evidence an answer is chosen from."""
        t0 = time.perf_counter()
        asked_in = detect_language(question)
        found = []
        if question.strip():
            found = self.retriever.search(question, k=2 * k, filters=filters, language=asked_in)
        retrieve_ms = (time.perf_counter() - t0) * 1000
        profile = self.profile(question, asked_in)
        hits = self.reading_list(found, k, profile)
        texts = {d: self.library.text(d) for d in dict.fromkeys(h.passage.doc_id for h in hits)}
        cands = self.candidates(hits, texts)
        for c in cands:
            self.score(profile, c)
        cands.sort(key=lambda c: -c.score)
        return Evidence(hits, profile, cands, texts, retrieve_ms)

    # -- questions about a table's extreme -------------------------------------------------
    def table_extreme(self, profile: QuestionProfile, best: Candidate, texts: dict[str, str]) -> list[Candidate]:
        """The rows of `best`'s table with the largest (smallest, earliest, latest) value of
        the column the question names, among the rows that match the question's numbers and
        values. Empty when the table has no such column."""
        doc = best.hit.document
        doc_id = best.hit.passage.doc_id
        text = texts[doc_id]
        rows: list[tuple[Hit, int, int, dict[str, str], list[str]]] = []
        for p in self.library.passages_of(doc_id):
            hit = best.hit if p.id == best.hit.passage.id else Hit(p, 0.0, {}, doc)
            for a, b in passage_units(text, p):
                fields = row_fields(text[a:b])
                rows.append((hit, a, b, fields, tokens(" ".join(f"{k} {v}" for k, v in fields.items()))))
        if not rows:
            return []
        forms = [f for g in profile.groups if not g.number for f in g.forms]
        # Keep the rows holding the question's numbers, its words that only some rows have
        # (values such as 'plastik', or a column only some rows fill, such as 'tps_3r').
        for g in profile.groups:
            if g.number:
                keep = [r for r in rows if g.label in {normalise_number(v) for v in r[3].values()}]
            else:
                keep = [r for r in rows if any(_contains(r[4], f) for f in g.forms)]
            if keep and len(keep) < len(rows):
                rows = keep
        column = self._extreme_column(profile, rows, doc, forms)
        if column is None:
            return []
        values = [(v, r) for r in rows if (v := _sort_key(r[3].get(column, ""), profile.extreme)) is not None]
        if not values:
            return []
        pick = max if profile.extreme in ("max", "last") else min
        target = pick(v for v, _ in values)
        chosen = [r for v, r in values if v == target][: self.config.max_sentences]
        return [Candidate(h, a, b, text[a:b], score=best.score) for h, a, b, _, _ in chosen]

    def _extreme_column(
        self,
        profile: QuestionProfile,
        rows: list[tuple[Hit, int, int, dict[str, str], list[str]]],
        doc: Document | None,
        forms: list[tuple[str, ...]],
    ) -> str | None:
        """The column the question is about: a date or year column for 'first'/'last', else
        the numeric column whose name (or its gloss in the catalogue description) shares
        most words with the question."""
        columns: dict[str, int] = {}
        for r in rows:
            for name, value in r[3].items():
                if _sort_key(value, profile.extreme) is not None:
                    columns[name] = columns.get(name, 0) + 1
        if profile.extreme in ("first", "last"):
            dated = [c for c in columns if _DATE_COLUMN.search(c)]
            return dated[0] if dated else None
        numeric = [c for c in columns if not _SKIP_COLUMN.search(c)]
        if not numeric:
            return None
        glosses = column_glosses(doc.description if doc else None)

        def overlap(column: str) -> int:
            words = tokens(column + " " + glosses.get(column.lower(), ""))
            return sum(_contains(words, form) for form in forms)

        return max(numeric, key=lambda c: (overlap(c), columns[c], -numeric.index(c)))


_DATE_COLUMN = re.compile(r"tahun|year|tanggal|date|tgl", re.IGNORECASE)
_SKIP_COLUMN = re.compile(
    r"^(?:no|id|kode|code)$|_?id$|^id_|tahun|year|tanggal|date|latitude|longitude|lat$|lon$", re.IGNORECASE
)


def row_fields(line: str) -> dict[str, str]:
    """'Row 7: Sungai: Sungai Cibiru; Skor: -18.0' -> {'Sungai': 'Sungai Cibiru', 'Skor': '-18.0'}."""
    body = re.sub(r"^Row \d+:\s*", "", line)
    fields = {}
    for part in body.split("; "):
        name, sep, value = part.partition(": ")
        if sep:
            fields[name.strip()] = value.strip()
    return fields


def column_glosses(description: str | None) -> dict[str, str]:
    """'waste received (sampah_masuk)' in a catalogue description -> {'sampah_masuk': 'waste received'}."""
    if not description:
        return {}
    return {
        m.group(2).lower(): m.group(1) for m in re.finditer(r"([\w][\w /-]{2,60}?)\s*\(([A-Za-z_]+)\)", description)
    }


def _sort_key(value: str, extreme: str | None) -> float | None:
    """A row value as a number to compare (a date as yyyymmdd for 'first'/'last')."""
    value = value.strip()
    if extreme in ("first", "last"):
        m = re.fullmatch(r"(\d{1,2})-(\w{3})-(\d{2})", value)
        if m and m.group(2).lower() in _MONTH_ABBR:
            month = _MONTH_NUMBER[m.group(2).lower()]
            return float(f"20{m.group(3)}{month:02d}{int(m.group(1)):02d}")
        year = _YEAR.search(value)
        return float(year.group()) if year else None
    if re.fullmatch(r"-?\d+(?:\.\d+)?", value):
        return float(value)
    return None


# -- citations and framing ---------------------------------------------------------------


def verify_quote(document_text: str, quote: str, start: int, end: int) -> bool:
    """Whether `quote` is exactly `document_text[start:end]` (and not empty)."""
    return bool(quote) and 0 <= start < end <= len(document_text) and document_text[start:end] == quote


def quote_checks(document_text: str, passage: Passage, quote: str, start: int, end: int) -> bool:
    """Whether `quote` is exactly `document_text[start:end]` and, independently, the same
    characters of the passage it comes from (the passages are stored apart from the text)."""
    a, b = start - passage.start, end - passage.start
    return (
        0 <= a < b <= len(passage.text)
        and passage.text[a:b] == quote
        and verify_quote(document_text, quote, start, end)
    )


def verify_citation(citation: Citation, library: Library) -> bool:
    """Whether a citation's quote is exactly the stored document text at its offsets,
    inside the passage it says it comes from."""
    p = citation.passage
    return p.doc_id == citation.doc_id and quote_checks(
        library.text(citation.doc_id), p, citation.quote, citation.start, citation.end
    )


def make_citations(chosen: list[Candidate], texts: dict[str, str]) -> list[Citation]:
    """Number the chosen sentences in reading order (documents in the order of their best
    sentence, sentences in document order); each quote is checked against the stored text
    and left out if it does not match."""
    first: dict[str, int] = {}
    for i, c in enumerate(chosen):
        first.setdefault(c.hit.passage.doc_id, i)
    out: list[Citation] = []
    for c in sorted(chosen, key=lambda c: (first[c.hit.passage.doc_id], c.start)):
        p = c.hit.passage
        quote = texts[p.doc_id][c.start : c.end]
        if not quote_checks(texts[p.doc_id], p, quote, c.start, c.end):
            continue  # never show as a quote what is not the stored text
        doc = c.hit.document
        out.append(
            Citation(
                n=len(out) + 1,
                doc_id=p.doc_id,
                title=doc.title if doc else p.doc_id,
                quote=quote,
                start=c.start,
                end=c.end,
                passage=p,
                score=c.hit.score,
                document=doc,
            )
        )
    return out


_LANGUAGE_NAMES = {"en": {"en": "English", "id": "Indonesian"}, "id": {"en": "Inggris", "id": "Indonesia"}}


def refusal_text(language: str) -> str:
    """What Mitra says when the library does not answer, in the question's language."""
    if language == "id":
        return (
            "Perpustakaan ini tidak menjawab pertanyaan tersebut: tidak ada bagian dokumen yang cukup "
            "mendukung sebuah jawaban. Berikut bagian yang paling dekat."
        )
    return (
        "The library does not answer this question: no passage supports an answer well enough. "
        "The nearest passages are shown instead."
    )


def short_reference(doc: Document | None, language: str, fallback: str = "") -> str:
    """'Hakiem et al. (2025)' / 'Hakiem dkk. (2025)', or the title in quotes."""
    if doc is None:
        return f"“{fallback}”"
    names = [a.split(",")[0].strip() for a in doc.authors if a.strip()]
    if names:
        year = str(doc.year) if doc.year else ("t.t." if language == "id" else "n.d.")
        if len(names) == 1:
            who = names[0]
        elif len(names) == 2:
            who = f"{names[0]} {'dan' if language == 'id' else '&'} {names[1]}"
        else:
            who = f"{names[0]} {'dkk.' if language == 'id' else 'et al.'}"
        return f"{who} ({year})"
    if doc.year and str(doc.year) not in doc.title:
        return f"“{doc.title}” ({doc.year})"
    return f"“{doc.title}”"


def compose(citations: Iterable[Citation], language: str) -> str:
    """The answer text: for each document 'According to <source>:' ('Menurut ...:'), then
    its sentences, each followed by its marker [n]. A sentence in another language than the
    answer's is put in quotation marks and the language is named."""
    parts: list[str] = []
    current = None
    for c in citations:
        sentence = " ".join(c.quote.split())
        doc_lang = (c.document.language if c.document else None) or language
        if c.doc_id != current:
            current = c.doc_id
            lead = "Menurut" if language == "id" else "According to"
            note = ""
            if doc_lang != language:
                other = _LANGUAGE_NAMES[language].get(doc_lang, doc_lang)
                note = f" (kutipan dalam bahasa {other})" if language == "id" else f" (quoted in {other})"
            parts.append(f"{lead} {short_reference(c.document, language, c.title)}{note}:")
        parts.append(f"“{sentence}” [{c.n}]" if doc_lang != language else f"{sentence} [{c.n}]")
    return " ".join(parts)
