"""References: APA 7 from the catalogue, short names of regulations, and locations.

A location says where a quote is. For a passage: its page label, section or rows
("p. xvii (PDF page 19) · section 2 Scope"). For a quote from a regulation, the way
officials cite it: "UU 18/2008, Pasal 44 ayat (2), hlm. 24" (the short name from
the catalogue title, the Pasal from the section path, the ayat and huruf from the
quote's position in the stored text). The English interface keeps the Indonesian
legal form and only says "p." for the page: "Pasal 44 ayat (2)" is what the document
prints and what a reader searches for, and "UU" or "PP" name the kind of regulation
that "Law" would blur; translating would send a reader to words the page does not have.
"""

from __future__ import annotations

import dataclasses
import re

from assistant.ingest.legal import LegalPoint, legal_point
from assistant.ingest.regulations import short_name as short_name  # re-exported: the cite API
from assistant.model import Citation, DocType, Document, Passage

# Catalogue values that stand for "no author" rather than name one.
NO_AUTHOR = re.compile(r"not stated|unknown|anonymous|tidak (?:diketahui|disebutkan)", re.IGNORECASE)
CONTAINER = re.compile(r"^(?P<name>.+?),\s*(?P<volume>\d+)\s*(?:\((?P<issue>[^)]+)\))?(?:,\s*(?P<pages>[\d\s–-]+))?$")
_URL = re.compile(r"^(?:https?://|www\.)|^[\w-]+(?:\.[\w-]+)+/", re.IGNORECASE)
# -- APA ---------------------------------------------------------------------------------


def authors(doc: Document) -> list[str]:
    """The document's authors, or its issuer as a group author; [] when neither is known."""
    names = [a.strip() for a in doc.authors if a.strip()]
    if names:
        return names
    if doc.issuer and not NO_AUTHOR.search(doc.issuer):
        return [doc.issuer.strip()]
    return []


def _apa_names(names: list[str]) -> str:
    """'A', 'A, & B', 'A, B, & C' (APA 7: up to 20 names, '&' before the last)."""
    if len(names) == 1:
        return names[0]
    if len(names) > 20:
        names = [*names[:19], "…", names[-1]]
        return ", ".join(names[:-1]) + " " + names[-1]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _sentence_end(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _container(container: str, italic: str) -> str:
    """'Jurnal Trias Politika, 9(1), 14-26' -> '*Jurnal Trias Politika*, *9*(1), 14–26'."""
    m = CONTAINER.match(container.strip())
    if not m:
        return f"{italic}{container.strip()}{italic}"
    out = f"{italic}{m['name']}{italic}, {italic}{m['volume']}{italic}"
    if m["issue"]:
        out += f"({m['issue']})"
    if m["pages"]:
        out += ", " + re.sub(r"\s*[-–]\s*", "–", m["pages"].strip())
    return out


def link(doc: Document) -> str:
    """The document's DOI address, or its source when that is an address; '' otherwise."""
    if doc.doi:
        return f"https://doi.org/{doc.doi.removeprefix('https://doi.org/')}"
    if doc.source and _URL.search(doc.source.strip()):
        return doc.source.strip()
    return ""


def apa_reference(document: Document, page_label: str | None = None, markdown: bool = False) -> str:
    """An APA 7 style reference for a catalogued document, from its catalogue fields.

    Journal articles (a `container` such as 'Journal, 9(1), 14-26') follow the article
    pattern; other documents are standalone works, tables marked '[Data set]'. Without an
    author or issuer the title takes the author's place. With `page_label`, the page is
    appended as '(p. 17)'. `markdown` puts titles in *italics*.

    >>> apa_reference(doc)  # doctest: +SKIP
    'Hakiem, F. N., Argenti, G., & Gustianti, N. A. (2025). Bandung and Kawasaki: ... 14–26. https://doi.org/...'
    """
    it = "*" if markdown else ""
    year = f"({document.year})" if document.year else "(n.d.)"
    names = authors(document)
    title = document.title.strip()
    if document.container:
        work = f"{_sentence_end(title)} {_container(document.container, it)}."
    else:
        kind = " [Data set]" if document.type == DocType.DATA else ""
        work = f"{it}{title}{it}{kind}."
    # Without an author the title moves to the author's place.
    ref = f"{_sentence_end(_apa_names(names))} {year}. {work}" if names else f"{work} {year}."
    address = link(document)
    if address:
        ref += f" {address}"
    if page_label:
        ref += f" (p. {page_label})"
    return ref


def first_authors(surnames: list[str], language: str = "en") -> str:
    """'Hakiem', 'Hakiem & Argenti', 'Hakiem et al.' ('dan', 'dkk.' in Indonesian)."""
    if len(surnames) == 1:
        return surnames[0]
    if len(surnames) == 2:
        return f"{surnames[0]} {'dan' if language == 'id' else '&'} {surnames[1]}"
    return f"{surnames[0]} {'dkk.' if language == 'id' else 'et al.'}"


def apa_in_text(document: Document, page_label: str | None = None) -> str:
    """An APA in-text citation: '(Hakiem et al., 2025, p. 17)'."""
    names = authors(document)
    surnames = [n.split(",")[0].strip() for n in names]
    who = first_authors(surnames) if surnames else f"“{document.title}”"
    parts = [who, str(document.year) if document.year else "n.d."]
    if page_label:
        parts.append(f"p. {page_label}")
    return f"({', '.join(parts)})"


# -- short names and locations --------------------------------------------------------------


def _page(passage: Passage, language: str) -> str:
    if not (passage.page_label or passage.page):
        return ""
    page, pdf_page = ("hlm.", "halaman PDF") if language == "id" else ("p.", "PDF page")
    label = passage.page_label or str(passage.page)
    extra = f" ({pdf_page} {passage.page})" if passage.page and passage.page_label != str(passage.page) else ""
    return f"{page} {label}{extra}"


def location(passage: Passage, language: str = "en", title: str | None = None) -> str:
    """Where a passage is: 'p. xvii (PDF page 19)', 'section 2 Scope', 'rows 12-18', 'row 7'.
    With the document's `title`, a section path that starts with it says only what is below."""
    section = "bagian" if language == "id" else "section"
    parts = [_page(passage, language)]
    path = passage.section or ""
    head, _, below = path.partition(" > ")
    if title and head.strip().lower() == title.strip().lower():
        path = below
    if path:
        parts.append(f"{section} {path}")
    if passage.rows:
        one = "-" not in passage.rows
        rows = "baris" if language == "id" else ("row" if one else "rows")
        parts.append(f"{rows} {passage.rows}")
    return " · ".join(p for p in parts if p)


def quoted_rows(passage: Passage, start: int, end: int) -> str | None:
    """The rows ('7', '7-8') of a table passage that the quote `start:end` of the document's
    text lies in, from the passage's stored rows; None for other passages."""
    numbers = [r.n for r in passage.table_rows if r.start < end and start < r.end]
    if not numbers:
        return None
    return str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}-{numbers[-1]}"


