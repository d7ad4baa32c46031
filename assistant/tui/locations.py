"""Where the evidence of an answer is, worded by cite as the CLI and the brief word it.
Plain Python, no Textual: the answer worker calls it, off the UI thread."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.model import Answer
from assistant.tui.i18n import LANGUAGES
from assistant.tui.state import Locations, Target

if TYPE_CHECKING:
    from assistant.index.library import Library


def evidence_locations(library: Library, answer: Answer) -> dict[str, Locations]:
    """Where each citation (or nearest passage) of `answer` is, by its target label ("[2]"),
    in each interface language, worded by cite as the CLI and the brief word it: the legal
    form for a regulation ("UU 18/2008, Pasal 44 ayat (2), hlm. 24"), else page, section or
    the row quoted. Reads the documents' stored text (run it in the worker)."""
    from assistant.cite.references import citation_location, passage_location

    texts: dict[str, str] = {}

    def text(doc_id: str) -> str:
        if doc_id not in texts:
            texts[doc_id] = library.text(doc_id)
        return texts[doc_id]

    out: dict[str, Locations] = {}
    for c in answer.citations:
        cited = c if c.document is not None else replace(c, document=library.document(c.doc_id))
        out[Target.of_citation(c).label] = tuple(
            (lang, citation_location(cited, text(c.doc_id), lang)) for lang in LANGUAGES
        )
    if not answer.citations:
        for i, h in enumerate(answer.nearest, 1):
            doc = h.document or library.document(h.passage.doc_id)
            where = tuple((lang, passage_location(h.passage, doc, text(h.passage.doc_id), lang)) for lang in LANGUAGES)
            out[Target.of_hit(i, h).label] = where
    return out
