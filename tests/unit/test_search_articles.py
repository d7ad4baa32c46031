"""A question naming a Pasal goes to it, in the named regulation, with its Penjelasan after."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer import AnswerEngine
from assistant.config import Settings
from assistant.index.build import build_index
from assistant.index.library import Library
from assistant.model import Hit, SearchFilters
from assistant.search.articles import ArticleRef, article_of, missing_article, named_documents, reference_spans
from assistant.search.fusion import FusionWeights
from assistant.search.retriever import RetrievalConfig, Retriever

LONG = " ".join(
    f"Kalimat ke-{i} tentang kewajiban pengelola kawasan permukiman menyediakan fasilitas." for i in range(14)
)

UU = f"""# BAB III TUGAS DAN WEWENANG

## Bagian Kesatu Tugas

### Pasal 13

Pengelola kawasan permukiman wajib menyediakan fasilitas pemilahan sampah. {LONG}

### Pasal 14

Setiap produsen harus mencantumkan label atau tanda yang berhubungan dengan pengurangan sampah.

NOMOR 18 TAHUN 2008

Undang-Undang ini disahkan di Jakarta pada tanggal 7 Mei 2008.

### Pasal 130

Pasal ini berisi ketentuan peralihan tentang fasilitas pemilahan sampah kawasan.

# Penjelasan

## Pasal 13

Yang dimaksud dengan fasilitas pemilahan sampah adalah tempat sampah yang terpisah menurut jenisnya.

## Pasal 14

Cukup jelas.
"""

PP = """# BAB II PENGURANGAN SAMPAH

### Pasal 13

Pemerintah kabupaten/kota memfasilitasi penerapan teknologi ramah lingkungan untuk fasilitas pemilahan.

### Pasal 13A

Pasal sisipan tentang bank sampah dan fasilitas pemilahan di kawasan permukiman.
"""

PP_EXPLANATION = """# PENJELASAN ATAS PERATURAN PEMERINTAH

## II. PASAL DEMI PASAL

### Pasal 13

Teknologi ramah lingkungan adalah teknologi yang dapat mengurangi timbulan sampah sejak awal.
"""

PERDA = """# BAB IV KEWAJIBAN

### Pasal 13

Setiap warga kota wajib memilah sampah rumah tangga sebelum fasilitas pengangkutan datang.
"""

CATALOG = """
[[document]]
id = "uu-18-2008-pengelolaan-sampah"
path = "uu.md"
title = "Undang-Undang Republik Indonesia Nomor 18 Tahun 2008 tentang Pengelolaan Sampah"
type = "regulation"
language = "id"

[[document]]
id = "pp-81-2012"
path = "pp.md"
title = "PP No. 81 Tahun 2012 tentang Pengelolaan Sampah Rumah Tangga"
type = "regulation"
language = "id"

[[document]]
id = "pp-81-2012-penjelasan"
path = "pp-penjelasan.md"
title = "Penjelasan atas PP No. 81 Tahun 2012 tentang Pengelolaan Sampah Rumah Tangga"
type = "regulation"
language = "id"

