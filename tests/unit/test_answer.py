"""The answer engine on a small synthetic library (fake embedder): sentence scoring, quote
location and verification, refusals, language of the framing, table extremes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from assistant.answer import (
    AnswerEngine,
    acronyms_in,
    answer_kinds,
    compose,
    make_citations,
    normalise_number,
    numbers_in,
    passage_units,
    tokens,
    wanted_kinds,
)
from assistant.answer.features import document_coverage, lexical
from assistant.answer.matching import Candidate, _contains, says_little, sibling_hit, unquotable
from assistant.answer.refusal import lacks_figure
from assistant.cite.quotes import quote_checks, verify_citation, verify_quote
from assistant.config import Settings
from assistant.index.build import build_index
from assistant.index.library import Library
from assistant.model import Citation, DocStatus, DocType, Document, Hit, Passage
from tests.conftest import make_small_corpus


@pytest.fixture
def library(fake_settings: Settings) -> Library:
    build_index(fake_settings)
    return Library.open(fake_settings)


@pytest.fixture
def engine(library: Library) -> AnswerEngine:
    return AnswerEngine(library)


# -- text features ----------------------------------------------------------------------


def test_numbers_are_normalised() -> None:
    assert normalise_number("1,600") == "1600"
    assert normalise_number("2014.0") == "2014"
    assert normalise_number("-64.0") == "64"
    assert normalise_number("2,5") == "2.5"
    assert numbers_in("around 1,600m³/day from 2017–2020, 3R, 59%") == {"1600", "2017", "2020", "59"}


@pytest.mark.parametrize(
    ("question", "wants"),
    [
        ("What share of the budget does Japan fund?", {"percent"}),
        ("Berapa persen sungai yang tercemar berat?", {"percent"}),
        ("When did the cities sign the letter of intent?", {"date"}),
        ("Program itu dimulai tahun berapa?", {"date"}),
        ("How many waste trucks did Bandung have?", {"number"}),
        ("Berapa jumlah penduduk Kota Bandung?", {"number"}),
        ("Who represented Bandung at the forum?", {"name"}),
        ("Which newspaper reported the emergency?", {"source"}),
        ("Why was Kawasaki chosen?", set()),
    ],
)
def test_questions_say_what_kind_of_answer_they_want(question: str, wants: set[str]) -> None:
    assert wanted_kinds(question) == wants


def test_answer_kinds_ignore_row_numbers_citations_and_the_questions_own_numbers() -> None:
    assert "percent" in answer_kinds("Japan only provides 40% of the budget.")
    assert "date" in answer_kinds("The LoI was signed on July 7, 2015 (Pemerintah Kota Bandung, 2016).")
    # the only year is in an in-text citation, the only number is the row number
    assert "date" not in answer_kinds("Waste rose sharply (Kompas, 2023).")
    assert "number" not in answer_kinds("Row 22: No: 2.0; Kegiatan: KangPisMan Award; Tempat: Pendopo")
    # a number the question already states is not an answer to it
    assert "date" not in answer_kinds("The MoU signed in 2016 was renewed.", "When was the 2016 MoU signed?")
    assert "date" in answer_kinds(
        "The MoU signed in 2016 remains valid until 2020.", "Until when is the 2016 MoU valid?"
    )
    # a number labelling a name is no quantity, a limit after its unit is: an uncatalogued
    # P.68/2016 answered "Berapa baku mutu BOD ...?" with "Debit L/orang/hari 100", as "L 30"
    # of "BOD mg/L 30" read as a label ('RW 05')
    assert "number" not in answer_kinds("Sekolah SMAN 24 dan RW 05", "Di mana?")
    assert "number" in answer_kinds("BOD mg/L 30", "Berapa baku mutu BOD?")


def test_acronyms_are_read_from_the_text() -> None:
    found = dict(acronyms_in("a memorandum of understanding (MoU) and the Joint Crediting Mechanism (JCM)"))
    assert found[("mou",)] == ("memorandum", "of", "understand")
    assert found[("jcm",)][0] == "joint"


# -- sentence scoring ------------------------------------------------------------------------


def test_the_sentence_that_answers_scores_best(engine: AnswerEngine) -> None:
    ev = engine.gather("What share of the air monitoring programme does Northbrook fund?")
    assert ev.candidates[0].text == "Northbrook shall fund 60 percent of the air monitoring programme."
    scores = [c.score for c in ev.candidates]
    assert scores == sorted(scores, reverse=True)
    assert not engine.refused(ev)


def test_a_number_the_question_names_must_be_there(engine: AnswerEngine) -> None:
    profile = engine.profile("What share of the air monitoring programme does Northbrook fund in 2031?")
    assert "2031" in profile.numbers
    with_year = engine.gather("What share of the air monitoring programme does Northbrook fund in 2031?")
    without = engine.gather("What share of the air monitoring programme does Northbrook fund?")
    assert with_year.candidates[0].features["missing_numbers"] == 1
    assert with_year.best_score < without.best_score


def test_indonesian_question_words_meet_english_text_through_the_glossary(engine: AnswerEngine) -> None:
    profile = engine.profile("Berapa persen program pemantauan udara yang didanai Northbrook?")
    udara = next(g for g in profile.groups if g.label == "udara")
    assert ("air",) in udara.forms
    ev = engine.gather("Berapa persen program pemantauan udara yang didanai Northbrook?")
    assert "60 percent" in ev.candidates[0].text


def test_a_word_the_glossary_holds_only_as_a_synonym_is_still_translated(engine: AnswerEngine) -> None:
    # "limit" shares its stem with "limitation" (a synonym of "constraint"): it had no
    # Indonesian form, so "What is the BOD limit ...?" never met "batas"
    limit = next(g for g in engine.profile("What is the BOD limit for wastewater?").groups if g.label == "limit")
    assert ("constraint",) in limit.forms and tuple(tokens("batas")) in limit.forms
    goal = next(g for g in engine.profile("What is the goal of the programme?").groups if g.label == "goal")
    assert ("tujuan",) in goal.forms  # a synonym group with its translation: as before


def test_a_part_of_a_law_is_no_figure() -> None:
    # "(2) ... sebagaimana dimaksud pada ayat (1)," read as a number for "Berapa baku mutu ...?"
    asked = "Berapa baku mutu COD air limbah domestik?"
    assert "number" not in answer_kinds("(2) Dalam menetapkan baku mutu sebagaimana dimaksud pada ayat (1),", asked)
    assert "number" not in answer_kinds("Ketentuan dalam Pasal 14 berlaku.", asked)
    assert "number" in answer_kinds("Kadar COD paling tinggi 100 mg/L.", asked)


def test_a_number_the_question_writes_in_words_is_no_figure() -> None:
    # "tiga" is no answer to "in three years"
    asked = "How much did Bandung reduce its waste in three years?"
    assert lacks_figure(asked, ["Sampah dipilah paling lama tiga tahun."])
    assert not lacks_figure(asked, ["Waste fell by nine percent in three years."])
    assert not lacks_figure("How much waste is recycled?", ["Sampah dipilah paling lama tiga tahun."])
    # a digit the question writes in words may still answer ("five types", "5 (lima) tahun")
    assert not lacks_figure("Within how many years must cities sort waste into five types?", ["paling lama 5 tahun"])


# -- answers, quotes and their verification --------------------------------------------------


def test_answer_cites_verified_quotes_with_markers(engine: AnswerEngine, library: Library) -> None:
    answer = engine.answer("What share of the air monitoring programme does Northbrook fund?")
    assert not answer.abstained and answer.language == "en"
    assert answer.citations and answer.text.endswith("[1]")
    for c in answer.citations:
        text = library.text(c.doc_id)
        assert text[c.start : c.end] == c.quote
        assert c.passage.start <= c.start < c.end <= c.passage.end
        assert c.passage.text[c.start - c.passage.start : c.end - c.passage.start] == c.quote
        assert f"[{c.n}]" in answer.text
        assert verify_citation(c, library)
    assert "60 percent" in answer.citations[0].quote
    assert set(answer.timings_ms) == {"retrieve", "answer", "total"}


def test_quote_verification_rejects_a_tampered_quote(engine: AnswerEngine, library: Library) -> None:
    c = engine.answer("When did the shredder arrive at the second site?").citations[0]
    assert verify_citation(c, library)
    assert not verify_citation(dataclasses.replace(c, quote=c.quote.replace("June", "July")), library)
    assert not verify_citation(dataclasses.replace(c, start=c.start + 1), library)
    assert not verify_citation(dataclasses.replace(c, doc_id="notes-other"), library)
    text = library.text(c.doc_id)
    assert verify_quote(text, c.quote, c.start, c.end)
    assert not verify_quote(text, "", c.start, c.start)
    assert not verify_quote(text, c.quote, c.start, len(text) + 10)


def test_a_quote_that_does_not_match_the_stored_text_is_never_shown(
    engine: AnswerEngine, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = library.text

    def tampered(doc_id: str) -> str:
        text = real(doc_id)
        return text.replace("June", "July") if doc_id == "notes" else text

    monkeypatch.setattr(library, "text", tampered)
    answer = engine.answer("When did the shredder arrive at the second site?")
    assert all("July" not in c.quote for c in answer.citations)
    assert all(c.doc_id != "notes" or "shredder" not in c.quote for c in answer.citations)


def test_quote_checks_need_document_and_passage_to_agree() -> None:
    text = "Alpha beta. Gamma delta."
    passage = Passage(1, "d", 0, text, 0, len(text))
    assert quote_checks(text, passage, "Gamma delta.", 12, 24)
    assert not quote_checks(text.replace("Gamma", "Gamme"), passage, "Gamma delta.", 12, 24)
    assert not quote_checks(text, passage, "Gamma delta.", 11, 23)


@pytest.mark.parametrize(
    ("unit", "little"),
    [
        ("e. Pasal 25. , .", True),
        ("Ayat (2) huruf b Pasal 3.", True),
        ("Cukup jelas.", False),
        ("c. kerja sama lainnya.", False),
    ],
)
def test_a_sentence_of_references_only_says_little(unit: str, little: bool) -> None:
    assert says_little(unit) is little


def test_a_worked_example_is_quoted_only_when_an_example_is_asked_for() -> None:
    text = (
        "Baku mutu BOD paling tinggi 30 mg/l.\n\nContoh perhitungan BOD\nDiketahui:\n"
        "1. Konsentrasi BOD dari industri A (Ci)= 100 mg/l.\n"
    )
    passage = Passage(1, "d", 0, text, 0, len(text))
    rule, example = text.index("Baku"), text.index("1. Konsentrasi")
    asked = "Berapa baku mutu BOD?"
    assert not unquotable("Baku mutu BOD paling tinggi 30 mg/l.", text, rule, passage, asked)
    assert unquotable("1. Konsentrasi BOD dari industri A (Ci)= 100 mg/l.", text, example, passage, asked)
    assert unquotable("Contoh perhitungan BOD Diketahui:", text, text.index("Contoh"), passage, asked)
    unit = "1. Konsentrasi BOD dari industri A (Ci)= 100 mg/l."
    assert not unquotable(unit, text, example, passage, "Bagaimana contoh perhitungan BOD?")
    prose = "For example, Kawasaki trained Bandung's staff.\nThe training ran for 3 years."
    at = prose.index("The training")
    assert not unquotable(
        "The training ran for 3 years.", prose, at, Passage(2, "s", 0, prose, 0, len(prose)), "How long?"
    )


def test_passage_units_are_sentences_or_table_rows() -> None:
    text = "One sentence here. Another one there.\nRow 1: A: 1\nRow 2: A: 2"
    prose = Passage(1, "d", 0, text[:37], 0, 37)
    rows = Passage(2, "t", 0, text[38:], 38, len(text), rows="1-2")
    assert [text[a:b] for a, b in passage_units(text, prose)] == ["One sentence here.", "Another one there."]
    assert [text[a:b] for a, b in passage_units(text, rows)] == ["Row 1: A: 1", "Row 2: A: 2"]


# -- refusals and language ----------------------------------------------------------------------


def test_refuses_when_the_library_does_not_answer(engine: AnswerEngine) -> None:
    answer = engine.answer("What was the population of Atlantis in 1850?")
    assert answer.abstained and not answer.citations
    assert answer.text.startswith("The library does not answer this question")
    assert answer.nearest  # the nearest passages are shown instead


def test_refuses_in_indonesian_to_an_indonesian_question(engine: AnswerEngine) -> None:
    answer = engine.answer("Berapa jumlah penduduk Atlantis pada tahun 1850?")
    assert answer.abstained and answer.language == "id"
    assert answer.text.startswith("Perpustakaan ini tidak menjawab pertanyaan tersebut")


def test_indonesian_question_gets_indonesian_framing(engine: AnswerEngine) -> None:
    answer = engine.answer("Berapa persen program pemantauan udara yang didanai Northbrook?")
    assert not answer.abstained and answer.language == "id"
    assert answer.text.startswith("Menurut ")
    assert "60 percent" in answer.citations[0].quote  # the quote stays in the document's language
    forced = engine.answer("Berapa persen program pemantauan udara yang didanai Northbrook?", language="en")
    assert forced.language == "en" and forced.text.startswith("According to ")


def test_framing_quotes_each_sentence_and_names_the_language_of_a_quote() -> None:
    doc = Document(
        "a", "a.md", "A Study", DocType.STUDY, "0" * 64, DocStatus.INDEXED, ("Hakiem, F. N.",), year=2025, language="en"
    )
    passage = Passage(1, "a", 0, "Japan funds 40% of the budget.", 0, 30)
    c = Citation(1, "a", "A Study", passage.text, 0, 30, passage, 1.0, doc)
    assert (
        compose([c], "id")
        == "Menurut Hakiem (2025) (kutipan dalam bahasa Inggris): “Japan funds 40% of the budget.” [1]"
    )
    assert compose([c], "en") == "According to Hakiem (2025): “Japan funds 40% of the budget.” [1]"
    # a page read by OCR may misread words: the answer says so, not only the evidence panel
    scanned = dataclasses.replace(c, passage=dataclasses.replace(passage, ocr_confidence=0.97))
    assert compose([scanned], "en").startswith("According to Hakiem (2025) (OCR text, check the original): ")
    assert "(kutipan dalam bahasa Inggris; teks OCR, periksa aslinya)" in compose([scanned], "id")


def test_a_cited_rows_numbers_are_followed_by_what_the_catalogue_says_they_hold() -> None:
    # "Berapa produksi sampah dari pasar?" answered "Prod_sampah: 300.32", no unit
    about = "Waste by source: markets (Pasar); production in tonnes per day (Prod_sampah)."
    doc = Document("sources", "s.csv", "Produksi", DocType.DATA, "0" * 64, DocStatus.INDEXED, (), description=about)
    row = "Row 2: Sumber: Pasar; Prod_sampah: 300.32"
    passage = Passage(1, "sources", 0, row, 0, len(row), rows="2")
    cited = Citation(1, "sources", doc.title, row, 0, len(row), passage, 1.0, doc)
    assert compose([cited], "en").endswith(f"“{row}” [1] (Prod_sampah: production in tonnes per day)")
    # an Indonesian answer gives the unit in Indonesian, not the catalogue's English gloss
    assert compose([cited], "id").endswith(f"“{row}” [1] (Prod_sampah: ton per hari)")
    prose = Passage(2, "sources", 0, "Markets produce 300 tonnes.", 0, 27)
    said = Citation(1, "sources", doc.title, prose.text, 0, 27, prose, 1.0, doc)
    assert compose([said], "en").endswith("“Markets produce 300 tonnes.” [1]")  # a sentence says its own units


def test_a_question_about_a_tables_extreme_reads_the_whole_table(engine: AnswerEngine) -> None:
    answer = engine.answer("Which river has the lowest score?")
    assert not answer.abstained
    assert [c.quote for c in answer.citations] == [
        "Row 2: No: 2; Sungai: Sungai Beta; Skor: -35; Kategori: Cemar Berat"
    ]


def test_the_answer_leads_with_its_best_sentence_then_reads_in_order(library: Library) -> None:
    """Citations: the best sentence first (after its antecedent), the rest in document order."""
    doc_id = library.documents()[0].id
    text = library.text(doc_id)
    passage = next(p for p in library.passages_of(doc_id) if not p.rows and len(passage_units(text, p)) >= 3)
    hit = Hit(passage, 1.0, {}, library.document(doc_id))
    units = [Candidate(hit, a, b, text[a:b]) for a, b in passage_units(text, passage)[:3]]
    best, earlier, later = units[2], units[0], units[1]
    plain = make_citations([best, later, earlier], {doc_id: text})
    led = make_citations([best, later, earlier], {doc_id: text}, lead=1)
    assert [c.start for c in plain] == sorted(c.start for c in plain)
    assert [c.start for c in led] == [best.start, earlier.start, later.start]


def test_sentences_next_to_each_other_in_a_passage_are_one_quote() -> None:
    """The antecedent and the sentence pointing back to it read as one quote, the answer in
    the first; a sentence further on, a table's rows and another passage's stay apart."""
    prose = "Electrons flow back down the chain. This is termed cyclic flow. Far later, a note."
    rows = "Row 1: Sungai: Alpha\nRow 2: Sungai: Beta"
    text = f"{prose}\n\n{rows}"
    passage = Passage(1, "d", 0, prose, 0, len(prose))
    table = Passage(2, "d", 1, rows, len(prose) + 2, len(text), rows="1-2")
    hit, row_hit = Hit(passage, 1.0, {}, None), Hit(table, 1.0, {}, None)

    def unit(h: Hit, part: str) -> Candidate:
        start = text.index(part)
        return Candidate(h, start, start + len(part), part)

    before, best = unit(hit, "Electrons flow back down the chain."), unit(hit, "This is termed cyclic flow.")
    later = unit(hit, "a note.")
    alpha, beta = unit(row_hit, "Row 1: Sungai: Alpha"), unit(row_hit, "Row 2: Sungai: Beta")
    cited = make_citations([before, best, later, alpha, beta], {"d": text}, lead=2)
    assert [c.quote for c in cited] == [
        "Electrons flow back down the chain. This is termed cyclic flow.",
        "a note.",
        "Row 1: Sungai: Alpha",
        "Row 2: Sungai: Beta",
    ]
    assert (cited[0].start, cited[0].end) == (0, len("Electrons flow back down the chain. This is termed cyclic flow."))


def test_sentences_of_overlapping_passages_are_one_quote_in_the_passage_holding_both() -> None:
    # "What is the Joint Crediting Mechanism?": the antecedent came from the passage before,
    # which overlaps the best sentence's, and was quoted apart from it
    text = "Intro here. The next program is air. This program uses a mechanism called JCM. Then more."
    cut = text.index("This program")
    first = Passage(1, "d", 0, text[: cut + 10], 0, cut + 10)  # ends inside the best sentence
    second = Passage(2, "d", 1, text[12:], 12, len(text))  # holds the antecedent and the best

    def unit(p: Passage, part: str) -> Candidate:
        start = text.index(part)
        return Candidate(Hit(p, 1.0, {}, None), start, start + len(part), part)

    before = unit(first, "The next program is air.")
    best = unit(second, "This program uses a mechanism called JCM.")
    [cited] = make_citations([before, best], {"d": text}, lead=2)
    assert cited.quote == "The next program is air. This program uses a mechanism called JCM."
    assert cited.passage is second


OLD_LIMITS = """# Peraturan Menteri LHK No. P.68 Tahun 2016 tentang Baku Mutu Air Limbah Domestik

