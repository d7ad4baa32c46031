"""The small typed domain model every other module speaks.

A `Document` is a file of the library; its loader produces `LoadedText`
(the extracted text plus `Block`s that passages may not cross); the chunker
cuts blocks into `Passage`s; a search returns `Hit`s. Every object knows
where it came from: document id, page or section or rows, character offsets
into the document's extracted text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class DocType(StrEnum):
    STUDY = "study"
    AGREEMENT = "agreement"
    MANUAL = "manual"
    REGULATION = "regulation"
    DATA = "data"
    OTHER = "other"


class DocStatus(StrEnum):
    INDEXED = "indexed"
    PARTIAL = "partial"  # indexed, but some pages had no text (needs OCR)
    NEEDS_OCR = "needs-ocr"  # no text layer at all
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class TableRow:
    """One record of a table file, as data: its row number, the span of its displayed line
    ('Row 7: Sungai: Sungai Cibiru; Skor: -18.0') in the document's text, and its cells in
    column order (empty cells left out). The line is only for display, search and quotes:
    code that needs a row's values reads `cells`, never the line (a value may hold "; ")."""

    n: int  # 1-based row number in the file (under the header)
    start: int
    end: int
    cells: tuple[tuple[str, str], ...]  # (column, value)

    @property
    def fields(self) -> dict[str, str]:
        """The cells as {column: value}."""
        return dict(self.cells)


@dataclass(frozen=True, slots=True)
class Block:
    """A span of extracted text that a passage never crosses (a page's section, a row group)."""

    start: int
    end: int
    page: int | None = None  # 1-based physical page (PDF)
    page_label: str | None = None  # printed label ("xvii", "17")
    section: str | None = None  # "2 Scope > 2.1 Waste" (text and PDF headings)
    rows: str | None = None  # "1-12" (tables)
    table: bool = False  # rows rendered from a table: chunk by rows, not sentences
    row_starts: tuple[int, ...] = ()  # offsets of each row line, for tables
    table_rows: tuple[TableRow, ...] = ()  # the rows as data (tables read from CSV), in row order
    ocr_confidence: float | None = None  # mean OCR confidence (0-1) of the page; None: a text layer


@dataclass(frozen=True, slots=True)
class LoadedText:
    """What a loader extracts from one file."""

    text: str
    blocks: tuple[Block, ...]
    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    pages: int | None = None
    rows: int | None = None
    warnings: tuple[str, ...] = ()
    status: DocStatus = DocStatus.INDEXED
    regulation: bool = False  # read as a regulation (BAB, Pasal, ayat: assistant.ingest.legal)


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """What the catalogue (corpus/catalog.toml) says about one file."""

    id: str
    path: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    issuer: str | None = None
    year: int | None = None
    type: DocType = DocType.OTHER
    language: str | None = None
    source: str | None = None
    licence: str | None = None
    container: str | None = None
    doi: str | None = None
    description: str | None = None
    revoked_by: str | None = None  # a regulation no longer in force: what revoked it ("PermenLH 11/2025, Pasal 14")
    # The file is an OCR transcription made by its publisher, noise kept ("keq'a" for "kerja"):
    # its quotes are marked for checking like pages Mitra OCR'd, though no confidence is known.
    ocr_transcript: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    """A document of the indexed library."""

    id: str
    path: str  # relative to the corpus folder
    title: str
    type: DocType
    sha256: str
    status: DocStatus
    authors: tuple[str, ...] = ()
    issuer: str | None = None
    year: int | None = None
    language: str | None = None
    source: str | None = None
    licence: str | None = None
    container: str | None = None
    doi: str | None = None
    pages: int | None = None
    rows: int | None = None
    passages: int = 0
    warnings: tuple[str, ...] = ()
    description: str | None = None
    revoked_by: str | None = None  # see CatalogEntry.revoked_by
    ocr_transcript: bool = False  # see CatalogEntry.ocr_transcript


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrievable span of a document: `text == document_text[start:end]`."""

    id: int  # stable integer id, also the FAISS id
    doc_id: str
    ordinal: int  # position within the document
    text: str
    start: int
    end: int
    page: int | None = None
    page_label: str | None = None
    section: str | None = None
    rows: str | None = None
    ocr_confidence: float | None = None  # the page was OCR'd, with this mean confidence (0-1)
    table_rows: tuple[TableRow, ...] = ()  # the table rows it holds, as data (tables read from CSV)

    @property
    def ocr(self) -> bool:
        """Whether the passage's text comes from OCR (check the page before quoting)."""
        return self.ocr_confidence is not None


@dataclass(frozen=True, slots=True)
class Hit:
    """A passage returned by a search, with the score of each retriever that found it."""

    passage: Passage
    score: float
    scores: dict[str, float] = field(default_factory=dict)
    document: Document | None = None


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file that was not indexed (or only partly), and why."""

    path: str
    reason: str
    hint: str = ""


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Restrict a search to some documents."""

    types: frozenset[DocType] = frozenset()
    languages: frozenset[str] = frozenset()
    doc_ids: frozenset[str] = frozenset()
    year_min: int | None = None
    year_max: int | None = None

    def admits(self, doc: Document) -> bool:
        """Whether `doc` passes every filter that is set."""
        if self.types and doc.type not in self.types:
            return False
        if self.languages and (doc.language or "") not in self.languages:
            return False
        if self.doc_ids and doc.id not in self.doc_ids:
            return False
        if self.year_min is not None and (doc.year is None or doc.year < self.year_min):
            return False
        return self.year_max is None or (doc.year is not None and doc.year <= self.year_max)

    @property
    def active(self) -> bool:
        return bool(self.types or self.languages or self.doc_ids or self.year_min or self.year_max)


@dataclass(frozen=True, slots=True)
class Citation:
    """One numbered piece of evidence behind an answer: a verified verbatim quote."""

    n: int  # the marker number, [n] in the answer text
    doc_id: str
    title: str
    quote: str  # == document_text[start:end], checked before it is shown
    start: int
    end: int
    passage: Passage  # the passage the quote was found in
    score: float  # retrieval score of that passage
    document: Document | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """What Mitra says to a question: a short text with [n] markers, or an abstention
    with the nearest passages instead."""

    question: str
    text: str
    abstained: bool
    language: str  # "en" | "id": the language of the answer's framing
    citations: tuple[Citation, ...] = ()
    nearest: tuple[Hit, ...] = ()  # shown when abstaining
    timings_ms: dict[str, float] = field(default_factory=dict)
    # Why it abstained: "no_article" (past the last article of the regulation named),
    # "not_mentioned" (an acronym the regulation named never mentions), "nothing_relevant",
    # "no_sentence" (relevant passages, no answering sentence), "no_figure" (a figure asked,
    # none quoted), "no_region" (a region asked, no country of it in the tables retrieved)
    # or "filtered" (the active filter excluded the documents that answer).
    refusal_reason: str = ""
