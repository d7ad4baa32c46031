"""A question asking what a defined term means goes to its definition."""

from __future__ import annotations

import pytest

from assistant.answer import AnswerEngine
from assistant.model import SearchFilters
from assistant.search.definitions import asked_kinds, asked_term, definition_span, kinds_span, terms_in
from assistant.search.retriever import RetrievalConfig, Retriever
from tests.conftest import built_library

PERDA = """# BAB I KETENTUAN UMUM

### Pasal 1

Dalam Peraturan Daerah ini yang dimaksud dengan:
10. Sampah adalah sisa kegiatan sehari-hari manusia dan/atau proses alam yang berbentuk padat.
21. Tempat Pengolahan dan Pemrosesan Akhir Sampah yang
selanjutnya disingkat TPPAS adalah tempat pengolahan sampah di satu kabupaten/kota.

### Pasal 1 (lanjutan)

22. Tempat Pengolahan dan Pemrosesan Akhir Sampah
Regional yang selanjutnya disebut TPPAS Regional adalah
tempat pengolahan sampah yang bersumber dari 2 (dua) Kabupaten/Kota atau lebih.

### Pasal 28

(1) Pemerintah Daerah menyelenggarakan pengelolaan sampah regional berupa pelayanan jasa TPPAS Regional.
(2) Lokasi TPPAS Regional ditetapkan bersama dengan Bupati/Wali Kota di lokasi TPPAS.
(3) Pengelolaan TPPAS Regional dilaksanakan melalui kesepakatan bersama antardaerah.
"""

PP = """# BAB I KETENTUAN UMUM

### Pasal 1

menguntungkan. 4. Kerja Sama Daerah Dengan Pemerintah Daerah di Luar Negeri, yang selanjutnya disingkat KSDPL
adalah usaha bersama yang dilakukan oleh daerah dengan pemerintah daerah di luar negeri.

5. Sampah adalah sisa kegiatan manusia yang diolah bersama daerah lain.

### Pasal 24

KSDPL terdiri atas: a. kerja sama provinsi kembar; b. kerja sama kabupaten/kota kembar; dan c. kerja sama lainnya.

### Pasal 25

KSDPL dilaksanakan oleh gubernur atau bupati/wali kota dan diwakili dalam penandatanganan kerja sama KSDPL.
"""

STUDY = """# KSDPL in practice

Bandung and Kawasaki run their KSDPL cooperation through yearly TPPAS Regional workshops and
joint visits; each KSDPL meeting reviews TPPAS Regional operations and waste banks.
"""

CATALOG = """
[[document]]
id = "perda-jabar-1-2016"
path = "perda.md"
title = "Perda Provinsi Jawa Barat No. 1 Tahun 2016 tentang Pengelolaan Sampah"
type = "regulation"
language = "id"

[[document]]
id = "pp-28-2018"
path = "pp.md"
title = "PP No. 28 Tahun 2018 tentang Kerja Sama Daerah"
type = "regulation"
language = "id"

[[document]]
id = "study"
path = "study.md"
title = "A study of the partnership"
type = "study"
language = "en"
"""


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    files = {"perda.md": PERDA, "pp.md": PP, "study.md": STUDY, "catalog.toml": CATALOG}
    return Retriever(built_library(tmp_path_factory.mktemp("definitions"), files))


def test_terms_a_text_defines() -> None:
    text = (
        "1. Sampah adalah sisa kegiatan.\n"
        "5. Daerah Kabupaten/Kota yang selanjutnyadisebut\nKabupaten/Kota adalah Daerah di Jawa Barat.\n"
        'Ayat (3) Yang dimaksud dengan "kondisi darurat" adalah kondisi di luar kemampuan manusia.\n'
        '"Party" means each city signing this Memorandum (hereinafter referred to as the "MoU").'
    )
    terms = terms_in(text)
    for term in [("sampah",), ("daerah", "kabupaten/kota"), ("kabupaten/kota",), ("kondisi", "darurat")]:
        assert term in terms
    assert ("party",) in terms and ("MoU",) in terms
    assert not any("yang" in t for t in terms)  # "... yang selanjutnyadisebut ..." is not a term


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("Apa yang dimaksud dengan KSDPL menurut PP 28/2018?", ("KSDPL",)),
        ("What makes a final processing site (TPPAS) regional?", ("TPPAS", "regional")),
        ("What is a TPPAS under the West Java regulation?", ("TPPAS",)),
        ("Apa pengertian sampah?", ("sampah",)),
        ("What is the deadline for the TPPAS operator?", None),  # asks no meaning
        ("Apa yang dimaksud dengan ksdpl?", None),  # an acronym only in capitals
        ("Who represents the region in a KSDPL?", None),
    ],
)
def test_the_term_a_question_asks_about(question: str, term: tuple[str, ...] | None) -> None:
    terms = [("KSDPL",), ("TPPAS",), ("TPPAS", "regional"), ("sampah",), ("tempat", "pemrosesan")]
    assert asked_term(question, terms) == term


