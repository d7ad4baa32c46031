"""Questions asking what a defined term means go to its definition: "Apa yang dimaksud dengan
KSDPL?" to the Ketentuan Umum item "... yang selanjutnya disingkat KSDPL adalah ...", and
"What makes a TPPAS regional?" to "... yang selanjutnya disebut TPPAS Regional adalah ...".

A definition is an item of a numbered list that names a term and says what it is: "22.
Tempat Pengolahan ... Regional yang selanjutnya disebut TPPAS Regional adalah ..." (the
long form and the short one are both its names), "10. Sampah adalah ...", or in English
'"Party" means ...' and "... (hereinafter referred to as the MoU)". The question must ask
for a meaning ("apa yang dimaksud dengan", "apa itu", "pengertian", "what is", "what does
... mean", "define", "what makes"), and name the term: every word of it, an acronym in
capitals; the term with most words wins ("TPPAS Regional" over "TPPAS"), and each document
defining it gives its definition, in the retrieval's order. The Penjelasan's 'Yang
dimaksud dengan "asas manfaat" adalah ...' is a definition too, as are its plainer "Yang
dimaksud dengan lahan urug saniter (sanitary landfill) yaitu ..." and "Metode lahan urug
terkendali (controlled landfill) yaitu ...": the English name in brackets is a name of the term.

A question asking for a defined term's kinds ("What forms can a KSDPL take?", "Apa saja
jenis sampah spesifik?"; a term of more than one common word, or an acronym) goes to the
sentence that opens with the term and announces their list ("KSDPL terdiri atas: ...").
`definition_span` and `kinds_span` cut what the answer quotes (`answer/extend.py`).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable

from assistant.index.library import Library
from assistant.ingest.sentences import ocr_gap
from assistant.model import Hit, Passage
from assistant.search.priors import put_first

# An item of a numbered list, at a line's start or after a sentence (OCR: "l." for "1.").
_ITEM = r"(?:^|\n|(?<=[.;:])[ \t])[ \t]*(?:\d{1,3}|l)\.[ \t]+"
# A long name, with its parenthesis: "Tempat pengolahan sampah dengan prinsip 3R (reduce, reuse, recycle)".
_LONG = r"[A-Z][\w/'-]*(?:\s+[\w/'-]+){0,12}?(?:\s*\([^()]{1,60}\))?"
_SHORT_FORM = r"[A-Z][\w/'-]*(?:[ \t]+[A-Z0-9][\w/'-]*){0,3}"
# "18. Tempat Penampungan Sementara yang selanjutnya disingkat TPS adalah" (OCR may join
# "selanjutnyadisebut"; the long form may be lost to OCR noise, the short one still counts).
_SHORT = re.compile(
    rf"(?:{_ITEM}(?P<long>{_LONG})\s*,?\s+)?yang\s+selanjutnya\s*(?:disingkat|disebut)(?:\s+dengan)?\s+"
    rf"(?P<short>{_SHORT_FORM})\s*,?\s+adalah\b"
)
_PLAIN = re.compile(rf"{_ITEM}(?P<long>[A-Z][\w/'-]*(?:[ \t\n]+[\w/'-]+){{0,5}}?)\s+adalah\b")
# The Penjelasan's 'Yang dimaksud dengan "kondisi darurat" adalah ...'.
_EXPLAINED = re.compile(r"\b[Yy]ang\s+dimaksud\s+dengan\s+[\"“'^o]*(?P<long>[^\"”'\n]{2,80}?)[\"”',]\s*adalah\b")
# The Penjelasan's plainer forms, often naming the English term: "Yang dimaksud dengan lahan
# urug saniter (sanitary landfill) yaitu ...", "Metode lahan urug terkendali (controlled
# landfill) yaitu ..." (at a line's start, with its parenthesis).
_EXPLAINED_PLAIN = re.compile(
    r"\b[Yy]ang\s+dimaksud\s+dengan\s+(?P<long>[a-z][\w/'-]*(?:[ \t\n]+[a-z][\w/'-]*){0,6}?)"
    r"(?:\s*\((?P<short>[^()\n]{2,40}(?:\n[^()\n]{1,40})?)\))?\s+(?:yaitu|adalah)\b"
)
_NAMED_PLAIN = re.compile(
    r"(?:^|\n)[ \t]*(?!Yang\b)(?P<long>[A-Z][\w/'-]*(?:[ \t\n]+[a-z][\w/'-]*){0,6}?)"
    r"\s*\((?P<short>[^()\n]{2,40}(?:\n[^()\n]{1,40})?)\)\s+yaitu\b"
)
_ENGLISH = re.compile(
    r"[\"“](?P<long>[A-Z][^\"”\n]{1,60})[\"”]\s+(?:means|refers\s+to)\b"
    r"|\(\s*hereinafter\s+(?:referred\s+to\s+as|called)\s+(?:the\s+)?[\"“]?(?P<short>[A-Z][^\"”)\n]{0,40}?)[\"”]?\s*\)"
)
# Words that ask for a meaning. "what is/are" only with the term right after (a/an/the at
# most between): "What is the deadline for TPPAS ...?" asks no definition.
_CUES = re.compile(
    r"\b(?:apa\s+(?:yang\s+)?dimaksud(?:kan)?(?:\s+dengan)?|apa\s+(?:itu|arti(?:nya)?|pengertian|definisi)"
    r"|pengertian|definisi|arti\s+(?:dari|istilah)|what\s+does\b.*\b(?:mean|stand\s+for)|define|definition"
    r"|meaning\s+of|what\s+makes|what\s+is\s+meant\s+by)\b",
    re.IGNORECASE,
)
# Words that ask for a term's kinds or parts.
_KIND_CUES = re.compile(
    r"\b(?:forms?|kinds?|types?|categor(?:y|ies)|consists?|comprises?|made\s+up\s+of|jenis|bentuk|macam"
    r"|terdiri|meliputi|golongan|kategori)\b",
    re.IGNORECASE,
)
_PATTERNS = (_SHORT, _PLAIN, _EXPLAINED, _EXPLAINED_PLAIN, _NAMED_PLAIN, _ENGLISH)
_WHAT_IS = re.compile(r"\bwhat\s+(?:is|are)\s+(?:(?:a|an|the)\s+)?", re.IGNORECASE)
# Cues the term follows ("Apa itu bank sampah?": "bank sampah", not "sampah", is asked).
_LEADS = re.compile(
    r"\b(?:apa\s+(?:yang\s+)?dimaksud(?:kan)?(?:\s+dengan)?|apa\s+(?:itu|arti(?:nya)?|pengertian|definisi)"
    r"|pengertian|definisi|arti\s+(?:dari|istilah)|define|definition\s+of|meaning\s+of|what\s+is\s+meant\s+by)"
    r"\s+(?:(?:a|an|the)\s+)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w/'-]+")

_DEFINITIONS: weakref.WeakKeyDictionary[Library, dict[tuple[str, ...], list[int]]] = weakref.WeakKeyDictionary()
_LISTS: weakref.WeakKeyDictionary[Library, list[Passage]] = weakref.WeakKeyDictionary()
# The words that announce a list of kinds or parts, before its colon.
_LIST_WORD = r"(?i:terdiri\s+(?:atas|dari)|meliputi|(?:dapat\s+)?berupa|consists?\s+of|comprises?|includes?)"
_ANNOUNCES = re.compile(rf"\b{_LIST_WORD}\s*:")


def _key(term: str) -> tuple[str, ...]:
    """A term's words: an acronym ("KSDPL", "MoU") as written, others in lower case."""
    return tuple(w if _acronym(w) else w.lower() for w in _WORD.findall(term))


