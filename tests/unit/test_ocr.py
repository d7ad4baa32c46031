"""OCR of pages without a text layer: synthetic scans of known text (character error
rate), rotation, outlines, mixed PDFs, progress through the sandbox, the cache, and
bad input (OCR missing, blank and corrupt pages, a 300-page scan, the time limit).

OCR takes seconds a page on 2 cores: the tests read one or two pages each, and those
that run the engine are marked slow.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfWriter

from assistant.config import ChunkSettings, OcrSettings, Settings
from assistant.errors import LoadError, NeedsOcrError
from assistant.index.build import build_index
from assistant.index.cache import OCR_CACHE
from assistant.index.library import Library
from assistant.ingest import ocr as ocr_module
from assistant.ingest.chunk import chunk_blocks
from assistant.ingest.loaders.base import LoadOptions
from assistant.ingest.loaders.pdf_loader import PdfLoader
from assistant.ingest.ocr import layout
from assistant.ingest.ocr_types import TextBox
from assistant.ingest.sandbox import load_many
from assistant.model import DocStatus, LoadedText
from tests.fixtures.pdfs import agreement_pdf
from tests.fixtures.regulations import regulation
from tests.fixtures.scans import TEXT_EN, TEXT_ID, cer, image_pdf, outline_pdf, scan

ScanRead = tuple[Path, LoadedText, list[tuple[int, int]]]
PERDA = "regulations/perda-jabar-1-2016-pengelolaan-sampah.pdf"


def load(path: Path, **ocr: object) -> LoadedText:
    return PdfLoader().load(path, LoadOptions(ocr=OcrSettings(**ocr)))  # type: ignore[arg-type]


def test_cer_counts_edits_per_reference_character() -> None:
    assert cer("Pasal 29", "Pasal 29") == 0
    assert cer("Pasa1  29", "Pasal 29") == pytest.approx(1 / 8)
    assert cer("", "abcd") == 1


def test_layout_orders_lines_and_breaks_paragraphs_at_gaps() -> None:
    def box(text: str, x: float, y: float, w: float = 200) -> TextBox:
        return TextBox(text, 0.9, ((x, y), (x + w, y), (x + w, y + 20), (x, y + 20)))

    boxes = [box("world", 300, 102), box("hello", 50, 100), box("next line", 50, 125), box("new para", 50, 200)]
    text, lines = layout(boxes, 0.0)
    assert text == "hello world\nnext line\n\nnew para" and lines == 3


# -- synthetic scans through the loader ---------------------------------------------------------


@pytest.fixture(scope="module")
def skewed_scan(tmp_path_factory: pytest.TempPathFactory) -> ScanRead:
    """200 dpi scans skewed by 2 and -3 degrees (Indonesian, English), read through the
    sandbox (memory cap on) by two page workers."""
    pages = [scan(TEXT_ID, 200, skew=2.0, seed=1), scan(TEXT_EN, 200, skew=-3.0, seed=5)]
    path = image_pdf(tmp_path_factory.mktemp("scan") / "skewed.pdf", pages)
    progress: list[tuple[int, int]] = []
    (_, outcome), *_ = list(
        load_many(
            [path],
            timeout_s=60,
            memory_mb=3072,
            ocr=OcrSettings(),
            on_pages=lambda _, done, total: progress.append((done, total)),
        )
    )
    assert isinstance(outcome, LoadedText), outcome
    return path, outcome, progress


@pytest.mark.slow
def test_skewed_scans_are_read_within_two_percent(skewed_scan: ScanRead) -> None:
    _, doc, progress = skewed_scan
    first, second = ("".join(doc.text[b.start : b.end] + "\n" for b in doc.blocks if b.page == n) for n in (1, 2))
    assert cer(first, TEXT_ID) <= 0.02, first
    assert cer(second, TEXT_EN) <= 0.02, second
    assert doc.status == DocStatus.INDEXED and doc.pages == 2
    assert progress == [(0, 2), (1, 2), (2, 2)]  # per page, through the worker's pipe
    assert any("read by OCR" in w for w in doc.warnings)


@pytest.mark.slow
def test_ocr_confidence_reaches_blocks_and_passages(
    skewed_scan: ScanRead,
) -> None:
    _, doc, _ = skewed_scan
    assert doc.blocks and all(b.ocr_confidence is not None and b.ocr_confidence > 0.8 for b in doc.blocks)
    spans = chunk_blocks(doc.text, doc.blocks, ChunkSettings())
    assert spans and all(s.ocr_confidence == s.block.ocr_confidence for s in spans)
    # the OCR'd regulation keeps its structure: passages of Pasal 39 name it
    assert any(s.block.section == "Pasal 39" for s in spans)


@pytest.mark.slow
def test_ocr_cache_reads_an_unchanged_page_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = image_pdf(tmp_path / "scan.pdf", [scan(TEXT_EN, 150, seed=2)])
    options = LoadOptions(ocr=OcrSettings(), ocr_cache=tmp_path / "cache")
    first = PdfLoader().load(path, options)

    def no_engine(threads: int) -> None:
        raise AssertionError("the engine was started for a cached page")

    monkeypatch.setattr(ocr_module, "open_engine", no_engine)
    again = PdfLoader().load(path, options)
    assert again.text == first.text and cer(again.text, TEXT_EN) <= 0.02


@pytest.mark.slow
@pytest.mark.parametrize(("rotation", "skew"), [(90, -1.0), (180, -2.0), (270, 3.0)])
def test_turned_and_skewed_page_is_turned_back_and_read(tmp_path: Path, rotation: int, skew: float) -> None:
    path = image_pdf(tmp_path / "turned.pdf", [scan(TEXT_EN, 150, skew=skew, rotation=rotation, seed=3)])
    assert cer(load(path).text, TEXT_EN) <= 0.02


@pytest.mark.slow
def test_text_drawn_as_outlines_is_read(tmp_path: Path) -> None:
    doc = load(outline_pdf(tmp_path / "outlines.pdf", TEXT_EN, dpi=150))
    assert cer(doc.text, TEXT_EN) <= 0.02
    assert all(b.ocr_confidence is not None for b in doc.blocks)


@pytest.mark.slow
def test_mixed_pdf_reads_the_text_layer_and_ocrs_the_scanned_page(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.append(agreement_pdf(tmp_path / "a.pdf"))
    writer.append(image_pdf(tmp_path / "s.pdf", [scan(TEXT_EN, 150, seed=4)]))
    mixed = tmp_path / "mixed.pdf"
    writer.write(mixed)
    doc = load(mixed)
    assert doc.status == DocStatus.INDEXED and doc.pages == 4
    assert "Southport shall fund 60 percent" in doc.text and "pilot project on composting" in doc.text
    assert {b.page for b in doc.blocks if b.ocr_confidence is not None} == {4}
    assert all(b.ocr_confidence is None for b in doc.blocks if b.page != 4)


@pytest.mark.slow
def test_real_scanned_perda_first_page() -> None:
    from assistant.ingest.ocr import OcrJob, ocr_pages

    read, failed = ocr_pages(regulation(PERDA), [0], OcrJob())
    assert not failed and read[0].confidence > 0.9
    assert "PERATURAN DAERAH PROVINSI JAWA BARAT" in read[0].text
    assert "NOMOR 1 TAHUN 2016" in read[0].text


# -- bad input ----------------------------------------------------------------------------------


def test_ocr_unavailable_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr", None)  # `import rapidocr` raises ImportError
    path = image_pdf(tmp_path / "scan.pdf", [scan(TEXT_EN, 100)])
    with pytest.raises(NeedsOcrError) as err:
        load(path)
    assert err.value.message.startswith("scan.pdf: no text layer") and "OCR is not available" in err.value.message
    assert "pip install rapidocr==3.10.0" in err.value.hint

    writer = PdfWriter()
    writer.append(agreement_pdf(tmp_path / "a.pdf"))
    writer.append(path)
    writer.write(tmp_path / "mixed.pdf")
    doc = load(tmp_path / "mixed.pdf")  # the text pages are still read
    assert doc.status == DocStatus.PARTIAL and "Southport shall fund" in doc.text
    assert any("4" in w and "install it" in w for w in doc.warnings), doc.warnings


def test_ocr_switched_off_reports_the_scan(tmp_path: Path) -> None:
    with pytest.raises(NeedsOcrError) as err:
        load(image_pdf(tmp_path / "scan.pdf", [scan(TEXT_EN, 100)]), enabled=False)
    assert "no text layer" in err.value.message and "scanned" in err.value.message
    assert "ocrmypdf" in err.value.hint and "MITRA_OCR_ENABLED" in err.value.hint


def test_a_300_page_scan_past_the_page_limit_is_refused_and_nothing_else_is_lost(tmp_path: Path) -> None:
    page = np.full((200, 140), 255, dtype=np.uint8)
    page[50:60, 20:120] = 0
    big = image_pdf(tmp_path / "big-scan.pdf", [page] * 300, dpi=20)
    good = agreement_pdf(tmp_path / "agreement.pdf")
    outcomes = dict(load_many([big, good], timeout_s=60, memory_mb=3072, ocr=OcrSettings(max_pages=100)))
    err = outcomes[big]
    assert isinstance(err, NeedsOcrError)
    assert err.message.startswith("big-scan.pdf: no text layer on any of its 300 pages")
    assert "more than the 100 pages" in err.message and "MITRA_OCR_MAX_PAGES" in err.hint
    assert isinstance(outcomes[good], LoadedText) and "Southport" in outcomes[good].text


def test_ocr_time_limit_grows_per_page_and_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = image_pdf(tmp_path / "slow.pdf", [scan(TEXT_EN, 150)] * 2)

    def stuck_engine(threads: int) -> None:
        time.sleep(120)  # far past the limit, however loaded the machine (the reader is forked: it sees this)

    monkeypatch.setattr(ocr_module, "open_engine", stuck_engine)
    progress: list[tuple[int, int]] = []
    ((_, err),) = load_many(
        [path],
        timeout_s=5.0,  # time to open the file and announce its pages, however loaded the machine
        memory_mb=3072,
        ocr=OcrSettings(page_timeout_s=0.5, workers=1),  # one process: nothing outlives the stopped reader
        on_pages=lambda _, done, total: progress.append((done, total)),
    )
    assert isinstance(err, LoadError)
    assert err.message.startswith("slow.pdf: reading took longer than its 6 s time limit (5 s, plus 0.5 s")
    assert "2 pages to OCR" in err.message and "MITRA_OCR_PAGE_TIMEOUT_S" in err.hint
    assert progress[:1] == [(0, 2)]


@pytest.mark.slow
def test_blank_scanned_page_gets_a_warning_naming_it(tmp_path: Path) -> None:
    blank = np.full((1169, 827), 255, dtype=np.uint8)
    writer = PdfWriter()
    writer.append(agreement_pdf(tmp_path / "a.pdf"))
    writer.append(image_pdf(tmp_path / "blank.pdf", [blank], dpi=100))
    writer.write(tmp_path / "with-blank.pdf")
    doc = load(tmp_path / "with-blank.pdf")
    assert any(w.startswith("page 4: OCR found no text") for w in doc.warnings), doc.warnings
    with pytest.raises(LoadError, match=r"blank\.pdf: no text layer on any of its 1 pages, and OCR found no text"):
        load(tmp_path / "blank.pdf")


def _corrupt_image_pdf(path: Path) -> Path:
    """One page whose only image is a JPEG stream cut short and scrambled."""
    jpeg = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8
    content = b"q 200 0 0 280 0 0 cm /Im1 Do Q"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 280] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width 400 /Height 560 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % len(jpeg) + jpeg + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


@pytest.mark.slow
def test_corrupt_image_stream_gives_a_clear_message(tmp_path: Path) -> None:
    path = _corrupt_image_pdf(tmp_path / "corrupt-image.pdf")
    ((_, outcome),) = load_many([path], timeout_s=60, memory_mb=3072, ocr=OcrSettings())
    assert isinstance(outcome, LoadError), outcome
    assert outcome.message.startswith("corrupt-image.pdf: ") and outcome.hint
    assert "crashed" not in outcome.message


@pytest.mark.slow
def test_a_build_reports_the_pages_it_ocrs_and_never_ocrs_a_page_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    image_pdf(corpus / "scan.pdf", [scan(TEXT_EN, 150, seed=5)])
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedders=("fake",))
    events: list[tuple[str, int, int]] = []
    build_index(settings, progress=lambda stage, done, total: events.append((stage, done, total)))
    ocr = [(done, total) for stage, done, total in events if stage == "ocr"]
    assert ocr[0] == (0, 1) and ocr[-1] == (1, 1)
    assert len(list((settings.index_dir / OCR_CACHE).glob("*.json"))) == 1

    def no_engine(threads: int) -> None:
        raise AssertionError("the engine was started for a page OCR'd before")

    monkeypatch.setattr(ocr_module, "open_engine", no_engine)  # the readers are forked: they see it too
    report = build_index(settings, rebuild=True)  # reads every file again, past the cache of extracted text
    assert not report.skipped and cer(Library.open(settings).text("scan"), TEXT_EN) <= 0.02
