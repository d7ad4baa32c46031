"""Looking a value up in a table (`answer/lookup.py`), on a synthetic library (fake
embedder): a chosen row gives way to the rows of its table that hold what the question
names; a year the table lacks drops the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer import AnswerEngine
from assistant.answer.lookup import dates_in, table_lookup
from assistant.answer.matching import Candidate, Evidence
from assistant.model import Hit, Passage
from tests.conftest import built_library

WASTE_CSV = """Tahun,Jenis_sampah,Prod_sampah,Persentase
2014,kertas,300.1,20.1
2014,plastik,250.2,16.2
2016,kertas,515.2,32.2
2016,plastik,28.8,1.8
2016,logam,68.8,4.3
2017,kertas,172.8,10.8
2017,plastik,188.8,11.8
"""

SOURCES_CSV = """Sumber,Prod_sampah
Pemukiman,1048.96
Pasar,300.32
Kantor,88.32
Fasilitas Publik,44.96
"""

LANDFILLS_CSV = """no,nama_tpa,keterangan
1,CICABE,DITUTUP PADA TAHUN 1998
2,PASIR IMPUN,DITUTUP PADA TAHUN 1999
3,LEUWIGAJAH,DITUTUP PADA TAHUN 2005
4,SARIMUKTI,BEROPERASI TAHUN 2006
"""

RIVERS_CSV = """No,Sungai,Storet_Score,Kategori
1,Sungai Alfa Middle Stream,-20,Cemar Sedang
2,Sungai Beta Middle Stream,-34,Cemar Berat
3,Sungai Gamma Upstream,0,Memenuhi
4,Sungai Delta Upstream,-12,Cemar Sedang
"""

AGENDA_CSV = """No,Tanggal,Kegiatan,Tempat
1,01-Jan-19,Sosialisasi Fiksi di masjid,Masjid Raya
2,05-Feb-19,Sosialisasi Fiksi bersama warga,Balai Kota
3,05-Mar-19,Sosialisasi gaya hidup nol sampah,Gedung Alfa
4,18-Mar-19,Sosialisasi gaya hidup nol sampah,Gedung Beta
5,20-Apr-19,Sosialisasi Fiksi di sekolah,Sekolah Gamma
"""

CATALOG = """
[[document]]
id = "waste"
path = "waste.csv"
title = "Komposisi Sampah Kota Fiksi"
type = "data"
language = "id"
description = "SYNTHETIC. Waste by kind (Jenis_sampah) and year, tonnes a day and share."

[[document]]
id = "sources"
path = "sources.csv"
title = "Sumber Sampah Kota Fiksi"
type = "data"
language = "id"
description = "SYNTHETIC. Waste by source (Sumber), tonnes a day."

[[document]]
id = "landfills"
path = "landfills.csv"
title = "Keterangan TPA Kota Fiksi"
type = "data"
language = "id"
description = "SYNTHETIC. Landfills (TPA) and when they closed or opened."

[[document]]
id = "rivers"
path = "rivers.csv"
title = "Kualitas Air Sungai Kota Fiksi"
type = "data"
language = "id"
description = "SYNTHETIC. River points, their STORET score and category."

[[document]]
id = "agenda"
path = "agenda.csv"
title = "Kegiatan Sosialisasi Fiksi"
type = "data"
language = "id"
description = "SYNTHETIC. Awareness sessions: date (Tanggal), activity (Kegiatan), place (Tempat)."
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> AnswerEngine:
    tables = {
        "waste": WASTE_CSV,
        "sources": SOURCES_CSV,
        "landfills": LANDFILLS_CSV,
        "rivers": RIVERS_CSV,
        "agenda": AGENDA_CSV,
    }
    files = {f"{name}.csv": text for name, text in tables.items()} | {"catalog.toml": CATALOG}
    return AnswerEngine(built_library(tmp_path_factory.mktemp("lookup"), files))


def row_of(engine: AnswerEngine, ev: Evidence, doc_id: str, holding: str) -> Candidate:
    """The candidate row of `doc_id` whose text holds `holding` (the row a model chose)."""
    for c in ev.candidates:
        if c.hit.passage.doc_id == doc_id and holding in c.text:
            return c
    raise AssertionError(f"no row of {doc_id} holds {holding!r}")


def looked_up(engine: AnswerEngine, question: str, doc_id: str, chosen_row: str) -> list[str]:
    ev = engine.gather(question)
    chosen = [row_of(engine, ev, doc_id, chosen_row)]
    return [c.text for c in table_lookup(engine.library, ev.profile, chosen, ev.texts, 4)]


def test_the_row_naming_the_year_and_the_kind_replaces_a_neighbour(engine: AnswerEngine) -> None:
    quotes = looked_up(
        engine, "Tahun 2016, sampah kertas menyumbang berapa persen?", "waste", "plastik; Prod_sampah: 28.8"
    )
    assert len(quotes) == 1
    assert "2016" in quotes[0] and "kertas" in quotes[0] and "32.2" in quotes[0]


