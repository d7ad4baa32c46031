"""Table questions answered by counting rows, on a synthetic library (fake embedder): the
count comes from the stored cells and the catalogue, the rows are cited by their row."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer import AnswerEngine
from assistant.answer.citations import count_text, make_citations
from assistant.answer.count import table_count, table_listing
from assistant.answer.matching import Candidate, covers
from assistant.answer.question import TermGroup, count_of, tokens
from assistant.answer.total import TableCount
from assistant.cite.quotes import verify_citation
from assistant.cite.references import citation_location
from assistant.config import Settings
from assistant.index.build import build_index
from assistant.index.library import Library
from assistant.model import Hit, Passage
from assistant.search.tables import value_glosses
from tests.conftest import built_library

PARKS_CSV = """No,Taman,Distrik,Kondisi,Pengunjung
1,Taman Alfa,Utara,Rusak Berat,120
2,Taman Beta,Utara,Baik,300
3,Taman Gamma,Selatan,Baik,80
4,Taman Delta,Selatan,Rusak Berat,45
5,Taman Epsilon,Timur,Rusak Ringan,210
6,Taman Zeta,Timur,Baik,95
"""

DESCRIPTION = (
    "SYNTHETIC. Parks of a fictional city: name, district (Distrik), condition (Kondisi: Rusak Berat = "
    "badly damaged, Rusak Ringan = slightly damaged, Baik = good) and visitors per day (Pengunjung)."
)

CATALOG = f"""
[[document]]
id = "parks"
path = "parks.csv"
title = "Fictional City Parks Survey"
type = "data"
language = "id"
description = "{DESCRIPTION}"

