"""Text, Markdown, HTML and CSV loaders on inputs the tests write themselves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import LoadError
from assistant.index.cache import decode_loaded, encode_loaded
from assistant.ingest.loaders.csv_loader import CsvLoader
from assistant.ingest.loaders.text_loader import HtmlLoader, TextLoader

EXTRACTED = """JOURNAL OF SYNTHETIC STUDIES

**INTRODUCTION**

The city began a composting programme in 2019 with support from its partner city and a
national grant. The first phase covered twelve neighbourhoods and trained the staff of the

Journal of Synthetic Studies, Vol 1

* Corresponding Author: someone@example.org

environmental office in sorting organic waste.

METHODOLOGY

Interviews were held with eight officials and four community leaders over three months, and
the transcripts were coded by two researchers working independently of each other.

Challenges of the Programme

Budget cuts in 2021 slowed the second phase, and a change of mayor shifted the priorities of
the environmental office towards flood control for most of the following year.

Journal of Synthetic Studies, Vol 1

Journal of Synthetic Studies, Vol 1
"""


def _write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def test_sections_from_bold_caps_and_title_headings(tmp_path: Path) -> None:
    loaded = TextLoader().load(_write(tmp_path, "study.md", EXTRACTED))
    sections = [b.section for b in loaded.blocks]
    assert "INTRODUCTION" in sections
    assert "METHODOLOGY" in sections
    assert "METHODOLOGY > Challenges of the Programme" in sections


def test_sentence_split_by_page_break_is_rejoined(tmp_path: Path) -> None:
    loaded = TextLoader().load(_write(tmp_path, "study.md", EXTRACTED))
    assert "trained the staff of the environmental office in sorting organic waste." in loaded.text
    # The interrupting footnote is kept, not lost.
    assert "Corresponding Author" in loaded.text
    assert any("rejoined" in w for w in loaded.warnings)


def test_repeated_running_heads_are_dropped(tmp_path: Path) -> None:
    loaded = TextLoader().load(_write(tmp_path, "study.md", EXTRACTED))
    assert loaded.text.count("Journal of Synthetic Studies, Vol 1") == 1


def test_markdown_heading_path(tmp_path: Path) -> None:
    md = "# Title\n\nIntro text here.\n\n## Part A\n\nBody of A.\n\n### Detail\n\nDeep text.\n"
    loaded = TextLoader().load(_write(tmp_path, "doc.md", md))
    assert loaded.title == "Title"
    assert [b.section for b in loaded.blocks] == ["Title", "Title > Part A", "Title > Part A > Detail"]
    for b in loaded.blocks:
        assert loaded.text[b.start : b.end].strip() == loaded.text[b.start : b.end]


def test_non_utf8_text_is_detected(tmp_path: Path) -> None:
    text = "Pengelolaan sampah di Bandung: café, naïve, señor, déjà vu, crème brûlée. " * 5
    loaded = TextLoader().load(_write(tmp_path, "latin.txt", text.encode("cp1252")))
    assert "crème brûlée" in loaded.text
    assert any("not UTF-8" in w for w in loaded.warnings)


def test_empty_and_binary_text_files_fail_clearly(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"empty\.txt: the file is empty"):
        TextLoader().load(_write(tmp_path, "empty.txt", b""))
    with pytest.raises(LoadError, match=r"blob\.txt: not readable as text"):
        TextLoader().load(_write(tmp_path, "blob.txt", bytes(range(256)) * 20))


def test_html_keeps_headings_and_drops_scripts(tmp_path: Path) -> None:
    html = (
        "<html><head><title>x</title><script>var a=1;</script></head><body><h1>Report</h1>"
        "<p>The &amp; sign and the river.</p><h2>Annex</h2><p>More text.</p></body></html>"
    )
    loaded = HtmlLoader().load(_write(tmp_path, "page.html", html))
    assert "var a" not in loaded.text
    assert "The & sign and the river." in loaded.text
    assert [b.section for b in loaded.blocks][-1] == "Report > Annex"


def test_csv_rows_repeat_column_names_and_keep_values(tmp_path: Path) -> None:
    csv_text = "No,Sungai,Skor\n1.0,Sungai Alfa,-12.0\n2.0,Sungai Beta,NULL\n"
    loaded = CsvLoader().load(_write(tmp_path, "rivers.csv", csv_text))
    lines = loaded.text.split("\n")
    assert lines[0] == "Row 1: No: 1.0; Sungai: Sungai Alfa; Skor: -12.0"
    assert lines[1] == "Row 2: No: 2.0; Sungai: Sungai Beta"  # NULL left out
    assert loaded.rows == 2
    (block,) = loaded.blocks
    assert block.table and len(block.row_starts) == 2
    assert [r.fields for r in block.table_rows] == [
        {"No": "1.0", "Sungai": "Sungai Alfa", "Skor": "-12.0"},
        {"No": "2.0", "Sungai": "Sungai Beta"},
    ]
    assert [loaded.text[r.start : r.end] for r in block.table_rows] == lines


def test_csv_rows_as_data_survive_the_build_cache(tmp_path: Path) -> None:
    csv_text = 'Nilai,Catatan,Nilai\n1,"a; b: c",2\n'
    loaded = CsvLoader().load(_write(tmp_path, "t.csv", csv_text))
    (row,) = loaded.blocks[0].table_rows
    assert row.fields == {"Nilai": "1", "Catatan": "a; b: c", "Nilai (3)": "2"}  # a repeated name keeps its cell
    again = decode_loaded(json.loads(json.dumps(encode_loaded(loaded))))
    assert again == loaded


def test_csv_ragged_rows_are_kept_and_reported(tmp_path: Path) -> None:
    csv_text = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n"
    loaded = CsvLoader().load(_write(tmp_path, "ragged.csv", csv_text))
    assert "Row 3: a: 6; b: 7; c: 8; extra_1: 9" in loaded.text
    assert "Row 2: a: 4; b: 5" in loaded.text
    assert any("2 rows have a different number of fields" in w for w in loaded.warnings)


def test_csv_semicolon_delimiter(tmp_path: Path) -> None:
    loaded = CsvLoader().load(_write(tmp_path, "semi.csv", "kota;jumlah\nBandung;12\nCimahi;4\n"))
    assert "Row 1: kota: Bandung; jumlah: 12" in loaded.text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_text_with_a_byte_order_mark_is_decoded(tmp_path: Path, encoding: str) -> None:
    import codecs

    text = "Catatan\n\nPengelolaan sampah di Bandung berjalan baik: café, señor, 川崎市.\n"
    bom = {"utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    loaded = TextLoader().load(_write(tmp_path, "notes.txt", bom + text.encode(encoding)))
    assert "川崎市" in loaded.text and "café" in loaded.text
    assert loaded.warnings == ()


def test_binary_behind_a_byte_order_mark_is_still_refused(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"odd\.txt: not readable as text"):
        TextLoader().load(_write(tmp_path, "odd.txt", b"\xff\xfe" + bytes(range(256)) * 4))


def test_markdown_setext_and_bold_headings(tmp_path: Path) -> None:
    md = "Laporan\n=======\n\nIsi laporan pertama.\n\n**Bagian Dua**\n\nIsi bagian dua.\n"
    loaded = TextLoader().load(_write(tmp_path, "lap.md", md))
    assert [b.section for b in loaded.blocks] == ["Laporan", "Laporan > Bagian Dua"]
