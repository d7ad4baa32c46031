"""When a regulation was enacted or promulgated is read from its closing formula."""

from __future__ import annotations

import pytest

from assistant.answer import AnswerEngine
from assistant.answer.enacted import asks_date
from tests.conftest import built_library

PERDA = """# BAB I KETENTUAN UMUM

### Pasal 1

Sampah adalah sisa kegiatan sehari-hari manusia yang berbentuk padat.

### Pasal 2

Peraturan Daerah ini mulai berlaku pada tanggal diundangkan.

Ditetapkan di Bandung
pada tanggal 6 April 2016

GUBERNUR JAWA BARAT,

ttd. AHMAD HERYAWAN

Diundangkan di Bandung
pada tanggal 7 April 2016
"""

CATALOG = """
[[document]]
id = "perda-jabar-1-2016"
path = "perda.md"
title = "Perda Provinsi Jawa Barat No. 1 Tahun 2016 tentang Pengelolaan Sampah"
type = "regulation"
language = "id"
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> AnswerEngine:
    return AnswerEngine(built_library(tmp_path_factory.mktemp("enacted"), {"perda.md": PERDA, "catalog.toml": CATALOG}))


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Kapan Perda Jabar 1/2016 ditetapkan?", "enacted"),
        ("When was Law 18/2008 enacted?", "enacted"),
        ("Kapan PP 81/2012 diundangkan?", "promulgated"),
        ("Kapan Perda Jabar 1/2016 berlaku?", None),
        ("Siapa yang menetapkan Perda Jabar 1/2016?", "signed"),
        ("Who signed Law 18/2008?", "signed"),
        ("Siapa yang mengelola sampah menurut Perda Jabar 1/2016?", None),
    ],
)
def test_what_date_a_question_asks(question: str, kind: str | None) -> None:
    assert asks_date(question) == kind


def test_the_dates_come_from_the_closing_formula(engine: AnswerEngine) -> None:
    enacted = engine.answer("Kapan Perda Jabar 1/2016 ditetapkan?")
    assert [" ".join(c.quote.split()) for c in enacted.citations] == ["Ditetapkan di Bandung pada tanggal 6 April 2016"]
    promulgated = engine.answer("Kapan Perda Jabar 1/2016 diundangkan?")
    assert [" ".join(c.quote.split()) for c in promulgated.citations] == [
        "Diundangkan di Bandung pada tanggal 7 April 2016"
    ]


def test_who_signed_is_read_from_the_closing_formula_with_the_name_under_it(engine: AnswerEngine) -> None:
    # "Who signed UU 18/2008?" had quoted the formula of promulgation and two other lines
    signed = engine.answer("Siapa yang menetapkan Perda Jabar 1/2016?")
    assert [" ".join(c.quote.split()) for c in signed.citations] == [
        "Ditetapkan di Bandung pada tanggal 6 April 2016 GUBERNUR JAWA BARAT, ttd. AHMAD HERYAWAN"
    ]


def test_a_filter_that_leaves_the_regulation_out_leaves_its_dates_out(engine: AnswerEngine) -> None:
    from assistant.model import DocType, SearchFilters

    answer = engine.answer(
        "Kapan Perda Jabar 1/2016 ditetapkan?", filters=SearchFilters(types=frozenset({DocType.STUDY}))
    )
    assert not any("Ditetapkan" in c.quote for c in answer.citations)
