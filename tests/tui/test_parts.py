"""The app's plain parts without a running app: strings, state, rendering, backend helpers,
and the start-up promise (no torch before the first frame)."""

from __future__ import annotations

import json
import re
import string
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import cast

import pytest
from textual.binding import Binding
from textual.content import Content

from assistant.config import Settings
from assistant.index.library import Library
from assistant.ingest.loaders.pdf_loader import PdfLoader
from assistant.model import Answer, Citation, DocStatus, DocType, Document, Passage
from assistant.tui import controller, i18n, output, state
from assistant.tui.app import MitraApp
from assistant.tui.locations import evidence_locations
from assistant.tui.progress import stage_label, time_left
from assistant.tui.render import excerpt, section, target_content, where
from assistant.tui.screens.ask import AskScreen
from assistant.tui.screens.dialogs import ErrorDialog
from assistant.tui.screens.help import HelpScreen
from assistant.tui.screens.library import LibraryScreen, haystack
from assistant.tui.screens.reader import LineMap, ReaderScreen, _window, find_all, passage_at
from assistant.tui.state import History, Scope, Turn
from tests.fixtures.regulations import regulation_pdf

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
    assert where(manual[1], pdf_page=True) == "p. ii (PDF page 2)"  # the Reader's header
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


def test_the_reader_maps_screen_rows_to_document_offsets_through_wrapped_lines() -> None:
    long = " ".join(f"word{i}" for i in range(40))
    source = f"## Head\n{long}\n\nend"  # shown without the heading's "## "
    lines = LineMap.wrap(100, source, f"Head\n{long}\n\nend", width=20)
    wrapped = len(Content(long).wrap(20))
    assert wrapped > 5 and lines.rows == [0, 1, 1 + wrapped, 2 + wrapped, 3 + wrapped]
    end = 100 + source.index("end")
    assert lines.offset_at(0) == 100 and lines.offset_at(1) == 108 and lines.offset_at(2 + wrapped) == end
    assert 108 < lines.offset_at(3) < 108 + len(long)  # inside the wrapped line, in proportion
    assert lines.row_at(end) == 2 + wrapped and lines.row_at(108 + len(long) - 1) == wrapped
    assert lines.offset_at(-3) == 100 and lines.offset_at(999) == end + 3  # clamped at both ends


def test_the_passage_at_an_offset_is_the_last_that_starts_before_it(library: Library) -> None:
    manual = library.passages_of("manual")
    starts = [p.start for p in manual]
    assert passage_at(manual, starts, manual[3].start) is manual[3]
    assert passage_at(manual, starts, manual[3].start - 1) is manual[2]  # between pages: the one before
    assert passage_at(manual, starts, -1) is manual[0] and passage_at([], [], 5) is None


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
    assert turn is not None
    changed, job = c.dispatch()
    assert changed == [turn] and turn.status == "thinking"
    assert job is not None and job.question == "first?" and job.turn_id == turn.id
    assert c.dispatch()[1] is None  # one question at a time
    second = c.ask("second?")
    assert second is not None and c.dispatch() == ([], None) and second.status == "queued"  # behind the first
    assert c.ask("second?") is None and c.ask("first?") is None  # Enter pressed again: asked once
    c.answered(turn.id, Answer("first?", "", True, "en"))
    assert c.dispatch()[1].question == "second?"  # type: ignore[union-attr]
    c.answered(second.id, Answer("second?", "", True, "en"))
    warm = c.dispatch()[1]
    assert warm is not None and warm.turn_id == 0  # nothing asked: warm the engine up, once
    c.answering = None
    assert c.dispatch()[1] is None and made == [library]


class _OneRegulation:
    """What evidence_locations reads of a library: one regulation's text and record."""

    def __init__(self, doc: Document, text: str) -> None:
        self.doc, self._text = doc, text

    def text(self, doc_id: str) -> str:
        return self._text

    def document(self, doc_id: str) -> Document | None:
        return self.doc


