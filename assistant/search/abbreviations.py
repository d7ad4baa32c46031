"""A question that spells out what the library abbreviates finds the abbreviation too: "kerja
sama daerah dengan pemerintah daerah di luar negeri" is "KSDPL" in every article of PP 28/2018
after its definition, and "tempat pemrosesan akhir" is "TPA". The library's own definitions
say which: "4. Kerja Sama Daerah Dengan Pemerintah Daerah di Luar Negeri, yang selanjutnya
disingkat KSDPL adalah ..." (`definitions.abbreviated`) and "the Joint Crediting Mechanism
(JCM)" (`parenthesised`).

A long form is found in a question when its words occur there in order, at most two other
words between them in all: OCR may have lost a word of the definition ("Sama Daerah Dengan
Daerah di Luar Negeri", without "Kerja" and "Pemerintah"), and a question may add one.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from assistant.index.library import Library
from assistant.search.definitions import abbreviated

_PARENTHESISED = re.compile(r"\(([A-Z][A-Za-z]{1,9})\)")
_LINKING = frozenset(("of", "for", "and", "the", "on", "to", "in", "dan", "untuk"))
_WORD = re.compile(r"[^\W\d_][\w-]*")
_GAP = 2  # other words a question may put between a long form's words
_MIN_WORDS = 3  # a shorter long form ("Kabupaten/Kota") is no phrase to find

_TABLES: weakref.WeakKeyDictionary[Library, tuple[Abbreviation, ...]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Abbreviation:
    """An acronym and the words of a long form the library defines it by."""

    short: str
    words: tuple[str, ...]  # lower case


@dataclass(frozen=True)
class SpelledOut:
    """Where a question spells out an abbreviation: character offsets of the long form."""

    short: str
    start: int
    end: int


def parenthesised(text: str) -> list[tuple[str, str]]:
    """The (long form, acronym) pairs `text` defines by a parenthesis whose letters begin its
    words: "Joint Crediting Mechanism (JCM)", "memorandum of understanding (MoU)" (linking
    words may be skipped)."""
    out = []
    for m in _PARENTHESISED.finditer(text):
        letters = m.group(1).lower()
        words = _WORD.findall(text[max(0, m.start() - 120) : m.start()])
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
            out.append((" ".join(reversed(used)), m.group(1)))
    return out


def abbreviations(library: Library) -> tuple[Abbreviation, ...]:
    """Every abbreviation the library's passages define with a long form of three words or
    more (read once per library)."""
    found = _TABLES.get(library)
    if found is None:
        pairs = {
            Abbreviation(short, words)
            for doc in library.documents()
            for p in library.passages_of(doc.id)
            for long, short in (*abbreviated(p.text), *parenthesised(p.text))
            if len(words := tuple(w.lower() for w in _WORD.findall(long))) >= _MIN_WORDS
        }
        found = _TABLES[library] = tuple(sorted(pairs, key=lambda a: (-len(a.words), a.short, a.words)))
    return found


def spelled_out(question: str, table: tuple[Abbreviation, ...]) -> list[SpelledOut]:
    """The abbreviations whose long forms `question` writes (not those it writes itself),
    each once, a longer long form before a shorter one it overlaps."""
    found = list(_WORD.finditer(question))
    words = [m.group().lower() for m in found]
    written = set(words)
    out: list[SpelledOut] = []
    for a in table:
        if a.short.lower() in written or a.words[0] not in written or any(s.short == a.short for s in out):
            continue
        span = _find(a.words, words)
        if span is None:
            continue
        start, end = found[span[0]].start(), found[span[1]].end()
        if not any(s.start < end and start < s.end for s in out):
            out.append(SpelledOut(a.short, start, end))
    return out


def shortened(question: str, table: tuple[Abbreviation, ...]) -> str:
    """`question` with the long forms it spells out replaced by their abbreviations."""
    for s in sorted(spelled_out(question, table), key=lambda s: -s.start):
        question = f"{question[: s.start]}{s.short}{question[s.end :]}"
    return question


def _find(long: tuple[str, ...], words: list[str]) -> tuple[int, int] | None:
    """The first and last index in `words` of `long`'s words in order, at most `_GAP`
    others between them in all; None when they are not there."""
    for first, w in enumerate(words):
        if w != long[0]:
            continue
        i, at = first, [first]
        for target in long[1:]:
            i = next((j for j in range(i + 1, min(len(words), first + len(long) + _GAP)) if words[j] == target), -1)
            if i < 0:
                break
            at.append(i)
        if len(at) == len(long):
            return at[0], at[-1]
    return None
