"""An Indonesian passage's English gloss: the English model embeds it instead of the text,
and BM25 holds its translated words in a column of their own, searched for English queries
only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.index import plan
from assistant.index.build import build_index
from assistant.index.cache import text_sha
from assistant.index.embed import HashEmbedder
from assistant.index.lexical import LEXICAL_SCHEMA, Fts5Index
from assistant.index.library import Library
from assistant.index.plan import fingerprint, plan_update
from assistant.index.prepare import english_gloss
from assistant.ingest.catalog import discover
from assistant.lang.glossary import to_english
from assistant.search.retriever import Retriever

PERDA = """# Peraturan Daerah tentang Pengelolaan Sampah

Pasal 3

Pengelolaan sampah di Kota Sukamaju diselenggarakan berdasarkan asas tanggung jawab,
asas berkelanjutan, asas manfaat, asas keadilan, asas kesadaran dan asas kebersamaan.
Setiap orang wajib mengurangi dan menangani sampah dengan cara yang berwawasan lingkungan.
"""

STUDY = """# A study of Northbrook

The Northbrook fund pays for four air monitors near the central market.
The city publishes the readings every month and reviews them with residents.
"""


def _library(tmp_path: Path) -> tuple[Settings, HashEmbedder]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "perda.md").write_text(PERDA, encoding="utf-8")
    (corpus / "study.md").write_text(STUDY, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedders=("minilm",), bundled_vectors=False)
    embedder = HashEmbedder()
    build_index(settings, embedders={"minilm": embedder})
    return settings, embedder


def test_a_gloss_is_english_and_keeps_what_it_cannot_translate() -> None:
    gloss = english_gloss("Pengelolaan sampah di Kota Sukamaju")
    assert "waste" in gloss.split() and "sukamaju" in gloss.split()
    assert "sampah" not in gloss.split()


def test_the_english_model_embeds_an_indonesian_passage_by_its_gloss(tmp_path: Path) -> None:
    settings, embedder = _library(tmp_path)
    library = Library.open(settings, {"minilm": embedder})
    conn = sqlite3.connect(settings.index_dir / library.manifest.folder / "mitra.sqlite")
    stored = dict(conn.execute("SELECT passage_id, text_sha FROM vectors WHERE space = 'minilm'"))
    by_doc = {d.id: library.passages_of(d.id) for d in library.documents()}
    assert {d.language for d in library.documents()} == {"id", "en"}
    for doc in library.documents():
        for p in by_doc[doc.id]:
            glossed = text_sha(english_gloss(p.text))
            assert (stored[p.id] == glossed) == (doc.language == "id"), doc.id
    # The stored vector is the gloss's, as the model computes it.
    p = next(p for d in library.documents() if d.language == "id" for p in by_doc[d.id])
    (vector,) = conn.execute("SELECT vector FROM vectors WHERE passage_id = ? AND space = 'minilm'", (p.id,)).fetchone()
    assert np.allclose(
        np.frombuffer(vector, dtype=np.float32), HashEmbedder().embed_passages([english_gloss(p.text)])[0]
    )


def test_english_words_find_an_indonesian_passage_by_its_gloss(tmp_path: Path) -> None:
    settings, embedder = _library(tmp_path)
    library = Library.open(settings, {"minilm": embedder})
    perda = {p.id for d in library.documents() if d.language == "id" for p in library.passages_of(d.id)}
    found = {pid for pid, _ in library.lexical_search("principles responsibility sustainability", 5)}
    assert found & perda
    # Not for an Indonesian query: its words, and the glossary's English for its domain
    # words, are searched in the text only.
    assert not {pid for pid, _ in library.lexical_search("principles", 5, glosses=False)} & perda
    # A word the gloss passed through unchanged is not counted twice.
    conn = sqlite3.connect(settings.index_dir / library.manifest.folder / "mitra.sqlite")
    glosses = " ".join(g for (g,) in conn.execute("SELECT gloss FROM lexical"))
    assert "sukamaju" not in glosses.split() and "wast" in glosses.split()


def test_only_an_english_query_searches_the_glosses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings, embedder = _library(tmp_path)
    library = Library.open(settings, {"minilm": embedder})
    asked: list[bool] = []
    search = library.lexical_search

    def spy(query: str, k: int, doc_ids: list[str] | None = None, glosses: bool = True) -> list[tuple[int, float]]:
        asked.append(glosses)
        return search(query, k, doc_ids, glosses)

    monkeypatch.setattr(library, "lexical_search", spy)
    hits = Retriever(library).search("On which principles is waste management based?", k=3, mode="bm25")
    assert asked and all(asked) and hits[0].passage.doc_id == "perda"
    asked.clear()
    Retriever(library).search("Apa asas pengelolaan sampah?", k=3, mode="bm25")
    assert asked and not any(asked)


def test_a_term_common_only_in_the_glosses_still_counts_for_the_text(tmp_path: Path) -> None:
    """A query term is dropped as uninformative by how many passages hold it in the columns
    searched: one in most glosses but few texts still ranks an Indonesian question's search."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(LEXICAL_SCHEMA)
    conn.execute("CREATE TABLE documents (id TEXT, language TEXT)")
    conn.executemany("INSERT INTO documents VALUES (?, ?)", [("id-doc", "id"), ("en-doc", "en")])
    rows = [(i, "id-doc", f"pasal {i} tentang sampah", "management waste") for i in range(1, 9)]
    rows += [(9, "en-doc", "the management plan", ""), (10, "en-doc", "a plan, the plan for rivers", "")]
    Fts5Index().add(conn, rows)
    found = Fts5Index().search(conn, "management plan", 5, ["en-doc"], glosses=False)
    assert [pid for pid, _ in found] == [9, 10]  # "management" counted: rare in the texts


def test_new_word_lists_make_the_glosses_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings, _ = _library(tmp_path)
    job = plan_update(settings, discover(settings.corpus_dir), {}, {}).jobs[0]
    before = fingerprint(job.source, None, settings)
    monkeypatch.setattr(plan, "english_version", lambda: "another glossary")
    assert fingerprint(job.source, None, settings) != before


def test_a_document_in_no_known_language_is_searched_with_the_glossary_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An uncatalogued table is kept as it is in the English space (no gloss): an Indonesian
    question meets it with the glossary's English, as before the glosses."""
    settings, embedder = _library(tmp_path)
    (settings.corpus_dir / "volumes.csv").write_text("kecamatan,volume_sampah\nCoblong,120\nSukajadi,80\n")
    build_index(settings, embedders={"minilm": embedder})
    library = Library.open(settings, {"minilm": embedder})
    assert library.document("volumes") is not None and library.document("volumes").language is None
    asked: list[str] = []
    vector = library.query_vector

    def spy(space: str, text: str) -> np.ndarray:
        asked.append(text)
        return vector(space, text)

    monkeypatch.setattr(library, "query_vector", spy)
    question = "Berapa volume sampah di kecamatan Coblong?"
    Retriever(library).search(question, k=3, mode="dense")
    assert set(asked) == {to_english(question, lexicon=True), to_english(question)}