def _legal_unit(point: LegalPoint, penjelasan: bool) -> str:
    unit = ("Penjelasan " if penjelasan else "") + f"Pasal {point.pasal}"
    if point.ayat:
        unit += f" ayat ({point.ayat})" + (f"–({point.ayat_last})" if point.ayat_last else "")
    if point.huruf:
        unit += f" huruf {point.huruf}"
    if point.angka:
        unit += f" angka {point.angka}"
    return unit


def legal_location(
    document: Document, passage: Passage, document_text: str, span: tuple[int, int], language: str = "en"
) -> str | None:
    """'UU 18/2008, Pasal 44 ayat (2), hlm. 24' for the quote `document_text[span[0]:span[1]]`
    of a regulation ('p. 24' in English); None when the document is no catalogued regulation."""
    name = short_name(document)
    if name is None:
        return None
    section = passage.section or ""
    penjelasan = section.startswith("Penjelasan")
    point = legal_point(document_text, section, *span)
    if point is not None:
        unit = _legal_unit(point, penjelasan)
    else:  # a part without a Pasal: Pembukaan, Penutup, Penjelasan > Umum, a Lampiran
        unit = section.replace(" > ", " ") if penjelasan else section.split(" > ")[-1]
    return ", ".join(p for p in (name, unit, _page(passage, language)) if p)


def citation_location(citation: Citation, document_text: str | None, language: str = "en") -> str:
    """Where a citation's quote is: the legal form for a regulation (see `legal_location`),
    else the passage's `location`. `document_text` is the stored text of its document."""
    doc = citation.document
    if doc is not None and document_text is not None:
        legal = legal_location(doc, citation.passage, document_text, (citation.start, citation.end), language)
        if legal:
            return legal
    title = doc.title if doc is not None else citation.title
    rows = quoted_rows(citation.passage, citation.start, citation.end)
    if rows is not None:  # the row quoted, not the passage's block of rows
        return location(dataclasses.replace(citation.passage, rows=rows), language, title)
    return location(citation.passage, language, title)


def passage_location(
    passage: Passage, document: Document | None, document_text: str | None, language: str = "en"
) -> str:
    """Where a whole passage is (a search hit, a nearest passage): the legal form for a
    regulation's ('UU 18/2008, Pasal 44, hlm. 24'), else its `location`."""
    if document is not None and document_text is not None:
        legal = legal_location(document, passage, document_text, (passage.start, passage.end), language)
        if legal:
            return legal
    return location(passage, language, document.title if document is not None else None)


def ocr_note(passage: Passage | None, language: str = "en", document: Document | None = None) -> str:
    """'OCR, check the page (confidence 0.93)' for a passage read by OCR; 'OCR transcription,
    check the original' for one of a publisher's OCR transcription (`document.ocr_transcript`,
    no confidence known), or for no passage of one; else ''."""
    if passage is None or passage.ocr_confidence is None:
        if document is not None and document.ocr_transcript:
            return "transkripsi OCR, periksa aslinya" if language == "id" else "OCR transcription, check the original"
        return ""
    if language == "id":
        return f"OCR, periksa halamannya (keyakinan {passage.ocr_confidence:.2f})"
    return f"OCR, check the page (confidence {passage.ocr_confidence:.2f})"


def revoked_note(document: Document | None, language: str = "en") -> str:
    """'revoked by PermenLH 11/2025, Pasal 14' for a regulation no longer in force (the
    catalogue's `revoked_by`), else '': an official must not cite it as the law."""
    if document is None or not document.revoked_by:
        return ""
    return f"{'dicabut oleh' if language == 'id' else 'revoked by'} {document.revoked_by}"


def document_notes(document: Document, language: str = "en") -> list[str]:
    """What a reader must know before citing a document at all: that it is revoked, that
    its text is a publisher's OCR transcription."""
    notes = [revoked_note(document, language)]
    if document.ocr_transcript:
        notes.append(
            "transkripsi OCR dari penerbitnya: periksa kutipan pada aslinya"
            if language == "id"
            else "an OCR transcription by its publisher: check quotes against the original"
        )
    return [n for n in notes if n]