[[document]]
id = "perda-bandung-18-2008"
path = "perda.md"
title = "Peraturan Daerah Kota Bandung Nomor 18 Tahun 2008 tentang Kebersihan"
type = "regulation"
language = "id"
"""


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    root = tmp_path_factory.mktemp("regulations")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in {
        "uu.md": UU,
        "pp.md": PP,
        "pp-penjelasan.md": PP_EXPLANATION,
        "perda.md": PERDA,
        "catalog.toml": CATALOG,
    }.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=root / "index", embedders=("fake",))
    build_index(settings)
    return Retriever(Library.open(settings))


def _routed(hits: list[Hit]) -> list[tuple[str, str, str]]:
    """(label, doc id, section) of the hits put first for a named article."""
    out = []
    for h in hits:
        label = "article" if "article" in h.scores else "explanation" if "explanation" in h.scores else None
        if label is None:
            break
        out.append((label, h.passage.doc_id, h.passage.section or ""))
    return out


@pytest.mark.parametrize(
    ("query", "ref"),
    [
        ("Apa isi Pasal 13 UU 18/2008?", ArticleRef("13", "18", "2008", "uu")),
        ("What does Article 13 of Law No. 18 of 2008 say?", ArticleRef("13", "18", "2008", "uu")),
        ("Pasal 13A Peraturan Pemerintah Nomor 81 Tahun 2012", ArticleRef("13A", "81", "2012", "pp")),
        ("Article 5 of Government Regulation 81/2012 on the law", ArticleRef("5", "81", "2012", "pp")),
        ("Pasal 2 Perda 1/2016", ArticleRef("2", "1", "2016", "perda")),
        ("Apa isi Pasal 14?", ArticleRef("14")),
        ("Which article of the study discusses waste?", None),
        ("Bandung and Kawasaki article 2015/2016", None),
    ],
)
def test_article_of(query: str, ref: ArticleRef | None) -> None:
    assert article_of(query) == ref


def test_the_named_pasal_comes_first_then_its_penjelasan(retriever: Retriever) -> None:
    hits = retriever.search("Apa isi Pasal 13 UU 18/2008?", k=6)
    routed = _routed(hits)
    uu = "uu-18-2008-pengelolaan-sampah"
    assert len(routed) >= 3  # Pasal 13 is two passages long
    assert all(doc == uu for _, doc, _ in routed)
    articles = [r for r in routed if r[0] == "article"]
    assert all(section.endswith("> Pasal 13") for _, _, section in articles)
    assert routed[len(articles) :] == [("explanation", uu, "Penjelasan > Pasal 13")]
    ordinals = [h.passage.ordinal for h in hits[: len(articles)]]
    assert ordinals == sorted(ordinals)  # in document order


def test_an_english_question_about_the_article_goes_to_it(retriever: Retriever) -> None:
    routed = _routed(retriever.search("What does Article 13 of Law 18/2008 say?", k=6))
    assert routed[0][:2] == ("article", "uu-18-2008-pengelolaan-sampah")
    assert ("explanation", "uu-18-2008-pengelolaan-sampah", "Penjelasan > Pasal 13") in routed


def test_the_penjelasan_may_be_a_separate_document(retriever: Retriever) -> None:
    routed = _routed(retriever.search("Penjelasan Pasal 13 PP 81/2012", k=5))
    assert routed == [
        ("article", "pp-81-2012", "BAB II PENGURANGAN SAMPAH > Pasal 13"),
        (
            "explanation",
            "pp-81-2012-penjelasan",
            "PENJELASAN ATAS PERATURAN PEMERINTAH > II. PASAL DEMI PASAL > Pasal 13",
        ),
    ]


def test_the_kind_of_regulation_tells_apart_two_of_the_same_number(retriever: Retriever) -> None:
    routed = _routed(retriever.search("Pasal 13 Perda 18/2008 tentang kebersihan", k=5))
    assert routed == [("article", "perda-bandung-18-2008", "BAB IV KEWAJIBAN > Pasal 13")]


def test_pasal_13_is_not_pasal_130_or_13a(retriever: Retriever) -> None:
    sections = {s for _, _, s in _routed(retriever.search("Pasal 13 UU 18/2008", k=10))}
    assert not any(s.endswith(("Pasal 130", "Pasal 13A")) for s in sections)
    routed = _routed(retriever.search("Pasal 13A PP 81/2012", k=5))
    assert routed == [("article", "pp-81-2012", "BAB II PENGURANGAN SAMPAH > Pasal 13A")]


def test_no_routing_without_such_a_regulation_or_article(retriever: Retriever) -> None:
    assert _routed(retriever.search("Apa isi Pasal 13 UU 99/2020?", k=5)) == []
    assert _routed(retriever.search("Apa isi Pasal 77 UU 18/2008?", k=5)) == []
    assert _routed(retriever.search("fasilitas pemilahan sampah", k=5)) == []
    off = Retriever(retriever.library, RetrievalConfig(articles=False))
    assert _routed(off.search("Apa isi Pasal 13 UU 18/2008?", k=5)) == []


def test_filters_still_hold(retriever: Retriever) -> None:
    only_pp = SearchFilters(doc_ids=frozenset({"pp-81-2012"}))
    hits = retriever.search("Apa isi Pasal 13 UU 18/2008?", k=5, filters=only_pp)
    assert {h.passage.doc_id for h in hits} == {"pp-81-2012"} and _routed(hits) == []


def test_a_pasal_without_a_regulation_goes_to_the_best_ranked_holder(retriever: Retriever) -> None:
    routed = _routed(retriever.search("Apa isi Pasal 14 tentang label produsen?", k=5))
    uu = "uu-18-2008-pengelolaan-sampah"
    assert routed == [
        ("article", uu, "BAB III TUGAS DAN WEWENANG > Bagian Kesatu Tugas > Pasal 14"),
        ("explanation", uu, "Penjelasan > Pasal 14"),
    ]


def test_numbered_articles_of_an_agreement(tmp_path: Path, fake_settings: Settings) -> None:
    build_index(fake_settings)
    routed = _routed(Retriever(Library.open(fake_settings)).search("What does Article 2 of the agreement say?", k=3))
    assert [(label, doc) for label, doc, _ in routed] == [("article", "agreement")]
    assert routed[0][2].endswith("Article 2 Funding")


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("What prison term does Law 18/2008 set?", {"uu-18-2008-pengelolaan-sampah"}),
        ("Apa isi peraturan 18/2008?", {"uu-18-2008-pengelolaan-sampah", "perda-bandung-18-2008"}),
        ("What does the Law No. 18 of 2008 say about Article 13?", {"uu-18-2008-pengelolaan-sampah"}),
        ("Perda 18/2008 tentang kebersihan", {"perda-bandung-18-2008"}),
        ("Metode apa menurut PP 81/2012?", {"pp-81-2012", "pp-81-2012-penjelasan"}),
        ("What does the waste law say about sorting?", set()),
        ("Apa isi PP 5/2019?", set()),
    ],
)
def test_the_regulation_a_question_names(retriever: Retriever, query: str, named: set[str]) -> None:
    assert {d.id for d in named_documents(retriever.library, query)} == named


def test_a_named_regulation_gains_its_bonus(retriever: Retriever) -> None:
    """'Law 18/2008' names the UU: with a bonus its passages outrank the Perda's on a
    question whose words the Perda matches better."""
    query = "Under Law No. 18 of 2008 must every city resident sort household waste before transport?"
    plain = {lang: FusionWeights(1.0, 1.0, 0.0) for lang in ("en", "id")}
    bonus = {lang: FusionWeights(1.0, 1.0, 0.0, named_document=2.0) for lang in ("en", "id")}
    # without the dictionary, whose Indonesian for the question's words finds the UU by itself
    before = Retriever(retriever.library, RetrievalConfig(weights=plain, dictionary=False)).search(query, k=3)
    after = Retriever(retriever.library, RetrievalConfig(weights=bonus, dictionary=False)).search(query, k=3)
    assert before[0].passage.doc_id == "perda-bandung-18-2008"
    assert after[0].passage.doc_id == "uu-18-2008-pengelolaan-sampah"


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("Berapa denda menurut UU 18/2008?", ["UU"]),
        ("What does Law No. 18 of 2008 say?", ["Law"]),
        ("Peraturan daerah mana yang mengubah Perda 18/2008?", ["Perda"]),  # the first is asked about
        ("What does the law say about sorting?", []),  # names no regulation
        ("Apa isi PP 5/2019?", []),  # not one of the library's
        ("Apa isi Pasal 13 ayat (2) UU 18/2008?", ["Pasal 13 ayat (2)", "UU"]),
        ("Under Law 18/2008, what does Article 40(1) say?", ["Law", "Article 40(1)"]),
        # the ministry between kind and number ("permen" alone is also 'candy': a missing word)
        ("Berapa denda menurut UU RI 18/2008?", ["UU RI"]),
        ("Berapa denda menurut UU Bandung 18/2008?", []),  # a name, not an issuer
    ],
)
def test_the_words_that_name_a_regulation(retriever: Retriever, query: str, words: list[str]) -> None:
    assert [query[a:b] for a, b in reference_spans(retriever.library, query)] == words


def test_a_regulations_kind_is_not_a_word_the_answer_must_hold(retriever: Retriever) -> None:
    """'UU' of 'menurut UU 18/2008' names the document; the answer need not say it (a word
    the library never uses counted as a missing name and drove refusals)."""
    engine = AnswerEngine(retriever.library, retriever)
    labels = [g.label for g in engine.profile("Berapa denda menurut UU 18/2008?").groups]
    assert "uu" not in labels and "denda" in labels and "18" in labels
    # the article named is where retrieval goes, not words or numbers the answer must hold
    # ("Article" counted as a missing name and refused "According to Article 12(3) ...")
    labels = [g.label for g in engine.profile("Berapa denda menurut Pasal 40 ayat (1) UU 18/2008?").groups]
    assert "denda" in labels and "18" in labels and not {"pasal", "40", "1"} & set(labels)


def test_a_sentence_that_only_repeats_the_question_is_no_candidate(retriever: Retriever) -> None:
    engine = AnswerEngine(retriever.library, retriever)
    question = "Kapan Undang-Undang Nomor 18 Tahun 2008 disahkan?"
    hits = retriever.search(question, k=4)
    texts = {h.passage.doc_id: retriever.library.text(h.passage.doc_id) for h in hits}
    units = {c.text.strip() for c in engine.candidates(hits, texts)}
    # the title block's line says only what names the law: a heading, never a candidate
    assert units and "NOMOR 18 TAHUN 2008" not in units
    # a question holding every word of a sentence: that sentence tells it nothing
    repeated = sorted(units, key=len)[0]
    kept = {c.text.strip() for c in engine.candidates(hits, texts, f"Apakah benar {repeated}?")}
    assert repeated not in kept and kept < units


def test_an_article_past_the_last_of_the_regulation_named_is_refused_as_such(retriever: Retriever) -> None:
    # "Apa isi Pasal 99 UU 18/2008?" quoted Pasal 49, the law's last, as if it were Pasal 99
    library = retriever.library
    missing = missing_article(library, "Apa isi Pasal 131 UU 18/2008?")
    assert missing is not None and (missing[0].id, missing[1], missing[2]) == (
        "uu-18-2008-pengelolaan-sampah",
        "131",
        "130",
    )
    assert missing_article(library, "Apa isi Pasal 13 UU 18/2008?") is None  # there
    assert missing_article(library, "Apa isi Pasal 20 UU 18/2008?") is None  # before the last: OCR may have missed it
    assert missing_article(library, "Apa isi Pasal 131?") is None  # no regulation named
    answer = AnswerEngine(library, retriever).answer("Apa isi Pasal 131 UU 18/2008?")
    assert answer.abstained and answer.refusal_reason == "no_article" and not answer.citations
    assert "berakhir pada Pasal 130; tidak ada Pasal 131" in answer.text
    english = AnswerEngine(library, retriever).answer("What does Article 131 of Law 18/2008 say?")
    assert english.abstained and "ends at Pasal 130; it has no Pasal 131" in english.text


def test_a_question_asking_a_pasals_content_gets_it_whole_then_its_penjelasan(retriever: Retriever) -> None:
    engine = AnswerEngine(retriever.library, retriever)
    quotes = [c.quote for c in engine.answer("Apa isi Pasal 13 PP 81/2012?").citations]
    assert quotes == [  # without the "Pasal 13" headings
        "Pemerintah kabupaten/kota memfasilitasi penerapan teknologi ramah lingkungan untuk fasilitas pemilahan.",
        "Teknologi ramah lingkungan adalah teknologi yang dapat mengurangi timbulan sampah sejak awal.",
    ]
    quotes = [c.quote for c in engine.answer("Apa isi Pasal 14 UU 18/2008?").citations]
    assert quotes and not any("Cukup jelas" in q for q in quotes)  # a Penjelasan that explains nothing stays out
