"""Why the engine abstains, said plainly: a question about an article a regulation does not
have, or about a parameter or body (an acronym: "Hg", "JICA") the regulation it names never
mentions; nothing relevant; relevant passages but no answering sentence; a figure asked
that no quote gives; or the active filter excluding the documents that would answer."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from assistant.answer.citations import make_citations
from assistant.answer.features import document_units
from assistant.answer.matching import Candidate, Evidence
from assistant.answer.question import (
    NAME,
    NUMBER_WORDS,
    QUESTION_STOPWORDS,
    QuestionProfile,
    answer_kinds,
    tokens,
    wanted_kinds,
)
from assistant.answer.scoring import Models
from assistant.index.library import Library
from assistant.ingest.regulations import KIND_WORDS, short_name
from assistant.lang.regions import country_codes, regions_asked
from assistant.model import Answer, Citation, SearchFilters
from assistant.search.articles import missing_article, named_documents
from assistant.search.tables import passage_rows


class Engine(Protocol):
    """What this needs of the answer engine: its library and models, to read and to judge."""

    library: Library
    models: Models

    def gather(self, question: str, k: int | None = None, filters: SearchFilters | None = None) -> Evidence: ...

    def refused(self, ev: Evidence) -> bool: ...

    def answer(self, question: str, k: int | None = None, filters: SearchFilters | None = None) -> Answer: ...


def why_refused(
    engine: Engine, question: str, ev: Evidence, k: int | None, filters: SearchFilters | None, figure: bool = False
) -> str:
    """'filtered' when the question would be answered without the active filter;
    with `figure` (its quotes gave no figure it asks for), else 'no_figure';
    'nothing_relevant' when no passage is near the question (the e5 similarity of the best
    passage below the level learned to separate questions the library cannot answer);
    'no_region' when it names a region ("di Afrika") and the tables of countries retrieved
    name none in it; else 'no_sentence': relevant passages, but none of their sentences
    answers."""
    if figure:
        return figure_refused(engine, question, k, filters)
    if filters is not None and filters != SearchFilters() and not engine.refused(engine.gather(question, k, None)):
        return "filtered"
    if regions_asked(question) and _none_in_region(engine.library, question, ev):
        return "no_region"
    relevant = float(engine.models.refusal.extra.get("relevant_e5", 0.0))
    # No e5 score among the passages though e5 ran (it scored the sentences): e5 found none of them.
    e5 = ev.question.get("e5_top", 0.0 if "sim_top" in ev.question else relevant)
    if not ev.hits or e5 < relevant:
        return "nothing_relevant"
    return "no_sentence"


def figure_refused(engine: Engine, question: str, k: int | None, filters: SearchFilters | None) -> str:
    """Why a question asking for a figure is refused when its quotes give none: 'filtered'
    when the active filter left out the documents that give it (the question is answered
    without the filter), else 'no_figure'."""
    if filters is not None and filters != SearchFilters() and not engine.answer(question, k, None).abstained:
        return "filtered"
    return "no_figure"


def _none_in_region(library: Library, question: str, ev: Evidence) -> bool:
    """Whether the question names a region and the table rows retrieved name countries,
    none of them in it ("Berapa kota mitra Bandung di Afrika?" of a table of 14 partner
    cities in Europe, Asia and the Americas)."""
    asked = regions_asked(question)
    if not asked:
        return False
    tables = {h.passage.doc_id: h for h in ev.hits if h.passage.rows}
    held = {
        code
        for doc_id in tables
        for p in library.passages_of(doc_id)
        for row in passage_rows(p, ev.texts.get(doc_id) or library.text(doc_id))
        for code in country_codes(v for _, v in row.cells)
    }
    return bool(held) and not any(held & members for _, members in asked)


def no_such_article(library: Library, question: str, filters: SearchFilters | None, language: str) -> str | None:
    """What to say of a question about an article past a regulation's last ("Apa isi Pasal 99
    UU 18/2008?"): "... UU 18/2008 ends at Pasal 49; it has no Pasal 99."; None otherwise. The
    retrieval would otherwise quote whatever article is nearest, as if it were the one asked."""
    missing = missing_article(library, question, library.admitted_docs(filters))
    if missing is None:
        return None
    doc, article, last = missing
    name = short_name(doc) or doc.title
    if language == "id":
        why = f"{name} berakhir pada Pasal {last}; tidak ada Pasal {article}."
        return f"Perpustakaan ini tidak menjawab pertanyaan tersebut: {why}"
    return f"The library does not answer this question: {name} ends at Pasal {last}; it has no Pasal {article}."


# An acronym or a symbol of the question: "BOD", "NH3", "JICA", "(Hg)".
_ACRONYM = re.compile(r"(?<![\w/.-])(?:[A-Z][A-Z0-9]{1,6}|\([A-Z][a-z]?\))(?![\w/.-])")


def not_mentioned(
    library: Library, question: str, filters: SearchFilters | None, language: str, profile: QuestionProfile
) -> str | None:
    """What to say of a question naming a regulation by number and year and an acronym or
    symbol that neither the regulation (its text and title: "LHK") nor any document of the
    library mentions ("Berapa baku mutu merkuri (Hg) menurut PermenLH 11/2025?"): "...
    PermenLH 11/2025 does not mention Hg."; None otherwise. An acronym another document uses
    may be spelt out in the regulation ("TPA": "tempat pemrosesan akhir"), so it is left to
    the refusal model. Any passage of the regulation would otherwise be quoted as if it
    answered."""
    docs = named_documents(library, question, library.admitted_docs(filters))
    if not docs:
        return None
    kinds = {m.group().lower() for _, pattern in KIND_WORDS for m in pattern.finditer(question)}
    held: set[str] = set()
    for d in docs:
        held |= document_units(library.text(d.id))[0] | set(tokens(f"{d.title} {short_name(d) or ''}"))
    missing = []
    for raw in _ACRONYM.findall(question):
        a = raw.strip("()")
        group = next((g for g in profile.groups if g.label == a.lower()), None)
        forms = group.forms if group is not None else ((a.lower(),),)
        # Only an acronym the whole library never uses: one the regulation may spell out
        # ("TPA" for "tempat pemrosesan akhir", defined in another regulation) is not missing.
        unseen = group is None or group.unseen
        if unseen and a.lower() not in kinds and not any(all(s in held for s in f) for f in forms):
            missing.append(a)
    if not missing:
        return None
    name = short_name(docs[0]) or docs[0].title
    if language == "id":
        return f"Perpustakaan ini tidak menjawab pertanyaan tersebut: {name} tidak menyebut {', '.join(missing)}."
    return f"The library does not answer this question: {name} does not mention {', '.join(missing)}."


# A number written as a word ("four interactions", "a two-page statement", "ratusan warga"),
# or a vague one ("only a few", "hanya beberapa"), answer enough to "how many"; "one of", "salah
# satu" is no figure.
_FIGURE_WORD = re.compile(
    r"\b(?:one(?! of\b)|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?|half|twice|single|double"
    r"|few|several|numerous|beberapa|sejumlah|segelintir"
    r"|(?<!salah )satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|\w+belas|\w+puluh|seratus"
    r"|\w*ratus(?:an)?|\w*ribu(?:an)?|puluhan|juta(?:an)?|miliar|setengah|separuh)\b",
    re.IGNORECASE,
)


def lacks_figure(question: str, quotes: Iterable[str]) -> bool:
    """Whether a question asking only for a figure ("How many waste banks does Surabaya
    have?", "Berapa persen ...?", not "Which source gives the percentages?") is answered by
    quotes that give none: no number, in digits or words, beyond those the question writes,
    and no percentage when one is asked. Such quotes are about the question's subject, not
    its answer."""
    wants = wanted_kinds(question)
    if not wants or not wants <= {"number", "percent"}:
        return False
    for quote in quotes:
        gives = wants & answer_kinds(quote, question) or ("number" in wants and _figure_word(quote, question))
        if gives and not of_another(question, quote):
            return False
    return True


def _figure_word(quote: str, question: str) -> bool:
    """Whether `quote` writes a number in words that the question does not ("tiga" is no
    answer to "in three years")."""
    asked = {w.lower() for w in re.findall(r"[^\W\d_]+", question)}
    said = {NUMBER_WORDS[w] for w in asked if w in NUMBER_WORDS}
    return any(
        (w := m.group().lower()) not in asked and NUMBER_WORDS.get(w) not in said for m in _FIGURE_WORD.finditer(quote)
    )


# The name a sentence opens with, after an opening phrase of time or source ("In 2019, ...").
_LEAD_NAME = re.compile(
    r"^(?:(?:In|By|Since|On|At|Pada|Sejak|Menurut|According to) [^,]{1,40}, )?"
    r"((?:[A-Z][\w-]+)(?: [A-Z][\w-]+)*)(?='s\b|,| [a-z])"
)


def of_another(question: str, quote: str) -> bool:
    """Whether a quote's figure is about another subject than the question's: the quote
    opens with a name the question does not write, and writes none of the question's names
    ("population of Kawasaki" quoted "Bandung, a city with a population of around 2.5
    million, ...")."""
    asked = {n.lower() for n in NAME.findall(question)} - QUESTION_STOPWORDS
    lead = _LEAD_NAME.match(quote.strip(" \"'“"))
    if not asked or lead is None:
        return False
    named = {w.lower() for w in lead.group(1).split()} - QUESTION_STOPWORDS
    return bool(named) and not _akin(asked, set(tokens(quote))) and not _akin(named, set(tokens(question)))


def _akin(words: set[str], others: set[str]) -> bool:
    """Whether a word of `words` is one of `others` or begins it, or the other way round
    ("Amazon", "Amazonian"; "Kawasaki", "Kawasaki's")."""
    return any(
        a == b or (min(len(a), len(b)) > 3 and (a.startswith(b) or b.startswith(a))) for a in words for b in others
    )


def with_figure(
    question: str, citations: list[Citation], candidates: list[Candidate], texts: dict[str, str]
) -> list[Citation]:
    """`citations`, unless the question asks only for a figure and none of them gives it
    (`lacks_figure`): then the best of `candidates` (the sentences the answer could have
    quoted, best first) that gives one, cited alone; [] when none does. "What share does
    Japan fund?" had quoted two sentences on JICA's grants, and the third best held "the
    Japanese government only provides 40% of the budget"."""
    if not citations or not lacks_figure(question, [c.quote for c in citations]):
        return citations
    best = next((c for c in candidates if not lacks_figure(question, [c.text])), None)
    return make_citations([best], texts, 1) if best is not None else []
