"""Fusion, dedup, filters, the dense spaces by role and the query length cap."""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib.resources import files

import numpy as np
import pytest

from assistant.config import Settings
from assistant.errors import QueryTooLongError
from assistant.index.build import build_index
from assistant.index.embed import HashEmbedder
from assistant.index.library import Library
from assistant.model import DocType, Hit, Passage, SearchFilters
from assistant.search.fusion import FusionWeights, boost_documents, deduplicate, learned_weights, rrf_fuse, score_fuse
from assistant.search.retriever import RetrievalConfig, Retriever


def test_rrf_rewards_agreement_and_respects_weights() -> None:
    rankings = {"a": [1, 2, 3], "b": [2, 3, 1]}
    assert rrf_fuse(rankings, {"a": 1.0, "b": 1.0}, k=60)[0][0] == 2
    assert rrf_fuse(rankings, {"a": 5.0, "b": 1.0}, k=60)[0][0] == 1
    assert rrf_fuse(rankings, {"a": 0.0, "b": 0.0}, k=60) == []


def test_score_fusion_keeps_a_confident_winner() -> None:
    # BM25 is far surer of passage 7; dense barely prefers passage 1 over 7.
    rankings = {"bm25": [(7, 12.0), (1, 2.0), (2, 1.5)], "dense": [(1, 0.52), (7, 0.51), (2, 0.30)]}
    fused = score_fuse(rankings, {"bm25": 1.0, "dense": 1.0})
    assert fused[0][0] == 7 and fused[0][1] > fused[1][1] + 0.5
    # Rank fusion only sees ranks: 7 and 1 tie.
    rrf = dict(rrf_fuse({n: [p for p, _ in r] for n, r in rankings.items()}, {"bm25": 1.0, "dense": 1.0}, 60))
    assert rrf[7] == pytest.approx(rrf[1])


def test_passages_in_the_other_language_take_the_cross_weights() -> None:
    # BM25 finds passage 1 (the query's language); only e5 finds passage 2 (the other one).
    rankings = {"bm25": [(1, 9.0), (3, 1.0)], "multilingual": [(2, 0.9), (1, 0.5), (3, 0.4)]}
    same = {"bm25": 1.0, "multilingual": 0.2}
    assert score_fuse(rankings, same)[0][0] == 1
    assert score_fuse(rankings, same, {"bm25": 1.0, "multilingual": 1.5}, cross={2})[0][0] == 2
    assert score_fuse(rankings, same, None, cross={2}) == score_fuse(rankings, same)


def test_the_learned_weights_are_a_data_file_that_says_where_they_came_from() -> None:
    raw = json.loads(files("assistant.search").joinpath("data", "fusion.json").read_text(encoding="utf-8"))
    assert {"fitted_by", "train", "check", "weights"} <= set(raw)
    weights = learned_weights()
    assert set(weights) == {"en", "id"} and all(isinstance(w, FusionWeights) for w in weights.values())
    assert RetrievalConfig().weights == weights
    assert FusionWeights(1.0, 0.0, 0.0, cross={"multilingual": 1.0}).used() == ("bm25", "multilingual")


def test_a_bonus_lifts_the_passages_of_the_named_documents() -> None:
    hits = [_hit(1, "a", 0, 10, "x"), _hit(2, "b", 0, 10, "y"), _hit(3, "b", 20, 30, "z")]
    assert [h.passage.id for h in boost_documents(hits, {"b"}, 1.0)] == [2, 3, 1]
    assert [h.passage.id for h in boost_documents(hits, set(), 1.0)] == [1, 2, 3]


def _hit(pid: int, doc: str, start: int, end: int, text: str) -> Hit:
    return Hit(Passage(pid, doc, pid, text, start, end), score=1.0 / pid)


def test_dedup_drops_overlapping_and_repeated_passages() -> None:
    hits = [
        _hit(1, "a", 0, 100, "the river was polluted by waste from the market " * 2),
        _hit(2, "a", 60, 160, "waste from the market and new words about composting here"),  # 40% overlap: kept
        _hit(3, "a", 20, 110, "mostly the same span as the first one, overlapping it heavily"),  # 90%: dropped
        _hit(4, "b", 0, 100, "the river was polluted by waste from the market " * 2),  # same text: dropped
        _hit(5, "c", 0, 50, "an unrelated passage about bus terminals"),
    ]
    assert [h.passage.id for h in deduplicate(hits, k=10)] == [1, 2, 5]
    assert [h.passage.id for h in deduplicate(hits, k=2)] == [1, 2]


def test_filters_by_type_language_year_and_id(fake_settings: Settings) -> None:
    build_index(fake_settings)
    retriever = Retriever(Library.open(fake_settings))
    only_data = retriever.search("river Sungai", k=10, filters=SearchFilters(types=frozenset({DocType.DATA})))
    assert {h.passage.doc_id for h in only_data} == {"rivers"}
    only_notes = retriever.search("river", k=10, filters=SearchFilters(doc_ids=frozenset({"notes"})))
    assert {h.passage.doc_id for h in only_notes} == {"notes"}
    assert retriever.search("river", k=10, filters=SearchFilters(languages=frozenset({"fr"}))) == []
    assert retriever.search("river", k=10, filters=SearchFilters(year_min=2000, year_max=2030)) == []


def test_each_mode_returns_per_retriever_scores(fake_settings: Settings) -> None:
    build_index(fake_settings)
    retriever = Retriever(Library.open(fake_settings))
    bm25 = retriever.search("Northbrook fund percent", k=3, mode="bm25")
    assert bm25[0].passage.doc_id == "agreement" and set(bm25[0].scores) == {"bm25"}
    hybrid = retriever.search("Northbrook fund percent", k=3, mode="hybrid")
    assert hybrid[0].passage.doc_id == "agreement" and "bm25" in hybrid[0].scores
    with pytest.raises(ValueError):
        retriever.search("x", mode="nonsense")


class CountingEmbedder(HashEmbedder):
    """The fake embedder, counting the queries it embeds."""

    def __init__(self) -> None:
        super().__init__()
        self.queries = 0

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queries += len(texts)
        return super().embed_queries(texts)


def test_the_english_dense_retriever_searches_the_space_of_that_role(fake_settings: Settings) -> None:
    build_index(fake_settings)
    library = Library.open(fake_settings)
    assert library.space_for("english") == "fake" and library.space_for("multilingual") is None
    ranked = Retriever(library).rankings("river care funding")
    assert set(ranked) == {"bm25", "dense"} and ranked["dense"]


def test_a_query_over_the_limit_is_refused_before_any_embedding(fake_settings: Settings) -> None:
    build_index(fake_settings)
    embedder = CountingEmbedder()
    retriever = Retriever(Library.open(fake_settings, {"fake": embedder}), RetrievalConfig(max_query_chars=40))
    assert retriever.search("x" * 40, k=3) is not None and embedder.queries == 1
    with pytest.raises(QueryTooLongError, match=r"41 characters long; the limit is 40"):
        retriever.search("x" * 41, k=3)
    with pytest.raises(QueryTooLongError):
        retriever.rankings("x" * 41)
    assert embedder.queries == 1


def test_the_query_limit_is_a_setting(fake_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    assert RetrievalConfig().max_query_chars == Settings().max_query_chars == 2000
    monkeypatch.setenv("MITRA_MAX_QUERY_CHARS", "25")
    assert RetrievalConfig().max_query_chars == 25
    build_index(fake_settings)
    with pytest.raises(QueryTooLongError, match="MITRA_MAX_QUERY_CHARS"):
        Retriever(Library.open(fake_settings)).search("river " * 100_000)