def _acronym(word: str) -> bool:
    capitals = sum(c.isupper() for c in word)
    return capitals >= 2 and (word.isupper() or len(word) <= 5)


def terms_in(text: str) -> list[tuple[str, ...]]:
    """The terms a text defines (long and short names), as `_key`s."""
    out: list[tuple[str, ...]] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            out += [_key(name) for name in (m.groupdict().get("long"), m.groupdict().get("short")) if name]
    # "5. Daerah Kabupaten/Kota yang selanjutnyadisebut Kabupaten/Kota adalah": not one term.
    return [k for k in dict.fromkeys(out) if k and "yang" not in k]


_LINKING = frozenset(("dan", "di", "ke", "dengan", "atau", "untuk"))
_DEFINITION_END = re.compile(r"[.;](?=\s+[A-Z(]|\s*$)|\n\s*\n|\s(?=\d{1,3}\.\s+[A-Z])")


def _capitalised_before(text: str, start: int) -> int:
    """Where the capitalised words (and linking words between them) right before `start`
    begin: a long form whose item number OCR lost."""
    base = max(0, start - 200)
    for w in reversed(list(re.finditer(r"[\w/'-]+", text[base:start]))):
        if not (w.group()[0].isupper() or w.group() in _LINKING):
            break
        if w.group()[0].isupper():
            start = base + w.start()
    return start