def test_an_indonesian_affixed_word_finds_its_root_in_a_cell(engine: AnswerEngine) -> None:
    quotes = looked_up(engine, "Rata-rata sampah dari perkantoran berapa ton per hari?", "sources", "Pasar")
    assert len(quotes) == 1 and "Kantor" in quotes[0] and "88.32" in quotes[0]


def test_a_year_written_in_a_text_cell_selects_its_row(engine: AnswerEngine) -> None:
    quotes = looked_up(engine, "TPA mana yang ditutup tahun 1999?", "landfills", "CICABE")
    assert len(quotes) == 1 and "PASIR IMPUN" in quotes[0]


def test_a_year_the_table_lacks_drops_its_rows(engine: AnswerEngine) -> None:
    assert looked_up(engine, "Berapa ton sampah plastik pada tahun 2015?", "waste", "plastik; Prod_sampah: 28.8") == []


def test_words_every_row_holds_or_too_many_rows_leave_the_choice(engine: AnswerEngine) -> None:
    # 'sampah' names the table (every row); the chosen row stays
    assert looked_up(engine, "Berapa produksi sampah?", "sources", "Pasar") == [
        "Row 2: Sumber: Pasar; Prod_sampah: 300.32"
    ]
    # 'kertas' keeps 3 rows, within the limit; 'ton' names every row: the three, best scored first
    quotes = looked_up(engine, "Berapa ton sampah kertas?", "waste", "plastik; Prod_sampah: 28.8")
    assert len(quotes) == 3 and all("kertas" in q for q in quotes)


