"""One Settings object. Every field can be overridden by a `MITRA_<FIELD>` environment
variable (for example `MITRA_INDEX_DIR=/tmp/idx`) or by a command-line flag."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The folder holding the `assistant` package: with the project's editable install (`make
# run`), the checkout, whose corpus/ is the bundled library.
CHECKOUT = Path(__file__).resolve().parent.parent


class ChunkSettings(BaseSettings):
    """How documents are cut into passages (recorded in the index manifest)."""

    model_config = SettingsConfigDict(env_prefix="MITRA_CHUNK_", frozen=True)

    target_words: int = Field(80, description="a passage closes once it reaches this many words")
    max_words: int = Field(160, description="a passage never grows past this (long sentences are cut)")
    min_words: int = Field(30, description="a shorter tail is merged into the previous passage")
    overlap_sentences: int = Field(1, description="sentences repeated at the start of the next passage")
    table_rows_max_words: int = Field(120, description="rows of a table per passage, by word count")


class OcrSettings(BaseSettings):
    """How pages without a text layer are read (OCR with rapidocr, in the file's worker)."""

    model_config = SettingsConfigDict(env_prefix="MITRA_OCR_", frozen=True)

    enabled: bool = Field(True, description="OCR every PDF page that has no text layer")
    dpi: int = Field(200, description="resolution pages are rendered at for OCR")
    workers: int = Field(2, description="processes that OCR the pages of one file")
    threads: int = Field(1, description="onnxruntime threads of each OCR process")
    max_pages: int = Field(100, description="a file with more pages to OCR is skipped with a message")
    page_timeout_s: float = Field(60.0, description="time allowed per OCR page, on top of MITRA_FILE_TIMEOUT_S")


class Settings(BaseSettings):
    """Where the library and index live, which embedder to use, and safety limits."""

    model_config = SettingsConfigDict(env_prefix="MITRA_", frozen=True)

    corpus_dir: Path = Field(
        Path("corpus"),
        description="folder of documents to index (default: ./corpus, or the checkout's bundled library "
        "when the current folder has none)",
    )
    index_dir: Path = Field(Path("index"), description="folder of the built index")
    embedders: tuple[str, ...] = Field(
        ("minilm", "e5"),
        description="dense embedding spaces to index: minilm (English), e5 (multilingual), fake (tests)",
    )
    bundled_vectors: bool = Field(
        True,
        description="take the vectors of texts shipped in <corpus>/.mitra (the bundled library's) "
        "instead of embedding them again; 0 builds cold",
    )
    file_timeout_s: float = Field(120.0, description="a file taking longer to read is skipped")

    @model_validator(mode="before")
    @classmethod
    def _bundled_library_from_anywhere(cls, data: Any) -> Any:
        """Run from a folder without a corpus/ and given neither folder, Mitra opens the
        checkout's bundled library and index (`mitra ask ...` works from any folder), not an
        empty ./index; `mitra index` there updates the bundled index, as `make index` does.
        Given only a corpus (flag or MITRA_CORPUS_DIR), the index stays ./index, as before:
        a library of one's own never lands in the bundled index."""
        if not isinstance(data, dict) or {"corpus_dir", "index_dir"} & set(data):
            return data
        if Path("corpus").is_dir() or not (CHECKOUT / "corpus").is_dir():
            return data
        return {**data, "corpus_dir": CHECKOUT / "corpus", "index_dir": CHECKOUT / "index"}

    max_file_mb: float = Field(500.0, description="larger files are skipped with a message")
    loader_memory_mb: int = Field(3072, description="address-space cap of a file-reading worker")
    workers: int = Field(2, description="files read in parallel")
    batch_size: int = Field(64, description="passages per embedding batch")
    # 5,000 passages: about 750 pages of the bundled regulations (6.5 passages a page), about
    # 12 minutes with both models on 2 idle cores; a 200,000-row table would need ~25,000.
    max_passages_per_file: int = Field(
        5000,
        description="passages indexed per file at most; the rest of a longer file is left out, with a note",
        ge=1,
    )
    # The largest bundled table has 331 rows; per-row vectors multiply a table's embeddings
    # by about its rows per passage (3 to 8 here).
    row_vectors_max_rows: int = Field(
        2000, description="tables up to this many rows also embed each row on its own", ge=0
    )
    commit_every_passages: int = Field(
        1000,
        description="a long build commits the documents done so far after this many new passages: "
        "searchable as it goes, resumable after an interruption",
        ge=1,
    )
    max_query_chars: int = Field(
        2000,
        description="longer queries are refused before any search: about 300 words, twice the longest "
        "passage (a 100 KB query took 4 minutes)",
    )
    chunk: ChunkSettings = Field(default_factory=lambda: ChunkSettings())
    ocr: OcrSettings = Field(default_factory=lambda: OcrSettings())
