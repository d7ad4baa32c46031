"""The multilingual space stores a vector for every sentence the answer engine reads, so that
the question-sentence similarity is a lookup at question time, not an embedding pass."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np

from assistant.answer import AnswerEngine
from assistant.answer.matching import says_little
from assistant.answer.scoring import Semantic
from assistant.config import Settings
from assistant.index.build import build_index
from assistant.index.embed import HashEmbedder
from assistant.index.library import Library
from assistant.index.prepare import is_answer_unit, sentence_inputs
from assistant.ingest.sentences import passage_units, table_rows
from assistant.model import Passage


def _multilingual(tmp_path: Path, corpus: Path) -> tuple[Settings, HashEmbedder]:
    """The small library indexed with the hashed embedder in the multilingual space ("e5")."""
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedders=("e5",), bundled_vectors=False)
    embedder = HashEmbedder()
    build_index(settings, embedders={"e5": embedder})
    return settings, embedder


def test_sentences_are_those_the_engine_reads() -> None:
    text = "Short one. The fund pays for four air monitors in Northbrook.\n\n# Heading of it\n\nPasal 12"
    prose = Passage(1, "d", 0, text, 0, len(text))
    assert sentence_inputs(text, prose) == ("The fund pays for four air monitors in Northbrook.",)
    assert is_answer_unit("Row 1: Name: A; Value: 1", row=True)
    assert not is_answer_unit(" ".join(["word"] * 91), row=False) and is_answer_unit(" ".join(["w"] * 91), row=True)

    # the title of its own section is no answer, unless it states a figure (a table's line
    # that the document's layout made a heading)
    section = "Lampiran I > 1. Debit air limbah paling tinggi"
    assert not is_answer_unit("1. Debit air limbah paling tinggi", row=False, section=section)
    assert is_answer_unit("1. Debit air limbah paling tinggi", row=False, section="Lampiran I")
    assert is_answer_unit("6. Residual Klorin mg/l 1", row=False, section="Lampiran I > 6. Residual Klorin mg/l 1")


def test_the_engine_embeds_no_sentence_the_index_holds(tmp_path: Path, small_corpus: Path) -> None:
    settings, embedder = _multilingual(tmp_path, small_corpus)
    library = Library.open(settings, {"e5": embedder})
    engine = AnswerEngine(library)
    before = embedder.embedded
    ev = engine.gather("What does the Northbrook fund pay for?", embedded=0)
    assert ev.candidates and engine.semantic.stored >= len(ev.candidates)
    assert embedder.embedded == before  # every candidate's vector came from the index
    # The stored vectors are what embedding the sentences now gives.
    texts = [c.text for c in ev.candidates]
    question = HashEmbedder().embed_queries([ev.profile.text])[0]
    now = HashEmbedder().embed_passages(texts) @ question
    assert np.allclose(now, Semantic(library).similarities(ev.profile.text, texts) or [])


def test_an_english_space_stores_no_sentence(tmp_path: Path, fake_settings: Settings) -> None:
    build_index(fake_settings)
    library = Library.open(fake_settings)
    assert library.sentence_vectors("fake", ["0" * 64]) == {}
    conn = sqlite3.connect(fake_settings.index_dir / library.manifest.folder / "mitra.sqlite")
    assert conn.execute("SELECT COUNT(*) FROM sentence_vectors").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] > 0


def test_a_flattened_table_is_read_row_by_row() -> None:
    # A PDF's table comes out as short lines; read as one unit, every parameter's limit was
    # one quote, and the engine could not quote the BOD row alone.
    table = "Kebutuhan Oksigen\nBiokimiawi (BOD)\nmg/l 30 50 75\nAmoniak (NH3-N) mg/l 10 20\n"
    table += "Minyak & Lemak mg/l 5 10 10"
    numbered = "2. Kebutuhan Oksigen\n\nBiokimiawi (BOD)\nmg/l 12"
    text = "Nilai berikut berlaku bagi semua kegiatan.\n\n" + table + "\n\n" + numbered
    passage = Passage(1, "doc", 0, text, 0, len(text))
    units = [" ".join(text[a:b].split()) for a, b in passage_units(text, passage)]
    assert units == [
        "Nilai berikut berlaku bagi semua kegiatan.",
        "Kebutuhan Oksigen Biokimiawi (BOD) mg/l 30 50 75",
        "Amoniak (NH3-N) mg/l 10 20",
        "Minyak & Lemak mg/l 5 10 10",
        "2. Kebutuhan Oksigen Biokimiawi (BOD) mg/l 12",  # a numbered parameter joined to its values
    ]
    prose = "In 1995 the city\nbuilt a plant with\ncapacity of 40\nand later 80.\nIt closed in 2001."
    assert len(table_rows(prose, 0, len(prose))) == 1  # a sentence with full stops is no table
    assert is_answer_unit("BOD mg/L 30", row=False) and not says_little("BOD mg/L 30")
    assert not is_answer_unit("Pasal 12", row=False) and not is_answer_unit("mg/L 30", row=False)


def test_a_flattened_tables_legend_does_not_join_its_rows_into_one_unit() -> None:
    # PermenLH 11/2025's IPLT table ends in "Keterangan: *) = diukur ... penaatan.": its full
    # stop had made the table one sentence, and "Berapa baku mutu BOD ...?" could not quote its row
    table = "Tingkat Keasaman (pH*) - 6 - 9\nKebutuhan Oksigen\nBiokimiawi (BOD)\nmg/l 150\nAmoniak (NH3-N) mg/l 50\n"
    text = table + "Keterangan:\n*) = diukur langsung pada titik penaatan."
    units = [" ".join(text[a:b].split()) for a, b in table_rows(text, 0, len(text))]
    assert units == [
        "Tingkat Keasaman (pH*) - 6 - 9",
        "Kebutuhan Oksigen Biokimiawi (BOD) mg/l 150",
        "Amoniak (NH3-N) mg/l 50",
        "Keterangan: *) = diukur langsung pada titik penaatan.",
    ]
    # numbered lines ending in years, then a sentence, are no table: a list of laws
    laws = "19. Peraturan Daerah Nomor 3\nTahun 2012\n20. Peraturan Daerah\nNomor 4 Tahun 2015\ntentang Tata Ruang."
    assert table_rows(laws, 0, len(laws)) == [(0, len(laws))]
