"""The command line: JSON shape, filters, errors on stderr with a non-zero exit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli.main import main
from assistant.config import Settings


def _run(capsys: pytest.CaptureFixture[str], settings: Settings, *args: str) -> tuple[int, str, str]:
    code = main(
        [
            "--corpus",
            str(settings.corpus_dir),
            "--index",
            str(settings.index_dir),
            "--embedder",
            "fake",
            *args,
        ]
    )
    out, err = capsys.readouterr()
    return code, out, err


def test_index_then_search_json(capsys: pytest.CaptureFixture[str], fake_settings: Settings) -> None:
    code, out, _ = _run(capsys, fake_settings, "index", "--json")
    assert code == 0 and json.loads(out)["documents"] == 3
    code, out, _ = _run(capsys, fake_settings, "search", "Northbrook fund percent", "-k", "2", "--json")
    assert code == 0
    hits = json.loads(out)
    assert [h["rank"] for h in hits] == [1, 2]
    assert set(hits[0]) >= {"rank", "doc_id", "title", "page", "page_label", "section", "text", "score"}
    assert hits[0]["doc_id"] == "agreement"
    assert hits[0]["section"].endswith("Article 2 Funding")
    assert hits[0]["title"] == "Synthetic Agreement on River Care"


def test_search_type_filter(capsys: pytest.CaptureFixture[str], fake_settings: Settings) -> None:
    _run(capsys, fake_settings, "index")
    code, out, _ = _run(capsys, fake_settings, "search", "river", "--type", "data", "--json")
    assert code == 0 and {h["doc_id"] for h in json.loads(out)} == {"rivers"}


def test_search_file_one_json_line_per_query(
    capsys: pytest.CaptureFixture[str], fake_settings: Settings, tmp_path: Path
) -> None:
    _run(capsys, fake_settings, "index")
    queries = tmp_path / "q.txt"
    queries.write_text("compost Friday\nSungai Beta\n")
    code, out, _ = _run(capsys, fake_settings, "search", "--file", str(queries), "-k", "1")
    lines = out.strip().split("\n")
    assert code == 0 and len(lines) == 2
    assert json.loads(lines[0])[0]["doc_id"] == "notes"
    assert json.loads(lines[1])[0]["doc_id"] == "rivers"


def test_docs_lists_library(capsys: pytest.CaptureFixture[str], fake_settings: Settings) -> None:
    _run(capsys, fake_settings, "index")
    code, out, _ = _run(capsys, fake_settings, "docs", "--json")
    docs = {d["id"]: d for d in json.loads(out)}
    assert code == 0 and docs["rivers"]["rows"] == 3 and docs["rivers"]["type"] == "data"
    assert docs["agreement"]["status"] == "indexed"


def test_docs_never_folds_an_id_at_80_columns(
    capsys: pytest.CaptureFixture[str], fake_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "pp-81-2012-penjelasan" was shown as "pp-81-2012-penj" over "elasan": not an id to type
    long_id = "pp-81-2012-pengelolaan-sampah-penjelasan"
    (fake_settings.corpus_dir / f"{long_id}.txt").write_text("Pasal 1\n\nSampah dikelola.\n", encoding="utf-8")
    _run(capsys, fake_settings, "index")
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = _run(capsys, fake_settings, "docs")
    assert code == 0 and long_id in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_errors_are_one_line_and_nonzero(capsys: pytest.CaptureFixture[str], fake_settings: Settings) -> None:
    code, out, err = _run(capsys, fake_settings, "search", "anything")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "no index" in err and "mitra index" in err
    _run(capsys, fake_settings, "index")
    code, _, err = _run(capsys, fake_settings, "search", "x", "--year", "20x0")
    assert code == 2 and "--year" in err


def test_missing_corpus_is_reported(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(["--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "i"), "--embedder", "fake", "index"])
    err = capsys.readouterr().err
    assert code == 2 and "does not exist" in err


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from assistant.cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'faiss', 'numpy', 'textual') if m in sys.modules]\n"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_core_never_imports_textual() -> None:
    # Every module outside assistant.tui (walk_packages would import the tui package to walk it).
    code = (
        "import sys, importlib, pkgutil, assistant\n"
        "for top in pkgutil.iter_modules(assistant.__path__, 'assistant.'):\n"
        "    if top.name in ('assistant.tui', 'assistant.__main__'):\n"
        "        continue\n"
        "    module = importlib.import_module(top.name)\n"
        "    for m in pkgutil.walk_packages(getattr(module, '__path__', []), top.name + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "print([m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'assistant.tui'))])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_search_text_says_where_each_hit_is_as_cite_words_it(
    capsys: pytest.CaptureFixture[str], fake_settings: Settings
) -> None:
    _run(capsys, fake_settings, "index")
    code, out, _ = _run(capsys, fake_settings, "search", "Northbrook fund percent", "-k", "1")
    # The section below the document's title (cite's location), not the title repeated.
    assert code == 0 and "Synthetic Agreement on River Care · section Article 2 Funding" in " ".join(out.split())
