"""Citations: quotes verified against the stored document text, and the answer's wording
(framing, refusals, short references) in English or Bahasa Indonesia."""

from __future__ import annotations

from collections.abc import Iterable

from assistant.core.answer.matching import (
    Candidate,
)
from assistant.core.export import first_authors
from assistant.core.library import Library
from assistant.core.types import Citation, Document, Passage


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
        return f"{first_authors(names, language)} ({year})"
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
