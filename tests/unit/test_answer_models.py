"""The learned parts of the answer engine: the JSON models and how they are applied, the
features they see, refusal reasons, and the antecedent of a sentence opening with an anaphor."""

from __future__ import annotations

import json
import math
from importlib.resources import files
from pathlib import Path

import pytest

from assistant.answer import AnswerEngine
from assistant.answer.citations import make_citations
from assistant.answer.features import LEXICAL, QUESTION, SEMANTIC
from assistant.answer.matching import Candidate
from assistant.answer.refusal import lacks_figure, with_figure
from assistant.answer.scoring import Logistic, Models, Trees
from assistant.answer.select import choose
from assistant.config import Settings
from assistant.index.build import build_index
from assistant.index.library import Library
from assistant.model import Hit, Passage, SearchFilters
from tests.conftest import built_library


@pytest.fixture
def engine(fake_settings: Settings) -> AnswerEngine:
    build_index(fake_settings)
    return AnswerEngine(Library.open(fake_settings))


def test_a_logistic_model_applies_its_standardised_weights() -> None:
    model = Logistic.from_json(
        "t", {"features": ["a", "b"], "mean": [1, 0], "scale": [2, 1], "coef": [1, -1], "intercept": 0.5}
    )
    (p,) = model.probs([{"a": 3.0, "b": 1.0}])
    assert p == pytest.approx(1 / (1 + math.exp(-0.5)))
    assert model.probs([{}])[0] == pytest.approx(1 / (1 + math.exp(-0.5)))  # missing reads as the mean
    assert model.probs([{"a": 1e9, "b": 0.0}])[0] == pytest.approx(1 / (1 + math.exp(-6.5)))  # clipped at 6


def test_boosted_trees_add_their_leaves_to_the_prior() -> None:
    # One stump on "a" (<= 2: -1, else +3) and one tree on "b" then "a".
    stump = {"left": [1, -1, -1], "right": [2, -1, -1], "feature": [0, -2, -2], "threshold": [2.0, 0, 0]}
    deeper = {
        "left": [1, 3, -1, -1, -1],
        "right": [2, 4, -1, -1, -1],
        "feature": [1, 0, -2, -2, -2],
        "threshold": [0.5, 1.0, 0, 0, 0],
        "value": [0, 0, 5.0, -2.0, 2.0],
    }
    model = Trees.from_json(
        "t",
        {
            "features": ["a", "b"],
            "mean": [3.0, 0.0],
            "prior": 0.25,
            "rate": 0.5,
            "trees": [stump | {"value": [0, -1.0, 3.0]}, deeper],
        },
    )
    logits = model.logits([{"a": 0.0, "b": 0.0}, {"a": 1.5, "b": 0.0}, {"a": 5.0, "b": 1.0}, {}])
    # a=0,b=0: -1 and -2; a=1.5,b=0: -1 and +2; a=5,b=1: +3 and +5; missing: a=3 (mean), b=0
    assert logits.tolist() == pytest.approx([0.25 - 1.5, 0.25 + 0.5, 0.25 + 4.0, 0.25 + 1.5 + 1.0])
    assert model.probs([{"a": 5.0, "b": 1.0}])[0] == pytest.approx(1 / (1 + math.exp(-4.25)))


def test_the_bundled_models_are_small_readable_json_over_known_features() -> None:
    for name, known in (
        ("sentence_first", LEXICAL),
        ("sentence_second", LEXICAL + SEMANTIC),
        ("refusal", QUESTION),
    ):
        raw = files("assistant.answer").joinpath("data", f"{name}.json").read_text(encoding="utf-8")
        data = json.loads(raw)
        assert set(data["features"]) <= set(known), name
        assert len(data["features"]) == len(data["mean"]), name
        if "trees" in data:
            assert all(len(t["left"]) == len(t["value"]) <= 15 for t in data["trees"]), name  # depth <= 3
        else:
            assert len(data["coef"]) == len(data["features"]) == len(data["scale"]), name
    models = Models.bundled()
    assert all(0.0 < float(t) < 1.0 for t in models.refusal.extra["threshold"].values())
    assert 0.0 < float(models.second.extra["extra_ratio"]) <= 1.0


