"""A regulation's list answers whole: the ayat a chosen ayat's successor elaborates with a
list, and a list's short items, quoted as one verified span (answer.extend.complete_lists)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from assistant.answer.extend import _refers_back, brings_list, complete_lists, holds, lead_in_only
from assistant.answer.matching import Candidate, passage_units
from assistant.answer.select import choose
from assistant.config import Settings
from assistant.index.build import build_index
from assistant.index.library import Library
from assistant.model import Hit

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
