"""PdfLoader on synthetic PDFs: clean text, sections, page labels, and clear errors."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from assistant.config import ChunkSettings, OcrSettings
from assistant.errors import LoadError, NeedsOcrError
from assistant.ingest.artefacts import Vocabulary, clean_pages, rejoin_hyphens, tidy_line
from assistant.ingest.chunk import chunk_blocks
from assistant.ingest.loaders.base import LoadOptions
from assistant.ingest.loaders.pdf_loader import PdfLoader
from assistant.model import Block, DocStatus, LoadedText
from tests.fixtures.pdfs import (
    AGREEMENT_HEADER,
    LABELLED_PAGE_LABELS,
    LABELLED_PAGE_TERMS,
    agreement_pdf,
    corrupt_pdf,
    encrypted_pdf,
    encrypted_pdf_empty_password,
    image_only_pdf,
    junk_pdf,
    labelled_pdf,
    large_pdf,
    manual_pdf,
)

FUNDING = "Southport shall fund 60 percent of the air monitoring programme."


def load(path: Path, ocr: bool = True) -> LoadedText:
    return PdfLoader().load(path, LoadOptions(ocr=OcrSettings(enabled=ocr)))


def block_of(doc: LoadedText, needle: str) -> Block:
    at = doc.text.index(needle)
    return next(b for b in doc.blocks if b.start <= at < b.end)


@pytest.fixture(scope="module")
def agreement(tmp_path_factory: pytest.TempPathFactory) -> LoadedText:
    return load(agreement_pdf(tmp_path_factory.mktemp("pdf") / "agreement.pdf"))


def test_agreement_running_header_and_footers_removed(agreement: LoadedText) -> None:
    assert agreement.text.count(AGREEMENT_HEADER) == 0
    assert "Page 1 of 3" not in agreement.text and "of 3" not in agreement.text
    assert "Cooperation Agreement" in agreement.text  # the title line itself is kept


def test_agreement_hyphenated_words_rejoined(agreement: LoadedText) -> None:
    assert "environmental programmes" in agreement.text and "environ-" not in agreement.text
    assert "consultation" in agreement.text and "con-" not in agreement.text


def test_agreement_articles_are_sections(agreement: LoadedText) -> None:
    sections = {b.section for b in agreement.blocks}
    assert {"Article 3 Implementation", "Article 4 Funding"} <= sections
    funding = block_of(agreement, FUNDING)
    assert funding.section == "Article 4 Funding" and funding.page == 2


def test_agreement_text_and_pages(agreement: LoadedText) -> None:
    assert FUNDING in agreement.text
    assert "signed on 14 March 2019" in agreement.text
    assert agreement.pages == 3 and agreement.status == DocStatus.INDEXED
    assert agreement.blocks and all(b.page in (1, 2, 3) for b in agreement.blocks)
    assert all(b.page_label == str(b.page) for b in agreement.blocks)


def test_manual_numbered_sections_and_table(tmp_path: Path) -> None:
    doc = load(manual_pdf(tmp_path / "manual.pdf"))
    sections = {b.section for b in doc.blocks}
    assert "2 Treatment units > 2.1 Sedimentation tank" in sections
    assert "2 Treatment units > 2.2 Anaerobic filter" in sections
    assert "3 Maintenance > 3.1 Desludging" in sections
    assert block_of(doc, "BOD 150 mg/L").page == 2
    # A body line is not mistaken for a heading when its sentence goes on below.
    assert "treatment system for\ndomestic wastewater" in doc.text


def test_page_labels_follow_physical_pages(tmp_path: Path) -> None:
    doc = load(labelled_pdf(tmp_path / "labelled.pdf"))
    for index, (label, term) in enumerate(zip(LABELLED_PAGE_LABELS, LABELLED_PAGE_TERMS, strict=True)):
        block = block_of(doc, f"unique term {term}.")
        assert (block.page, block.page_label) == (index + 1, label)
    assert {b.page_label for b in doc.blocks} == set(LABELLED_PAGE_LABELS)
    zircon3 = block_of(doc, "zircon3")
    assert (zircon3.page, zircon3.page_label) == (5, "3")
    # Body lines that differ only in a number are not running heads.
    assert "It is physical page 5 of 6" in doc.text


def test_large_pdf_keeps_unique_lines(tmp_path: Path) -> None:
    doc = load(large_pdf(tmp_path / "large.pdf", pages=30))
    assert all(f"marker{n:05d}" in doc.text for n in range(1, 31))
    assert "Page 7 of 30" not in doc.text  # the per-page header is still dropped


def test_password_protected_pdf_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as err:
        load(encrypted_pdf(tmp_path / "locked.pdf"))
    assert "locked.pdf" in err.value.message and "password-protected" in err.value.message
    assert "unprotected copy" in err.value.hint


def test_owner_password_only_pdf_loads(tmp_path: Path) -> None:
    doc = load(encrypted_pdf_empty_password(tmp_path / "owner.pdf"))
    assert "tangerine" in doc.text and doc.status == DocStatus.INDEXED


def test_image_only_pdf_needs_ocr_when_ocr_is_off(tmp_path: Path) -> None:
    with pytest.raises(NeedsOcrError) as err:
        load(image_only_pdf(tmp_path / "scan.pdf"), ocr=False)
    assert "scan.pdf" in err.value.message
    assert "no text layer" in err.value.message and "scanned" in err.value.message
    assert "OCR" in err.value.hint and "ocrmypdf" in err.value.hint


def test_text_pdf_with_a_scanned_page_is_partial(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.append(agreement_pdf(tmp_path / "a.pdf"))
    writer.append(image_only_pdf(tmp_path / "s.pdf"), pages=(0, 1))
    mixed = tmp_path / "mixed.pdf"
    writer.write(mixed)
    assert len(PdfReader(mixed).pages) == 4

    doc = load(mixed, ocr=False)
    assert doc.status == DocStatus.PARTIAL and doc.pages == 4
    assert FUNDING in doc.text
    assert any("scanned" in w and ": 4;" in w and "OCR" in w for w in doc.warnings), doc.warnings
    assert all(b.page != 4 for b in doc.blocks)


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("truncated.pdf", corrupt_pdf),
        ("junk.pdf", junk_pdf),
        ("empty.pdf", lambda p: (p.write_bytes(b""), p)[1]),
    ],
)
def test_unreadable_pdf_raises_load_error_naming_it(tmp_path: Path, name: str, make: object) -> None:
    path = make(tmp_path / name)  # type: ignore[operator]
    with pytest.raises(LoadError) as err:
        load(path)
    assert err.value.message.startswith(f"{name}: ")
    assert err.value.hint


def test_damaged_pdf_logs_nothing_to_the_console(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    for make in (corrupt_pdf, junk_pdf):
        with pytest.raises(LoadError):
            load(make(tmp_path / f"{make.__name__}.pdf"))
    assert [r.getMessage() for r in caplog.records if r.name.startswith("pypdf")] == []


@pytest.mark.parametrize("make", [agreement_pdf, manual_pdf, labelled_pdf])
def test_passages_stay_inside_one_block_and_carry_its_page(tmp_path: Path, make: object) -> None:
    doc = load(make(tmp_path / "doc.pdf"))  # type: ignore[operator]
    spans = chunk_blocks(doc.text, doc.blocks, ChunkSettings())
    assert len(spans) >= len(doc.blocks) > 1
    for span in spans:
        inside = [b for b in doc.blocks if b.start <= span.start < span.end <= b.end]
        assert inside == [span.block]
        assert span.block.page is not None and span.block.page_label is not None


def test_passage_with_a_term_gets_the_page_of_its_block(tmp_path: Path) -> None:
    doc = load(labelled_pdf(tmp_path / "labelled.pdf"))
    spans = chunk_blocks(doc.text, doc.blocks, ChunkSettings())
    zircon3 = [s for s in spans if "zircon3" in doc.text[s.start : s.end]]
    assert [(s.block.page, s.block.page_label) for s in zircon3] == [(5, "3")]


def test_aes_256_pdf_with_an_owner_password_only_loads(tmp_path: Path) -> None:
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner-only", encryption_method=EncryptionMethod.AES_256)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 6, "SYNTHETIC TEST FIXTURE - AES-256 page. The hidden word is persimmon.")
    pdf.output(str(tmp_path / "aes.pdf"))
    doc = load(tmp_path / "aes.pdf")
    assert "persimmon" in doc.text and doc.status == DocStatus.INDEXED


def _bomb_pdf(path: Path, megabytes: int = 100) -> Path:
    """One page whose content stream is FlateDecode of `megabytes` MB of spaces."""
    import zlib

    stream = zlib.compress(b"BT /F1 12 Tf 72 712 Td (x) Tj ET\n" + b" " * (megabytes << 20), 9)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_decompression_bomb_is_reported_as_such_not_as_a_scan(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as err:
        load(_bomb_pdf(tmp_path / "bomb.pdf"))
    assert not isinstance(err.value, NeedsOcrError)
    assert err.value.message.startswith("bomb.pdf: no text could be read")
    assert "decompression bomb" in err.value.message and "scanned" not in err.value.message


# -- extraction artefacts -------------------------------------------------------------------


def test_tidy_line_collapses_justification_spaces() -> None:
    assert tidy_line("  bahwa  pertambahan   penduduk ( 1)  dan (4 ) prosedur ,  dan  ") == (
        "bahwa pertambahan penduduk (1) dan (4) prosedur, dan"
    )


def test_catchword_dropped_only_at_the_foot_of_a_page() -> None:
    pages = [["Isi halaman satu.", "Dengan . . ."], ["Dengan Persetujuan Bersama", "akhir..."], ["lain"]]
    cleaned = clean_pages(pages)
    assert cleaned.texts[0] == "Isi halaman satu."
    assert cleaned.texts[1].endswith("akhir...")  # "..." that does not repeat the next page stays


def test_hyphens_kept_for_compounds_and_reduplication_dropped_for_line_breaks() -> None:
    vocab = Vocabulary("peraturan perundang-undangan berlaku; environmental")
    assert rejoin_hyphens("peraturan perundang-\nundangan", vocab) == "peraturan perundang-undangan"
    assert rejoin_hyphens("kegiatan sehari-\nhari", vocab) == "kegiatan sehari-hari"
    assert rejoin_hyphens("the environ-\nmental office", vocab) == "the environmental office"
    assert rejoin_hyphens("masing- masing", vocab) == "masing-masing"
    assert rejoin_hyphens("pra- dan pascapanen", vocab) == "pra- dan pascapanen"


def test_split_words_are_joined_only_where_the_document_shows_stray_spaces() -> None:
    body = [
        "Pengelolaan sampah dilakukan oleh dinas kebersihan sebagaimana dimaksud, dengan bertambahnya volume.",
        "Kerja sama kota dan kerja sama desa; kerjasama.",
    ] * 3
    split = ["pengelola an sampah", "dilakuka n oleh", "bertambah nya volume", "se bagaimana dimaksud"]
    split += ["dinas keber sihan", "kerja sama kota", "oleh pemilaha n"]
    cleaned = clean_pages([body, split])
    assert cleaned.texts[1].split("\n")[:5] == [
        "pengelolaan sampah",
        "dilakukan oleh",
        "bertambahnya volume",
        "sebagaimana dimaksud",
        "dinas kebersihan",
    ]
    assert "kerja sama kota" in cleaned.texts[1]  # two words stay two words
    assert "pemilaha n" in cleaned.texts[1]  # "pemilahan" is no word of this document
    assert cleaned.words_rejoined == 5
    too_few = clean_pages([body, ["pengelola an sampah", "kerja sama kota"]])  # no sign of stray spaces
    assert too_few.words_rejoined == 0 and "pengelola an" in too_few.texts[1]