def abbreviated(text: str) -> list[tuple[str, str]]:
    """The (long form, acronym) pairs `text` defines the regulations' way: "18. Tempat
    Penampungan Sementara yang selanjutnya disingkat TPS adalah ..."; the long form read
    back over its capitalised words when OCR lost the item's number."""
    out = []
    for m in _SHORT.finditer(text):
        short = m.group("short")
        if not _acronym(short):
            continue
        long = m.group("long") or text[_capitalised_before(text, m.start()) : m.start()]
        if long := long.strip(" \t\n,"):
            out.append((long, short))
    return out


def definition_span(text: str, term: tuple[str, ...]) -> tuple[int, int] | None:
    """Offsets in `text` of the definition of `term`, from its first name to the end of
    its sentence (or the next numbered item); None when `text` does not define it. When OCR
    lost the item's number, the long form is read back over its capitalised words ("Sama
    Daerah Dengan Daerah di Luar Negeri, yang selanjutnya disingkat KSDPL adalah ...")."""
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            names = [g for g in (m.groupdict().get("long"), m.groupdict().get("short")) if g]
            if term not in [_key(n) for n in names]:
                continue
            explained = pattern in (_EXPLAINED, _EXPLAINED_PLAIN)  # quoted from "Yang dimaksud"
            start = m.start("long") if m.groupdict().get("long") and not explained else m.start()
            if pattern is _SHORT and not m.group("long"):
                start = _capitalised_before(text, start)
            # A blank line OCR put inside the sentence does not end it ("... institusi atau
            # badan baik" / "" / "Pemerintah dan/atau Swasta ...").
            end = next((e for e in _DEFINITION_END.finditer(text, m.end()) if not ocr_gap(text, e.start())), None)
            stop = len(text) if end is None else end.start() + (text[end.start()] in ".;")
            return start, stop
    return None


_LIST_END = re.compile(r"\.(?=[ \t]*(?:\n|$))|\n[ \t]*\n(?![ \t]*(?:[a-z]|\d{1,2})[.)][ \t])")


def kinds_span(text: str, term: tuple[str, ...]) -> tuple[int, int] | None:
    """Offsets in `text` of the sentence listing the kinds of `term` with its list ("KSDPL
    terdiri atas: a. ...; b. ...; dan c. kerja sama lainnya."), up to the full stop that
    ends the list or a blank line before no item; None when `text` lists none."""
    m = _enumerates(term).search(text)
    if m is None:
        return None
    start = m.start() + (text[m.start()] == "\n")
    end = _LIST_END.search(text, m.end())
    return start, (len(text) if end is None else end.start() + (text[end.start()] == "."))