def test_every_candidate_has_its_features(engine: AnswerEngine) -> None:
    ev = engine.gather("What share of the air monitoring programme does Northbrook fund?")
    # The fake embedder's index has no multilingual space: no semantic or e5 features
    # (read as their training mean); the real-model gates cover those.
    lexical = set(LEXICAL) - {"e5_passage"}
    assert all(lexical <= set(c.features) for c in ev.candidates)
    assert not any(set(SEMANTIC) & set(c.features) for c in ev.candidates)
    assert set(QUESTION) - {"e5_top", "sim_best", "sim_top", "sim_top_id"} <= set(ev.question)
    assert 0.0 <= ev.p_answer <= 1.0


def test_a_refusal_says_why(engine: AnswerEngine) -> None:
    answer = engine.answer("What was the population of Atlantis in 1850?")
    assert answer.abstained and answer.refusal_reason in ("nothing_relevant", "no_sentence")


def test_a_filter_that_excludes_the_answering_document_is_named_as_the_reason(engine: AnswerEngine) -> None:
    question = "What share of the air monitoring programme does Northbrook fund?"
    assert not engine.answer(question).abstained
    answer = engine.answer(question, filters=SearchFilters(doc_ids=frozenset({"rivers"})))
    assert answer.abstained and answer.refusal_reason == "filtered"
    assert "filter" in answer.text and answer.nearest is not None
    # it does not say the library lacks the answer: other documents hold it
    assert (
        answer.text.startswith("The documents the filter admits do not answer")
        and "library does not" not in answer.text
    )


def _cand(text: str, start: int, score: float) -> Candidate:
    passage = Passage(1, "d", 0, text, start, start + len(text))
    return Candidate(Hit(passage, 1.0, {}, None), start, start + len(text), text, score=score)


def test_a_sentence_opening_with_an_anaphor_brings_its_antecedent() -> None:
    before = _cand("Leadership changed three times and the budget was cut.", 0, 0.1)
    best = _cand("This becomes a challenge for the cooperation programmes.", 56, 0.9)
    assert [c.text for c in choose([best], before, 0.8, 4)] == [before.text, best.text]
    plain = _cand("The budget was cut by the council in 2019 and 2020.", 56, 0.9)
    assert choose([plain], before, 0.8, 4) == [plain]
    based = _cand("Based on this definition above, city networks are initiatives.", 56, 0.9)
    assert [c.text for c in choose([based], before, 0.8, 4)] == [before.text, based.text]


def test_the_next_sentence_pointing_back_to_the_best_goes_on_with_it() -> None:
    best = _cand("Many searches for free quarks have failed to observe one.", 0, 0.9)
    after = _cand("This phenomenon is called color confinement.", 58, 0.05)
    later = _cand("This one comes later in the document.", 120, 0.05)
    assert [c.text for c in choose([best], None, 0.8, 4, every=[later, after, best])] == [best.text, after.text]
    assert choose([best], None, 0.8, 4, every=[later, best]) == [best]  # not right after the best
    plain = _cand("Quarks carry a colour charge of three kinds.", 58, 0.05)
    assert choose([best], None, 0.8, 4, every=[plain, best]) == [best]  # no anaphor: not brought


def test_both_parties_point_back_but_both_named_ones_do_not() -> None:
    # "What did the 2020 renewal of the MoU cover?": the three programmes follow the best.
    best = _cand("In 2020, both parties agreed to extend the cooperation.", 0, 0.9)
    after = _cand("Both parties agreed to cooperate in 3 aspects: 1) water; 2) air; and 3) waste.", 56, 0.05)
    assert [c.text for c in choose([best], None, 0.8, 4, every=[after, best])] == [best.text, after.text]
    for text in ("Kedua pihak sepakat bekerja sama dalam 3 aspek.", "Keduanya sepakat bekerja sama."):
        assert choose([best], None, 0.8, 4, every=[_cand(text, 56, 0.05), best])[1:] != []
    for text in ("Both Bandung and Kawasaki signed it.", "Kedua, pemerintah kota menyusun rencana."):
        assert choose([best], None, 0.8, 4, every=[_cand(text, 56, 0.05), best]) == [best]


