"""Language: detection, stopwords, stems, Indonesian affixes, the glossary, language names."""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path

import pytest

from assistant.lang.cognates import cognates
from assistant.lang.detect import detect_language
from assistant.lang.glossary import dictionary_terms, english_terms, entries, expand, inflects, to_english
from assistant.lang.morph import is_prefixed, strip_affixes
from assistant.lang.names import language_name, own_name
from assistant.lang.stem import query_stems, stem_tokens
from assistant.lang.words import stopwords

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Kapan nota kesepahaman ditandatangani?", "id"),
        ("Berapa ton sampah plastik per hari?", "id"),
        ("Sungai mana yang tercemar berat?", "id"),
        ("Apa isi Pasal 13 UU 18/2008?", "id"),
        ("sampah", "id"),
        ("When was the memorandum of understanding signed?", "en"),
        ("What share of the air-quality programme does Japan fund?", "en"),
        ("What does Article 13 of Law 18/2008 say?", "en"),
        ("pilot project Nyengseret", "en"),
        # names carry no language: without masking them these two read as Indonesian
        ("composting Kawasaki", "en"),
        ("waste bank Bandung", "en"),
        ("", "en"),
        ("2016", "en"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_stopwords_come_from_the_data_files() -> None:
    assert {"the", "which"} <= stopwords("en") and "yang" not in stopwords("en")
    assert {"yang", "apakah"} <= stopwords("id") and "the" not in stopwords("id")
    assert stopwords() == stopwords("en") | stopwords("id")


def test_every_data_file_is_packaged() -> None:
    globs = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["assistant.lang"]
    data = [p for p in files("assistant.lang").joinpath("data").iterdir() if p.is_file()]
    assert data
    assert all(any(Path("data", p.name).match(g) for g in globs) for p in data)


def test_stems_per_language() -> None:
    assert stem_tokens("Cycling rivers") == ["cycl", "river"]
    assert stem_tokens("persampahan sampahnya", language="id") == ["sampah", "sampah"]
    assert stem_tokens("the river of waste", drop_stopwords=True) == ["river", "wast"]
    # a query word gives its English stem, then its Indonesian one where that differs
    assert query_stems("sampahnya rivers") == ["sampahnya", "sampah", "river", "rivers"]


@pytest.mark.parametrize(
    ("word", "roots"),
    [
        ("dicakup", ("cakup",)),
        ("airnya", ("air",)),
        ("tercemar", ("cemar",)),
        ("pengelolaan", ("elola", "elolaan", "pengelola")),  # the longest prefix 'peng', not 'pe'
        ("air", ()),
    ],
)
def test_strip_affixes(word: str, roots: tuple[str, ...]) -> None:
    assert strip_affixes(word) == roots


def test_is_prefixed() -> None:
    assert is_prefixed("tercemar", "cemar") and is_prefixed("berdampak", "dampak")
    assert not is_prefixed("product", "duct")


def test_glossary_translates_from_the_query_language_only() -> None:
    english = expand("air quality in Bandung")
    assert "kualitas udara" in english and "water" not in english
    indonesian = expand("Apakah warga tahu cara memilah sampah?")
    assert "residents" in indonesian and "waste" in indonesian and "tofu" not in indonesian
    assert "tahu" in expand("tofu factories and their wastewater")
    assert "tofu industry" in expand("limbah industri tahu")
    assert "heavily polluted" in expand("Sungai mana yang tercemar berat?")
    assert "truk" in expand("How many trucks in 2007?")
    assert expand("kualitas air", language="id") == "kualitas air water quality"  # the language may be given


def test_to_english_and_the_glossary_file() -> None:
    assert to_english("kerja sama berdampak pada masyarakat") == "cooperation impact pada community"
    assert len(entries()) == 256
    assert {e.direction for e in entries()} <= {"both", "id>en", "en>id"}


def test_language_names() -> None:
    assert language_name("id", "en") == "Indonesian" and language_name("en", "en") == "English"
    assert language_name("id", "id") == "Indonesia" and language_name("en", "id") == "Inggris"
    assert own_name("id") == "Bahasa Indonesia" and own_name("en") == "English"
    assert language_name("fr", "en") == "fr" and language_name("id") == "Indonesian"


def test_the_general_dictionary_translates_what_the_glossary_lacks() -> None:
    question = "What prison term does the law set for importing household waste?"
    plain, widened = expand(question, "en"), expand(question, "en", dictionary=True)
    assert "penjara" not in plain and "penjara" in widened  # prison: the dictionary's, not the glossary's
    assert "mengimpor" in widened  # importing -> import, found under its root
    assert widened.startswith(plain)  # the glossary's terms stay, the dictionary's are added
    assert dictionary_terms(["the", "does", "for"]) == []  # stopwords are not translated
    # an Indonesian query is not touched: the dictionary reads English to Indonesian only
    assert expand("Berapa lama pidana penjara?", "id", dictionary=True) == expand("Berapa lama pidana penjara?", "id")


def test_the_dictionary_file_names_its_source_and_licence() -> None:
    head = files("assistant.lang").joinpath("data", "dictionary-en-id.tsv").read_text("utf-8").splitlines()[:3]
    assert "FreeDict" in " ".join(head) and "CC BY-SA 3.0" in " ".join(head)


def test_the_lexicon_gives_an_indonesian_word_its_english() -> None:
    assert "customers" in english_terms(["pelanggan"])  # learned from the SQuAD question pairs
    assert "war" in english_terms(["perang"])
    assert english_terms(["dibentuknya"]) == english_terms(["bentuk"])  # found under its root
    assert english_terms(["yang", "dan", "untuk"]) == []  # function words are not translated
    assert english_terms(["xqzv"]) == []  # an unknown word gains nothing


def test_the_lexicon_file_names_its_sources() -> None:
    head = " ".join(files("assistant.lang").joinpath("data", "lexicon-id-en.tsv").read_text("utf-8").splitlines()[:5])
    assert "IBM Model 1" in head and "TRAIN articles" in head and "FreeDict" in head


def test_the_lexicon_gives_an_indonesian_query_english_words_when_asked() -> None:
    question = "Berapa banyak pelanggan air limbah?"
    assert expand(question, "id", lexicon=True) != expand(question, "id")
    assert "customers" in expand(question, "id", lexicon=True)
    assert "customers" in to_english(question, lexicon=True) and "customers" not in to_english(question)


def test_the_dictionary_translates_an_inflection_but_not_a_derivation() -> None:
    """A word missing from the dictionary takes the translations of the headword it inflects,
    found by their shared Snowball stem; a stem also shared by a derived word is not enough
    ('contain' is no 'container': "kontainer" and "peti kemas" are not what it means)."""
    assert inflects("sanctions", "sanction") and inflects("studies", "study")
    assert inflects("controlled", "control") and inflects("managing", "manage")
    assert not inflects("contain", "container") and not inflects("businesses", "busy")
    assert dictionary_terms(["sanctions"]) == ["sanksi"]
    assert "kontainer" not in dictionary_terms(["contain"])


def test_an_english_loanword_gets_its_indonesian_spelling() -> None:
    # "What forms can compensation take under PP 81/2012?" had no Indonesian for
    # "compensation": the dictionary lacks it, and the regulation says "kompensasi"
    assert cognates("compensation") == ("kompensasi",)
    assert cognates("sanctions") == ("sanksi",) and cognates("facilities") == ("fasilitas",)
    assert cognates("administrative") == ("administratif",) and cognates("national") == ("nasional",)
    assert cognates("categories") == ("kategori",) and cognates("technology") == ("teknologi",)
    assert cognates("waste") == () and cognates("take") == ()  # no borrowed ending: no guess
    assert "kompensasi" in dictionary_terms(["compensation"])
    assert "kompensasi" in expand("What forms can compensation take?", "en", dictionary=True)