def test_citations_of_a_regulation_show_the_pasal_and_ayat_everywhere(tmp_path: Path) -> None:
    loaded = PdfLoader().load(regulation_pdf(tmp_path / "perkot.pdf"))
    doc = Document(
        "r", "r.pdf", "Peraturan Kota Fiktif No. 7 Tahun 2030 tentang Pengelolaan Sampah Kota",
        DocType.REGULATION, "0" * 64, DocStatus.INDEXED,
    )  # fmt: skip
    start = loaded.text.index("mengawasi pemilahan sampah")
    block = next(b for b in loaded.blocks if b.start <= start < b.end)
    passage = Passage(1, "r", 0, loaded.text[block.start : block.end], block.start, block.end,
                      block.page, block.page_label, block.section)  # fmt: skip
    quote = "mengawasi pemilahan sampah"
    citation = Citation(1, "r", doc.title, quote, start, start + len(quote), passage, 0.9)  # no document: looked up
    answer = Answer("Apa tugas dinas?", "Mengawasi pemilahan [1].", False, "id", (citation,))
    library = cast(Library, _OneRegulation(doc, loaded.text))
    locations = evidence_locations(library, answer)
    assert dict(locations["[1]"]) == {
        "en": "Peraturan Kota Fiktif 7/2030, Pasal 3 ayat (1) huruf b, p. 6 (PDF page 2)",
        "id": "Peraturan Kota Fiktif 7/2030, Pasal 3 ayat (1) huruf b, hlm. 6 (halaman PDF 2)",
    }
    turn = Turn(1, answer.question, datetime(2026, 1, 1), answer=answer, locations=locations)
    (target,) = turn.evidence
    assert "Pasal 3 ayat (1) huruf b, p. 6" in target_content(target).plain
    assert "OCR" not in target_content(target).plain  # a text layer
    scanned = replace(passage, ocr_confidence=0.91)
    ocr_turn = Turn(1, answer.question, datetime(2026, 1, 1), locations=locations,
                    answer=replace(answer, citations=(replace(citation, passage=scanned),)))  # fmt: skip
    assert "OCR, check the page (confidence 0.91)" in target_content(ocr_turn.evidence[0]).plain
    i18n.set_language("id")
    try:
        assert "Pasal 3 ayat (1) huruf b, hlm. 6" in target_content(target).plain
        assert "OCR, periksa halamannya (keyakinan 0.91)" in target_content(ocr_turn.evidence[0]).plain
    finally:
        i18n.set_language("en")
    # The copied reference names the Pasal too, not only the page.
    assert output.reference(citation, library).endswith(
        "(Peraturan Kota Fiktif 7/2030, Pasal 3 ayat (1) huruf b, p. 6 (PDF page 2))"
    )


def test_every_build_stage_has_a_label_and_ocr_says_the_time_left() -> None:
    assert stage_label("scan", 3, 10, 1.0) == "Scanning the library folder"
    assert stage_label("read", 3, 10, 1.0) == "Reading documents"
    assert stage_label("documents", 1, 2, 1.0) == "Storing documents"
    assert stage_label("embed e5", 1, 2, 1.0) == "Embedding passages (e5)"
    assert stage_label("load minilm", 0, 1, 0.0) == "Loading model minilm"
    assert stage_label("ocr", 4, 16, 20.0) == "OCR: 4 of 16 pages · about 1 min left"  # 5 s a page, 12 to go
    assert stage_label("ocr", 0, 16, 0.0) == "OCR: 0 of 16 pages"  # no rate yet: no guess
    assert time_left(42) == "about 45 s left" and time_left(125) == "about 3 min left"
    i18n.set_language("id")
    try:
        assert stage_label("ocr", 15, 16, 75.0) == "OCR: 15 dari 16 halaman · sekitar 5 detik lagi"
    finally:
        i18n.set_language("en")