def test_a_further_sentence_brings_the_next_one_pointing_back_to_it_read_from_its_document() -> None:
    # "... followed by a memorandum of understanding in 2016." was kept third; the six fields
    # of the MoU followed it ("Their cooperation spanned several areas: 1) ...") in a passage
    # retrieval had not read.
    best = _cand("In 2016 both of them signed an MoU on the environment.", 0, 0.9)
    third = _cand("The two cities agreed on a memorandum of understanding in 2016.", 300, 0.8)
    fields = _cand("Their cooperation spanned several areas: 1) waste; 2) air quality.", 364, 0.0)
    following = {id(third): fields}
    chosen = choose([best, third], None, 0.5, 4, following=lambda c: following.get(id(c)))
    assert [c.text for c in chosen] == [best.text, third.text, fields.text]
    # at the limit, the sentence going on with the last one kept comes one past it
    at_limit = choose([best, third], None, 0.5, 2, following=lambda c: following.get(id(c)))
    assert [c.text for c in at_limit] == [best.text, third.text, fields.text]
    fourth = _cand("Kawasaki hosted a forum.", 600, 0.7)
    assert choose([best, third, fourth], None, 0.5, 1) == [best]  # no further sentence past it


def test_a_row_of_another_table_comes_as_a_sentence_does() -> None:
    # the TPS location table's row led; the TPS table's row (volumes, trips, schedule) was
    # left out, as if it were another record of the same table
    def row(doc: str, text: str, score: float) -> Candidate:
        passage = Passage(1, doc, 0, text, 0, len(text), rows="1")
        return Candidate(Hit(passage, 1.0, {}, None), 0, len(text), text, score=score)

    best = row("lokasi", "Row 113: nama_tps: NYENGSERET; latitude: -6.93", 0.45)
    other = row("tps", "Row 24: TPS: Nyengseret; Sampah_masuk: 60; Ritasi: 2", 0.39)
    same = row("lokasi", "Row 111: nama_tps: PETA; latitude: -6.94", 0.40)
    assert choose([best, other, same], None, 0.65, 4) == [best, other]


def test_further_sentences_need_the_learned_share_of_the_best(engine: AnswerEngine) -> None:
    a = _cand("Northbrook shall fund 60 percent of the programme.", 0, 0.8)
    b = _cand("Southport hosts the annual review meeting in March.", 60, 0.7)
    c = _cand("The partners exchange staff every single year.", 120, 0.2)
    assert choose([a, b, c], None, 0.5, 4) == [a, b]
    assert choose([a, b, c], None, 0.9, 4) == [a]


def test_a_refusal_says_nothing_is_relevant_when_e5_found_none_of_the_passages() -> None:
    from types import SimpleNamespace

    from assistant.answer.refusal import why_refused

    engine = SimpleNamespace(models=SimpleNamespace(refusal=SimpleNamespace(extra={"relevant_e5": 0.8})))
    hits = [object()]

    def reason(question: dict[str, float]) -> str:
        ev = SimpleNamespace(hits=hits, question=question)
        return why_refused(engine, "q", ev, None, None)  # type: ignore[arg-type]

    assert reason({"e5_top": 0.85, "sim_top": 0.8}) == "no_sentence"
    assert reason({"e5_top": 0.75, "sim_top": 0.8}) == "nothing_relevant"
    assert reason({"sim_top": 0.8}) == "nothing_relevant"  # e5 ran, and found none of the passages
    assert reason({}) == "no_sentence"  # no e5 at all: nothing to tell by


def test_a_figure_asked_and_quoted_nowhere_is_no_answer(engine: AnswerEngine, tmp_path: Path) -> None:
    # "How many waste banks does Surabaya have?" had quoted a sentence on Surabaya's 3R, no number
    notes = (
        "The partners exchange staff every year and report progress to both councils. The councils "
        "meet in the town hall. The staff visit the river and the market.\n"
    )
    plain = AnswerEngine(built_library(tmp_path / "plain", {"notes.txt": notes}))
    answer = plain.answer("How many staff do the partners exchange every year?")
    assert answer.abstained and answer.refusal_reason == "no_figure"
    assert "none gives the figure it asks for" in answer.text and answer.nearest
    counted = engine.answer("How many stalls gave organic waste to the composting pilot?")
    assert not counted.abstained and "forty stalls" in counted.text  # a number in words is a figure


