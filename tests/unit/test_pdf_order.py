"""A block a PDF draws late into the gap it left is read where it stands on the page."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader

from assistant.ingest.loaders.pdf_loader import PdfLoader
from assistant.ingest.loaders.pdf_order import Line, ordered_text, reordered


def _page(path: Path, draw: list[tuple[float, float, str]]) -> Path:
    """A one-page PDF with each (x, y, text) drawn in the order given (y from the top, mm)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for x, y, text in draw:
        pdf.text(x, y, text)
    pdf.output(str(path))
    return path


HEADINGS = [
    (20, 20, "1. SLUDGE PLANT WASTEWATER"),
    (20, 80, "Notes: measured at the outlet."),
    (20, 90, "2. OTHER WASTEWATER"),
    (20, 100, "BOD mg/l 30 50 75"),
    (20, 106, "COD mg/l 100 100"),
]
LATE_TABLE = [(20, 30, "PARAMETER UNIT LIMIT"), (20, 36, "BOD mg/l 150"), (20, 42, "COD mg/l 300")]


def test_a_table_drawn_late_into_the_gap_under_its_heading_is_read_there(tmp_path: Path) -> None:
    path = _page(tmp_path / "late.pdf", HEADINGS + LATE_TABLE)
    page = PdfReader(path).pages[0]
    raw = page.extract_text()
    assert raw.index("BOD mg/l 150") > raw.index("2. OTHER WASTEWATER")  # the stream's order
    text = ordered_text(page)
    order = [text.index(s) for s in ("1. SLUDGE", "PARAMETER", "BOD mg/l 150", "COD mg/l 300", "Notes", "2. OTHER")]
    assert order == sorted(order)
    assert sorted(text.split("\n")) == sorted(raw.split("\n"))  # lines moved, none changed
    loaded = PdfLoader().load(path)
    assert loaded.text.index("BOD mg/l 150") < loaded.text.index("2. OTHER WASTEWATER")


def test_a_page_in_stream_order_or_in_two_columns_is_left_as_pypdf_reads_it(tmp_path: Path) -> None:
    plain = PdfReader(_page(tmp_path / "plain.pdf", HEADINGS[:1] + LATE_TABLE + HEADINGS[1:])).pages[0]
    assert ordered_text(plain) == plain.extract_text()
    left = [(20, 20 + 6 * i, f"left column line {i}") for i in range(20)]
    right = [(110, 20 + 6 * i, f"right column line {i}") for i in range(20)]
    columns = PdfReader(_page(tmp_path / "columns.pdf", left + right)).pages[0]
    assert ordered_text(columns) == columns.extract_text()


def test_a_short_late_block_or_one_that_fits_no_gap_stays_where_it_is() -> None:
    lines = [Line("a", 700.0), Line("b", 686.0), Line("c", 500.0), Line("d", 486.0), Line("e", 472.0)]
    one = [Line("late", 600.0)]  # one line: a superscript, a page number, not a block
    assert reordered(lines + one) == lines + one
    block = [Line("x", 650.0), Line("y", 636.0), Line("z", 622.0)]
    assert reordered(lines + block) == lines[:2] + block + lines[2:]
    tall = [Line("x", 720.0), Line("y", 636.0), Line("z", 400.0)]  # above the first line: no gap holds it
    assert reordered(lines + tall) == lines + tall
