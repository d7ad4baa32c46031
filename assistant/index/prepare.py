"""From a file's extracted text to what the index stores: its Document record and its passages,
each with the exact text its embedders see. Bounded: at most `max_passages_per_file` passages
per file, and per-row vectors only for tables up to `row_vectors_max_rows` rows.

Each passage also lists its sentences (table rows: its lines) as the answer engine reads
them (`ingest.sentences.passage_units`): the multilingual space stores a vector for each,
so that the engine's question-sentence similarity costs a lookup, not an e5 pass at
question time (about 35 ms a sentence on 2 cores)."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from assistant.config import Settings
from assistant.errors import LoadError, NeedsOcrError
from assistant.index.cache import text_sha
from assistant.index.embed import EMBEDDER_ROLES
from assistant.index.plan import FileJob
from assistant.ingest.catalog import title_from_filename
from assistant.ingest.chunk import Span, chunk_blocks
from assistant.ingest.legal import in_capitals, is_certification, is_heading
from assistant.ingest.sentences import WORD, passage_units, value_row
from assistant.lang.detect import detect_language
from assistant.lang.glossary import to_english
from assistant.model import CatalogEntry, DocStatus, DocType, Document, LoadedText, Passage, TableRow


def embedding_input(title: str, section: str | None, text: str, description: str | None = None) -> str:
    """What the embedders and BM25 see: the passage with its document title, the
    catalogue's description (tables: what the columns mean) and its section."""
    head = f"{title} ({description})" if description else title
    if section:
        head = f"{head} — {section}"
    return f"{head}\n{text}"


# The sentences the answer engine reads (AnswerConfig.max_words uses the same bound): at
# least 4 words, at most 90 unless a table row (a record, whole); never a Markdown or legal
# heading.
SENTENCE_MIN_WORDS = 4
SENTENCE_MAX_WORDS = 90


def is_answer_unit(unit: str, row: bool, max_words: int = SENTENCE_MAX_WORDS, section: str | None = None) -> bool:
    """Whether the answer engine reads `unit` (a sentence, or a table row when `row`, a
    record read whole): never a heading, nor a line in capitals throughout (a regulation's
    titles), nor a copy's certification, nor the title of its own section (`section`, the
    passage's) that states no figure ("1. Debit air limbah paling tinggi", "Challenges of
    Implementing Bandung and Kawasaki Cooperation")."""
    n = len(unit.split())
    too_long = n > max_words and not row
    title = (
        unit.lstrip().startswith("#") or is_heading(unit) or (not row and (in_capitals(unit) or is_certification(unit)))
    )
    # A flattened table's row may be short: "BOD mg/L 30" (see `ingest.sentences.table_rows`).
    enough = n >= SENTENCE_MIN_WORDS or (n >= 3 and value_row(unit))
    return enough and not too_long and not title and not (not row and _own_title(unit, section))


_LIST_NUMBER = re.compile(r"^\s*(?:\d+|[a-z])[.)]\s+")


def _own_title(unit: str, section: str | None) -> bool:
    """Whether `unit` is the last title of `section` and holds no figure beyond its list number."""
    if not section:
        return False
    text = " ".join(unit.split())
    return text == section.split(" > ")[-1].strip() and not any(ch.isdigit() for ch in _LIST_NUMBER.sub("", text))


def sentence_inputs(text: str, passage: Passage) -> tuple[str, ...]:
    """The sentences (rows) of `passage` the answer engine reads, each once, as embedded."""
    units = (text[a:b] for a, b in passage_units(text, passage))
    rows = bool(passage.rows)
    return tuple(dict.fromkeys(u for u in units if is_answer_unit(u, rows, section=passage.section)))


def row_embedding_inputs(
    title: str, section: str | None, text: str, rows: str | None, description: str | None = None
) -> tuple[str, ...]:
    """Each row of a table passage of several rows, in context, embedded besides the whole
    passage (see Library.dense_search); none for other passages."""
    if not rows or "-" not in rows:
        return ()
    return tuple(embedding_input(title, section, r, description) for r in _row_texts(text))


def _row_texts(text: str) -> list[str]:
    return [r for r in text.split("\n") if r.strip()]


def english_gloss(text: str) -> str:
    """An Indonesian passage's words in English, word by word (the glossary's phrases, else
    the learned lexicon's first English word; others as they are), for the English-only
    MiniLM, whose vector of Indonesian text means little, and for BM25's English words. An
    English question then finds an Indonesian regulation by meaning. Only the text is
    glossed: with its title and section too, English questions over the regulations found
    their passage less often (README, "English glosses of Indonesian passages")."""
    return to_english(text, lexicon=True)


