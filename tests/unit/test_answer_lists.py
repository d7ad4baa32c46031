"""A regulation's list answers whole: the ayat a chosen ayat's successor elaborates with a
list, and a list's short items, quoted as one verified span (answer.extend.complete_lists)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from assistant.answer import AnswerEngine
from assistant.answer.extend import (
    _refers_back,
    article_quotes,
    brings_list,
    complete_lists,
    holds,
    lead_in_only,
    with_table_heads,
)
from assistant.answer.matching import Candidate, passage_units
from assistant.answer.parameters import parameter_rows
from assistant.answer.select import choose
from assistant.config import Settings
from assistant.index.build import build_index
from assistant.index.library import Library
from assistant.model import Hit, Passage
from tests.conftest import built_library

TEXT = """PERATURAN KOTA FIKTIF NOMOR 3 TAHUN 2031 TENTANG SAMPAH (synthetic test fixture)

Pasal 32

(1) Wali kota dapat menerapkan sanksi administratif kepada pengelola sampah yang melanggar ketentuan perizinan.

(2) Sanksi administratif sebagaimana dimaksud pada ayat (1) dapat berupa:
a. paksaan pemerintahan;
b. uang paksa; dan/atau
c. pencabutan izin.

(3) Ketentuan lebih lanjut mengenai sanksi diatur dengan peraturan wali kota.

Pasal 33

(1) Pengelola sampah wajib melapor setiap tahun kepada wali kota.

(2) Laporan tahunan dikirim paling lambat bulan Maret.

Pasal 34

(1) Besaran retribusi bulanan setiap pengelola dihitung sebagai berikut:

R = T x V

