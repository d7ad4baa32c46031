"""Candidate sentences (or table rows) and how their words are matched to a question's:
stems, prefixes, cognates and Indonesian affixes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.answer.question import _REFERENCE, QuestionProfile, TermGroup, tokens
from assistant.ingest.sentences import passage_units, value_row
from assistant.lang.stem import stem_words

__all__ = ["Candidate", "Evidence", "passage_units"]
from assistant.model import Document, Hit, Passage
from assistant.search.tables import fields_at


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
    features: dict[str, float] = field(default_factory=dict)  # what the models see (features.py)
    first: float = 0.0  # probability from the first (lexical) model; `score` is the second's


_REFERENCE_WORDS = frozenset(("pasal", "ayat", "huruf", "article", "paragraph", "letter"))


def says_little(unit: str) -> bool:
    """Whether a sentence holds fewer than two words beside references (one, for a table's
    row): an OCR'd list's leftover "e. Pasal 25. , ." says nothing to quote."""
    words = [w for w in re.findall(r"[^\W\d_]{3,}", unit) if w.lower() not in _REFERENCE_WORDS]
    return len(words) < (1 if value_row(unit) else 2)  # a table's row: "BOD mg/L 30"


# A worked example: "Contoh perhitungan BOD / Diketahui: 1. Konsentrasi BOD ... = 100 mg/l.";
# its figures illustrate a rule, they are not the rule.
# The example opens with a title line ("Contoh perhitungan BOD", "Example 2:"), not a
# sentence ("For example, the city ...", "Contoh nyata adalah ...").
_EXAMPLE_START = re.compile(r"(?im)^[ \t]*(?:contoh|(?:worked\s+)?example)\b[^\n.]{0,80}$")
_ASKS_SOURCE = re.compile(
    r"\b(?:cit(?:e|es|ed|ing)|quot\w*|dikutip|mengutip|kutip\w*|referen\w*|pustaka|literat\w*|books?|buku|journals?"
    r"|jurnal|judul|titles?|stud(?:y|ies)|studi|author\w*|penulis|peneliti|wrote|written|published|diterbitkan"
    r"|publikasi|news\w*|berita|koran|interview\w*|wawancara|sources?|sumber|conference|konferensi|penelitian siapa"
    r"|doi|issn|isbn|volume|citation|sitasi)\b",
    re.IGNORECASE,
)
_THANKS = re.compile(r"acknowled\w*|ucapan terima kasih|terima kasih", re.IGNORECASE)  # 'ACKNOWLEDMENT' too
_ASKS_THANKS = re.compile(
    r"\b(?:fund\w*|dana|didanai|mendanai|pendanaan|hibah|grants?|thank\w*|terima kasih|sponsor\w*|support\w*"
    r"|dukung\w*|acknowledge?ments?|ucapan)\b",
    re.IGNORECASE,
)
# A table's or a figure's caption: "Table 1. International Cooperation between ...".
_CAPTION = re.compile(
    r"\s*(?:tables?|tabel|figures?|fig\.|gambar|grafik|charts?|diagram)\s*\d+[a-z]?\s*[.:]", re.IGNORECASE
)
_ASKS_FIGURE = re.compile(r"\b(?:tables?|tabel|figures?|gambar|grafik|charts?|diagram|captions?)\b", re.IGNORECASE)
_ASKS_EXAMPLE = re.compile(r"\b(?:contoh|example|perhitungan|hitung|calculat\w*|compute)\b", re.IGNORECASE)
EXAMPLE_REACH = 600  # characters from the example's first line within which a sentence belongs to it
# A regulation's closing formulas, which say when it was made and came into force, nothing else.
_FORMULA = re.compile(
    r"^\s*(?:(?:Ditetapkan|Diundangkan|Disahkan)\s+di\s|[^.]{0,60}\bmulai\s+berlaku\s+pada\s+tanggal\s+diundangkan)",
    re.I,
)
_ASKS_WHEN = re.compile(
    r"\b(?:when|kapan|tanggal|dates?|berlaku|in force|effect\w*|enact\w*|promulgat\w*|ditetapkan|diundangkan|disahkan"
    r"|signed|ditandatangani|issued|terbit)\b",
    re.IGNORECASE,
)


def unquotable(unit: str, text: str, start: int, passage: Passage, question: str) -> bool:
    """Whether a sentence is not worth quoting: it `says_little`; it is an entry of a
    reference list ("- Moleong, L. J. (2014). *Metode Penelitian Kualitatif*.") and the
    question asks about no source (what the article cites, a study, a title, a journal);
    it is in the acknowledgments and the question asks about no funding or thanks; it is a
    table's or figure's caption ("Table 1. International Cooperation between ...") and the
    question names no table or figure; it is a
    regulation's closing formula ("Diundangkan di Jakarta pada tanggal ...", "... mulai
    berlaku pada tanggal diundangkan.") and the question asks no date; or it is part of a
    worked example (a line opening "Contoh" or "Example" in its passage, in it or at most
    `EXAMPLE_REACH` characters before it) and the question asks for no example or calculation."""
    if passage.rows:
        return False
    if says_little(unit) or (_REFERENCE.match(unit) and not _ASKS_SOURCE.search(question)):
        return True  # an entry of a reference list answers a question about sources only
    if _THANKS.search(passage.section or "") and not _ASKS_THANKS.search(question):
        return True  # the acknowledgments answer who funded or supported the work only
    if _FORMULA.match(unit) and not _ASKS_WHEN.search(question):
        return True  # a closing formula answers when the regulation was made or came into force only
    line = text[text.rfind("\n", 0, start) + 1 : start + len(unit)]
    if _CAPTION.match(line) and not _ASKS_FIGURE.search(question):
        return True  # a caption names a table or figure: what it shows is in its rows
    reach = text[max(passage.start, start - EXAMPLE_REACH) : start + len(unit)]
    return bool(_EXAMPLE_START.search(reach)) and not _ASKS_EXAMPLE.search(question)


_SKELETON = (("ph", "f"), ("th", "t"), ("ch", "k"), ("c", "k"), ("q", "k"), ("y", "i"), ("z", "s"))


@lru_cache(maxsize=65536)
def skeleton(stem: str) -> str:
    """A spelling-neutral key, so that Indonesian and English cognates meet:
    'paradiplomasi' and 'paradiplomaci' (paradiplomacy), 'teknologi' and 'technolog'."""
    for a, b in _SKELETON:
        stem = stem.replace(a, b)
    return re.sub(r"(.)\1", r"\1", stem)


_ID_PREFIXES = frozenset({"ter", "ber", "di", "me", "mem", "men", "meng", "pe", "pem", "pen", "peng", "ke", "se"})
# The prefixes a root of three or four letters is read under ("me", "pe", "ke", "se" begin
# too many English words: 'meat', 'peace', 'sewer').
_STRONG_PREFIXES = frozenset({"ter", "ber", "di", "mem", "men", "meng", "pem", "pen", "peng"})
# A place's adjective or people (Snowball stems): Japan/Japanese 'japan'/'japanes',
# China/Chinese 'china'/'chines', Korea/Korean, Indonesia/Indonesian, Italy/Italian
# 'itali'/'italian': (ending cut from the place, ending added).
_DEMONYM = (("", "es"), ("", "n"), ("", "an"), ("a", "es"))


NAME_VARIANT = 8  # letters a name needs for a spelling one letter apart to be the same name


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by at most one letter changed, added or dropped."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    short, long_ = sorted((a, b), key=len)
    i = next((k for k, (x, y) in enumerate(zip(short, long_, strict=False)) if x != y), len(short))
    return short[i:] == long_[i + 1 :]


@lru_cache(maxsize=65536)
def _same(a: str, b: str, exact: bool = False) -> bool:
    """Whether two stems are the same word: equal, one a long prefix of the other
    ('produc', 'product'), or (unless `exact`) cognates sharing most of their skeleton."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if _under_prefix(short, long_):
        return True  # a short root: 'berhak' is 'hak', 'dibuat' is 'buat'
    if len(a) < 5 or len(b) < 5:
        return False
    if long_.endswith(short) and long_[: len(long_) - len(short)] in _ID_PREFIXES:
        return True  # an Indonesian prefix: 'tercemar' is 'cemar', 'berdampak' is 'dampak'
    if exact:  # a name: as written ('Kawasan' is not 'Kawasaki'), or its people ('Japanese') ...
        if any(short.endswith(cut) and long_ == short[: len(short) - len(cut)] + add for cut, add in _DEMONYM):
            return True
        # ... or a long name spelt one letter apart ('Khwarezmian' / 'Khwarazmian', 'Kitakyushu' / 'Kitayushu')
        return len(short) >= NAME_VARIANT and _one_edit(skeleton(short), skeleton(long_))
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