@dataclass(frozen=True, slots=True)
class Embeddable:
    """A text to embed and its key (SHA-256) in the vector stores."""

    text: str
    sha: str

    @classmethod
    def of(cls, text: str) -> Embeddable:
        return cls(text, text_sha(text))


@dataclass(frozen=True, slots=True)
class NewPassage:
    passage: Passage
    embed: Embeddable  # the passage in context: also what BM25 indexes
    rows: tuple[Embeddable, ...] = ()  # a table passage of several rows: each row, in context
    sentences: tuple[Embeddable, ...] = ()  # its sentences as read for answers (multilingual space only)
    # A passage of an Indonesian document: its English gloss (`english_gloss`), which the
    # English model embeds instead of the text, and its rows' glosses; BM25 indexes it too.
    gloss: Embeddable | None = None
    row_glosses: tuple[Embeddable, ...] = ()

    def inputs(self, space: str) -> tuple[Embeddable, tuple[Embeddable, ...]]:
        """The passage's and its rows' texts as `space` embeds them: the English model's
        embeds an Indonesian passage's gloss."""
        if self.gloss is not None and EMBEDDER_ROLES.get(space) == "english":
            return self.gloss, self.row_glosses
        return self.embed, self.rows


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    """One file, ready to be stored: its record, extracted text and passages."""

    job: FileJob
    document: Document
    text: str
    passages: tuple[NewPassage, ...]
    error: LoadError | None = None

    def texts(self, sentences: bool) -> int:
        """Texts to embed in a space: the passages and their rows, and their sentences in the
        multilingual space (`sentences`)."""
        return sum(1 + len(p.rows) + (len(p.sentences) if sentences else 0) for p in self.passages)


def prepare(job: FileJob, outcome: LoadedText | LoadError, settings: Settings, first_id: int) -> PreparedDocument:
    """Chunk a read file into passages numbered from `first_id`, or record why it failed."""
    src, entry = job.source, job.entry
    if isinstance(outcome, LoadError):
        status = DocStatus.NEEDS_OCR if isinstance(outcome, NeedsOcrError) else DocStatus.FAILED
        note = outcome.message + (f" — {outcome.hint}" if outcome.hint else "")
        title = entry.title if entry and entry.title else title_from_filename(src.rel)
        return PreparedDocument(
            job, _document(job, title, status, None, 0, (note,), _language(entry, None)), "", (), outcome
        )

    warnings = list(outcome.warnings)
    spans = _bounded_spans(outcome, settings, src.path.name, warnings)
    title = _doc_title(entry, outcome, src.rel)
    description = entry.description if entry else None
    table_rows = sum(len(b.row_starts) for b in outcome.blocks if b.table)
    with_rows = table_rows <= settings.row_vectors_max_rows
    if not with_rows:
        warnings.append(
            f"{src.path.name}: {table_rows:,} table rows, more than {settings.row_vectors_max_rows:,}: its rows are "
            "searched in blocks, without a vector each — raise MITRA_ROW_VECTORS_MAX_ROWS to embed them"
        )
    language = _language(entry, outcome)
    indonesian = language == "id"
    passages = []
    for ordinal, span in enumerate(spans):
        text = outcome.text[span.start : span.end]
        section = span.block.section
        rows = row_embedding_inputs(title, section, text, span.rows, description) if with_rows else ()
        gloss = english_gloss(text) if indonesian else None
        passage = Passage(
            id=first_id + ordinal,
            doc_id=job.doc_id,
            ordinal=ordinal,
            text=text,
            start=span.start,
            end=span.end,
            page=span.block.page,
            page_label=span.block.page_label,
            section=section,
            rows=span.rows,
            ocr_confidence=span.block.ocr_confidence,
            table_rows=_rows_within(span),
        )
        passages.append(
            NewPassage(
                passage,
                Embeddable.of(embedding_input(title, section, text, description)),
                tuple(map(Embeddable.of, rows)),
                tuple(map(Embeddable.of, sentence_inputs(outcome.text, passage))),
                Embeddable.of(gloss) if gloss is not None else None,
                tuple(Embeddable.of(english_gloss(r)) for r in _row_texts(text)) if gloss is not None and rows else (),
            )
        )
    status = outcome.status if spans else DocStatus.NEEDS_OCR
    doc = _document(job, title, status, outcome, len(passages), tuple(warnings), language)
    return PreparedDocument(job, doc, outcome.text, tuple(passages))


def _rows_within(span: Span) -> tuple[TableRow, ...]:
    """The rows (as data) of the span's block whose lines start inside the span."""
    rows = span.block.table_rows
    if not rows:
        return ()
    first = bisect_left(rows, span.start, key=lambda r: r.start)
    stop = bisect_left(rows, span.end, key=lambda r: r.start)
    return rows[first:stop]


