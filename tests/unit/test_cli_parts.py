"""The command line's parts: one module per command, the shared helpers, the stale-file count."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import ask, docs, index, search, shell, tui
from assistant.cli import eval as evaluate
from assistant.cli.args import read_lines
from assistant.cli.main import main, parser
from assistant.cli.output import console
from assistant.config import CHECKOUT, Settings
from assistant.index.build import build_index
from assistant.index.library import Library
from assistant.lang.names import language_name
from assistant.model import Answer, Citation, DocStatus, DocType, Document, Passage
from assistant.search.retriever import MODES

CLI = Path(__file__).resolve().parents[2] / "assistant" / "cli"
COMMANDS = {"index": index, "docs": docs, "search": search, "ask": ask, "eval": evaluate, "shell": shell, "tui": tui}


def test_each_command_module_registers_and_runs_its_own_command() -> None:
    for name, module in COMMANDS.items():
        args = parser().parse_args([name, *(["x.jsonl"] if name == "eval" else [])])
        assert args.command == name and args.run is module.run


def test_modules_are_small_and_commands_never_import_main() -> None:
    for path in CLI.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert source.count("\n") <= 400, path.name
        if path.name == "main.py":
            continue
        imported = {
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        assert "assistant.cli.main" not in imported, path.name


def test_eval_modes_are_the_retrievers() -> None:
    assert evaluate.MODES == MODES  # kept as a literal so that parsing never imports the retriever


def test_docs_loads_no_model_library(fake_settings: Settings) -> None:
    build_index(fake_settings)
    code = (
        "import sys; from assistant.cli.main import main\n"
        f"main(['--corpus', {str(fake_settings.corpus_dir)!r}, '--index', {str(fake_settings.index_dir)!r},"
        " '--embedder', 'fake', 'docs'])\n"
        "print([m for m in ('torch', 'sentence_transformers', 'textual') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_stale_files_counts_each_changed_file_once(fake_settings: Settings) -> None:
    build_index(fake_settings)
    library = Library.open(fake_settings)
    corpus = fake_settings.corpus_dir
    assert docs.stale_files(fake_settings, library) == 0
    (corpus / "notes.txt").write_text("changed\n", encoding="utf-8")
    assert docs.stale_files(fake_settings, library) == 1
    (corpus / "new.md").write_text("# New\n\nadded\n", encoding="utf-8")
    (corpus / "rivers.csv").unlink()
    assert docs.stale_files(fake_settings, library) == 3


def test_docs_says_how_many_files_changed(capsys: pytest.CaptureFixture[str], fake_settings: Settings) -> None:
    build_index(fake_settings)
    (fake_settings.corpus_dir / "notes.txt").write_text("changed\n", encoding="utf-8")
    flags = ["--corpus", str(fake_settings.corpus_dir), "--index", str(fake_settings.index_dir), "--embedder", "fake"]
    assert main([*flags, "docs", "--json"]) == 0
    err = capsys.readouterr().err
    assert err == "mitra: 1 file(s) changed since the index was built: run `mitra index`\n"


def test_read_lines_splits_on_newlines_only(tmp_path: Path) -> None:
    path = tmp_path / "q.txt"
    path.write_bytes("a\x0cb\r\nc\u2028d\n\ne\x1c\x1d\x1ef".encode())
    assert read_lines(path) == ["a\x0cb", "c\u2028d", "", "e\x1c\x1d\x1ef"]
    path.write_bytes(b"")
    assert read_lines(path) == []


def test_language_names() -> None:
    assert language_name("id") == "Indonesian" and language_name("en", "id") == "Inggris"
    assert language_name("id", "id") == "Indonesia" and language_name("fr", "id") == "fr"


def test_a_quote_in_another_language_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    doc = Document("d", "d.md", "Laporan", DocType.STUDY, "0" * 64, DocStatus.INDEXED, language="id")
    passage = Passage(1, "d", 0, "Sungai itu bersih.", 0, 18)
    citation = Citation(1, "d", "Laporan", "Sungai itu bersih.", 0, 18, passage, 0.5, doc)
    ask.print_answer(console(), Answer("Is the river clean?", "Yes [1]", False, "en", (citation,)))
    assert "“Sungai itu bersih.” (quoted in Indonesian)" in capsys.readouterr().out


def test_an_indonesian_answer_names_its_offsets_and_timings_in_indonesian(capsys: pytest.CaptureFixture[str]) -> None:
    doc = Document("d", "d.md", "Laporan", DocType.STUDY, "0" * 64, DocStatus.INDEXED, language="id")
    passage = Passage(1, "d", 0, "Sungai itu bersih.", 0, 18)
    citation = Citation(1, "d", "Laporan", "Sungai itu bersih.", 0, 18, passage, 0.5, doc)
    answer = Answer("Apakah sungainya bersih?", "Ya [1]", False, "id", (citation,), timings_ms={"total": 9.0})
    ask.print_answer(console(), answer)
    out = capsys.readouterr().out
    assert "karakter 0–18 · skor 0.500" in out and "pencarian" in out
    assert "characters" not in out and "retrieval" not in out


def test_a_quote_read_by_ocr_is_marked_check_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    doc = Document("d", "d.pdf", "Perda", DocType.REGULATION, "0" * 64, DocStatus.INDEXED, language="id")
    passage = Passage(1, "d", 0, "Setiap orang wajib membatasi kantong plastik.", 0, 45, ocr_confidence=0.93)
    citation = Citation(1, "d", "Perda", passage.text, 0, 45, passage, 0.5, doc)
    ask.print_answer(console(), Answer("Plastic bags?", "Limit them [1]", False, "en", (citation,)))
    assert "OCR, check the page (confidence 0.93)" in capsys.readouterr().out
    clean = Passage(2, "d", 1, passage.text, 0, 45)
    ask.print_answer(
        console(),
        Answer(
            "Plastic bags?",
            "Limit them [1]",
            False,
            "en",
            (Citation(1, "d", "Perda", passage.text, 0, 45, clean, 0.5, doc),),
        ),
    )
    assert "OCR" not in capsys.readouterr().out


def test_from_a_folder_without_a_corpus_the_bundled_library_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MITRA_CORPUS_DIR", raising=False)
    monkeypatch.delenv("MITRA_INDEX_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    s = Settings()
    assert (s.corpus_dir, s.index_dir) == (CHECKOUT / "corpus", CHECKOUT / "index")
    given = Settings(corpus_dir=Path("mine"))  # a corpus of one's own: its index stays here
    assert (given.corpus_dir, given.index_dir) == (Path("mine"), Path("index"))
    (tmp_path / "corpus").mkdir()  # a folder with its own library keeps it
    assert (Settings().corpus_dir, Settings().index_dir) == (Path("corpus"), Path("index"))
