"""Questions that name an article of a regulation ("Apa isi Pasal 13 UU 18/2008?", "What
does Article 13 of Law 18/2008 say?") go to it: the passages of that Pasal first, in
document order, then its Penjelasan (the official explanation), from the regulation's own
"Penjelasan" part or from a separate Penjelasan document of the same regulation.

Section paths join headings with " > " ("BAB III ... > Bagian Kesatu Tugas > Pasal 6",
"Penjelasan > Pasal 6"). The regulation is recognised by its number and year in the
document's title or id ("Undang-Undang ... Nomor 18 Tahun 2008", "uu-18-2008-..."), and
by its kind (UU, PP, Perda, Peraturan Menteri) when the question says it. A question that
names an article but no regulation goes to the best-ranked document holding that article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.index.library import Library
from assistant.ingest.regulations import KIND_WORDS as _KINDS
from assistant.ingest.regulations import NUMBER_AFTER as _NUMBER_AFTER
from assistant.ingest.regulations import kind_of as _kind
from assistant.ingest.regulations import named_regulation as _regulation
from assistant.ingest.regulations import number_year as _number_year
from assistant.model import Document, Hit, Passage
from assistant.search.priors import put_first

_ARTICLE = re.compile(r"\b(?i:pasal|article|art\.)\s*(\d+[A-Z]?)(?![\w/])")
# An article with its ayat and huruf: "Article 12(3)", "Pasal 13 ayat (2) huruf b".
_ARTICLE_FULL = re.compile(
    r"\b(?i:pasal|article|art\.)\s*\d+[A-Z]?(?:\s*(?i:ayat|paragraph)?\s*\(\s*\d+\s*\))?(?:\s*(?i:huruf|letter)\s+[a-z]\b)?(?![\w/])"
)
_EXPLANATION = re.compile(r"^\s*penjelasan\b", re.I)
_AMENDS = re.compile(r"\bperubahan\b|\bamend", re.I)
_PASAL_PART = re.compile(r"^\s*(?:pasal|article)\s+(\d+[A-Z]?)\s*$", re.I)  # a section heading that is an article


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """An article a question names: its number ('13', '13A') and, when named, the
    regulation's number, year and kind ('uu', 'pp', 'perda', 'permen')."""

    article: str
    number: str | None = None
    year: str | None = None
    kind: str | None = None


def article_of(query: str) -> ArticleRef | None:
    """The article `query` names, or None."""
    m = _ARTICLE.search(query)
    if m is None:
        return None
    return ArticleRef(m.group(1).upper(), *_regulation(query[: m.start()] + " " + query[m.end() :]))


def named_documents(library: Library, query: str, admitted: list[str] | None = None) -> list[Document]:
    """The documents of the regulation `query` names by number and year ("UU 18/2008",
    "Law No. 18 of 2008", "P.68/2016"), its Penjelasan included; [] when it names none."""
    m = _ARTICLE.search(query)
    rest = query if m is None else query[: m.start()] + " " + query[m.end() :]
    number, year, kind = _regulation(rest)
    return regulations(library, ArticleRef("", number, year, kind), admitted) if number else []


# The issuing ministry between a regulation's kind and its number: "LHK", "LH/Kepala BPLH".
_ISSUER = re.compile(r"\s+[A-Z]{2,6}(?:/[A-Z][a-z]+\s+[A-Z]{2,6})?(?=\s)")


def reference_spans(library: Library, query: str) -> list[tuple[int, int]]:
    """Where `query` names the kind of a regulation of the library it names by number and
    year ("PP" in "menurut PP 28/2018", "Government Regulation" in "Government Regulation
    81/2012", "Permen LHK" in "Permen LHK P.68/2016") and an article of it ("Article
    12(3)", "Pasal 13 ayat (2)"): words of a reference, which retrieval follows to the
    document and article, not of the question's content; [] when it names none. The number
    and year stay content: an answer's document holds them in its title (taken out too,
    regulations key facts fell 28 -> 24 of 30)."""
    if not named_documents(library, query):
        return []
    spans = []
    for a, b in (m.span() for _, pattern in _KINDS for m in pattern.finditer(query)):
        b = issuer.end() if (issuer := _ISSUER.match(query, b)) else b  # "Permen LHK P.68/2016"
        if _NUMBER_AFTER.match(query, b):  # "PP 28/2018", not "peraturan menteri mana"
            spans.append((a, b))
    spans += [m.span() for m in _ARTICLE_FULL.finditer(query)]
    return sorted(spans)


