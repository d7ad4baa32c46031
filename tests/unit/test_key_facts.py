"""How the answer benchmarks judge that an answer states a key fact
(assistant.evaluate.answers)."""

from __future__ import annotations

from assistant.evaluate.answers import answer_texts, holds_gold, states_key_fact
from assistant.model import Answer


def test_a_key_facts_numbers_must_all_be_stated() -> None:
    assert states_key_fact("5 mg/l; laundry", ["Deterjen Total mg/l 5 10"])
    assert not states_key_fact("waste from 2 or more regencies", ["sampah dari 3 kabupaten"])
    assert states_key_fact("1,600 tonnes", ["about 1600 tonnes a day"])


def test_a_citation_mark_is_not_a_number_of_the_answer() -> None:
    # "[2]" once counted as the "2" of "2 or more regencies/cities"
    answer = Answer(
        "q", "According to the Perda: “Penanganan sampah skala kawasan.” [1] “REGIONAL dihapus.” [2]", False, "en"
    )
    assert not states_key_fact("waste from 2 or more regencies/cities", answer_texts(answer))
    stated = Answer("q", "According to the Perda: “bersumber dari 2 (dua) Kabupaten/Kota atau lebih.” [1]", False, "en")
    assert states_key_fact("waste from 2 or more regencies/cities", answer_texts(stated))


def test_gold_spans_are_matched_as_squad_normalises_them() -> None:
    assert holds_gold("It opened in The 1990s.", ["the 1990s"])
    assert not holds_gold("It opened in 1999.", ["1990s"])