def definitions(library: Library) -> dict[tuple[str, ...], list[int]]:
    """Term -> the ids of the passages defining it, in document order (read once per library,
    with the passages that announce a list, `listing`)."""
    found = _DEFINITIONS.get(library)
    if found is None:
        found, lists = {}, []
        for doc in library.documents():
            for p in library.passages_of(doc.id):
                for term in terms_in(p.text):
                    found.setdefault(term, []).append(p.id)
                if _ANNOUNCES.search(p.text):
                    lists.append(p)
        _DEFINITIONS[library], _LISTS[library] = found, lists
    return found


def listing(library: Library) -> list[Passage]:
    """The passages that announce a list ("terdiri atas:", "meliputi:"), in document order."""
    definitions(library)
    return _LISTS[library]


def _named(question: str, term: tuple[str, ...]) -> bool:
    """Whether the question names every word of the term (an acronym in capitals)."""
    words = set(_key(question))
    return all(w in words for w in term)


def asked_term(question: str, terms: Iterable[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The defined term whose meaning `question` asks for, or None."""
    named = [t for t in terms if _named(question, t)]
    if not named:
        return None
    # Right after "what is" when no other cue asks for a meaning, or right after a cue the
    # term follows, when there is one ("What does KSDPL mean?" names it anywhere).
    right_after = [m.end() for m in (_LEADS if _CUES.search(question) else _WHAT_IS).finditer(question)]
    if right_after or not _CUES.search(question):
        named = [t for t in named if any(_key(question[end:])[: len(t)] == t for end in right_after)]
    return max(named, key=len, default=None)


def asked_kinds(question: str, terms: Iterable[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The defined term whose kinds or parts `question` asks for ("What forms can a KSDPL
    take?", "Apa saja jenis sampah spesifik?"), or None. A term of one common word does not
    count ("Jenis sampah apa yang paling banyak ...?" asks a table, not the law's list)."""
    if not _KIND_CUES.search(question):
        return None
    specific = (t for t in terms if (len(t) > 1 or _acronym(t[0])) and _named(question, t))
    return max(specific, key=len, default=None)


def _enumerates(term: tuple[str, ...]) -> re.Pattern[str]:
    """A sentence opening with the term that announces its list: "KSDPL terdiri atas:",
    "(1) Sampah yang dikelola ... terdiri atas:", "Kompensasi ... dapat berupa:"."""
    words = r"\s+".join(re.escape(w) if _acronym(w) else f"(?i:{re.escape(w)})" for w in term)
    return re.compile(rf"(?:^|\n|\(\d+\)[ \t]*)(?:{words})\b[^.;:]{{0,160}}?\b{_LIST_WORD}\s*:")


def definition_first(library: Library, question: str, hits: list[Hit], admitted: list[str] | None = None) -> list[Hit]:
    """The hits with the definitions of the term `question` asks about first, or the
    passages listing its kinds when it asks for those.

    Args:
        library: where the passages come from.
        question: the question.
        hits: the ranked hits, best first.
        admitted: ids of the documents the search's filters admit (None: all).
    """
    table = definitions(library)
    routed: list[tuple[str, Passage]] = []
    if (term := asked_term(question, table)) is not None:
        routed += [("definition", p) for p in library.passages(table[term])]
    if (term := asked_kinds(question, table)) is not None:
        pattern = _enumerates(term)
        routed += [("kinds", p) for p in listing(library) if pattern.search(p.text)]
    routed = [(label, p) for label, p in routed if admitted is None or p.doc_id in admitted]
    if not routed:
        return hits
    order = {h.passage.id: i for i, h in enumerate(hits)}
    routed.sort(key=lambda lp: (lp[0] != "definition", order.get(lp[1].id, len(order))))
    return put_first(library, hits, routed)
