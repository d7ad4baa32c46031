"""The app's plain parts without a running app: strings, state, rendering, backend helpers,
and the start-up promise (no torch before the first frame)."""

from __future__ import annotations

import json
import re
import string
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from textual.binding import Binding

from assistant.config import Settings
from assistant.index.library import Library
from assistant.model import Answer, DocType
from assistant.tui import controller, i18n, output
from assistant.tui.app import MitraApp
from assistant.tui.render import excerpt, section, where
from assistant.tui.screens.ask import AskScreen
from assistant.tui.screens.dialogs import ErrorDialog
from assistant.tui.screens.help import HelpScreen
from assistant.tui.screens.library import LibraryScreen
from assistant.tui.screens.reader import ReaderScreen, _window
from assistant.tui.state import History, Scope

REPO = Path(__file__).resolve().parents[2]


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_string_exists_in_both_languages_with_the_same_placeholders() -> None:
    for key, (en, idn) in i18n.STRINGS.items():
        assert en.strip() and idn.strip(), key
        assert fields(en) == fields(idn), key
    assert set(i18n.HELP) == {"en", "id"}
    # The help names the same keys, in the same order, in both languages.
    keys = [re.findall(r"\*\*([^*]+)\*\*", i18n.HELP[lang]) for lang in ("en", "id")]
    keys = [[k for k in ks if re.fullmatch(r"[A-Z][\w+]*|[a-z]|[↑↓]|Shift\+Tab|Tab|Esc|Enter", k)] for ks in keys]
    assert keys[0] == keys[1] and "Ctrl+S" in keys[0]


def test_every_shown_binding_has_a_translated_description() -> None:
    for owner in (MitraApp, AskScreen, ReaderScreen, LibraryScreen, HelpScreen, ErrorDialog):
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.show:
                assert binding.description in i18n.STRINGS, (owner.__name__, binding.key)


def test_interface_language_comes_from_the_argument_then_the_environment() -> None:
    assert i18n.initial_language("id", {}) == "id"
    assert i18n.initial_language(None, {"MITRA_UI_LANGUAGE": "id"}) == "id"
    assert i18n.initial_language(None, {"LANG": "id_ID.UTF-8"}) == "id"
    assert i18n.initial_language(None, {"LANG": "fr_FR.UTF-8"}) == "en"
    assert i18n.initial_language("xx", {}) == "en"


def test_history_walks_back_and_returns_to_the_draft() -> None:
    h = History()
    for q in ("a", "b", "b"):
        h.add(q)
    assert h.items == ["a", "b"]
    assert h.older("draft") == "b" and h.older("b") == "a" and h.older("a") is None
    assert h.newer() == "b" and h.newer() == "draft" and h.newer() is None


def test_scope_cycles_through_what_the_library_has() -> None:
    s = Scope()
    assert s.filters is None
    s = s.next_type([DocType.STUDY, DocType.DATA])
    assert s.type is DocType.STUDY and s.filters is not None and s.filters.types == {DocType.STUDY}
    s = s.next_type([DocType.STUDY, DocType.DATA]).next_type([DocType.STUDY, DocType.DATA])
    assert s.type is None
    assert Scope().next_answer_language().next_answer_language().answer_language == "id"


def test_excerpt_highlights_exactly_the_quote_and_trims_long_passages(library: Library) -> None:
    text = library.text("long")
    passage = next(p for p in library.passages_of("long") if "clean-up target" in p.text)
    start = text.index("The river clean-up")
    end = start + len("The river clean-up target is 75 tonnes of waste by 2030.")
    content = excerpt(passage, start, end, limit=80)
    quoted = [content.plain[s.start : s.end] for s in content.spans if "warning" in str(s.style)]
    assert quoted == [text[start:end]]
    assert len(content.plain) <= 80 + 2


def test_where_prefers_page_labels_then_rows_then_the_section(library: Library) -> None:
    manual = library.passages_of("manual")
    assert where(manual[1]) == "p. ii"
    rivers = library.passages_of("rivers")[0]
    assert where(rivers).startswith("rows ")
    assert section("Report > Part 2 > Funding", "Report") == "Part 2 > Funding"
    assert section("Report > Part 2 > Funding", "Report", last=True) == "Funding"