def _bounded_spans(loaded: LoadedText, settings: Settings, name: str, warnings: list[str]) -> list[Span]:
    """The passages of `loaded`, at most `max_passages_per_file` of them, with a note saying
    what was kept when the file has more; chunking stops at the limit."""
    limit = settings.max_passages_per_file
    spans: list[Span] = []
    for block in loaded.blocks:
        spans.extend(chunk_blocks(loaded.text, (block,), settings.chunk))
        if len(spans) > limit:
            del spans[limit:]
            warnings.append(
                f"{name}: only its first {limit:,} passages were indexed ({_kept(spans[-1], loaded)}), "
                "the limit per file — raise MITRA_MAX_PASSAGES_PER_FILE or split the file to index the rest"
            )
            break
    return spans


def _kept(last: Span, loaded: LoadedText) -> str:
    """Where the kept passages end: 'rows 1-16,000 of 200,000', 'pages 1-37 of 1,000', '23% of its text'."""
    if last.rows and loaded.rows:
        row = int(last.rows.split("-")[-1])
        if last.block.rows:  # a span's rows count from its block's first row
            row += int(last.block.rows.split("-")[0]) - 1
        return f"rows 1-{row:,} of {loaded.rows:,}"
    if last.block.page and loaded.pages:
        return f"pages 1-{last.block.page:,} of {loaded.pages:,}"
    return f"{last.end / max(1, len(loaded.text)):.0%} of its text"


def _document(
    job: FileJob,
    title: str,
    status: DocStatus,
    loaded: LoadedText | None,
    passages: int,
    warnings: tuple[str, ...],
    language: str | None,  # `_language`'s, worked out once by the caller
) -> Document:
    entry = job.entry
    return Document(
        id=job.doc_id,
        path=job.source.rel,
        title=title,
        type=entry.type if entry else _guess_type(job.source.rel, loaded),
        sha256=job.source.sha256,
        status=status,
        authors=document_authors(entry, loaded),
        issuer=entry.issuer if entry else None,
        year=entry.year if entry and entry.year else (loaded.year if loaded else None),
        language=language,
        source=entry.source if entry else None,
        licence=entry.licence if entry else None,
        container=entry.container if entry else None,
        doi=entry.doi if entry else None,
        pages=loaded.pages if loaded else None,
        rows=loaded.rows if loaded else None,
        passages=passages,
        warnings=warnings,
        description=entry.description if entry else None,
        revoked_by=entry.revoked_by if entry else None,
        ocr_transcript=entry.ocr_transcript if entry else False,
    )


def document_authors(entry: CatalogEntry | None, loaded: LoadedText | None) -> tuple[str, ...]:
    """The catalogue's authors; the file's own metadata only when the catalogue names neither
    authors nor an issuer, and never for a text read as a regulation. (A regulation's PDF
    metadata names whoever uploaded it, "phio" or "MR. NICEGUY", who must not become the
    author of a law.)"""
    if entry is not None and (entry.authors or entry.issuer):
        return tuple(entry.authors)
    return loaded.authors if loaded and not loaded.regulation else ()


def _doc_title(entry: CatalogEntry | None, outcome: LoadedText, rel: str) -> str:
    if entry and entry.title:
        return entry.title
    return outcome.title or title_from_filename(rel)


def _guess_type(rel: str, loaded: LoadedText | None = None) -> DocType:
    if loaded is not None and loaded.regulation:
        return DocType.REGULATION  # its BAB and Pasal say so, whatever the file is called
    name = rel.lower()
    if name.endswith((".csv", ".tsv")):
        return DocType.DATA
    for word, kind in (
        ("mou", DocType.AGREEMENT),
        ("agreement", DocType.AGREEMENT),
        ("manual", DocType.MANUAL),
        ("pedoman", DocType.MANUAL),
        ("regulation", DocType.REGULATION),
        ("perda", DocType.REGULATION),
        ("perwal", DocType.REGULATION),
    ):
        if word in name:
            return kind
    return DocType.OTHER


def _language(entry: CatalogEntry | None, loaded: LoadedText | None) -> str | None:
    """The document's language: the catalogue's, else guessed from its text."""
    if entry and entry.language:
        return entry.language
    return _guess_language(loaded) if loaded else None


_TOO_FEW_WORDS = 20  # below this, a text's language is left unknown rather than guessed


def _guess_language(loaded: LoadedText) -> str | None:
    """'en' or 'id' for an uncatalogued document, by the one language detector
    (assistant.lang.detect) on the start of its text; None when it has too few words to tell,
    and for a table, whose words are its column names, names and values (its rendered rows
    all start "Row n:", which would make any table English)."""
    if loaded.rows:
        return None
    sample = loaded.text[:20000]
    if len(WORD.findall(sample)) < _TOO_FEW_WORDS:
        return None
    return detect_language(sample)