def test_a_figure_only_the_filtered_out_documents_give_is_named_as_the_reason(tmp_path: Path) -> None:
    # "Berapa persen pengurangan sampah ...?" with the Indonesian documents only had said the
    # library gives no figure: the English abstract gives 17%
    notes = (
        "The partners exchange staff every year and report progress to both councils. The councils "
        "meet in the town hall. The staff visit the river and the market.\n"
    )
    report = "Every year the partners exchange twelve staff between the two town halls.\n"
    engine = AnswerEngine(built_library(tmp_path, {"notes.txt": notes, "report.txt": report}))
    question = "How many staff do the partners exchange every year?"
    assert "twelve staff" in engine.answer(question).text
    answer = engine.answer(question, filters=SearchFilters(doc_ids=frozenset({"notes"})))
    assert answer.abstained and answer.refusal_reason == "filtered"


@pytest.mark.parametrize(
    ("question", "quotes", "lacks"),
    [
        ("How many waste banks does Surabaya have?", ["Surabaya implemented the 3R approach."], True),
        ("How many waste banks does Surabaya have?", ["Surabaya has 120 waste banks."], False),
        ("How many pages was the statement?", ["It was a two-page statement."], False),
        ("Berapa nasabah bank sampah?", ["Row 85: Kategori: Bank Sampah RW; Alamat: Jl. Garuda"], True),
        ("Berapa nasabah bank sampah?", ["Bank sampah itu melayani ratusan nasabah."], False),
        ("Berapa persen sampah berkurang?", ["Sampah berkurang 17 ton."], True),  # a percentage asked
        ("Berapa persen sampah berkurang?", ["Sampah berkurang 17%."], False),
        ("How many waste banks were there in 2018?", ["In 2018 the city opened waste banks."], True),  # its own year
        # a question asking something besides the figure: its source, a name
        ("Which source gives the 2018 river pollution percentages?", ["Kualitas Air Sungai 2018"], False),
        ("Who funds how much of the programme?", ["Northbrook funds the programme."], False),
        # "one of", "salah satu" give no figure
        ("How many partners does Kawasaki have?", ["Kawasaki is one of the partners."], True),
        ("Berapa mitra Kawasaki?", ["Kawasaki adalah salah satu mitra."], True),
        # a figure of another subject: the quote opens with a name the question does not write
        ("What is the population of Kawasaki?", ["Bandung, a city with a population of 2.5 million."], True),
        ("Berapa jumlah penduduk Kawasaki?", ["Kota Bandung memiliki 2,5 juta penduduk."], True),
        ("What is the population of Kawasaki?", ["Kawasaki's population is 1.5 million."], False),
        ("What is the population of Kawasaki?", ["In 2020, the city had 1.5 million people."], False),
        ("How much carbon does the Amazon store?", ["Amazonian forests store 10% of carbon."], False),
        ("How many students does Harvard have?", ["The university has 20,000 students."], False),
    ],
)
def test_which_quotes_lack_the_figure_asked(question: str, quotes: list[str], lacks: bool) -> None:
    assert lacks_figure(question, quotes) is lacks


def test_a_figure_missing_from_the_quotes_is_taken_from_the_next_best_sentence() -> None:
    # "What share does Japan fund?" quoted two sentences on JICA's grants; the third best held 40%
    text = "Funding from JICA is a grant. Japan provides 40% of the budget. Japan also sends experts."
    grant, share, experts = (
        _cand(s, text.index(s), score)
        for s, score in (
            ("Funding from JICA is a grant.", 0.9),
            ("Japan provides 40% of the budget.", 0.5),
            ("Japan also sends experts.", 0.4),
        )
    )
    texts = {"d": text}
    quoted = make_citations([grant], texts, 1)
    question = "What share does Japan fund?"
    assert [c.quote for c in with_figure(question, quoted, [grant, share, experts], texts)] == [share.text]
    assert with_figure(question, quoted, [grant, experts], texts) == []  # none gives it: no answer
    assert with_figure("Who funds the programme?", quoted, [grant, share], texts) == quoted  # no figure asked


def test_a_vague_quantity_answers_how_many() -> None:
    # "Berapa banyak biomolekul yang tidak mengandung oksigen?" is answered by "Hanya beberapa"
    assert not lacks_figure("Berapa banyak biomolekul yang tidak mengandung oksigen?", ["Hanya beberapa biomolekul."])
    assert not lacks_figure("How many molecules lack oxygen?", ["Only a few molecules lack it."])