def test_reader_window_cuts_very_long_documents_at_line_ends() -> None:
    text = "\n".join(f"line {i}" for i in range(60_000))
    a = text.index("line 30000")
    lo, hi = _window(text, a, a + 10)
    assert 0 < lo < a < hi < len(text)
    assert text[lo - 1] == "\n" and text[hi] == "\n"
    assert _window("short", 0, 5) == (0, 5)


def test_stale_files_counts_added_changed_and_removed(settings: Settings, library: Library) -> None:
    assert controller.stale_files(settings, library) == 0
    (settings.corpus_dir / "new.txt").write_text("A new file about river care.\n")
    (settings.corpus_dir / "notes.txt").write_text("Changed notes.\n")
    (settings.corpus_dir / "rivers.csv").unlink()
    assert controller.stale_files(settings, library) == 3


def test_brief_paths_never_overwrite(tmp_path: Path) -> None:
    answer = Answer("When was the MoU signed?", "In 2016 [1].", False, "en")
    now = datetime(2025, 3, 14, 9, 30)
    first = output.brief_path(tmp_path, answer, now)
    assert first.name == "brief-20250314-0930-when-was-the-mou-signed.md"
    first.write_text("x")
    assert output.brief_path(tmp_path, answer, now).name.endswith("-2.md")


def test_preferences_round_trip_and_survive_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "tui.json"
    assert output.load_prefs(path) == {}
    output.save_prefs(path, {"ui_language": "id", "theme": "textual-light"})
    assert output.load_prefs(path) == {"ui_language": "id", "theme": "textual-light"}
    path.write_text("{not json")
    assert output.load_prefs(path) == {}
    output.save_prefs(None, {"ui_language": "id"})  # no file: nothing happens


PROBE = """
import json, sys
from pathlib import Path
from assistant.config import Settings
from assistant.tui.app import MitraApp
from assistant.tui.controller import Controller

class Probe(MitraApp):
    def on_ready(self) -> None:
        print(json.dumps({"heavy": sorted(m for m in ("torch", "sentence_transformers", "transformers")
                                           if m in sys.modules)}), flush=True)
        self.exit()

settings = Settings(corpus_dir=Path("corpus"), index_dir=Path("index"), embedders=("fake",))
Probe(Controller(settings), language="en").run(headless=True)
"""


@pytest.mark.slow
def test_the_first_frame_comes_before_any_model_library_is_imported(workdir: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=workdir,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(workdir)},
        check=False,
    )
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("{")), None)
    assert line is not None, out.stderr[-2000:]
    assert json.loads(line)["heavy"] == []


def test_a_build_asked_for_while_the_models_load_waits_for_them_and_can_be_dropped(settings: Settings) -> None:
    c = controller.Controller(settings)
    c.models_loading = True
    assert c.start_index(rebuild=True) == "wait" and c.index_state is not None
    assert c.start_index() == "busy"
    assert c.models_ready({}) is True  # the waiting build runs now, with its `rebuild`
    c.index_ended()
    c.models_loading = True
    assert c.start_index() == "wait"
    assert c.cancel_index() == "dropped" and c.index_state is None
    assert c.models_ready({}) is None and c.cancel_index() == "none"


def test_the_engine_is_warmed_up_before_the_first_question_and_questions_wait_their_turn(
    settings: Settings, library: Library
) -> None:
    made: list[Library] = []

    class Engine:
        def __init__(self, lib: Library) -> None:
            made.append(lib)

        def answer(self, question: str, **_: object) -> Answer:
            return Answer(question, "", True, "en")

        def warm_up(self) -> None:
            pass

    c = controller.Controller(settings, library=library, embedders={}, engine=Engine)
    turn = c.ask("first?")
    changed, job = c.dispatch()
    assert changed == [turn] and turn.status == "thinking"
    assert job is not None and job.question == "first?" and job.turn_id == turn.id
    assert c.dispatch()[1] is None  # one question at a time
    second = c.ask("second?")
    assert c.dispatch() == ([], None) and second.status == "queued"  # behind the first
    c.answered(turn.id, Answer("first?", "", True, "en"))
    assert c.dispatch()[1].question == "second?"  # type: ignore[union-attr]
    c.answered(second.id, Answer("second?", "", True, "en"))
    warm = c.dispatch()[1]
    assert warm is not None and warm.turn_id == 0  # nothing asked: warm the engine up, once
    c.answering = None
    assert c.dispatch()[1] is None and made == [library]
