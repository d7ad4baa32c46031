"""Chunking: sentence-aligned, bounded, never across blocks, exact spans."""

from __future__ import annotations

import itertools

from assistant.config import ChunkSettings
from assistant.ingest.chunk import chunk_blocks
from assistant.ingest.sentences import sentence_spans, word_count
from assistant.ingest.structure import assemble
from assistant.model import Block


def _prose(n_sentences: int, words: int = 12) -> str:
    return " ".join(
        f"Sentence {i} " + " ".join(f"w{i}x{j}" for j in range(words - 3)) + " end." for i in range(n_sentences)
    )


def test_sentences_respect_abbreviations_and_initials() -> None:
    text = "Hakiem, F. N. et al. wrote it. See p. 4 for details, e.g. the table. Next one starts here."
    spans = [text[a:b] for a, b in sentence_spans(text)]
    assert spans == [
        "Hakiem, F. N. et al. wrote it.",
        "See p. 4 for details, e.g. the table.",
        "Next one starts here.",
    ]


def test_passages_are_sentence_aligned_and_bounded() -> None:
    cfg = ChunkSettings()
    text = _prose(60)
    spans = chunk_blocks(text, [Block(0, len(text), section="S")], cfg)
    assert len(spans) > 3
    for s in spans:
        piece = text[s.start : s.end]
        assert piece.startswith("Sentence") and piece.endswith("end.")
        assert word_count(piece) <= cfg.max_words
    assert all(word_count(text[s.start : s.end]) >= cfg.min_words for s in spans)


def test_overlap_repeats_one_sentence() -> None:
    cfg = ChunkSettings(overlap_sentences=1)
    text = _prose(40)
    spans = chunk_blocks(text, [Block(0, len(text))], cfg)
    for a, b in itertools.pairwise(spans):
        assert b.start < a.end  # the next passage starts inside the previous one


def test_never_crosses_a_block() -> None:
    text = _prose(15) + "\n\n" + _prose(15)
    middle = len(_prose(15))
    blocks = [Block(0, middle, section="A"), Block(middle + 2, len(text), section="B")]
    spans = chunk_blocks(text, blocks, ChunkSettings())
    for s in spans:
        assert s.block.start <= s.start < s.end <= s.block.end


def test_overlong_sentence_is_cut() -> None:
    cfg = ChunkSettings(max_words=50, target_words=30, min_words=10)
    text = " ".join(f"w{i}" for i in range(180)) + "."
    spans = chunk_blocks(text, [Block(0, len(text))], cfg)
    assert all(word_count(text[s.start : s.end]) <= 50 for s in spans)
    assert text[spans[0].start : spans[0].start + 2] == "w0" and text[spans[-1].end - 1] == "."


def test_table_passages_group_whole_rows() -> None:
    rows = [f"Row {i}: a: {i}; b: value {i}" for i in range(1, 41)]
    text = "\n".join(rows)
    starts, pos = [], 0
    for r in rows:
        starts.append(pos)
        pos += len(r) + 1
    block = Block(0, len(text), table=True, row_starts=tuple(starts))
    spans = chunk_blocks(text, [block], ChunkSettings(table_rows_max_words=40))
    assert len(spans) > 1
    assert spans[0].rows and spans[0].rows.startswith("1-")
    covered = "\n".join(text[s.start : s.end] for s in spans)
    assert covered == text  # every row exactly once, none cut


def test_ayat_and_lettered_items_open_sentences() -> None:
    text = "Pasal 2\n(1) Sampah terdiri atas:\na. sampah rumah tangga;\nb. sampah spesifik.\n(2) Sampah dikelola"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Pasal 2",
        "(1) Sampah terdiri atas:",
        "a. sampah rumah tangga;",
        "b. sampah spesifik.",
        "(2) Sampah dikelola",
    ]


def test_passages_carry_the_ocr_confidence_of_their_block() -> None:
    text = _prose(20) + "\n\n" + _prose(20)
    middle = len(_prose(20))
    blocks = [Block(0, middle, page=1, ocr_confidence=0.93), Block(middle + 2, len(text), page=2)]
    spans = chunk_blocks(text, blocks, ChunkSettings())
    assert {s.ocr_confidence for s in spans if s.block.page == 1} == {0.93}
    assert {s.ocr_confidence for s in spans if s.block.page == 2} == {None}


def test_a_studys_abstract_is_its_own_section_not_the_running_head() -> None:
    """A paragraph labelled "Abstract:" opens a section of that name (it stays body text):
    the abstract is not filed under the journal's name printed above it."""
    paras = ["JURNAL TRIAS POLITIKA", "2025, Vol 9.", "Abstract: : This research aims at things.", "**INTRODUCTION**"]
    text, blocks, _ = assemble(paras)
    sections = {text[b.start : b.end].split("\n")[0]: b.section for b in blocks}
    assert sections["Abstract: : This research aims at things."] == "Abstract"
    assert sections["JURNAL TRIAS POLITIKA"] == "JURNAL TRIAS POLITIKA"
    assert "Abstract: : This research aims at things." in text  # still read, quoted, cited


def test_a_number_completing_a_reference_at_a_line_start_opens_no_unit() -> None:
    # "(3) ... dimaksud pada ayat\n(1) wajib dilakukan ..." was quoted from "(1) wajib", read as ayat (1)
    text = (
        "(3) Pemenuhan kewajiban sebagaimana dimaksud pada ayat\n(1) wajib dilakukan paling lama 2 (dua) tahun.\n"
        "(4) Sanksi berupa:\na. teguran;\nb. denda sebagaimana dimaksud dalam Pasal\n5 ayat (2)."
    )
    units = [text[a:b] for a, b in sentence_spans(text)]
    assert units[0].startswith("(3) Pemenuhan") and units[0].endswith("2 (dua) tahun.")
    assert units[1:] == ["(4) Sanksi berupa:", "a. teguran;", "b. denda sebagaimana dimaksud dalam Pasal\n5 ayat (2)."]


def test_ocr_blank_lines_inside_a_sentence_are_no_paragraph_break() -> None:
    # the scanned Perda: "... tentang Perubahan atas [2] Peraturan Daerah ... [3]" as quotes
    text = (
        "Nomor 4 Tahun 2015 tentang Perubahan atas\n\nPeraturan Daerah Provinsi Jawa Barat.\n\n"
        "5. Daerah Kabupaten/Kota yang selanjutnya disebut\n\nKabupaten/Kota adalah Daerah.\n\n"
        "Pasal 3\n\n(1) Sampah dikelola.\n\nBAB II\n\nTUGAS"
    )
    ocr = [text[a:b] for a, b in sentence_spans(text, ocr=True)]
    assert ocr[:2] == [
        "Nomor 4 Tahun 2015 tentang Perubahan atas\n\nPeraturan Daerah Provinsi Jawa Barat.",
        "5. Daerah Kabupaten/Kota yang selanjutnya disebut\n\nKabupaten/Kota adalah Daerah.",
    ]
    assert ocr[2:] == ["Pasal 3", "(1) Sampah dikelola.", "BAB II", "TUGAS"]  # headings stay apart
    # a text layer's blank line is a paragraph break, as written
    a, b = sentence_spans(text)[0]
    assert text[a:b] == "Nomor 4 Tahun 2015 tentang Perubahan atas"