def test_the_engine_answers_with_the_looked_up_row(engine: AnswerEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    question = "Rata-rata sampah dari perkantoran berapa ton per hari?"
    ev = engine.gather(question)
    # The models chose the market's row, and are sure of it.
    wrong = row_of(engine, ev, "sources", "Pasar")
    ev.candidates = [wrong] + [c for c in ev.candidates if c is not wrong]
    for c in ev.candidates:
        c.score = 0.9 if c is wrong else 0.1
    ev.p_answer = 1.0
    monkeypatch.setattr(engine, "gather", lambda *a, **k: ev)
    answer = engine.answer(question)
    assert [c.quote for c in answer.citations] == ["Row 3: Sumber: Kantor; Prod_sampah: 88.32"]


def turned_down(engine: AnswerEngine, question: str, doc_id: str, best_row: str) -> list[str]:
    ev = engine.gather(question)
    best = row_of(engine, ev, doc_id, best_row)
    return [c.text for c in table_lookup(engine.library, ev.profile, [], ev.texts, 4, refused=best)]


def test_a_refused_question_the_table_covers_is_answered_by_its_rows(engine: AnswerEngine) -> None:
    quotes = turned_down(engine, "TPA mana yang ditutup tahun 2005?", "landfills", "CICABE")
    assert len(quotes) == 1 and "LEUWIGAJAH" in quotes[0]


def test_a_refused_question_naming_what_the_table_lacks_stays_refused(engine: AnswerEngine) -> None:
    # 'nasabah' (customers) is in no row nor in the table's catalogue entry
    assert turned_down(engine, "Berapa nasabah TPA yang ditutup tahun 2005?", "landfills", "CICABE") == []
    # the question's terms select every row: nothing was looked up
    assert turned_down(engine, "Apa keterangan TPA?", "landfills", "CICABE") == []


def test_the_most_selective_term_is_applied_first(engine: AnswerEngine) -> None:
    # 'middle' keeps two rows, 'memenuhi' one, which 'middle' would have left out
    quotes = looked_up(engine, "Middle stream mana yang memenuhi baku mutu?", "rivers", "Alfa")
    assert len(quotes) == 1 and "Gamma" in quotes[0]


def test_a_name_the_table_lacks_drops_its_rows(engine: AnswerEngine) -> None:
    assert looked_up(engine, "What was the STORET score of the Omega River?", "rivers", "Alfa") == []
    assert looked_up(engine, "Berapa kadar BOD Sungai Gamma?", "rivers", "Alfa") == []  # no BOD column
    quotes = looked_up(engine, "What was the STORET score of the Gamma River?", "rivers", "Alfa")
    assert len(quotes) == 1 and "Gamma" in quotes[0]


def test_a_short_date_is_looked_up_by_its_day_month_and_year(engine: AnswerEngine) -> None:
    # "05-Mar-19" is 5 March 2019; the row number 5 ("No") names nothing; after the day kept
    # two rows, the month (in 2 of 5 rows) tells them apart, not "Fiksi" (in 3 of 5)
    quotes = looked_up(engine, "Di mana Sosialisasi Fiksi pada 5 Maret 2019?", "agenda", "Gedung Beta")
    assert len(quotes) == 1 and "Gedung Alfa" in quotes[0]


def test_rows_the_question_picks_none_of_give_way_to_prose(engine: AnswerEngine) -> None:
    """A row leading only because every row of its table is alike to the question ("per
    hari" of the table by source) is no answer beside a sentence: the sentence answers, with
    the rows of another table that the question picks out."""
    question = "Berapa produksi sampah kertas per hari?"
    ev = engine.gather(question)
    text = "The city produced around 1,600 m3 a day of waste."
    prose = Candidate(Hit(Passage(99, "study", 0, text, 0, len(text)), 1.0, {}, None), 0, len(text), text)
    market = row_of(engine, ev, "sources", "Pasar")
    paper = row_of(engine, ev, "waste", "kertas")
    plastic = row_of(engine, ev, "waste", "plastik")
    kept = table_lookup(engine.library, ev.profile, [market, prose, paper, plastic], ev.texts, 4)
    assert [c.text for c in kept] == [text, paper.text]
    # without a sentence beside them, the rows stay: they are all there is
    assert table_lookup(engine.library, ev.profile, [market], ev.texts, 4) == [market]


def test_a_name_the_question_excepts_leaves_its_rows_out(engine: AnswerEngine) -> None:
    # "Apart from Kawasaki, which Japanese partner city ...?" had given Kawasaki's row
    quotes = looked_up(
        engine, "Selain Kertas, sampah apa yang tercatat tahun 2014?", "waste", "2014; Jenis_sampah: kertas"
    )
    assert len(quotes) == 1 and "plastik" in quotes[0] and "2014" in quotes[0]


def test_a_date_the_question_writes_is_one_value() -> None:
    # "What was the PM2.5 at Dago station on 2017-01-01?" quoted the rows of 19 and 20 January
    assert dates_in("on 2017-01-01") == {(2017, 1, 1)}
    assert dates_in("pada 5 Maret 2019 dan March 6, 2019; 05-Mar-19") == {(2019, 3, 5), (2019, 3, 6)}
    assert dates_in("in 2017, January") == set()


def test_a_row_is_looked_up_by_its_whole_date(engine: AnswerEngine) -> None:
    quotes = looked_up(engine, "Kegiatan Fiksi apa yang diadakan pada 5 March 2019?", "agenda", "01-Jan-19")
    assert len(quotes) == 1 and "05-Mar-19" in quotes[0]
    # the day alone is no row's value: "5" of the date selects nothing by itself
    quotes = looked_up(engine, "Kegiatan apa pada 18 Maret 2019?", "agenda", "01-Jan-19")
    assert len(quotes) == 1 and "18-Mar-19" in quotes[0]


def test_a_row_of_another_table_lacking_a_name_the_question_asks_leaves(engine: AnswerEngine) -> None:
    # "Berapa kadar CO di Margahayu Raya?" had quoted a container's row at Margahayu Raya too
    question = "Berapa skor STORET Sungai Beta?"
    ev = engine.gather(question)
    beta, paper = row_of(engine, ev, "rivers", "Sungai Beta"), row_of(engine, ev, "waste", "kertas")
    kept = table_lookup(engine.library, ev.profile, [beta, paper], ev.texts, 4)
    assert [c.text for c in kept] == [beta.text]


def test_a_date_no_row_holds_is_no_answer_and_its_month_is_no_name(engine: AnswerEngine) -> None:
    # "What was the NO2 at Ujungberung on 2017-03-31?" quoted 17 and 19 March; "... pada 1
    # Februari 2017?" was refused, "Februari" read as a name the table lacks
    assert looked_up(engine, "Kegiatan apa pada 19 Maret 2019?", "agenda", "01-Jan-19") == []
    quotes = looked_up(engine, "Kegiatan apa yang diadakan pada 5 Februari 2019?", "agenda", "01-Jan-19")
    assert len(quotes) == 1 and "05-Feb-19" in quotes[0]


def test_an_excepted_name_of_several_words_leaves_only_the_row_naming_it_all(engine: AnswerEngine) -> None:
    # "... paling buruk selain Terminal Cicaheum?" had kept Cicaheum ("Cicaheum" selected it)
    question = "Sungai apa yang Cemar Sedang selain Sungai Alfa Middle Stream?"
    quotes = looked_up(engine, question, "rivers", "Sungai Beta")
    assert len(quotes) == 1 and "Delta" in quotes[0]


def test_a_name_the_question_writes_is_not_lost_to_a_more_selective_word(tmp_path: Path) -> None:
    # "Sungai Cipamokolan bagian hilir (down stream)" quoted 'Sungai Cikapundung Kolot
    # Downstream', the one row writing 'Downstream' ('hilir') as one word
    rivers = "No,Sungai,Kategori\n1,Sungai Cipa Down Stream,Cemar Sedang\n2,Sungai Cipa Middle Stream,Cemar Berat\n"
    rivers += "3,Sungai Cipa Upstream,Memenuhi\n4,Sungai Kolot Downstream,Cemar Berat\n5,Sungai Lain Upstream,Baik\n"
    engine = AnswerEngine(built_library(tmp_path, {"rivers.csv": rivers}))
    quotes = looked_up(engine, "Bagaimana kategori Sungai Cipa bagian hilir (down stream)?", "rivers", "Cipa Middle")
    assert len(quotes) == 1 and "Sungai Cipa Down Stream" in quotes[0]
