"""PdfLoader on synthetic PDFs: clean text, sections, page labels, and clear errors."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from assistant.config import ChunkSettings
from assistant.errors import LoadError
from assistant.ingest.chunk import chunk_blocks
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


def load(path: Path) -> LoadedText:
    return PdfLoader().load(path)


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


def test_image_only_pdf_needs_ocr(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as err:
        load(image_only_pdf(tmp_path / "scan.pdf"))
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

    doc = load(mixed)
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