def outside(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the `spans` blanked out (offsets kept)."""
    for a, b in spans:
        text = text[:a] + " " * (b - a) + text[b:]
    return text


def is_explanation_document(doc: Document) -> bool:
    """Whether `doc` is a regulation's separate Penjelasan."""
    return bool(_EXPLANATION.match(doc.title)) or doc.id.endswith("-penjelasan")


def _heading(article: str) -> re.Pattern[str]:
    """A section heading of the article: 'Pasal 13', 'Pasal 13 ayat (2)', 'Article 13 Funding'."""
    return re.compile(rf"^\s*(?:pasal|article)\s+{re.escape(article)}(?![\dA-Za-z])", re.I)


def _names(passage: Passage, heading: re.Pattern[str]) -> bool:
    """Whether one of the passage's section headings is the article's."""
    return any(heading.match(part) for part in (passage.section or "").split(" > "))


def _in_explanation(passage: Passage) -> bool:
    return bool(_EXPLANATION.match((passage.section or "").split(" > ")[0]))


def regulations(library: Library, ref: ArticleRef, admitted: list[str] | None) -> list[Document]:
    """The documents of the regulation `ref` names (its Penjelasan document included),
    among `admitted` ones (None: all)."""
    if ref.number is None:
        return []
    docs = [d for d in library.documents() if admitted is None or d.id in admitted]
    found = [d for d in docs if _number_year(d) == (ref.number, ref.year)]
    if ref.kind is not None:
        found = [d for d in found if _kind(d) in (ref.kind, None)]
    return found


def _article_key(article: str) -> tuple[int, str]:
    """'40C' -> (40, 'C'): articles in order (an article is digits and at most a letter)."""
    digits = article.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return int(digits), article[len(digits) :]


def missing_article(
    library: Library, query: str, admitted: list[str] | None = None
) -> tuple[Document, str, str] | None:
    """(the regulation, the article asked for, its last article) when `query` names an
    article past the last of a regulation of the library ("Apa isi Pasal 99 UU 18/2008?", a
    law of 49 articles); None when it names none, or the article is there, or could be (an
    amending regulation holds only the articles it changes; OCR may have missed a heading)."""
    ref = article_of(query)
    if ref is None or ref.number is None:
        return None
    docs = [d for d in regulations(library, ref, admitted) if not is_explanation_document(d)]
    if not docs or any(_AMENDS.search(d.title) for d in docs):
        return None  # an amendment holds the articles it changes, numbered as in the law it amends
    heading = _heading(ref.article)
    found: list[str] = []
    for doc in docs:
        for p in library.passages_of(doc.id):
            if _names(p, heading):
                return None
            found += [m.group(1) for part in (p.section or "").split(" > ") if (m := _PASAL_PART.match(part))]
    last = max(found, key=_article_key, default=None)
    if last is None or _article_key(ref.article) <= _article_key(last):
        return None
    return docs[0], ref.article, last


def article_first(library: Library, query: str, hits: list[Hit], admitted: list[str] | None = None) -> list[Hit]:
    """The hits with the passages of the article `query` names first, then its Penjelasan.

    Args:
        library: where the passages come from.
        query: the question.
        hits: the ranked hits, best first.
        admitted: ids of the documents the search's filters admit (None: all).
    """
    ref = article_of(query)
    if ref is None:
        return hits
    heading = _heading(ref.article)
    if ref.number is None:  # no regulation named: the best-ranked document holding the article
        ranked = dict.fromkeys(h.passage.doc_id for h in hits[:10])
        holder = next((i for i in ranked if any(_names(p, heading) for p in library.passages_of(i))), None)
        doc = library.document(holder) if holder else None
        if doc is None:
            return hits
        named = _number_year(doc)
        ref = ArticleRef(ref.article, *named, _kind(doc)) if named else ref
        docs = regulations(library, ref, admitted) if named else [doc]
    else:
        docs = regulations(library, ref, admitted)
    article: list[Passage] = []
    explanation: list[Passage] = []
    for doc in docs:
        for p in library.passages_of(doc.id):
            if _names(p, heading):
                (explanation if is_explanation_document(doc) or _in_explanation(p) else article).append(p)
    if not article:
        return hits
    groups = (("article", article), ("explanation", explanation))
    return put_first(library, hits, [(label, p) for label, group in groups for p in group])
