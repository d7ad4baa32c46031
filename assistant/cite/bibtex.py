"""BibTeX entries for the documents an answer cites: @article for a journal article,
@misc otherwise; the key is the document id and the file's SHA-256 goes in the note."""

from __future__ import annotations

import re
from pathlib import Path

from assistant.cite.brief import write_text
from assistant.cite.references import CONTAINER, NO_AUTHOR, link
from assistant.index.library import Library
from assistant.model import Answer, DocType, Document

_BIB_SPECIAL = str.maketrans({"&": r"\&", "%": r"\%", "_": r"\_", "#": r"\#", "$": r"\$"})


def _bib(value: str) -> str:
    return value.translate(_BIB_SPECIAL)


def bibtex_entry(doc: Document) -> str:
    """One BibTeX entry: @article for a journal article, @misc otherwise; the key is the
    document id, the file's SHA-256 goes in the note."""
    key = re.sub(r"[^\w:.-]", "-", doc.id)
    fields: list[tuple[str, str]] = []
    names = [a.strip() for a in doc.authors if a.strip()]
    if names:
        fields.append(("author", " and ".join(_bib(n) for n in names)))
    elif doc.issuer and not NO_AUTHOR.search(doc.issuer):
        fields.append(("author", "{" + _bib(doc.issuer) + "}"))  # a group author, kept whole
    fields.append(("title", "{" + _bib(doc.title) + "}"))
    kind = "misc"
    m = CONTAINER.match(doc.container.strip()) if doc.container else None
    if m:
        kind = "article"
        fields.append(("journal", _bib(m["name"])))
        fields.append(("volume", m["volume"]))
        if m["issue"]:
            fields.append(("number", m["issue"]))
        if m["pages"]:
            fields.append(("pages", re.sub(r"\s*[-–]\s*", "--", m["pages"].strip())))
    elif doc.container:
        fields.append(("howpublished", _bib(doc.container)))
    if doc.year:
        fields.append(("year", str(doc.year)))
    if doc.doi:
        fields.append(("doi", doc.doi.removeprefix("https://doi.org/")))
    address = link(doc)
    if address:
        fields.append(("url", address))
    note = []
    if doc.type == DocType.DATA:
        note.append("Data set")
    if doc.licence:
        note.append(f"Licence: {doc.licence}")
    note.append(f"SHA-256 of the file: {doc.sha256}")
    fields.append(("note", _bib(". ".join(note))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def cited_documents(answer: Answer, library: Library) -> list[Document]:
    """The documents an answer cites (or, for a refusal, shows), in order of first mention."""
    ids = [c.doc_id for c in answer.citations] or [h.passage.doc_id for h in answer.nearest]
    docs = [library.document(i) for i in dict.fromkeys(ids)]
    return [d for d in docs if d is not None]


def write_bibtex(answer: Answer, library: Library, path: Path | str) -> Path:
    """Write BibTeX entries for the documents `answer` cites to `path`; return the path."""
    entries = [bibtex_entry(d) for d in cited_documents(answer, library)]
    return write_text(Path(path), "\n".join(entries))