[[document]]
id = "notes"
path = "notes.txt"
title = "Fictional City Notes"
type = "study"
language = "en"
"""

NOTES = """The fictional city has a population of around two million people and many parks.
The city council meets every month to discuss the parks and the budget of the gardens.
"""


def table_engine(tmp_path: Path, doc_id: str, csv: str, title: str, description: str = "") -> AnswerEngine:
    """An engine over one synthetic table `<doc_id>.csv`, catalogued as Indonesian data."""
    catalog = (
        f'[[document]]\nid = "{doc_id}"\npath = "{doc_id}.csv"\ntitle = "{title}"\ntype = "data"\nlanguage = "id"\n'
    )
    catalog += f'description = "SYNTHETIC. {description}"\n' if description else ""
    return AnswerEngine(built_library(tmp_path, {f"{doc_id}.csv": csv, "catalog.toml": catalog}))


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> AnswerEngine:
    root = tmp_path_factory.mktemp("count")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "parks.csv").write_text(PARKS_CSV, encoding="utf-8")
    (corpus / "notes.txt").write_text(NOTES, encoding="utf-8")
    (corpus / "catalog.toml").write_text(CATALOG, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=Path(root / "index"), embedders=("fake",))
    build_index(settings)
    return AnswerEngine(Library.open(settings))


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many parks are badly damaged?", "count"),
        ("Berapa banyak taman di kota ini?", "count"),
        ("Which parks are badly damaged?", "which"),
        ("Taman mana yang rusak berat?", "which"),
        ("What share of the budget goes to parks?", None),
        ("Tahun berapa taman dibuka?", None),  # a date, not a count
    ],
)
def test_questions_that_count_or_list(question: str, kind: str | None) -> None:
    assert count_of(question) == kind


def test_value_glosses_are_read_from_the_description() -> None:
    glosses = value_glosses("condition (Kondisi: Rusak Berat = badly damaged, Baik = good) and more")
    assert glosses == {"rusak berat": "badly damaged", "baik": "good"}


def test_how_many_counts_the_rows_a_value_selects(engine: AnswerEngine) -> None:
    for question in ("How many parks are badly damaged?", "Berapa taman yang rusak berat?"):
        answer = engine.answer(question)
        assert not answer.abstained, question
        head = answer.text.split(":")[0]
        assert head.startswith("2 of the 6 rows") or head.startswith("2 dari 6 baris"), answer.text
        assert "Kondisi: Rusak Berat" in answer.text
        assert [c.quote.split(";")[1].strip() for c in answer.citations] == ["Taman: Taman Alfa", "Taman: Taman Delta"]
        assert all(verify_citation(c, engine.library) for c in answer.citations)


def test_a_row_citation_names_its_row(engine: AnswerEngine) -> None:
    answer = engine.answer("How many parks are badly damaged?")
    text = engine.library.text("parks")
    assert [citation_location(c, text) for c in answer.citations] == ["row 1", "row 4"]


def test_the_whole_table_is_counted_with_a_breakdown(engine: AnswerEngine) -> None:
    answer = engine.answer("How many parks are there in the fictional city?")
    assert answer.text.startswith("“Fictional City Parks Survey” has 6 rows; by Distrik: Utara 2, Selatan 2, Timur 2")
    assert "population" not in answer.text  # not the prose sentence that shares the words
    # each cited row named by the cell that tells the rows apart, the rest counted
    assert len(answer.citations) == 5
    assert answer.text.endswith(
        "The first 5: Taman Alfa [1], Taman Beta [2], Taman Gamma [3], Taman Delta [4], Taman Epsilon [5], "
        "and Taman Zeta."
    )


def test_an_english_count_glosses_the_value_it_counts(engine: AnswerEngine) -> None:
    answer = engine.answer("How many parks are badly damaged?")
    assert "Kondisi: Rusak Berat (badly damaged): Taman Alfa [1], Taman Delta [2]." in answer.text
    assert "(badly" not in engine.answer("Berapa taman yang rusak berat?").text


def test_which_lists_the_matching_rows(engine: AnswerEngine) -> None:
    answer = engine.answer("Taman mana yang kondisinya baik?")
    assert answer.text.startswith("3 dari 6 baris “Fictional City Parks Survey” memiliki Kondisi: Baik")
    assert ["Beta" in c.quote or "Gamma" in c.quote or "Zeta" in c.quote for c in answer.citations] == [True] * 3
    # "list" and "all" ask, they select nothing: "List all rivers with category Cemar Berat" had quoted one row
    listed = engine.answer("List all parks with condition Rusak Berat")
    assert listed.text.startswith("2 of the 6 rows of “Fictional City Parks Survey” have Kondisi: Rusak Berat")


@pytest.mark.parametrize(
    "question",
    [
        "How many visitors does Taman Alfa get?",  # a numeric column is named: a value, not a count
        "How many parks have a fountain?",  # 'fountain' is nowhere in the table
        "Which parks are good for picnics?",  # 'picnics' neither
    ],
)
def test_no_count_when_the_table_does_not_answer_so(engine: AnswerEngine, question: str) -> None:
    ev = engine.gather(question)
    assert table_count(engine.library, ev.profile, ev.hits, ev.texts, 5) is None


def test_a_year_the_table_neither_holds_nor_is_of_is_not_counted(engine: AnswerEngine) -> None:
    # "How many waste banks did Bandung have in 1995?" counted a 2018 list's 110 rows
    answer = engine.answer("How many parks were there in the fictional city in 1995?")
    assert not answer.text.startswith("“Fictional City Parks Survey” has 6 rows"), answer.text
    assert engine.answer("How many parks are there in the fictional city?").text.startswith(
        "“Fictional City Parks Survey” has 6 rows"
    )


def test_rows_a_question_names_beyond_what_an_answer_quotes_are_counted(engine: AnswerEngine) -> None:
    # "Bagaimana kualitas air Sungai Cikapundung?" quoted 3 of the 6 Cikapundung stretches,
    # all heavily polluted, as if they were the river
    ev = engine.gather("Bagaimana kondisi taman di Selatan?")
    row = next(c for c in ev.candidates if c.hit.passage.rows)
    listed = table_listing(engine.library, ev.profile, [row], ev.texts, 1, 5)
    assert listed is not None and (listed.matched, listed.total) == (2, 6)
    assert {c.text.split("Taman: ")[1].split(";")[0] for c in listed.rows} == {"Taman Gamma", "Taman Delta"}
    assert table_listing(engine.library, ev.profile, [row], ev.texts, 4, 5) is None  # an answer quotes them all
    counting = engine.gather("Berapa taman di Selatan?")  # a count is table_count's
    assert table_listing(engine.library, counting.profile, [row], counting.texts, 1, 5) is None


def test_rows_a_name_selects_are_listed_whatever_else_the_question_asks(engine: AnswerEngine) -> None:
    # "Bagaimana status mutu air Sungai Cikapundung tahun 2018?" quoted 2 of the 6 stretches:
    # "status" and "mutu" are in no row, and the listing had given up
    ev = engine.gather("Bagaimana status perawatan di distrik Selatan?")
    row = next(c for c in ev.candidates if c.hit.passage.rows)
    listed = table_listing(engine.library, ev.profile, [row], ev.texts, 1, 5)
    assert listed is not None and (listed.matched, listed.total) == (2, 6)
    # without a name to select them, words no row holds still mean another question
    ev = engine.gather("Bagaimana status perawatan taman?")
    assert table_listing(engine.library, ev.profile, [row], ev.texts, 1, 5) is None


def test_a_count_over_a_texts_table_names_the_table_by_its_caption() -> None:
    # "Berapa kota mitra Bandung di Jepang?" named only the paper the table is in
    text = "9.\tHamamatsu\tJapan"
    section = "RESULTS > Table 1. Partner cities of Bandung (No | City government | States)"
    row = Candidate(
        Hit(Passage(1, "paper", 0, text, 0, len(text), section=section, rows="10-10"), 1.0), 0, len(text), text
    )
    counted = TableCount("paper", None, 14, 1, (("States", "Japan"),), None, (row,), ("Hamamatsu",))
    said = count_text(counted, make_citations([row], {"paper": text}), "en")
    assert said.startswith("1 of the 14 rows of Table 1 (“Partner cities of Bandung”) in “paper” have States: Japan")


PARTNERS_CSV = """Kategori,Mitra
Mall,Plaza Alfa
Mall,Plaza Beta
Hotel,Hotel Gamma
Hotel,Wisma Delta
Sekolah,SMA Epsilon
"""
PARTNERS_CATALOG = """
[[document]]
id = "partners"
path = "partners.csv"
title = "Fictional Programme Partners"
type = "data"
language = "id"
description = "SYNTHETIC. Partners by category (Kategori: Mall = shopping mall, Hotel, Sekolah = school)."
"""


def test_a_value_the_catalogue_lists_counts_its_rows_not_the_table(tmp_path: Path) -> None:
    # "How many KangPisMan partners are hotels?" counted all 27 partners: "Hotel", listed in
    # the catalogue entry without a gloss, was read as naming the whole table
    engine = AnswerEngine(built_library(tmp_path, {"partners.csv": PARTNERS_CSV, "catalog.toml": PARTNERS_CATALOG}))
    answer = engine.answer("How many partners are hotels?")
    assert answer.text.startswith("2 of the 5 rows")
    # being listed is no condition on the rows ("How many hotels are listed as ...?" was refused)
    assert engine.answer("How many hotels are listed as partners?").text.startswith("2 of the 5 rows")
    assert engine.answer("Berapa mitra yang tercatat termasuk hotel?").text.startswith("2 dari 5 baris")
    assert [c.quote for c in answer.citations] == [
        "Row 3: Kategori: Hotel; Mitra: Hotel Gamma",
        "Row 4: Kategori: Hotel; Mitra: Wisma Delta",
    ]


def test_a_name_of_several_words_is_one_cell(tmp_path: Path) -> None:
    # "How many TPS are in Bandung Utara?" quoted one row: 'Utara' is no whole cell alone
    sites = "No,Wilayah,TPS\n1,Kota Fiksi Utara,Alfa\n2,Kota Fiksi Utara,Beta\n3,Kota Fiksi Selatan,Gamma\n"
    sites += "4,Kota Fiksi Timur,Delta\n5,Kota Fiksi Utara,Epsilon\n"
    engine = table_engine(tmp_path, "sites", sites, "Lokasi TPS", "Waste collection sites (TPS) by area (Wilayah).")
    answer = engine.answer("How many TPS are in Kota Fiksi Utara?")
    assert answer.text.startswith("3 of the 5 rows of “Lokasi TPS” have Wilayah: Kota Fiksi Utara"), answer.text


def test_a_value_the_description_glosses_still_selects_its_rows(tmp_path: Path) -> None:
    # "TPA mana saja yang ditutup?" quoted the one landfill still operating: "ditutup" is in
    # the catalogue's description ("when each was closed (ditutup)"), so it named every row
    sites = "no,nama_tpa,keterangan\n1,ALFA,DITUTUP PADA TAHUN 1998\n2,BETA,DITUTUP PADA TAHUN 1999\n"
    sites += "3,GAMMA,DITUTUP PADA TAHUN 2006\n4,DELTA,BEROPERASI TAHUN 2006\n"
    about = "Landfills and when each was closed (ditutup) or began operating (beroperasi)."
    engine = table_engine(tmp_path, "tpa", sites, "Keterangan TPA Kota Fiksi", about)
    answer = engine.answer("TPA mana saja yang ditutup?")
    assert answer.text.startswith("3 dari 4 baris"), answer.text
    assert "DELTA" not in answer.text and all(name in answer.text for name in ("ALFA", "BETA", "GAMMA"))


def test_a_total_sums_the_column_the_question_names(engine: AnswerEngine) -> None:
    # "Berapa total sumur resapan di Kota Bandung?" had quoted the rows of districts named "... Bandung"
    answer = engine.answer("How many visitors do the parks get in total?")
    assert answer.text.startswith("The 6 rows of “Fictional City Parks Survey” give a total of 850 in Pengunjung")
    assert "computed by Mitra from the 6 rows" in answer.text and "Taman Alfa: 120 [1]" in answer.text
    north = engine.answer("Berapa total pengunjung taman di Distrik Utara?")
    assert north.text.startswith(
        "2 dari 6 baris “Fictional City Parks Survey” memiliki Distrik: Utara, total Pengunjung 420"
    )
    assert all(verify_citation(c, engine.library) for c in north.citations)
    everyone = engine.answer("Berapa jumlah seluruh pengunjung taman?")  # "seluruh" asks the total too
    assert "total Pengunjung 850" in everyone.text
    # no total asked: a named numeric column asks for a row's value, as before
    assert "total" not in engine.answer("How many visitors does Taman Alfa get?").text


def test_which_value_most_rows_hold(engine: AnswerEngine) -> None:
    # "Kecamatan mana yang paling banyak memiliki unit bank sampah?" had quoted two arbitrary rows
    answer = engine.answer("Kondisi taman apa yang paling banyak?")
    assert answer.text.startswith(
        "Dari baris “Fictional City Parks Survey”, Baik memiliki baris terbanyak menurut Kondisi"
    )
    assert "3 dari 6 baris yang memuatnya; berikutnya Rusak Berat 2, Rusak Ringan 1" in answer.text
    assert {c.quote.split("Taman: ")[1].split(";")[0] for c in answer.citations} == {
        "Taman Beta",
        "Taman Gamma",
        "Taman Zeta",
    }
    assert "Baik has the most rows by Kondisi" in engine.answer("Which park condition is most common?").text
    english = engine.answer("Which condition do the most parks have?")
    assert "Baik has the most rows by Kondisi: 3 of the 6 rows that give one" in english.text
    # a column whose values each name one row ranks nothing: the row with the most visitors answers
    assert "most rows" not in engine.answer("Which park has the most visitors?").text


def test_the_row_of_an_extreme_is_stated_as_the_largest(engine: AnswerEngine) -> None:
    # "Kecamatan mana yang memiliki lubang biopori paling banyak?" had quoted the row alone
    answer = engine.answer("Which park has the most visitors?")
    assert answer.text == (
        "Of the 6 rows of “Fictional City Parks Survey”, Taman Beta [1] has the largest Pengunjung "
        "(visitors per day): 300."
    )
    assert "Taman Beta" in answer.citations[0].quote and verify_citation(answer.citations[0], engine.library)
    fewest = engine.answer("Taman mana yang pengunjungnya paling sedikit?")
    assert fewest.text.startswith("Dari 6 baris “Fictional City Parks Survey”, Taman Delta [1] memiliki Pengunjung")
    assert fewest.text.endswith("terkecil: 45.")


def test_an_indonesian_verb_covers_a_title_naming_its_noun() -> None:
    # "Berapa total lubang biopori yang sudah dibuat?" of "Pembuatan Sumur Resapan dan Lubang
    # Biopori" had found the table about something else: 'dibuat' and 'pembuatan' share 'buat'
    made = TermGroup("dibuat", (("dibuat",),), 1.0)
    title = tokens("Pembuatan Sumur Resapan dan Lubang Biopori di Kota Bandung")
    assert covers(title, made, "id")
    assert not covers(title, made, "en")  # an English question's word is matched as it is
    assert not covers(tokens("Data Mitra Komersial KangPisMan"), made, "id")


def test_a_row_no_column_names_alone_is_named_by_two_cells(tmp_path: Path) -> None:
    # "the highest daily temperature ... at which station and date?" said "[1] has the largest
    # temperature": no column tells 331 daily readings apart, a station and a day together do
    days = ("2017-01-01", "2017-01-02", "2017-01-03")
    cells = [(s, d, 22.0 + i) for i, (s, d) in enumerate((s, d) for d in days for s in ("Alfa", "Beta", "Gamma"))]
    cells[4] = ("Beta", "2017-01-02", 31.5)
    readings = "stasiun,waktu,suhu\n" + "".join(f"{s},{d},{t}\n" for s, d, t in cells)
    about = "Daily readings by station (stasiun) and day (waktu): temperature (suhu)."
    engine = table_engine(tmp_path, "air", readings, "Daily Air Readings", about)
    answer = engine.answer("Which station had the highest temperature, and on which day?")
    assert answer.text.startswith("Of the 9 rows of “Daily Air Readings”, Beta, 2017-01-02 [1] has the largest suhu")


def test_rows_quoted_whole_quote_the_one_past_the_limit_too(tmp_path: Path) -> None:
    # the six Cikapundung stretches were quoted five, "5 baris pertama dikutip", the sixth left out
    rivers = "No,Sungai,Golongan\n1,Sungai Alfa Hulu,C\n2,Sungai Alfa Tengah,C\n3,Sungai Alfa Hilir,C\n"
    rivers += "4,Sungai Beta,D\n5,Sungai Gamma,D\n"
    engine = table_engine(tmp_path, "rivers", rivers, "Mutu Sungai")
    ev = engine.gather("Bagaimana status mutu Sungai Alfa?")
    row = next(c for c in ev.candidates if c.hit.passage.rows)
    for limit, quoted in ((2, 3), (1, 1)):  # no column names them apart: one past is quoted, two past are not
        listed = table_listing(engine.library, ev.profile, [row], ev.texts, 1, limit)
        assert listed is not None and (listed.matched, len(listed.rows)) == (3, quoted)


def test_which_values_a_column_holds_are_listed_once_each(tmp_path: Path) -> None:
    # "Which monitoring stations are in the air pollution data?" was refused: every row is a
    # station's reading, so no row was selected, and "air" names the 'suhu' column's gloss
    days = ("2017-01-01", "2017-01-02", "2017-01-03")
    cells = [(s, d, 20 + i) for i, (d, s) in enumerate((d, s) for d in days for s in ("Alfa", "Beta", "Gamma"))]
    readings = "stasiun,waktu,suhu\n" + "".join(f"{s},{d},{t}\n" for s, d, t in cells[:-1])
    about = "Readings by monitoring station (stasiun) and day (waktu): air temperature (suhu)."
    engine = table_engine(tmp_path, "air", readings, "Daily Air Readings", about)
    answer = engine.answer("Which monitoring stations are in the air readings?")
    assert answer.text == (
        "“Daily Air Readings” has 8 rows; by stasiun: Alfa 3, Beta 3, Gamma 2: Alfa [1], Beta [2], Gamma [3]."
    ), answer.text
    assert all(verify_citation(c, engine.library) for c in answer.citations)
    # a date the question writes selects rows: those rows answer, as before
    dated = engine.answer("Which stations had readings on 2017-01-02?")
    assert "by stasiun" not in dated.text and all("2017-01-02" in c.quote for c in dated.citations)


def test_rows_with_none_of_what_the_question_names(tmp_path: Path) -> None:
    # "Kecamatan mana yang tidak punya sumur resapan maupun lubang biopori sama sekali?" listed
    # three unrelated rows: the two with 0 of both answer
    wells = "kecamatan,sumur,lubang\nAlfa,12,40\nBeta,0,0\nGamma,0,15\nDelta,7,0\nEpsilon,0,0\n"
    about = "Per district (kecamatan): infiltration wells (sumur) and biopore infiltration holes (lubang)."
    engine = table_engine(tmp_path, "wells", wells, "Sumur dan Lubang", about)
    both = engine.answer("Kecamatan mana yang tidak punya sumur maupun lubang sama sekali?")
    assert both.text.startswith("2 dari 5 baris “Sumur dan Lubang” memiliki sumur: 0 dan lubang: 0"), both.text
    # "infiltration" is in both glosses: the column whose words the question names all is the one
    wells_only = engine.answer("Which districts have no infiltration wells?")
    assert wells_only.text.startswith("3 of the 5 rows of “Sumur dan Lubang” have sumur: 0:"), wells_only.text


def test_no_extreme_is_read_from_a_table_lacking_a_name_the_question_writes(engine: AnswerEngine) -> None:
    # "Which TPS in Bandung has the largest capacity?" read the waste containers' table, which
    # never writes TPS: "Bak Panorama and Bak Perhutani have the largest kapasitas: 3"
    assert "has the largest" in engine.answer("Which park has the most visitors?").text
    assert "has the largest" not in engine.answer("Which TPS park has the most visitors?").text
