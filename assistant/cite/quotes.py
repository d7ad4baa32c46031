"""Quote verification: a quote is shown only if it is exactly the stored document text."""

from __future__ import annotations

from assistant.index.library import Library
from assistant.model import Citation, Passage


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
