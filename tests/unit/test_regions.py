"""Regions and the countries in them (`lang/regions.py`), and a table of partner cities
looked up and counted by the region a question names, on a synthetic library (fake
embedder): "Which European sister city ...?" had been refused, no row saying "European"."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer import AnswerEngine
from assistant.answer.count import table_count
from assistant.answer.lookup import table_lookup
from assistant.lang.regions import countries_in_regions, country_codes, region_names, regions_asked
from tests.conftest import built_library

PARTNERS_CSV = """No,Kota,Negara,Bidang
1,Alfaburg,Germany,"culture, sports"
2,Betastad,Belgium,"health, environment"
3,Gammaville,Ecuador,"arts, tourism"
4,Deltashi,Japan,"environment, education"
5,Epsilon Jaya,Malaysia,"trade, tourism"
6,Zetawon,South Korea,"trade, investment"
7,Etaton,United States of America,"industry, trade"
"""

CATALOG = """
[[document]]
id = "partners"
path = "partners.csv"
title = "Kota Mitra Kota Fiksi"
type = "data"
language = "id"
description = "SYNTHETIC. Partner cities (Kota), their country (Negara) and fields (Bidang)."
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> AnswerEngine:
    files = {"partners.csv": PARTNERS_CSV, "catalog.toml": CATALOG}
    return AnswerEngine(built_library(tmp_path_factory.mktemp("regions"), files))


def test_a_countrys_cell_names_its_regions_in_both_languages() -> None:
    assert region_names("Belgium") == (
        "belgia",
        "belgium",
        "Europe",
        "Eropa",
        "European",
        "Western Europe",
        "Eropa Barat",
    )
    assert "Amerika Selatan" in region_names("Ekuador") and "South American" in region_names("Ecuador")
    assert country_codes(["United States of America", "Korea Selatan", "Jepang"]) == {"US", "KR", "JP"}
    # a name holding a country's is no country, nor is a sentence
    assert region_names("Forum Indonesia Muda") == ()
    assert region_names("Japan cooperates with Bandung") == ()
    assert country_codes(["the Netherlands", "Kingdom of Belgium", "Republic of Korea"]) == {"NL", "BE", "KR"}


def test_a_question_names_regions_not_countries() -> None:
    [(said, codes)] = regions_asked("Kota mitra Bandung di Amerika Selatan apa?")
    assert said == "Amerika Selatan" and "EC" in codes and "US" not in codes
    [(said, codes)] = regions_asked("Which sister cities are in South-East Asia?")
    assert said == "Southeast Asia" and codes >= {"MY", "PH"} and "KR" not in codes
    # a country's name is not its continent's: "Amerika Serikat" is not the Americas
    assert regions_asked("Kota mitra di Amerika Serikat") == [] and regions_asked("in Japan") == []
    found = countries_in_regions("Which European sister city ...?")
    assert {"Belgium", "Belgia", "Germany", "Jerman"} <= set(found) and "Japan" not in found


def looked_up(engine: AnswerEngine, question: str, chosen_row: str) -> list[str]:
    ev = engine.gather(question)
    chosen = [next(c for c in ev.candidates if chosen_row in c.text)]
    return [c.text for c in table_lookup(engine.library, ev.profile, chosen, ev.texts, 4)]


def test_a_region_selects_the_rows_of_its_countries(engine: AnswerEngine) -> None:
    quotes = looked_up(engine, "Which European partner city works on health?", "Deltashi")
    assert len(quotes) == 1 and "Betastad" in quotes[0]
    # 'South Korea' is not 'Southeast' (a word's prefix): the region is the row's country
    quotes = looked_up(engine, "Which partner cities are in Southeast Asia?", "Deltashi")
    assert len(quotes) == 1 and "Epsilon Jaya" in quotes[0]
    # a region no row's country lies in drops the table
    assert looked_up(engine, "Kota mitra mana yang ada di Afrika?", "Deltashi") == []


def test_a_region_is_counted_with_its_name(engine: AnswerEngine) -> None:
    ev = engine.gather("Berapa kota mitra di Eropa?")
    counted = table_count(engine.library, ev.profile, ev.hits, ev.texts, 5)
    assert counted is not None and (counted.matched, counted.total) == (2, 7)
    assert counted.conditions == (("Negara", "Eropa"),)


def test_a_region_no_row_lies_in_is_said_so(engine: AnswerEngine) -> None:
    answer = engine.answer("Kota mitra mana yang ada di Afrika?")
    assert answer.abstained and answer.refusal_reason == "no_region"
    assert "tidak satu pun di wilayah yang ditanyakan" in answer.text
    assert engine.answer("Which partner cities are in Europe?").refusal_reason != "no_region"


def test_where_a_row_lies_is_asked_in_function_words(engine: AnswerEngine) -> None:
    # "Kota mitra Bandung mana saja yang berada di Jepang?" was refused: 'berada' ("is
    # located"), glossed 'rule' and 'confer', was a word the table had to hold
    ev = engine.gather("Kota mitra mana saja yang berada di Eropa?")
    counted = table_count(engine.library, ev.profile, ev.hits, ev.texts, 5)
    assert counted is not None and (counted.matched, counted.total) == (2, 7)


def test_a_table_in_a_text_is_about_what_its_text_says_when_a_region_selects_rows(tmp_path: Path) -> None:
    # "How many sister cities does Bandung have in Europe?" was refused: its table of partner
    # cities nowhere says "sister", the paper around it does
    paper = (
        "# Partners\n\nThe sister city ties of Kota Fiksi are many.\n\n"
        "Table 1. Partners of Kota Fiksi\n\nNo\tCity\tState\n1.\tAlfaburg\tGermany\n2.\tBetastad\tBelgium\n"
        "3.\tDeltashi\tJapan\n4.\tEtaton\tUnited States of America\n\nThe partners meet every year.\n"
    )
    engine = AnswerEngine(built_library(tmp_path, {"paper.md": paper}))
    ev = engine.gather("How many sister cities does Kota Fiksi have in Europe?")
    counted = table_count(engine.library, ev.profile, ev.hits, ev.texts, 5)
    assert counted is not None and (counted.matched, counted.total) == (2, 4)
    # words the text holds but no region: no count of the rows ("sister" is not a condition)
    ev = engine.gather("How many sister cities does Kota Fiksi have?")
    assert table_count(engine.library, ev.profile, ev.hits, ev.texts, 5) is None
