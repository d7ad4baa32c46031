"""Answer grading: whether an answer states a question's key fact, and SQuAD-style checks
(a gold span inside the quoted text)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.answer import glossary_table, numbers_in, tokens
from assistant.lang.stem import STOPWORDS
from assistant.model import Answer

# Words of a key fact that are not the fact: yes/no, hedges, units.
_KEY_STOPWORDS = STOPWORDS | frozenset(
    re.findall(
        r"\S+",
        """yes no were was is are been about around roughly approximately only both each all plus
        vs versus per unit units tonnes tonne ton t day days m m³ percent pp""",
    )
)
_MARK = re.compile(r"\[\d+\]")  # a citation mark in an answer's text
_DATE = re.compile(r"\b(\d{1,2})-([A-Za-z]{3})-(\d{2})\b")


def key_units(key: str) -> tuple[set[str], set[str]]:
    """(numbers, word stems) that make up a key fact."""
    words = {w for w in re.findall(r"[^\W\d_]+", key.lower()) if w not in _KEY_STOPWORDS and len(w) > 1}
    return numbers_in(key), set(tokens(" ".join(words)))


def evidence_units(texts: Iterable[str]) -> tuple[set[str], set[str]]:
    """Numbers and word stems of the evidence, with the glossary's translations of its words
    and phrases (the key facts are written in English, the tables are in Indonesian)."""
    joined = "\n".join(texts)
    nums = numbers_in(joined)
    for day, _, yy in _DATE.findall(joined):  # 16-Dec-18 also reads as 16 ... 2018
        nums |= {str(int(day)), f"20{yy}"}
    stems = tokens(joined)
    words = set(stems)
    text = f" {' '.join(stems)} "
    for key, translations in glossary_table().items():
        if f" {' '.join(key)} " in text:
            words.update(s for t in translations for s in t)
    return nums, words


def states_key_fact(key: str, texts: Iterable[str], strict: bool = False) -> bool:
    """Whether the answer (its text and quotes) states the key fact.

    Both sides are normalised (case, Snowball stems, glossary translations of the evidence,
    '1,600' = '1600', '2014.0' = '2014', '16-Dec-18' = 16 ... 2018). Every number of the key
    fact must appear. Then: a key fact with numbers is stated (the numbers are the fact);
    one without needs at least half of its words. `strict`: at least half of all its
    numbers and words together, numbers or not.
    """
    k_nums, k_words = key_units(key)
    e_nums, e_words = evidence_units(texts)
    if not k_nums <= e_nums:
        return False
    if strict:
        units = len(k_nums) + len(k_words)
        return units == 0 or (len(k_nums) + len(k_words & e_words)) / units >= 0.5
    return bool(k_nums) or not k_words or len(k_words & e_words) / len(k_words) >= 0.5


def answer_texts(answer: Answer) -> list[str]:
    """The answer's text and each of its quotes (what a key fact may be stated in), the
    text without its citation marks: "[2]" is not the number 2 of a key fact."""
    return [_MARK.sub(" ", answer.text), *(c.quote for c in answer.citations)]


def normalise_span(text: str) -> str:
    """SQuAD-style normalisation: lower case, punctuation and articles dropped, spaces squeezed."""
    text = re.sub(r"[^\w\s]", " ", text.lower())
    text = re.sub(r"\b(?:a|an|the)\b", " ", text)
    return " ".join(text.split())


def holds_gold(text: str, golds: Iterable[str]) -> bool:
    """Whether `text` holds one of the gold answer spans (normalised as SQuAD does)."""
    norm = f" {normalise_span(text)} "
    return any(g and f" {g} " in norm for g in (normalise_span(x) for x in golds))