def test_the_definition_comes_first(retriever: Retriever) -> None:
    hits = retriever.search("Apa yang dimaksud dengan KSDPL?", k=3)
    assert "definition" in hits[0].scores
    assert "yang selanjutnya disingkat KSDPL" in hits[0].passage.text
    hits = retriever.search("What makes a TPPAS regional?", k=3)
    assert "TPPAS Regional adalah" in hits[0].passage.text


def test_no_definition_first_unless_a_meaning_is_asked(retriever: Retriever) -> None:
    for q in ("Siapa yang mewakili daerah dalam KSDPL?", "Where is a TPPAS Regional located?"):
        assert not any("definition" in h.scores for h in retriever.search(q, k=5))
    plain = Retriever(retriever.library, RetrievalConfig(definitions=False))
    assert not any("definition" in h.scores for h in plain.search("Apa yang dimaksud dengan KSDPL?", k=5))


def test_a_filter_that_excludes_the_definition_keeps_it_out(retriever: Retriever) -> None:
    hits = retriever.search("Apa yang dimaksud dengan KSDPL?", k=3, filters=SearchFilters(doc_ids=frozenset({"study"})))
    assert hits and all(h.passage.doc_id == "study" for h in hits)


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("What forms can a sister-city cooperation (KSDPL) take?", ("KSDPL",)),
        ("Apa saja jenis tempat pemrosesan?", ("tempat", "pemrosesan")),
        ("Jenis sampah apa yang paling banyak di Bandung?", None),  # one common word: a table's question
        ("Who signs a KSDPL?", None),  # asks no kinds
    ],
)
def test_the_term_whose_kinds_a_question_asks_for(question: str, term: tuple[str, ...] | None) -> None:
    terms = [("KSDPL",), ("sampah",), ("tempat", "pemrosesan")]
    assert asked_kinds(question, terms) == term


def test_the_list_of_a_terms_kinds_comes_first(retriever: Retriever) -> None:
    hits = retriever.search("What forms can a KSDPL take?", k=3)
    assert "kinds" in hits[0].scores
    assert "KSDPL terdiri atas:" in hits[0].passage.text


def test_the_span_of_a_definition() -> None:
    text = (
        "pelayanan publik. percepatan 4 5 a Sama Daerah Dengan Daerah di Luar Negeri, yang selanjutnya "
        "disingkat KSDPL adalah usaha bersama daerah dengan pemerintah daerah di luar negeri. Kerja Sama "
        "Daerah Dengan Lembaga di Luar Negeri, yang selanjutnya disingkat KSDLL adalah usaha bersama."
    )
    a, b = definition_span(text, ("KSDPL",)) or (0, 0)
    assert text[a:b] == (
        "Sama Daerah Dengan Daerah di Luar Negeri, yang selanjutnya disingkat KSDPL adalah usaha bersama "
        "daerah dengan pemerintah daerah di luar negeri."
    )
    a, b = definition_span(text, ("KSDLL",)) or (0, 0)
    assert text[a:b].startswith("Kerja Sama Daerah Dengan Lembaga") and text[a:b].endswith("usaha bersama.")
    assert definition_span(text, ("KSDD",)) is None
    # a long name with its parenthesis: "Apa itu TPS 3R?" had quoted "yang selanjutnya disebut TPS 3R adalah ..."
    text = (
        "7. Tempat pengolahan sampah dengan prinsip 3R (reduce, reuse, recycle)\nyang selanjutnya disebut "
        "TPS 3R adalah tempat dilaksanakannya kegiatan pengumpulan."
    )
    a, b = definition_span(text, ("TPS", "3r")) or (0, 0)
    assert text[a:b].startswith("Tempat pengolahan sampah dengan prinsip 3R (reduce, reuse, recycle)")


def test_an_answer_to_a_meaning_quotes_the_definitions_only(retriever: Retriever) -> None:
    answer = AnswerEngine(retriever.library, retriever).answer("Apa yang dimaksud dengan TPPAS Regional?")
    assert not answer.abstained
    assert [c.quote for c in answer.citations] == [
        "Tempat Pengolahan dan Pemrosesan Akhir Sampah\nRegional yang selanjutnya disebut TPPAS Regional adalah\n"
        "tempat pengolahan sampah yang bersumber dari 2 (dua) Kabupaten/Kota atau lebih."
    ]