def test_the_ocr_time_left_is_measured_from_the_start_of_the_stage(settings: Settings) -> None:
    now = [datetime(2026, 1, 1, 12, 0, 0)]
    c = controller.Controller(settings, clock=lambda: now[0])
    c.start_index()
    c.index_progress("read", 0, 3)
    now[0] = now[0].replace(second=10)
    c.index_progress("ocr", 0, 10)  # the OCR stage begins at 12:00:10
    now[0] = now[0].replace(second=40)
    c.index_progress("ocr", 3, 10)  # 30 s for 3 pages: 70 s for the 7 left
    assert c.index_state is not None and c.index_state.stage == "OCR: 3 of 10 pages · about 2 min left"
    c.index_progress("pages", 5, 40)  # follows "documents": the label stays
    assert c.index_state.stage.startswith("OCR: 3 of 10") and c.index_state.done == 3


def test_the_library_filter_finds_revoked_and_transcribed_documents(library: Library) -> None:
    doc = library.document("agreement")
    assert doc is not None and "revoked" not in haystack(doc)
    noted = replace(doc, revoked_by="the 2020 renewal", ocr_transcript=True)
    assert "revoked" in haystack(noted) and "ocr transcription" in haystack(noted)
    # pages read by OCR (a warning) and a regulation's short name are found too
    scanned = replace(doc, warnings=("16 page(s) read by OCR (1, 2), mean confidence 0.99",))
    assert "ocr" in haystack(scanned) and "ocr" not in haystack(doc)
    regulation = replace(doc, type=DocType.REGULATION, title="Peraturan Menteri LH No. 11 Tahun 2025 tentang Baku Mutu")
    assert "11/2025" in haystack(regulation)


def test_the_status_bar_counts_readable_documents_and_names_the_unreadable(settings: Settings) -> None:
    from assistant.model import DocStatus, DocType, Document

    def doc(i: int, status: DocStatus) -> Document:
        return Document(f"d{i}", f"d{i}.pdf", f"Doc {i}", DocType.REGULATION, "0" * 64, status)

    class Shelf:
        def documents(self) -> list[Document]:
            return [doc(1, DocStatus.INDEXED), doc(2, DocStatus.FAILED), doc(3, DocStatus.PARTIAL)]

    c = controller.Controller(settings)
    c.library, c._passages = Shelf(), 12  # type: ignore[assignment]
    text = c.status_parts()[0][0]
    assert text == "2 documents · 12 passages · 1 unreadable"


def test_a_cut_regulation_title_starts_with_its_short_name() -> None:
    from assistant.model import DocStatus, DocType, Document
    from assistant.tui.screens.library import row_title

    title = "Peraturan Menteri LH/Kepala BPLH No. 11 Tahun 2025 tentang Baku Mutu Air Limbah Domestik"
    doc = Document("permenlh-11-2025", "p.pdf", title, DocType.REGULATION, "0" * 64, DocStatus.INDEXED)
    assert row_title(doc, 24).startswith("Permen LH/Kepala BPLH 11/2025 · Peraturan")
    assert row_title(doc, 120) == title  # it fits: as written
    assert row_title(doc, 50) == title  # the part shown gives its number: "... No. 11 Tahun 2025 ten…"
    study = Document(
        "s", "s.md", "A very long study title about the cooperation", DocType.STUDY, "0" * 64, DocStatus.INDEXED
    )
    assert row_title(study, 12) == study.title  # no short name


def test_a_short_filter_word_matches_whole_words() -> None:
    from assistant.model import DocStatus, DocType, Document
    from assistant.tui.screens.library import matches

    english = Document(
        "a", "a.md", "Environmental cooperation", DocType.STUDY, "0" * 64, DocStatus.INDEXED, language="en"
    )
    indonesian = Document(
        "b", "b.md", "Pengelolaan lingkungan", DocType.STUDY, "0" * 64, DocStatus.INDEXED, language="id"
    )
    assert matches(english, ["en"]) and not matches(indonesian, ["en"])
    assert matches(indonesian, ["lingkung"])  # longer words match inside words, as before


