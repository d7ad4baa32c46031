"""Hostile documents through every command: escape sequences are shown, never obeyed; Rich
markup in text, titles and paths is shown as written and never crashes; JSON keeps the exact
text (issue 12, items 1 and 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli.main import main
from assistant.cli.output import dumps

# An OSC title change, a screen clear, an OSC 52 clipboard write, an 8-bit CSI (U+009B) and a
# right-to-left override; Rich markup that would close nothing, blink, or become an emoji.
ESCAPES = "\x1b]0;pwned\x1b\\ \x1b[2J \x1b]52;c;aGVsbG8=\x07 \x9b31m \u202egnp.exe"
MARKUP = "[/] [blink]x[/blink] [bold red]loud[/] :warning:"
EVIL_MD = f"""# Evil {MARKUP} title

The river warden reads {MARKUP} and {ESCAPES} about river care and compost.
"""
CATALOG = """
[[document]]
path = "evil.md"
id = "evil"
title = "Evil [/] [blink]title[/blink] \\u001b]0;t\\u001b\\\\"
language = "\\u001b[31men"
type = "study"
year = 2020
"""
ODD_PATH = "we[/]ird [bold]name.txt"  # a folder `we[` holding `]ird [bold]name.txt`
TERMINAL_CONTROLS = ("\x1b", "\x9b", "\x07", "\u202e")


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Global flags for a tiny corpus of hostile files, with the index not built yet."""
    monkeypatch.setenv("COLUMNS", "300")  # Rich wraps at the width: keep each line whole
    corpus = tmp_path / "corpus"
    (corpus / "we[").mkdir(parents=True)
    (corpus / "evil.md").write_text(EVIL_MD, encoding="utf-8")
    (corpus / "catalog.toml").write_text(CATALOG, encoding="utf-8")
    (corpus / ODD_PATH).write_text(f"Field notes on river water {MARKUP} and compost.\n", encoding="utf-8")
    (corpus / "bin[").mkdir()
    (corpus / "bin[/]junk [red].txt").write_bytes(b"\x00\x01\x02\xff\xfe\x00 [/] \x1b[2J")
    return ["--corpus", str(corpus), "--index", str(tmp_path / "index"), "--embedder", "fake"]


def _run(capsys: pytest.CaptureFixture[str], flags: list[str], *args: str) -> tuple[int, str, str]:
    code = main([*flags, *args])
    out, err = capsys.readouterr()
    return code, out, err


def _assert_safe(text: str) -> None:
    for ch in TERMINAL_CONTROLS:
        assert ch not in text, f"{ch!r} reached the terminal"


def test_index_with_markup_in_paths_does_not_crash(capsys: pytest.CaptureFixture[str], hostile: list[str]) -> None:
    code, out, err = _run(capsys, hostile, "index")
    assert code == 0, err
    assert "bin[/]junk [red].txt" in out  # the skipped file, named as it is
    _assert_safe(out + err)


def test_search_shows_markup_and_escapes_as_written(capsys: pytest.CaptureFixture[str], hostile: list[str]) -> None:
    _run(capsys, hostile, "index")
    code, out, err = _run(capsys, hostile, "search", "river warden compost", "-k", "3")
    assert code == 0, err
    assert MARKUP in out  # "[/]" did not crash, "[blink]" is not styling, ":warning:" no emoji
    assert "Evil [/] [blink]title[/blink] ␛]0;t␛\\" in out  # the catalogue title
    assert "␛]0;pwned␛\\ ␛[2J ␛]52;c;aGVsbG8=␇ <U+009B>31m <U+202E>gnp.exe" in out
    assert "]ird [bold]name" in out  # a title taken from the odd file name
    _assert_safe(out + err)


def test_search_json_keeps_the_exact_text(capsys: pytest.CaptureFixture[str], hostile: list[str]) -> None:
    _run(capsys, hostile, "index")
    code, out, _ = _run(capsys, hostile, "search", "river warden compost", "-k", "3", "--json")
    assert code == 0
    hits = {h["doc_id"]: h for h in json.loads(out)}
    assert ESCAPES in hits["evil"]["text"] and MARKUP in hits["evil"]["text"]
    assert hits["evil"]["title"] == "Evil [/] [blink]title[/blink] \x1b]0;t\x1b\\"
    assert "\\u001b]0;pwned" in out and "\\u009b" in out and "\\u202e" in out
    _assert_safe(out)


