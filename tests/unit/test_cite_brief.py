"""The evidence brief of a regulation quote: the legal location and the OCR mark."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from assistant.cite.brief import brief_markdown
from assistant.config import Settings
from assistant.index.build import build_index
from assistant.index.library import Library
from assistant.model import Answer, Citation
from tests.fixtures.regulations import regulation_pdf

CATALOG = """
[[document]]
id = "perkot-7-2030"
path = "perkot.pdf"
title = "Peraturan Kota Fiktif No. 7 Tahun 2030 tentang Pengelolaan Sampah Kota"
issuer = "Wali Kota Fiktif (synthetic test fixture)"
year = 2030
type = "regulation"
language = "id"
"""
QUOTE = "mengawasi pemilahan sampah di setiap kelurahan"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    tmp = tmp_path_factory.mktemp("brief")
    corpus = tmp / "corpus"
    regulation_pdf(corpus / "perkot.pdf")
    (corpus / "catalog.toml").write_text(CATALOG, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp / "index", embedders=("fake",))
    build_index(settings)
    return Library.open(settings)


def answer_quoting(library: Library, language: str, ocr: float | None = None) -> Answer:
    doc = library.document("perkot-7-2030")
    assert doc is not None
    text = library.text(doc.id)
    start = text.index(QUOTE)
    passage = next(p for p in library.passages_of(doc.id) if p.start <= start and start + len(QUOTE) <= p.end)
    passage = dataclasses.replace(passage, ocr_confidence=ocr)
    citation = Citation(1, doc.id, doc.title, QUOTE, start, start + len(QUOTE), passage, 0.9, doc)
    return Answer("Apa tugas dinas kebersihan?", "Dinas mengawasi pemilahan [1].", False, language, (citation,))


def test_brief_cites_a_regulation_by_pasal_ayat_and_huruf(library: Library) -> None:
    text = brief_markdown(answer_quoting(library, "id"), library, date(2030, 1, 2))
    assert "— Peraturan Kota Fiktif 7/2030, Pasal 3 ayat (1) huruf b, hlm. 6 (halaman PDF 2)" in text
    assert f"> {QUOTE}" in text and "OCR" not in text
    english = brief_markdown(answer_quoting(library, "en"), library, date(2030, 1, 2))
    assert "Peraturan Kota Fiktif 7/2030, Pasal 3 ayat (1) huruf b, p. 6 (PDF page 2)" in english


def test_brief_marks_a_quote_read_by_ocr(library: Library) -> None:
    text = brief_markdown(answer_quoting(library, "en", ocr=0.912), library, date(2030, 1, 2))
    assert "— **OCR, check the page (confidence 0.91)**" in text
    assert f"> {QUOTE}" in text  # still a verified quote
    indonesian = brief_markdown(answer_quoting(library, "id", ocr=0.912), library, date(2030, 1, 2))
    assert "**OCR, periksa halamannya (keyakinan 0.91)**" in indonesian
