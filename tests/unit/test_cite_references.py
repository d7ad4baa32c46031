"""Short names of regulations and where a quote sits: "UU 18/2008, Pasal 44 ayat (2), hlm. 24"."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.answer.citations import compose
from assistant.cite.references import (
    citation_location,
    document_notes,
    legal_location,
    location,
    ocr_note,
    revoked_note,
    short_name,
)
from assistant.ingest.loaders.pdf_loader import PdfLoader
from assistant.model import Citation, DocStatus, DocType, Document, LoadedText, Passage
from tests.fixtures.regulations import regulation, regulation_pdf


def reg(title: str) -> Document:
    return Document(
        id="r", path="r.pdf", title=title, type=DocType.REGULATION, sha256="0" * 64, status=DocStatus.INDEXED
    )


@pytest.mark.parametrize(
    ("title", "short"),
    [
        ("UU No. 18 Tahun 2008 tentang Pengelolaan Sampah", "UU 18/2008"),
        ("PP No. 81 Tahun 2012 tentang Pengelolaan Sampah Rumah Tangga", "PP 81/2012"),
        ("Penjelasan atas PP No. 81 Tahun 2012 tentang Pengelolaan Sampah Rumah Tangga", "PP 81/2012"),
        ("Peraturan Menteri LHK No. P.68/Menlhk-Setjen/2016 tentang Baku Mutu", "Permen LHK P.68/Menlhk-Setjen/2016"),
        ("Peraturan Menteri LH/Kepala BPLH No. 11 Tahun 2025 tentang Baku Mutu", "Permen LH/Kepala BPLH 11/2025"),
        ("Perda Provinsi Jawa Barat No. 1 Tahun 2016 tentang Perubahan", "Perda Provinsi Jawa Barat 1/2016"),
        ("Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah", "UU 23/2014"),
        # the title as printed on an uncatalogued regulation's first page
        ("UNDANG-UNDANG REPUBLIK INDONESIA NOMOR 18 TAHUN 2008 TENTANG PENGELOLAAN SAMPAH", "UU 18/2008"),
    ],
)
def test_short_name_of_a_regulation(title: str, short: str) -> None:
    assert short_name(reg(title)) == short


def test_no_short_name_for_other_documents() -> None:
    study = dataclasses.replace(reg("UU No. 18 Tahun 2008 tentang Sampah"), type=DocType.STUDY)
    assert short_name(study) is None
    assert short_name(reg("Catatan rapat tentang sampah")) is None


@pytest.fixture(scope="module")
def fictional(tmp_path_factory: pytest.TempPathFactory) -> LoadedText:
    return PdfLoader().load(regulation_pdf(tmp_path_factory.mktemp("cite") / "perkot.pdf"))


def passage_at(doc: LoadedText, needle: str) -> tuple[Passage, tuple[int, int]]:
    at = doc.text.index(needle)
    block = next(b for b in doc.blocks if b.start <= at < b.end)
    passage = Passage(
        1,
        "r",
        0,
        doc.text[block.start : block.end],
        block.start,
        block.end,
        block.page,
        block.page_label,
        block.section,
    )
    return passage, (at, at + len(needle))


def test_legal_location_in_both_languages(fictional: LoadedText) -> None:
    doc = reg("Peraturan Kota Fiktif No. 7 Tahun 2030 tentang Pengelolaan Sampah Kota")
    passage, span = passage_at(fictional, "mengawasi pemilahan sampah")
    assert (
        legal_location(doc, passage, fictional.text, span, "id")
        == "Peraturan Kota Fiktif 7/2030, Pasal 3 ayat (1) huruf b, hlm. 6 (halaman PDF 2)"
    )
    assert (
        legal_location(doc, passage, fictional.text, span)
        == "Peraturan Kota Fiktif 7/2030, Pasal 3 ayat (1) huruf b, p. 6 (PDF page 2)"
    )
    passage, span = passage_at(fictional, "Yang dimaksud dengan dinas kebersihan")
    assert (
        legal_location(doc, passage, fictional.text, span, "id")
        == "Peraturan Kota Fiktif 7/2030, Penjelasan Pasal 2 ayat (1), hlm. 7 (halaman PDF 3)"
    )
    passage, span = passage_at(fictional, "bahwa pengelolaan sampah kota")
    assert legal_location(doc, passage, fictional.text, span, "id") == "Peraturan Kota Fiktif 7/2030, Pembukaan, hlm. 1"


def test_citation_location_falls_back_to_the_passage_location(fictional: LoadedText) -> None:
    passage, span = passage_at(fictional, "mengawasi pemilahan sampah")
    study = dataclasses.replace(reg("A study"), type=DocType.STUDY)
    citation = Citation(1, "r", "A study", fictional.text[span[0] : span[1]], *span, passage, 1.0, study)
    assert citation_location(citation, fictional.text) == location(passage)
    assert (
        location(passage)
        == "p. 6 (PDF page 2) · section BAB II TUGAS DAN WEWENANG > Bagian Kesatu Tugas Dinas > Pasal 3"
    )


def test_real_uu_18_2008_pasal_44_ayat_2() -> None:
    doc = PdfLoader().load(regulation("regulations/uu-18-2008-pengelolaan-sampah.pdf"))
    uu = reg("UU No. 18 Tahun 2008 tentang Pengelolaan Sampah")
    passage, span = passage_at(doc, "Pemerintah daerah harus menutup tempat pemrosesan akhir sampah")
    where = legal_location(uu, passage, doc.text, span, "id")
    assert where == f"UU 18/2008, Pasal 44 ayat (2), hlm. {passage.page_label}"


def test_ocr_note_marks_ocr_passages_only() -> None:
    ocr = Passage(1, "d", 0, "x", 0, 1, page=2, ocr_confidence=0.934)
    assert ocr_note(ocr) == "OCR, check the page (confidence 0.93)"
    assert ocr_note(ocr, "id") == "OCR, periksa halamannya (keyakinan 0.93)"
    assert ocr_note(dataclasses.replace(ocr, ocr_confidence=None)) == ""


def test_a_publishers_ocr_transcription_is_marked_for_checking_too() -> None:
    pp = dataclasses.replace(reg("PP No. 28 Tahun 2018 tentang Kerja Sama Daerah"), ocr_transcript=True)
    text = Passage(1, pp.id, 0, "(21 Menteri ...", 0, 15)
    assert ocr_note(text, "en", pp) == "OCR transcription, check the original"
    assert ocr_note(text, "id", pp) == "transkripsi OCR, periksa aslinya"
    assert ocr_note(text, "en", dataclasses.replace(pp, ocr_transcript=False)) == ""
    assert document_notes(pp) == ["an OCR transcription by its publisher: check quotes against the original"]
    assert document_notes(dataclasses.replace(pp, revoked_by="PP 1/2030"))[0] == "revoked by PP 1/2030"


def test_a_revoked_regulation_says_what_revoked_it() -> None:
    p68 = reg("Peraturan Menteri LHK No. P.68/Menlhk-Setjen/2016 tentang Baku Mutu")
    revoked = dataclasses.replace(p68, language="id", revoked_by="PermenLH 11/2025, Pasal 14")
    assert revoked_note(revoked) == "revoked by PermenLH 11/2025, Pasal 14"
    assert revoked_note(revoked, "id") == "dicabut oleh PermenLH 11/2025, Pasal 14"
    assert revoked_note(reg("UU No. 18 Tahun 2008 tentang Pengelolaan Sampah")) == ""
    passage = Passage(1, revoked.id, 0, "BOD mg/L 30", 0, 11)
    citation = Citation(1, revoked.id, revoked.title, "BOD mg/L 30", 0, 11, passage, 1.0, revoked)
    answer = compose([citation], "en")
    assert (
        answer.startswith("According to") and "(revoked by PermenLH 11/2025, Pasal 14; quoted in Indonesian)" in answer
    )
