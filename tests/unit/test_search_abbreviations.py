"""A question spelling out what the library abbreviates finds the abbreviation too."""

from __future__ import annotations

import pytest

from assistant.answer import AnswerEngine
from assistant.search.abbreviations import Abbreviation, abbreviations, parenthesised, shortened, spelled_out
from assistant.search.definitions import abbreviated
from assistant.search.retriever import Retriever
from tests.conftest import built_library

PP = """# BAB I KETENTUAN UMUM

### Pasal 1

publik. 4 5 a Sama Daerah Dengan Daerah di Luar Negeri, yang selanjutnya disingkat KSDPL adalah usaha
bersama yang dilakukan oleh daerah dengan pemerintah daerah di luar negeri.
5. Kerja Sama Daerah Dengan Lembaga di Luar Negeri, yang selanjutnya disingkat KSDLL adalah usaha
bersama yang dilakukan oleh daerah dengan lembaga di luar negeri.

### Pasal 2

(1) Dalam kerja sama daerah dengan daerah lain, daerah diwakili oleh sekretaris daerah untuk rapat.

### Pasal 23

(1) Dalam KSDPL, daerah diwakili oleh gubernur atau bupati/wali kota yang bertindak untuk dan atas nama daerah.

### Pasal 24

(1) Kerja sama daerah dengan lembaga di luar negeri diwakili oleh kepala dinas di luar negeri.
"""

CATALOG = """
[[document]]
id = "pp-28-2018"
path = "pp.md"
title = "PP No. 28 Tahun 2018 tentang Kerja Sama Daerah"
type = "regulation"
language = "id"
"""

KSDPL = ("sama", "daerah", "dengan", "daerah", "di", "luar", "negeri")
TABLE = (
    Abbreviation("KSDLL", ("kerja", "sama", "daerah", "dengan", "lembaga", "di", "luar", "negeri")),
    Abbreviation("KSDPL", KSDPL),
    Abbreviation("TPA", ("tempat", "pemrosesan", "akhir")),
)


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    return Retriever(built_library(tmp_path_factory.mktemp("abbreviations"), {"pp.md": PP, "catalog.toml": CATALOG}))


def test_the_abbreviations_a_text_defines() -> None:
    # OCR lost "4. Kerja" and "Pemerintah": the long form is read back over its capitalised words.
    assert abbreviated(PP) == [
        ("Sama Daerah Dengan Daerah di Luar Negeri", "KSDPL"),
        ("Kerja Sama Daerah Dengan Lembaga di Luar Negeri", "KSDLL"),
    ]
    # a name that is no acronym is left out
    assert abbreviated("3. Daerah Kabupaten/Kota yang selanjutnya disebut Kabupaten/Kota adalah daerah.") == []
    assert parenthesised("the Joint Crediting Mechanism (JCM) and a memorandum of understanding (MoU)") == [
        ("Joint Crediting Mechanism", "JCM"),
        ("memorandum of understanding", "MoU"),
    ]


def test_a_library_reads_its_abbreviations(retriever: Retriever) -> None:
    table = abbreviations(retriever.library)
    assert Abbreviation("KSDPL", KSDPL) in table
    assert {a.short for a in table} == {"KSDPL", "KSDLL"}


def test_a_question_spelling_out_a_long_form() -> None:
    question = "Siapa yang mewakili daerah dalam kerja sama daerah dengan pemerintah daerah di luar negeri?"
    found = spelled_out(question, TABLE)
    # one word more than the damaged definition ("pemerintah"), and not KSDLL, whose "lembaga" it lacks
    assert [(s.short, question[s.start : s.end]) for s in found] == [
        ("KSDPL", "sama daerah dengan pemerintah daerah di luar negeri")
    ]
    assert shortened(question, TABLE) == "Siapa yang mewakili daerah dalam kerja KSDPL?"
    assert [s.short for s in spelled_out("Apa kewajiban pengelola Tempat Pemrosesan Akhir?", TABLE)] == ["TPA"]
    # words too far apart, or the acronym written too
    assert spelled_out("Di tempat mana sampah diproses sebelum pemrosesan akhir?", TABLE) == []
    assert spelled_out("Apa itu TPA (tempat pemrosesan akhir)?", TABLE) == []


def test_an_answer_finds_the_article_that_writes_only_the_abbreviation(retriever: Retriever) -> None:
    question = "Siapa yang mewakili daerah dalam kerja sama daerah dengan pemerintah daerah di luar negeri?"
    answer = AnswerEngine(retriever.library, retriever).answer(question)
    assert not answer.abstained
    assert answer.citations[0].quote.startswith("(1) Dalam KSDPL, daerah diwakili oleh gubernur")