def _under_prefix(short: str, long_: str) -> bool:
    """Whether `long_` is `short`, a root of three or four letters, under a strong prefix."""
    return len(short) in (3, 4) and long_.endswith(short) and long_[: len(long_) - len(short)] in _STRONG_PREFIXES


def _contains(stems: Sequence[str], form: tuple[str, ...], exact: bool = False) -> bool:
    """Whether `stems` holds `form` (a phrase: its words in order)."""
    if len(form) == 1:
        word = form[0]
        if word in stems:
            return True
        # Under 5 letters, `_same` holds for equal words and a short root under a prefix only
        # (looked up as the prefixed words, not compared with every stem).
        if len(word) < 5:
            return len(word) >= 3 and any(p + word in stems for p in _STRONG_PREFIXES)
        return any(_same(s, word, exact) for s in stems if len(s) >= 5) or any(
            word[len(p) :] in stems for p in _STRONG_PREFIXES if word.startswith(p) and len(word) - len(p) in (3, 4)
        )
    n = len(form)
    return any(
        all(_same(s, f, exact) for s, f in zip(stems[i : i + n], form, strict=True)) for i in range(len(stems) - n + 1)
    )


@lru_cache(maxsize=65536)
def text_holds(text: str, form: tuple[str, ...], exact: bool = False) -> bool:
    """Whether the stems of `text` hold `form`; cached, as every candidate sentence of a
    passage asks it again of the passage's text and its document's metadata."""
    return _contains(tokens(text), form, exact)