def test_the_place_a_go_to_names() -> None:
    from assistant.model import Passage
    from assistant.tui.screens.reader import place

    def p(i: int, section: str, page: int) -> Passage:
        return Passage(i, "uu", i, "x", i * 10, i * 10 + 5, page=page, section=section)

    passages = [
        p(1, "BAB I > Pasal 13", 9),
        p(2, "BAB I > Pasal 13A", 9),
        p(3, "BAB II > Pasal 44", 23),
        p(4, "Penjelasan > Pasal 44", 30),
    ]
    assert place(passages, "44") is passages[2]  # the Pasal, not its Penjelasan
    assert place(passages, "pasal 13a") is passages[1]
    assert place(passages, "hlm 30") is passages[3]
    assert place(passages, "Pasal 99") is None
    assert place(passages, "9") is None  # a bare number is a Pasal where there are Pasal
    pages = [Passage(5, "s", 0, "x", 0, 5, page=1), Passage(6, "s", 1, "x", 5, 10, page=2)]
    assert place(pages, "2") is pages[1]  # and a page where there are none
    rows = [Passage(7, "t", 0, "x", 0, 5, rows="1-12"), Passage(8, "t", 1, "x", 5, 10, rows="13-20")]
    assert place(rows, "13") is rows[1] and place(rows, "baris 12") is rows[0]  # a table's row
    assert place(rows, "row 21") is None and place(rows, "hlm 2") is None


def test_find_reads_any_case_across_line_breaks_and_numbers_whole() -> None:
    text = "Pasal 1\nisi.\nPasal 10 dan pasal\n1 lagi; halaman 12, hlm 2."
    assert [text[a:b] for a, b in find_all(text, "pasal 1")] == ["Pasal 1", "pasal\n1"]
    assert [text[a:b] for a, b in find_all(text, "Pasal 10")] == ["Pasal 10"]
    assert [text[a:b] for a, b in find_all(text, "asal")] == ["asal", "asal", "asal"]  # words: any part
    assert find_all(text, "hlm 1") == [] and find_all(text, "   ") == []


def test_a_rows_excerpt_leads_with_the_quoted_row(library: Library) -> None:
    # at 80x24 the rows before the quoted one pushed it out of the evidence panel
    text = library.text("rivers")
    passage = library.passages_of("rivers")[0]
    start = text.index("Row 3:", passage.start)
    end = passage.end
    content = excerpt(passage, start, end)
    assert content.plain.startswith("…") and "Sungai Alfa" not in content.plain and "Gamma" in content.plain


def test_a_copied_citation_of_a_revoked_regulation_says_it_is_revoked(settings: Settings, library: Library) -> None:
    doc = library.document("agreement")
    passage = next(iter(library.passages_of("agreement")))
    assert doc is not None
    c = controller.Controller(settings, library=library, embedders={})
    quote = passage.text[:40]
    cited = Citation(1, doc.id, doc.title, quote, passage.start, passage.start + 40, passage, 1.0, doc)
    in_force = c.reference_of(state.Target.of_citation(cited))
    assert in_force is not None and in_force.startswith("“") and "revoked" not in in_force
    revoked = replace(doc, revoked_by="PermenLH 11/2025, Pasal 14")
    copied = c.reference_of(state.Target.of_citation(replace(cited, document=revoked)))
    assert copied == f"{in_force} [revoked by PermenLH 11/2025, Pasal 14]"


def test_questions_asked_are_recalled_in_the_next_session(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "conf" / "tui.json"
    output.save_prefs(path, {"ui_language": "id"})
    first = controller.Controller(settings, prefs_path=path)
    first.ask("Kapan MoU ditandatangani?")
    first.ask("What is KangPisMan?")
    output.save_prefs(path, {"theme": "textual-light"})  # the app's own preferences keep the history
    later = controller.Controller(settings, prefs_path=path)
    assert later.history.older("") == "What is KangPisMan?" and later.history.older("") == "Kapan MoU ditandatangani?"
    assert output.load_prefs(path)["ui_language"] == "id"
    path.write_text('{"history": ["ok", 3, null]}')  # a damaged file: what can be read of it
    assert output.load_history(path) == ["ok"] and controller.Controller(settings).history.items == []