def test_json_escapes_every_control_character() -> None:
    record = {"t": "a\x1bb\x07c\x7fd\x9be\u202ef\u2028g é ü 日本"}
    text = dumps(record)
    assert json.loads(text) == record
    assert "\\u001b" in text and "\\u0007" in text and "\\u007f" in text and "\\u009b" in text
    assert "é ü 日本" in text  # readable non-ASCII text stays as it is
    _assert_safe(text)


def test_docs_shows_ids_languages_and_notes_safely(capsys: pytest.CaptureFixture[str], hostile: list[str]) -> None:
    _run(capsys, hostile, "index")
    code, out, err = _run(capsys, hostile, "docs")
    assert code == 0, err
    assert "␛[31men" in out  # the catalogue's language field, shown not obeyed
    _assert_safe(out + err)
    code, out, _ = _run(capsys, hostile, "docs", "--json")
    docs = {d["id"]: d for d in json.loads(out)}
    assert docs["evil"]["language"] == "\x1b[31men"
    _assert_safe(out)


def test_ask_shows_quotes_and_nearest_passages_safely(capsys: pytest.CaptureFixture[str], hostile: list[str]) -> None:
    _run(capsys, hostile, "index")
    for question in ("What does the river warden read about compost?", "Who won the 1998 football cup?"):
        code, out, err = _run(capsys, hostile, "ask", question, "--doc-lang", "\x1b[31men")
        assert code == 0, err
        _assert_safe(out + err)
    code, out, _ = _run(capsys, hostile, "ask", "What does the river warden read about compost?")
    assert code == 0
    assert "[/]" in out and "[blink]" in out
    _assert_safe(out)


def test_ask_question_from_a_file_is_shown_safely(
    capsys: pytest.CaptureFixture[str], hostile: list[str], tmp_path: Path
) -> None:
    _run(capsys, hostile, "index")
    questions = tmp_path / "q.txt"
    questions.write_text("What does the \x1b[2J river [/] warden read?\n", encoding="utf-8")
    code, out, err = _run(capsys, hostile, "ask", "--file", str(questions))
    assert code == 0, err
    assert "␛[2J river [/] warden" in out
    _assert_safe(out + err)


def test_eval_shows_group_names_safely(capsys: pytest.CaptureFixture[str], hostile: list[str], tmp_path: Path) -> None:
    _run(capsys, hostile, "index")
    qs = tmp_path / "q[red]s.jsonl"
    row = {"id": "1", "question": "river warden", "kind": "[/]\x1b[2J", "gold": [{"doc_id": "evil", "quote": "warden"}]}
    qs.write_text(json.dumps(row) + "\n", encoding="utf-8")
    code, out, err = _run(capsys, hostile, "eval", str(qs), "--mode", "bm25")
    assert code == 0, err
    assert "kind:[/]␛[2J" in out and "q[red]s.jsonl" in out
    _assert_safe(out + err)


def test_shell_shows_hits_safely(
    capsys: pytest.CaptureFixture[str], hostile: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = iter(["river warden compost", ""])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(typed))
    code, out, err = _run(capsys, hostile, "shell")
    assert code == 0, err
    assert MARKUP in out and "bin[/]junk [red].txt" in out  # the hits, and the skipped file
    _assert_safe(out + err)


def test_a_skipped_file_is_named_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "notes.md").write_text("# Notes\n\nField notes on river water and compost.\n", encoding="utf-8")
    (corpus / "kosong.pdf").write_bytes(b"")
    flags = ["--corpus", str(corpus), "--index", str(tmp_path / "index"), "--embedder", "fake"]
    code, out, err = _run(capsys, flags, "index")
    assert code == 0, err
    line = next(x for x in out.splitlines() if "kosong.pdf" in x)
    assert line.count("kosong.pdf") == 1 and "empty" in line
