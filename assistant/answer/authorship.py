"""Who wrote a document the question names ("Who wrote the article Bandung and Kawasaki: A
Partnership in Environmental Issue?", "Siapa penulis artikel ...?"). The catalogue holds its
authors; the answer quotes the document's own line naming them (its masthead), so the
claim is the document's and is checked like any quote. The sentence models, asked "who
wrote", had led with a sentence of the article naming other people."""

from __future__ import annotations

import re

from assistant.answer.matching import Candidate, passage_units
from assistant.index.library import Library
from assistant.lang.stem import stem_tokens
from assistant.model import Hit

_WHO_WROTE = re.compile(
    r"\bwho\s+(?:wrote|authored|is\s+the\s+author|are\s+the\s+authors)\b|\bauthors?\s+of\b"
    r"|\bsiapa\s+(?:penulis|pengarang|yang\s+menulis)\b|\bpenulis(?:nya)?\s+(?:artikel|studi|buku|dokumen)\b",
    re.IGNORECASE,
)
_MASTHEAD_PASSAGES = 3  # the authors are named where a document opens
_TITLE_SHARE = 0.8  # of a title's words the question must write to name it


def authorship_quotes(
    library: Library, question: str, texts: dict[str, str], admitted: list[str] | None = None
) -> list[Candidate]:
    """The line naming the authors of the document a "who wrote ...?" question names by
    (most of) its title, from its opening passages: the first sentence holding two of its
    authors' surnames (the one, for a single author); [] when the question asks no author,
    names no document with authors, or the document names none of them."""
    if not _WHO_WROTE.search(question):
        return []
    asked = set(stem_tokens(question, drop_stopwords=True))
    for doc in library.documents():
        title = set(stem_tokens(doc.title, drop_stopwords=True))
        if not doc.authors or not title or (admitted is not None and doc.id not in admitted):
            continue
        if len(title & asked) < _TITLE_SHARE * len(title):
            continue
        surnames = [a.split(",")[0].strip() for a in doc.authors if a.strip()]
        text = library.text(doc.id)
        for p in library.passages_of(doc.id)[:_MASTHEAD_PASSAGES]:
            for a, b in passage_units(text, p):
                if sum(s in text[a:b] for s in surnames) >= min(2, len(surnames)):
                    texts[doc.id] = text
                    return [Candidate(Hit(p, 1.0, {"authors": 1.0}, doc), a, b, text[a:b])]
    return []
