"""Every command fails with one line on stderr and a non-zero exit, never a traceback; bad
arguments and question files are refused clearly (issue 12, item 9)."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from assistant.cli.main import main
from assistant.config import Settings
from assistant.errors import IndexBusyError


def _flags(settings: Settings) -> list[str]:
    return ["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir), "--embedder", "fake"]


def _run(capsys: pytest.CaptureFixture[str], settings: Settings, *args: str) -> tuple[int, str, str]:
    code = main([*_flags(settings), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("mitra: error: "), err
    assert "Traceback" not in err
    return err


@pytest.fixture
def indexed(capsys: pytest.CaptureFixture[str], fake_settings: Settings) -> Settings:
    assert _run(capsys, fake_settings, "index")[0] == 0
    return fake_settings


@pytest.mark.parametrize("command", ["search", "ask", "shell"])
@pytest.mark.parametrize("k", ["0", "-1"])
def test_k_below_one_is_refused(capsys: pytest.CaptureFixture[str], indexed: Settings, command: str, k: str) -> None:
    code, out, err = _run(capsys, indexed, command, *(["river"] if command != "shell" else []), "-k", k)
    assert code == 2 and out == ""
    assert f"-k {k} is not a number of passages" in _one_line(err)


@pytest.mark.parametrize("command", ["search", "ask", "eval"])
def test_a_binary_question_file_is_refused(
    capsys: pytest.CaptureFixture[str], indexed: Settings, tmp_path: Path, command: str
) -> None:
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    args = ["eval", str(binary)] if command == "eval" else [command, "--file", str(binary)]
    code, out, err = _run(capsys, indexed, *args)
    assert code == 2 and out == ""
    assert "image.png is not a text file" in _one_line(err)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Où est la rivière ?\n".encode("latin-1"))
    args = ["eval", str(latin1)] if command == "eval" else [command, "--file", str(latin1)]
    code, _, err = _run(capsys, indexed, *args)
    assert code == 2 and "latin1.txt is not UTF-8 text" in _one_line(err)


def test_search_file_lines_are_split_on_newlines_only(
    capsys: pytest.CaptureFixture[str], indexed: Settings, tmp_path: Path
) -> None:
    queries = tmp_path / "q.txt"
    # a form feed, a vertical tab, a line separator, a NEL and a CRLF: five lines, not nine
    queries.write_bytes("compost\x0cFriday\nSungai\x0bBeta\nriver\u2028care\r\nfund\x85x\n\n".encode())
    code, out, err = _run(capsys, indexed, "search", "--file", str(queries), "-k", "1")
    assert code == 0, err
    lines = out.split("\n")
    assert lines[-1] == "" and len(lines) == 6  # one JSON list per input line, the blank one []
    assert [len(json.loads(line)) for line in lines[:-1]] == [1, 1, 1, 1, 0]
    assert json.loads(lines[1])[0]["doc_id"] == "rivers"


def test_search_file_with_a_bom_and_no_final_newline(
    capsys: pytest.CaptureFixture[str], indexed: Settings, tmp_path: Path
) -> None:
    queries = tmp_path / "q.txt"
    queries.write_bytes(b"\xef\xbb\xbfSungai Beta\r\ncompost Friday")
    code, out, _ = _run(capsys, indexed, "search", "--file", str(queries), "-k", "1")
    first, second = (json.loads(line) for line in out.splitlines())
    assert code == 0 and first[0]["doc_id"] == "rivers" and second[0]["doc_id"] == "notes"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["docs"], "no index"),
        (["search", "river"], "no index"),
        (["ask", "river?"], "no index"),
        (["eval", "missing.jsonl"], "cannot read missing.jsonl"),
        (["search"], "no query given"),
        (["ask"], "no question given"),
        (["search", "--file", "missing.txt"], "cannot read missing.txt"),
    ],
)
def test_user_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], fake_settings: Settings, args: list[str], expected: str
) -> None:
    code, out, err = _run(capsys, fake_settings, *args)
    assert code == 2 and out == ""
    assert expected in _one_line(err)


@pytest.mark.parametrize("command", [["index"], ["shell"]])
def test_a_missing_corpus_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]) -> None:
    code = main(["--corpus", str(tmp_path / "nope"), "--index", str(tmp_path / "i"), "--embedder", "fake", *command])
    err = capsys.readouterr().err
    assert code == 2 and "does not exist" in _one_line(err)


def test_a_busy_index_is_one_line(
    capsys: pytest.CaptureFixture[str], fake_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def busy(*args: object, **kwargs: object) -> None:
        raise IndexBusyError("another mitra is building /x/index", "wait for it to finish")

    monkeypatch.setattr("assistant.index.build.build_index", busy)
    code, _, err = _run(capsys, fake_settings, "index")
    assert code == 2 and _one_line(err) == "mitra: error: another mitra is building /x/index — wait for it to finish\n"


def test_a_malformed_environment_variable_is_one_line(
    capsys: pytest.CaptureFixture[str], fake_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MITRA_WORKERS", "two")
    code, _, err = _run(capsys, fake_settings, "docs")
    assert code == 2 and "MITRA_WORKERS" in _one_line(err)
    monkeypatch.delenv("MITRA_WORKERS")
    monkeypatch.setenv("MITRA_CHUNK_TARGET_WORDS", "many")
    code, _, err = _run(capsys, fake_settings, "index")
    assert code == 2 and "MITRA_CHUNK_TARGET_WORDS" in _one_line(err)


def test_an_unexpected_error_is_one_line_naming_it(
    capsys: pytest.CaptureFixture[str], indexed: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the vectors are\nmissing \x1b[2J")

    monkeypatch.setattr("assistant.search.retriever.Retriever.search", broken)
    code, out, err = _run(capsys, indexed, "search", "river")
    assert code == 1 and out == ""
    line = _one_line(err)
    assert "search failed: RuntimeError: the vectors are missing ␛[2J" in line and "MITRA_DEBUG=1" in line
    monkeypatch.setenv("MITRA_DEBUG", "1")
    code, _, err = _run(capsys, indexed, "search", "river")
    assert code == 1 and "Traceback (most recent call last)" in err and "RuntimeError" in err
    assert err.splitlines()[-1].startswith("mitra: error: search failed: RuntimeError")


def test_an_os_error_names_the_file(
    capsys: pytest.CaptureFixture[str], fake_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", "/ro/index/.lock")

    monkeypatch.setattr("assistant.index.build.build_index", read_only)
    code, _, err = _run(capsys, fake_settings, "index")
    assert code == 1 and "index failed: /ro/index/.lock: Permission denied" in _one_line(err)


def test_the_app_failing_to_start_is_one_line(
    capsys: pytest.CaptureFixture[str], fake_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_terminal(settings: Settings) -> int:
        raise ValueError("no terminal")

    # a stand-in for the app module: tests/unit never import Textual
    monkeypatch.setitem(sys.modules, "assistant.tui.app", types.SimpleNamespace(run=no_terminal))
    code, _, err = _run(capsys, fake_settings, "tui")
    assert code == 1 and "tui failed: ValueError: no terminal" in _one_line(err)


def test_export_flags_with_a_file_are_refused(
    capsys: pytest.CaptureFixture[str], indexed: Settings, tmp_path: Path
) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text("river?\n", encoding="utf-8")
    code, _, err = _run(capsys, indexed, "ask", "--file", str(questions), "--export", str(tmp_path / "b.md"))
    assert code == 2 and "--export and --bibtex take a single question" in _one_line(err)