Pasal 1

Baku mutu air limbah domestik untuk BOD paling tinggi 50 mg/L bagi setiap usaha yang membuang air limbah domestik.
"""
NEW_LIMITS = """# Peraturan Menteri LH No. 11 Tahun 2025 tentang Baku Mutu Air Limbah Domestik

Pasal 5

Kadar BOD air limbah domestik yang dibuang paling tinggi 30 mg/L.

Pasal 14

Peraturan Menteri LHK No. P.68 Tahun 2016 dicabut dan dinyatakan tidak berlaku.
"""


def limits_engine(tmp_path: Path) -> AnswerEngine:
    """An engine over P.68/2016 (revoked) and PermenLH 11/2025 (which revoked it)."""
    corpus = make_small_corpus(tmp_path / "corpus")
    (corpus / "p68.md").write_text(OLD_LIMITS, encoding="utf-8")
    (corpus / "lh11.md").write_text(NEW_LIMITS, encoding="utf-8")
    (corpus / "catalog.toml").write_text(
        '[[document]]\nid = "p68"\npath = "p68.md"\ntype = "regulation"\nlanguage = "id"\n'
        'title = "Peraturan Menteri LHK No. P.68 Tahun 2016 tentang Baku Mutu Air Limbah Domestik"\n'
        'revoked_by = "PermenLH 11/2025, Pasal 14"\n'
        '[[document]]\nid = "lh11"\npath = "lh11.md"\ntype = "regulation"\nlanguage = "id"\n'
        'title = "Peraturan Menteri LH No. 11 Tahun 2025 tentang Baku Mutu Air Limbah Domestik"\n',
        encoding="utf-8",
    )
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedders=("fake",))
    build_index(settings)
    return AnswerEngine(Library.open(settings))


def test_an_answer_from_a_revoked_regulation_quotes_the_one_in_force_too(tmp_path: Path) -> None:
    engine = limits_engine(tmp_path)
    question = "Berapa baku mutu BOD air limbah domestik bagi usaha yang membuang air limbah domestik?"
    answer = engine.answer(question)
    cited = [c.doc_id for c in answer.citations]
    assert cited and cited[0] == "p68"  # the revoked regulation matches best ...
    assert "lh11" in cited  # ... and the one in force is quoted beside it
    assert "dicabut oleh PermenLH 11/2025" in answer.text and "30 mg/L" in answer.text
    assert "(yang berlaku)" in answer.text  # the regulation in force says so
    assert all(verify_citation(c, engine.library) for c in answer.citations)
    # a question naming the revoked regulation gets it alone
    named = engine.answer(question.replace("?", " menurut P.68/2016?"))
    assert [c.doc_id for c in named.citations][:1] == ["p68"] and "lh11" not in [c.doc_id for c in named.citations]


def test_a_row_read_beside_the_matched_one_carries_its_tables_score(library: Library) -> None:
    # a table row cited beside the row that matched (another row block of its table) showed
    # "score 0.000", as if nothing had found it: it carries the score of the hit that found the table
    first, other = library.passages_of("agreement")[:2]
    hit = Hit(first, 0.734, {"bm25": 1.0}, library.document("agreement"))
    assert sibling_hit(hit, first) is hit
    sibling = sibling_hit(hit, other)
    assert sibling.passage is other and sibling.score == 0.734 and sibling.scores == {}


def test_a_question_naming_a_regulation_is_answered_from_it(tmp_path: Path) -> None:
    # "Berapa baku mutu BOD ... menurut PermenLH 11/2025?" quoted the revoked P.68/2016 first:
    # its wording is closer, and its catalogue entry names 11/2025 (revoked by it). The
    # regulation asked about answers, so it leads.
    engine = limits_engine(tmp_path)
    question = "Berapa baku mutu BOD air limbah domestik bagi usaha yang membuang air limbah domestik?"
    assert [c.doc_id for c in engine.answer(question).citations][:1] == ["p68"]  # the closer wording
    named = engine.answer(question.replace("?", " menurut PermenLH 11/2025?"))
    assert [c.doc_id for c in named.citations][:1] == ["lh11"] and "30 mg/L" in named.text


def test_a_tables_short_date_reads_as_the_question_writes_it(library: Library) -> None:
    # "on 5 March 2019" missed its row "Tanggal: 05-Mar-19": 05 is not 5, 19 not 2019, Mar not March
    engine = AnswerEngine(library)
    profile = engine.profile("Where was the zero-waste session on 5 March 2019 held?")
    text = "Row 24: No: 4.0; Tanggal: 05-Mar-19; Kegiatan: Sosialisasi zerowaste; Tempat: Pindad"
    passage = Passage(1, "agenda", 0, text, 0, len(text), rows="24")
    cand = Candidate(Hit(passage, 1.0, {}, None), 0, len(text), text)
    f = lexical(profile, cand, lambda word: True)
    assert f["missing_numbers"] == 0 and {"5", "2019", "march"} <= cand.stems


def test_a_long_name_spelt_one_letter_apart_is_the_same_name() -> None:
    # "the Khwarezmian dynasty" of a question and "the Khwarazmian dynasty" of the text
    assert _contains(["khwarazmian", "dynasti"], ("khwarezmian",), exact=True)
    assert _contains(["kitayushu"], ("kitakyushu",), exact=True)
    assert _contains(["japanes"], ("japan",), exact=True)  # its people, as before
    assert not _contains(["kawasan"], ("kawasaki",), exact=True)  # a short name stays as written
    assert not _contains(["australia"], ("austria",), exact=True)


def test_a_short_indonesian_root_is_found_under_its_prefix() -> None:
    # "Apa saja hak setiap orang ...?" of "(1) Setiap orang berhak:": the English stemmer leaves
    # 'berhak' whole, and roots of three or four letters were matched only as written
    assert _contains(["setiap", "orang", "berhak"], ("hak",))
    assert _contains(["hak"], ("berhak",)) and _contains(["dibuat"], ("buat",))
    assert not _contains(["peace"], ("ace",)) and not _contains(["meat"], ("eat",))  # not under "pe", "me"
    assert not _contains(["berhak"], ("ak",))  # a root has three letters at least


def test_the_document_holding_most_of_the_question_gives_its_coverage(library: Library) -> None:
    # A question about something the library lacks finds its words scattered: no document
    # holds most of them (the refusal model's `cov_doc_en`).
    engine = AnswerEngine(library)
    texts = {
        "engine": "The steam engine was notably improved in 1712 by a new model.",
        "school": "Private schools in Sweden follow a model of free choice.",
    }
    about = engine.profile("What model do private schools in Sweden follow?")
    scattered = engine.profile("What model do private steam schools follow in 1712?")
    assert document_coverage(about, texts) == 1.0
    assert 0.3 < document_coverage(scattered, texts) < 1.0
    assert document_coverage(about, {}) == 0.0


def test_a_question_whether_a_revoked_regulation_is_in_force_quotes_the_revoking_article(tmp_path: Path) -> None:
    # "Apakah Permen LHK P.68/2016 masih berlaku?" was refused, its nearest passage being its
    # own "... mulai berlaku pada tanggal diundangkan", though the catalogue records its revocation
    engine = limits_engine(tmp_path)
    for question in ("Apakah Permen LHK P.68/2016 masih berlaku?", "Is P.68/2016 still in force?"):
        answer = engine.answer(question)
        assert not answer.abstained, question
        first = answer.citations[0]
        assert first.doc_id == "lh11" and (first.passage.section or "").endswith("Pasal 14")
        assert "P.68" in first.quote and "dicabut" in answer.text
        assert all(verify_citation(c, engine.library) for c in answer.citations)
    # what a regulation revoked is another question: not answered by the article revoking it
    other = engine.answer("Peraturan apa yang dicabut oleh P.68/2016?")
    assert not any((c.passage.section or "").endswith("Pasal 14") and c.doc_id == "lh11" for c in other.citations)
    # ... and what the revoking one revokes is its article naming P.68/2016 ("... yang dicabut
    # oleh PermenLH 11/2025?" had quoted another item of that article)
    for question in (
        "Peraturan apa yang dicabut oleh PermenLH 11/2025?",
        "Which regulation does PermenLH 11/2025 revoke?",
    ):
        revoked = engine.answer(question)
        first = revoked.citations[0]
        assert first.doc_id == "lh11" and (first.passage.section or "").endswith("Pasal 14"), question
        assert "P.68" in first.quote and "dicabut" in first.quote  # the article whole, one quote


def test_a_reference_list_entry_answers_only_a_question_about_sources() -> None:
    # "Metode penelitian apa ...?" was answered with "- Moleong, L. J. (2014). *Metode
    # Penelitian Kualitatif*. Rosda.", an entry of the article's reference list
    entry = "- Moleong, L. J. (2014). *Metode Penelitian Kualitatif*. Rosda."
    text = "References\n\n" + entry
    passage = Passage(1, "study", 0, text, 0, len(text))
    at = text.index(entry)
    assert unquotable(entry, text, at, passage, "Metode penelitian apa yang digunakan dalam artikel itu?")
    assert not unquotable(entry, text, at, passage, "Which book on qualitative methods does the article cite?")
    assert not unquotable(entry, text, at, passage, "Buku apa yang dirujuk untuk analisis data?")
    # the article's own "How to Cite This Article:" answered what the article recommends
    own = (
        "Hakiem, F. N., Argenti, G., & Gustianti, N. A. (2025). *Bandung And Kawasaki*. *JURNAL TRIAS POLITIKA*, 9(1)."
    )
    cite = Passage(2, "study", 0, own, 0, len(own))
    assert unquotable(own, own, 0, cite, "Apa saja yang disarankan artikel Hakiem dkk. dari sisi praktis?")
    assert not unquotable(own, own, 0, cite, "In which journal was the Hakiem et al. article published?")
    assert not unquotable(own, own, 0, cite, "What's the DOI of the Hakiem, Argenti & Gustianti paper?")

    # a regulation's numbered sources, the year between commas: "What does the laundry
    # wastewater manual recommend?" quoted two WEF manuals of PermenLH 11/2025's list
    for source in (
        "13) Water Environment Foundation, 2011, Biofilm Reactors: WEF Manual of Practice no. 35.",
        "14) WEF (Water Environment Federation), 2014, Manual of Practice No. 8: Design of Plants.",
        "10) von Sperling, M., 2007, Activated Sludge and Aerobic Biofilm Reactor.",
    ):
        listed = Passage(3, "reg", 0, source, 0, len(source))
        assert unquotable(source, source, 0, listed, "What does the laundry wastewater manual recommend?")
    prose = "Bandung faced a waste emergency (Kompas, 2023, p. 3)."
    assert not unquotable(prose, prose, 0, Passage(4, "s", 0, prose, 0, len(prose)), "What did Bandung face?")


def test_a_caption_answers_only_a_question_about_its_table_or_figure() -> None:
    # "Apa saja kendala kerja sama Bandung–Kawasaki?" quoted Table 1's caption as a reason
    text = "Table 1. International Cooperation between the City Government of Bandung and Local Governments Abroad"
    caption = text[len("Table 1. ") :]
    passage = Passage(1, "study", 0, text, 0, len(text))
    assert unquotable(caption, text, len("Table 1. "), passage, "Apa saja kendala kerja sama Bandung–Kawasaki?")
    assert not unquotable(caption, text, len("Table 1. "), passage, "What does Table 1 of the article list?")
    sentence = "International cooperation grew under the mayor."
    assert not unquotable(sentence, sentence, 0, Passage(2, "s", 0, sentence, 0, len(sentence)), "Who led it?")


def test_the_acknowledgments_answer_a_question_about_funding_or_thanks_only() -> None:
    # "What do the authors recommend future research should do?" quoted "The author also would
    # like to thank ... for funding this research" (the source spells the section 'ACKNOWLEDMENT')
    text = "The author also would like to thank the university for funding this research."
    passage = Passage(1, "study", 0, text, 0, len(text), section="ACKNOWLEDMENT")
    assert unquotable(text, text, 0, passage, "What do the authors recommend future research should do?")
    assert not unquotable(text, text, 0, passage, "Who funded the Hakiem et al. research?")
    assert not unquotable(text, text, 0, dataclasses.replace(passage, section="CONCLUSION"), "What do they recommend?")


def test_a_closing_formula_answers_only_a_question_about_dates() -> None:
    # "What does P.68/2016 say about BOD?" led with "Peraturan Menteri ini mulai berlaku pada
    # tanggal diundangkan." and "Diundangkan di Jakarta Pada Tanggal 2 September 2016"
    force = "Peraturan Menteri ini mulai\nberlaku pada tanggal diundangkan."
    made = "Diundangkan di Jakarta Pada Tanggal 2 September 2016"
    for unit in (force, made):
        passage = Passage(1, "p68", 0, unit, 0, len(unit), section="Pasal 14")
        assert unquotable(unit, unit, 0, passage, "What does P.68/2016 say about BOD?")
        assert not unquotable(unit, unit, 0, passage, "Kapan Permen LHK P.68/2016 mulai berlaku?")
        assert not unquotable(unit, unit, 0, passage, "When was P.68/2016 promulgated?")
    rule = "Baku mutu air limbah domestik berlaku bagi usaha yang membuang air limbah domestik."
    assert not unquotable(rule, rule, 0, Passage(1, "p68", 0, rule, 0, len(rule)), "What does P.68/2016 say?")


def test_an_acronym_the_named_regulation_never_mentions_is_said(tmp_path: Path) -> None:
    # "Berapa baku mutu merkuri (Hg) ... menurut PermenLH 11/2025?" quoted an unrelated line
    engine = limits_engine(tmp_path)
    hg = engine.answer("Berapa baku mutu merkuri (Hg) air limbah domestik menurut PermenLH 11/2025?")
    assert hg.abstained and hg.refusal_reason == "not_mentioned" and "tidak menyebut Hg" in hg.text
    jica = engine.answer("What does PermenLH 11/2025 say about JICA grants?")  # no document mentions JICA
    assert jica.abstained and "does not mention JICA" in jica.text
    bod = engine.answer("Berapa kadar BOD air limbah domestik menurut PermenLH 11/2025?")  # it mentions BOD
    assert not bod.abstained and bod.citations[0].doc_id == "lh11"


def test_a_regulations_kind_and_ministry_are_no_words_of_the_question(tmp_path: Path) -> None:
    # "Berapa baku mutu BOD menurut Permen LHK P.68/2016?" was refused: "Permen" (also
    # 'candy') and "LHK" read as names the answer lacked
    engine = limits_engine(tmp_path)
    labels = [g.label for g in engine.profile("Berapa baku mutu BOD menurut Permen LHK P.68/2016?").groups]
    assert "permen" not in labels and "lhk" not in labels and "bod" in labels