def test_each_document_defining_the_term_gives_its_definition_unless_one_is_named(retriever: Retriever) -> None:
    engine = AnswerEngine(retriever.library, retriever)
    both = engine.answer("Apa pengertian sampah?")
    assert sorted(c.doc_id for c in both.citations) == ["perda-jabar-1-2016", "pp-28-2018"]
    assert all(c.quote.startswith("Sampah adalah") for c in both.citations)
    named = engine.answer("Apa pengertian sampah menurut PP 28/2018?")
    assert [c.doc_id for c in named.citations] == ["pp-28-2018"]


def test_the_span_of_a_terms_list_of_kinds() -> None:
    text = "Pasal 24\n\nKSDPL terdiri atas:\na. kerja sama provinsi kembar;\nb. kerja sama kota; dan\nc. lainnya.\n"
    text += "Pasal 25"
    a, b = kinds_span(text, ("KSDPL",)) or (0, 0)
    assert text[a:b] == "KSDPL terdiri atas:\na. kerja sama provinsi kembar;\nb. kerja sama kota; dan\nc. lainnya."
    assert kinds_span(text, ("KSDD",)) is None


def test_an_answer_to_a_terms_kinds_quotes_its_list_whole(retriever: Retriever) -> None:
    answer = AnswerEngine(retriever.library, retriever).answer("What forms can a KSDPL take?")
    assert [c.quote for c in answer.citations] == [
        "KSDPL terdiri atas: a. kerja sama provinsi kembar; b. kerja sama kabupaten/kota kembar; dan "
        "c. kerja sama lainnya."
    ]


def test_the_penjelasans_plain_definitions_and_their_english_names() -> None:
    # "What is a sanitary landfill?" had missed PP 81/2012's Penjelasan: no quotes, "yaitu"
    text = (
        "Huruf a\n\nMetode lahan urug terkendali (controlled landfill) yaitu\nmetode pengurugan sampah, "
        "ditutup setiap tujuh hari.\n\nHuruf b\n\nYang dimaksud dengan lahan urug saniter (sanitary\n"
        "landfill) yaitu sarana pengurugan sampah, ditutup setiap hari.\n\nHuruf c\n\n"
        "Lima tahap penanganan yaitu pemilahan, pengumpulan, dan pengangkutan."
    )
    terms = terms_in(text)
    for term in [("sanitary", "landfill"), ("lahan", "urug", "saniter"), ("controlled", "landfill")]:
        assert term in terms
    assert ("lima", "tahap", "penanganan") not in terms  # a "yaitu" with no name in brackets lists, not defines
    a, b = definition_span(text, ("sanitary", "landfill")) or (0, 0)
    assert text[a:b] == (
        "Yang dimaksud dengan lahan urug saniter (sanitary\nlandfill) yaitu sarana pengurugan sampah, "
        "ditutup setiap hari."
    )
    a, b = definition_span(text, ("controlled", "landfill")) or (0, 0)
    assert text[a:b].startswith("Metode lahan urug terkendali (controlled landfill) yaitu")
    assert asked_term("What is a sanitary landfill?", terms) == ("sanitary", "landfill")


def test_a_term_inside_the_phrase_asked_is_not_the_one_asked() -> None:
    # "Apa itu bank sampah?" had quoted the definitions of "Sampah"
    terms = [("sampah",), ("sampah", "spesifik"), ("KSDPL",)]
    assert asked_term("Apa itu bank sampah?", terms) is None
    assert asked_term("Apa pengertian sampah spesifik menurut UU 18/2008?", terms) == ("sampah", "spesifik")
    assert asked_term("What is meant by a KSDPL?", terms) == ("KSDPL",)
    assert asked_term("What does KSDPL mean?", terms) == ("KSDPL",)  # no cue the term follows: anywhere


def test_a_blank_line_ocr_put_inside_a_definition_does_not_end_it() -> None:
    # Perda Jabar 1/2016, p. 5 (OCR): "Pengelola Sampah adalah institusi atau badan baik" had been the whole quote
    text = (
        "16. Pengelola Sampah adalah institusi atau badan baik\n\nPemerintah dan/atau Swasta yang melaksanakan\n"
        "pengelolaan sampah.\n\n17. Pengelolaan Sampah adalah kegiatan yang sistematis\n\n18. Sampah adalah sisa"
    )
    a, b = definition_span(text, ("pengelola", "sampah")) or (0, 0)
    assert text[a:b].endswith("pengelolaan sampah.")
    a, b = definition_span(text, ("pengelolaan", "sampah")) or (0, 0)
    assert text[a:b].endswith("yang sistematis")  # a blank line before a numbered item ends it