(2) Retribusi dibayar setiap bulan kepada kas daerah.
"""


def _library(tmp_path: Path) -> Library:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "perkot-3-2031.txt").write_text(TEXT, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedders=("fake",))
    build_index(settings)
    return Library.open(settings)


def _unit(library: Library, starts: str) -> Candidate:
    (doc,) = library.documents()
    text = library.text(doc.id)
    for p in library.passages_of(doc.id):
        for a, b in passage_units(text, p):
            if text[a:b].startswith(starts):
                return Candidate(Hit(p, 1.0, {}, doc), a, b, text[a:b])
    raise AssertionError(starts)


def test_an_ayat_brings_the_next_ayat_that_lists_what_it_means(tmp_path: Path) -> None:
    library = _library(tmp_path)
    texts = {d.id: library.text(d.id) for d in library.documents()}
    first = _unit(library, "(1) Wali kota dapat menerapkan")
    out = complete_lists(library, [first], texts, limit=4)
    assert len(out) == 2 and out[0] is first
    quote = texts[out[1].hit.passage.doc_id][out[1].start : out[1].end]
    assert quote.startswith("(2) Sanksi administratif") and quote.endswith("c. pencabutan izin.")
    assert "(3)" not in quote and quote in out[1].hit.passage.text  # within one stored passage


def test_a_list_announced_by_the_chosen_unit_is_quoted_with_all_its_items(tmp_path: Path) -> None:
    library = _library(tmp_path)
    texts = {d.id: library.text(d.id) for d in library.documents()}
    intro = _unit(library, "(2) Sanksi administratif")
    (whole,) = complete_lists(library, [intro], texts, limit=4)  # the intro is inside the list's quote
    assert whole.start == intro.start
    assert texts[whole.hit.passage.doc_id][whole.start : whole.end].endswith("c. pencabutan izin.")


def test_an_item_chosen_alone_is_quoted_as_its_list_from_its_lead_in(tmp_path: Path) -> None:
    library = _library(tmp_path)
    texts = {d.id: library.text(d.id) for d in library.documents()}
    item = _unit(library, "b. uang paksa")
    (whole,) = complete_lists(library, [item], texts, limit=4)
    quote = texts[whole.hit.passage.doc_id][whole.start : whole.end]
    assert quote.startswith("(2) Sanksi administratif") and quote.endswith("c. pencabutan izin.")
    # a numbered line that follows no announcing sentence stays as it is
    formula = _unit(library, "(2) Retribusi dibayar")
    assert complete_lists(library, [formula], texts, limit=4) == [formula]


def test_an_ayat_without_an_elaborating_list_brings_nothing(tmp_path: Path) -> None:
    library = _library(tmp_path)
    texts = {d.id: library.text(d.id) for d in library.documents()}
    for starts in ("(1) Pengelola sampah wajib", "(3) Ketentuan lebih lanjut"):
        unit = _unit(library, starts)
        assert complete_lists(library, [unit], texts, limit=4) == [unit]
    first = _unit(library, "(1) Wali kota dapat menerapkan")
    assert complete_lists(library, [first], texts, limit=1) == [first]  # no room


def test_a_list_reached_twice_is_quoted_once(tmp_path: Path) -> None:
    # the list's intro and the ayat it elaborates both chosen: one quote of the list
    library = _library(tmp_path)
    texts = {d.id: library.text(d.id) for d in library.documents()}
    intro, first = _unit(library, "(2) Sanksi administratif"), _unit(library, "(1) Wali kota dapat menerapkan")
    out = complete_lists(library, [intro, first], texts, limit=4)
    assert len(out) == 2 and {(c.start, c.end) for c in out} == {(first.start, first.end), (intro.start, out[0].end)}


def test_a_list_takes_the_place_of_the_best_unit_it_holds(tmp_path: Path) -> None:
    library = _library(tmp_path)
    texts = {d.id: library.text(d.id) for d in library.documents()}
    item = _unit(library, "a. paksaan pemerintahan")  # the best, inside the list
    other, intro = _unit(library, "(1) Pengelola sampah wajib"), _unit(library, "(2) Sanksi administratif")
    out = complete_lists(library, [item, other, intro], texts, limit=4)
    assert holds(out[0], item) and out[0].start == intro.start  # the list leads, where its item was
    assert out[1:] == [other]
    (cut,) = complete_lists(library, [item, other, intro], texts, limit=1)  # the best kept when cut
    assert (cut.start, cut.end) == (out[0].start, out[0].end)


def test_a_lead_in_whose_formula_is_not_quoted_is_left_out_unless_it_is_all(tmp_path: Path) -> None:
    library = _library(tmp_path)
    texts = {d.id: library.text(d.id) for d in library.documents()}
    lead, other = _unit(library, "(1) Besaran retribusi"), _unit(library, "(2) Retribusi dibayar")
    assert lead_in_only(library, lead, texts)
    assert not lead_in_only(library, _unit(library, "(2) Sanksi administratif"), texts)  # brings its list
    assert not lead_in_only(library, other, texts)
    assert complete_lists(library, [other, lead], texts, limit=4) == [other]
    assert complete_lists(library, [lead, other], texts, limit=4) == [other]
    assert complete_lists(library, [lead], texts, limit=4) == [lead]  # all there is
    formula = _unit(library, "R = T x V")  # quoted beside it, the lead-in stays
    assert complete_lists(library, [lead, formula, other], texts, limit=4) == [lead, formula, other]


def test_a_sentence_like_a_kept_one_is_kept_when_it_brings_a_list(tmp_path: Path) -> None:
    # the definition of a term and the ayat granting it share most words; the ayat's next
    # ayat lists the forms asked for ("Apa saja bentuk kompensasi ...")
    library = _library(tmp_path)
    texts = {d.id: library.text(d.id) for d in library.documents()}
    words = frozenset({"wali", "kota", "sanksi", "administratif", "pengelola", "sampah", "langgar", "izin"})
    first = dataclasses.replace(_unit(library, "(1) Pengelola sampah wajib"), score=0.5, stems=words)
    ayat = dataclasses.replace(_unit(library, "(1) Wali kota dapat menerapkan"), score=0.45, stems=words)
    assert brings_list(library, ayat, texts) and not brings_list(library, first, texts)
    assert choose([first, ayat], None, 0.7, 3) == [first]  # a repeat, once
    assert choose([first, ayat], None, 0.7, 3, lambda c: brings_list(library, c, texts)) == [first, ayat]


def test_an_ayat_refers_back_across_line_breaks_and_ocr_spacing() -> None:
    assert _refers_back("(2) Sanksi sebagaimana dimaksud pada\nayat ( 1 ) dapat berupa:", 1)
    assert _refers_back("(3) The fee referred to in paragraph (2) shall be:", 2)
    assert not _refers_back("(2) Sanksi sebagaimana dimaksud pada ayat (3) dapat berupa:", 1)


def test_a_flattened_tables_row_comes_after_its_first_row() -> None:
    # "Kebutuhan Oksigen Biokimiawi (BOD) mg/l 30 50 75" alone does not say that 30, 50 and 75
    # are the limits for more than 50, 3 to 50 and under 3 m3 a day: the table's first row does
    table = (
        "Klasifikasi\n(berdasarkan volume Air\nLimbah Domestik m3/hari)\nx > 50 3 < x ≤ 50 < 3\n"
        "Tingkat Keasaman\n(pH*)\n– 6 – 9 6 – 9 6 – 9\nKebutuhan Oksigen\nBiokimiawi (BOD)\nmg/l 30 50 75\n"
        "Amoniak (NH3-N) mg/l 10 20"
    )
    text = "Baku mutu air limbah domestik.\n\n" + table
    passage = Passage(1, "permen", 0, text, 0, len(text))
    hit = Hit(passage, 1.0, {}, None)
    at = text.index("Kebutuhan Oksigen")
    row = Candidate(hit, at, text.index("75") + 2, text[at : text.index("75") + 2])
    quotes = with_table_heads([row], {"permen": text}, 4)
    assert [" ".join(q.text.split()) for q in quotes] == [
        "Klasifikasi (berdasarkan volume Air Limbah Domestik m3/hari) x > 50 3 < x ≤ 50 < 3",
        "Kebutuhan Oksigen Biokimiawi (BOD) mg/l 30 50 75",
    ]
    assert with_table_heads([row], {"permen": text}, 1) == [row]  # no room: the row alone
    prose = Candidate(hit, 0, 30, text[:30])
    assert with_table_heads([prose], {"permen": text}, 4) == [prose]  # prose brings nothing
    # one value reads alone: "What is the maximum COD ...?" had led with the pH row, the first
    # row of a table whose head the PDF lost
    at = text.index("Amoniak")
    single = Candidate(hit, at, len(text) - 3, text[at:-3])
    assert single.text.endswith("mg/l 10") and with_table_heads([single], {"permen": text}, 4) == [single]


ANNEX = (
    "# PERATURAN MENTERI FIKTIF NOMOR 1 TAHUN 2099\n\nSYNTHETIC TEST FIXTURE - not a real document.\n\n"
    "Pasal 1\n\nBaku mutu tercantum dalam Lampiran.\n\nPasal 2\n\nPeraturan ini berlaku.\n\nPasal 3\n\nCukup.\n\n"
    "LAMPIRAN I\n\nA. BAKU MUTU AIR LIMBAH UNTUK KEGIATAN PEMBUANGAN AIR LIMBAH\n\nDOMESTIK.\n\n"
    "Klasifikasi\n(volume m3/hari)\nx > 50 3 < x ≤ 50 < 3\nKebutuhan Oksigen\nBiokimiawi (BOD)\nmg/l 30 50 75\n"
    "Amoniak (NH3-N) mg/l 10 20\n\n"
    "B. BAKU MUTU AIR LIMBAH DOMESTIK UNTUK PEMANFAATAN AIR\n\nLIMBAH.\n\n"
    "1. Tingkat Keasaman (pH) - 6 – 9\n\n2. Kebutuhan Oksigen\n\nBiokimiawi (BOD)\nmg/l 12\n\n"
    "3. Amoniak (NH3-N) mg/l 5\n\n"
    "LAMPIRAN II\n\nKRITERIA DESAIN UNIT PENGOLAHAN\n\n"
    "Facultative Pond BOD (45-70%) 240 - 350 15 - 45 1,5 - 2 2 - 4\n"
)


def _annex_library(tmp_path: Path) -> Library:
    catalog = (
        '[[document]]\nid = "permen"\npath = "permen.md"\ntype = "regulation"\nlanguage = "id"\n'
        'title = "Peraturan Menteri Fiktif Nomor 1 Tahun 2099"\n'
    )
    return built_library(tmp_path, {"permen.md": ANNEX, "catalog.toml": catalog})


def _span(library: Library, start: str, end: str) -> Candidate:
    """The candidate from the text `start` opens to the end of `end` after it."""
    text = library.text("permen")
    at = text.index(start)
    stop = text.index(end, at) + len(end)
    passage = next(p for p in library.passages_of("permen") if p.start <= at < p.end)
    return Candidate(Hit(passage, 1.0, {}, library.document("permen")), at, stop, text[at:stop])


def test_a_parameters_limit_is_quoted_from_each_table_of_the_annex(tmp_path: Path) -> None:
    # the watering limit (12) alone read as the BOD limit; the discharge one (30 50 75) was elsewhere
    library = _annex_library(tmp_path)
    engine = AnswerEngine(library)
    ev = engine.gather("Berapa baku mutu BOD air limbah domestik?")
    text = ev.texts["permen"] = library.text("permen")
    lead = _span(library, "2. Kebutuhan Oksigen", "mg/l 12")
    rows = parameter_rows(library, ev.profile, [lead], ev.texts, 6)
    assert [" ".join(r.text.split()) for r in rows] == [
        "Kebutuhan Oksigen Biokimiawi (BOD) mg/l 30 50 75",
        "2. Kebutuhan Oksigen Biokimiawi (BOD) mg/l 12",
    ]
    assert (
        rows[0].hit.passage.section
        == "Lampiran I > A. BAKU MUTU AIR LIMBAH UNTUK KEGIATAN PEMBUANGAN AIR LIMBAH DOMESTIK"
    )
    at = text.index("Baku mutu tercantum")
    pasal = next(p for p in library.passages_of("permen") if p.start <= at < p.end)
    prose = Candidate(Hit(pasal, 1.0, {}, None), at, at + 35, text[at : at + 35])
    # prose with no figure leads: the annex setting the standards answers in its place
    standing = parameter_rows(library, ev.profile, [prose], ev.texts, 6)
    assert [" ".join(r.text.split()) for r in standing] == [" ".join(r.text.split()) for r in rows]
    figure = dataclasses.replace(prose, text="Kadar BOD paling tinggi 30 mg/L.")
    assert parameter_rows(library, ev.profile, [figure], ev.texts, 6) == [figure]  # a figure leads: unchanged
    # ... unless the question asks for a figure and a row of that document is a candidate
    # ("Berapa kadar maksimum BOD ...?" led with P.68's legend of a formula)
    switched = parameter_rows(library, ev.profile, [prose], ev.texts, 6, [prose, lead])
    assert [" ".join(r.text.split()) for r in switched] == [" ".join(r.text.split()) for r in rows]
    words = engine.gather("Apa arti BOD?")
    assert parameter_rows(library, words.profile, [prose], ev.texts, 6, [prose, lead]) == [prose]


def test_a_limit_is_read_in_the_annex_setting_the_standards(tmp_path: Path) -> None:
    # "What is the BOD limit for domestic wastewater?" quoted the design criteria of the
    # treatment annex ("Facultative Pond BOD (45-70%) 240 - 350 ..."), which are no limit
    library = _annex_library(tmp_path)
    engine = AnswerEngine(library)
    design = _span(library, "Facultative", "2 - 4")
    ev = engine.gather("What is the BOD limit for domestic wastewater?")
    ev.texts["permen"] = library.text("permen")
    rows = parameter_rows(library, ev.profile, [design], ev.texts, 6)
    assert [" ".join(r.text.split()) for r in rows] == [
        "Kebutuhan Oksigen Biokimiawi (BOD) mg/l 30 50 75",
        "2. Kebutuhan Oksigen Biokimiawi (BOD) mg/l 12",
    ]
    # a question asking no limit keeps the design row
    removal = engine.gather("How much BOD does a facultative pond remove?")
    assert parameter_rows(library, removal.profile, [design], ev.texts, 6) == [design]


def test_a_pasal_over_overlapping_passages_is_quoted_whole_once_in_order() -> None:
    # "Apa isi Pasal 29 UU 18/2008?" led with ayat (2) and skipped (3): the Pasal's two passages
    # overlap on ayat (2), so it seemed too long; "pemerintah." was dropped as an empty item
    body = (
        "Pasal 29\n\n(1) Setiap orang dilarang:\na. mengimpor sampah;\nb. membakar sampah.\n\n"
        "(2) Ketentuan mengenai larangan pada ayat (1) huruf a diatur dengan peraturan\npemerintah.\n\n"
        "(3) Ketentuan mengenai larangan pada ayat (1) huruf b diatur dengan peraturan daerah."
    )
    note = "\n\nPasal 29\n\nAyat (1)\n\nCukup jelas.\n\nAyat (2)\n\nCukup jelas.\n\nAyat (3)\n\nCukup jelas."
    text = body + note
    second = body.index("(2)")
    text += "\n\nPasal 29"  # a Penjelasan page whose text OCR lost: its heading alone
    spans = [(0, body.index("\n\n(3)")), (second, len(body)), (len(body) + 2, len(body) + len(note))]
    spans.append((len(text) - len("Pasal 29"), len(text)))
    kinds = ["article", "article", "explanation", "explanation"]
    hits = [
        Hit(Passage(i, "uu", i, text[a:b], a, b, section="Pasal 29"), 1.0, {kind: 1.0})
        for i, ((a, b), kind) in enumerate(zip(spans, kinds, strict=True))
    ]
    quotes = article_quotes("Apa isi Pasal 29 UU 18/2008?", hits, {"uu": text}, 4)
    assert [q.text[:3] for q in quotes] == ["(1)", "(3)"]
    assert quotes[0].text.endswith("peraturan\npemerintah.") and quotes[1].text.endswith("peraturan daerah.")
    assert all(text[q.start : q.end] == q.text for q in quotes)
