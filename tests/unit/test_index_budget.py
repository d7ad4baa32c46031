"""Bounded work: a per-file passage limit, per-row vectors only for tables up to a size."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from assistant.config import Settings
from assistant.index.build import build_index
from assistant.index.library import Library
from assistant.index.manifest import read_manifest
from assistant.index.plan import stale_files


def _settings(tmp: Path, files: dict[str, str], **kw: object) -> Settings:
    corpus = tmp / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return Settings(corpus_dir=corpus, index_dir=tmp / "index", embedders=("fake",), **kw)  # type: ignore[arg-type]


def _csv(rows: int) -> str:
    return "No,Lokasi,Volume\n" + "".join(f"{i},Site {i},{i * 7 % 101}\n" for i in range(1, rows + 1))


def test_a_file_past_the_passage_limit_keeps_its_start_and_says_so(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path, {"big.csv": _csv(3000), "notes.md": "# Notes\n\nThe depot opened in May.\n"}, max_passages_per_file=5
    )
    report = build_index(settings)
    library = Library.open(settings)
    kept = library.passages_of("big")
    assert len(kept) == 5 and kept[0].rows and kept[0].rows.startswith("1-")
    last_row = int(kept[-1].rows.split("-")[-1]) if kept[-1].rows else 0
    (note,) = [w for w in report.warnings["big.csv"] if "limit" in w]
    assert note.startswith("big.csv: only its first 5 passages were indexed")
    assert f"rows 1-{last_row:,} of 3,000" in note and "MITRA_MAX_PASSAGES_PER_FILE" in note
    assert note in library.document("big").warnings  # type: ignore[union-attr]
    assert library.passages_of("notes")  # the other file is whole
    # Raising the limit re-indexes the files without reading them again; only the passages
    # that were left out are embedded.
    more = Settings(**{**settings.model_dump(), "max_passages_per_file": 8})
    again = build_index(more)
    assert sorted(again.changed) == ["big", "notes"] and len(Library.open(more).passages_of("big")) == 8
    assert again.computed == 3  # 3,000 rows is past row_vectors_max_rows: no vector per row


def test_prose_past_the_limit_says_how_much_of_its_text_was_kept(tmp_path: Path) -> None:
    paras = "\n\n".join(f"## Part {n}\n\nThe wardens counted {n} bins at the depot." for n in range(40))
    settings = _settings(tmp_path, {"long.md": "# Long\n\n" + paras + "\n"}, max_passages_per_file=3)
    report = build_index(settings)
    (note,) = report.warnings["long.md"]
    assert note.startswith("long.md: only its first 3 passages were indexed (") and "% of its text)" in note


def test_row_vectors_only_for_tables_up_to_a_size(tmp_path: Path) -> None:
    settings = _settings(tmp_path, {"small.csv": _csv(40), "large.csv": _csv(400)}, row_vectors_max_rows=100)
    report = build_index(settings)
    manifest = read_manifest(settings.index_dir)
    assert manifest is not None
    conn = sqlite3.connect(settings.index_dir / manifest.folder / "mitra.sqlite")
    per_doc = dict(
        conn.execute(
            "SELECT p.doc_id, COUNT(*) FROM row_vectors r JOIN passages p ON p.id = r.passage_id GROUP BY p.doc_id"
        ).fetchall()
    )
    assert set(per_doc) == {"small"} and per_doc["small"] >= 39  # a last passage of one row has none
    (note,) = report.warnings["large.csv"]
    assert note.startswith("large.csv: 400 table rows, more than 100:") and "MITRA_ROW_VECTORS_MAX_ROWS" in note
    assert "small.csv" not in report.warnings


def test_stale_files_counts_each_change_once(tmp_path: Path) -> None:
    settings = _settings(tmp_path, {"a.md": "# A\n\nAlpha.\n", "b.md": "# B\n\nBeta.\n", "c.md": "# C\n\nGamma.\n"})
    build_index(settings)
    manifest = read_manifest(settings.index_dir)
    assert manifest is not None
    assert stale_files(settings, manifest) == 0
    corpus = settings.corpus_dir
    (corpus / "a.md").write_text("# A\n\nAlpha, changed.\n")  # changed: one file, counted once
    (corpus / "b.md").unlink()  # removed
    (corpus / "d.md").write_text("# D\n\nDelta.\n")  # added
    (corpus / "e.xyz").write_text("not a format Mitra reads")  # skipped, not stale
    assert stale_files(settings, manifest) == 3
    build_index(settings)
    manifest = read_manifest(settings.index_dir)
    assert manifest is not None and stale_files(settings, manifest) == 0