def covers(stems: Sequence[str], g: TermGroup, language: str) -> bool:
    """Whether `stems` hold a form of `g`, or, for an Indonesian question, a word sharing its
    Snowball root ('dibuat' and 'pembuatan': 'buat'; `tokens` stems in English, which leaves
    Indonesian affixes on)."""
    if any(_contains(stems, f) for f in g.forms):
        return True
    if language != "id" or g.number or " " in g.label:
        return False
    return stem_words([g.label.lower()], "id")[0] in stem_words(list(stems), "id")


def _repeats(a: Candidate, b: Candidate, limit: float) -> bool:
    """Whether `a` says what `b` says: two rows with the same values, or two sentences sharing
    more than `limit` of the shorter one's words. Different rows are different records."""
    if a is b:
        return True
    if a.hit.passage.rows and b.hit.passage.rows:
        return _values(a) == _values(b)
    return _overlap(a.stems, b.stems) > limit


def sibling_hit(hit: Hit, passage: Passage, document: Document | None = None) -> Hit:
    """`hit` itself for its own passage; for another passage of the same document (another
    row block of a table), a hit of `document` or `hit`'s carrying `hit`'s score (its rows
    are read because `hit` found the table) and no retriever's own."""
    return hit if passage.id == hit.passage.id else Hit(passage, hit.score, {}, document or hit.document)


_ROW_LABEL = re.compile(r"^Row \d+:\s*")


def _values(c: Candidate) -> list[str] | str:
    """A row's values from its stored cells; for a row not stored as data (a table inside a
    text), its line without the row label."""
    fields = fields_at(c.hit.passage, c.start, c.end)
    return list(fields.values()) if fields is not None else _ROW_LABEL.sub("", c.text)


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
    question: dict[str, float] = field(default_factory=dict)  # the refusal model's features
    p_answer: float = 0.0  # its probability that the best sentence answers
    threshold: dict[str, float] = field(default_factory=dict)  # refused below: 'same' / 'cross' language

    @property
    def best_score(self) -> float:
        """The probability that the best sentence holds the answer."""
        return self.candidates[0].score if self.candidates else 0.0


# -- citations and framing ---------------------------------------------------------------
