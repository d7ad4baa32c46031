"""APA references, BibTeX and the evidence brief (small synthetic library, fake embedder)."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from assistant.answer import AnswerEngine
from assistant.cite.bibtex import bibtex_entry, write_bibtex
from assistant.cite.brief import brief_markdown, write_brief
from assistant.cite.references import apa_in_text, apa_reference, location
from assistant.config import Settings
from assistant.errors import MitraError
from assistant.index.build import build_index
from assistant.index.library import Library
from assistant.model import DocStatus, DocType, Document, Passage

ARTICLE = Document(
    id="hakiem-2025",
    path="studies/hakiem.md",
    title="Bandung and Kawasaki: A Partnership in Environmental Issue",
    type=DocType.STUDY,
    sha256="ab" * 32,
    status=DocStatus.INDEXED,
    authors=("Hakiem, F. N.", "Argenti, G.", "Gustianti, N. A."),
    year=2025,
    language="en",
    container="Jurnal Trias Politika, 9(1), 14-26",
    doi="10.33373/jtp.v9i1.6924",
    licence="CC BY 4.0",
)
TABLE = Document(
    id="kual_sungai",
    path="open-data/kual_sungai.csv",
    title="Kualitas Air Sungai Kota Bandung Tahun 2018",
    type=DocType.DATA,
    sha256="cd" * 32,
    status=DocStatus.INDEXED,
    issuer="Pemerintah Kota Bandung (Open Data Kota Bandung)",
    year=2018,
    language="id",
    source="data.bandung.go.id/dataset/kualitas-air-sungai-kota-bandung",
    licence="CC BY-SA 4.0 & more",
)
ANONYMOUS = Document(
    id="abstract",
    path="studies/abstract.md",
    title="Sister City Cooperation in Waste Management (abstract)",
    type=DocType.STUDY,
    sha256="ef" * 32,
    status=DocStatus.INDEXED,
    issuer="Author not stated",
)


def test_apa_reference_of_a_journal_article() -> None:
    assert apa_reference(ARTICLE) == (
        "Hakiem, F. N., Argenti, G., & Gustianti, N. A. (2025). Bandung and Kawasaki: A Partnership in "
        "Environmental Issue. Jurnal Trias Politika, 9(1), 14–26. https://doi.org/10.33373/jtp.v9i1.6924"
    )
    assert apa_reference(ARTICLE, page_label="17").endswith("jtp.v9i1.6924 (p. 17)")
    assert "*Jurnal Trias Politika*, *9*(1), 14–26." in apa_reference(ARTICLE, markdown=True)


def test_apa_reference_of_a_data_set_and_of_a_work_without_author() -> None:
    assert apa_reference(TABLE) == (
        "Pemerintah Kota Bandung (Open Data Kota Bandung). (2018). Kualitas Air Sungai Kota Bandung "
        "Tahun 2018 [Data set]. data.bandung.go.id/dataset/kualitas-air-sungai-kota-bandung"
    )
    # "Author not stated" is not an author: the title takes the author's place.
    assert apa_reference(ANONYMOUS) == "Sister City Cooperation in Waste Management (abstract). (n.d.)."


def test_apa_in_text() -> None:
    assert apa_in_text(ARTICLE, "17") == "(Hakiem et al., 2025, p. 17)"
    assert apa_in_text(TABLE) == "(Pemerintah Kota Bandung (Open Data Kota Bandung), 2018)"


def test_bibtex_entries() -> None:
    article = bibtex_entry(ARTICLE)
    assert article.startswith("@article{hakiem-2025,\n")
    for line in (
        "author = {Hakiem, F. N. and Argenti, G. and Gustianti, N. A.}",
        "journal = {Jurnal Trias Politika}",
        "volume = {9}",
        "number = {1}",
        "pages = {14--26}",
        "year = {2025}",
        "doi = {10.33373/jtp.v9i1.6924}",
    ):
        assert line in article
    assert f"SHA-256 of the file: {'ab' * 32}" in article
    table = bibtex_entry(TABLE)
    assert table.startswith("@misc{kual_sungai,")
    assert "author = {{Pemerintah Kota Bandung (Open Data Kota Bandung)}}" in table
    assert r"CC BY-SA 4.0 \& more" in table  # special characters escaped
    assert table.count("{") == table.count("}")


def test_location_names_page_label_section_and_rows() -> None:
    pdf = Passage(1, "d", 0, "x", 0, 1, page=19, page_label="xvii")
    assert location(pdf) == "p. xvii (PDF page 19)"
    assert location(Passage(2, "d", 0, "x", 0, 1, page=3, page_label="3")) == "p. 3"
    assert location(Passage(3, "d", 0, "x", 0, 1, section="Article 2 Funding"), "id") == "bagian Article 2 Funding"
    assert location(Passage(4, "t", 0, "x", 0, 1, rows="1-7")) == "rows 1-7"


# -- the brief on a real (small) index ---------------------------------------------------------


@pytest.fixture
def library(fake_settings: Settings) -> Library:
    build_index(fake_settings)
    return Library.open(fake_settings)


def test_brief_has_question_answer_quotes_references_hashes_models_and_date(library: Library, tmp_path: Path) -> None:
    answer = AnswerEngine(library).answer("What share of the air monitoring programme does Northbrook fund?")
    path = write_brief(answer, library, tmp_path / "out" / "brief.md", today=date(2026, 1, 2))
    text = path.read_text(encoding="utf-8")
    c = answer.citations[0]
    doc = library.document(c.doc_id)
    assert doc is not None
    assert "**Question:** What share of the air monitoring programme does Northbrook fund?" in text
    assert answer.text in text
    assert f"> {c.quote}" in text
    assert f"**[1]** *{doc.title}* — section" in text
    assert f"characters {c.start}–{c.end}" in text
    assert f"SHA-256: `{doc.sha256}`" in text
    assert apa_reference(doc, markdown=True) in text
    assert f"generation {library.manifest.generation}" in text
    assert "mitra/hash-embedder-v1" in text  # the embedding model of this index
    assert "2026-01-02" in text


def test_brief_withholds_a_quote_that_does_not_verify(library: Library) -> None:
    answer = AnswerEngine(library).answer("When did the shredder arrive at the second site?")
    c = answer.citations[0]
    forged = dataclasses.replace(answer, citations=(dataclasses.replace(c, quote="the shredder never came"),))
    text = brief_markdown(forged, library, date(2026, 1, 2))
    assert "the shredder never came" not in text
    assert "quote withheld" in text


def test_brief_of_a_refusal_shows_the_nearest_passages_in_indonesian(library: Library) -> None:
    answer = AnswerEngine(library).answer("Berapa jumlah penduduk Atlantis pada tahun 1850?")
    text = brief_markdown(answer, library, date(2026, 1, 2))
    assert answer.abstained
    assert text.startswith("# Ringkasan bukti")
    assert "Perpustakaan ini tidak menjawab" in text
    assert "## Bagian terdekat (bukan jawaban)" in text
    assert "## Daftar pustaka" in text


def test_bibtex_file_holds_the_cited_documents(library: Library, tmp_path: Path) -> None:
    answer = AnswerEngine(library).answer("What share of the air monitoring programme does Northbrook fund?")
    text = write_bibtex(answer, library, tmp_path / "refs.bib").read_text(encoding="utf-8")
    assert text.count("@") == len({c.doc_id for c in answer.citations})
    assert f"{{{answer.citations[0].doc_id}," in text


def test_unwritable_path_is_a_mitra_error(library: Library, tmp_path: Path) -> None:
    answer = AnswerEngine(library).answer("When did the shredder arrive at the second site?")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(MitraError, match="cannot write"):
        write_brief(answer, library, blocker / "brief.md")
