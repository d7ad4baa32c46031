"""Quality gates on the real models and the real library: a regression fails the build.

Thresholds sit a little below the figures measured (`mitra eval`, 2026-12-06) on the
25-document library with Indonesian passages' English glosses (index format 8) and the
fusion weights of assistant/search/data/fusion.json (fitted on questions.jsonl, the
odd-numbered regulations and SQuAD TRAIN articles, with the general English -> Indonesian
dictionary for BM25; README): questions.jsonl (trained on): hybrid Recall@5 0.943 (English)
/ 0.933 (Indonesian), MRR 0.824. Not trained on: heldout.jsonl Recall@5 0.955 / 0.900, MRR
0.831; regulations.jsonl Recall@5 0.870 (English; CHECK half 0.909; 0.739 without the
glosses, 0.478 without the dictionary either; target 0.90 not met) / 0.933.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.evaluate.retrieval import evaluate, load_questions
from assistant.index.library import Library
from assistant.model import DocType, SearchFilters
from assistant.search.retriever import RetrievalConfig, Retriever
from tests.eval.conftest import REPO

pytestmark = [pytest.mark.model, pytest.mark.eval]

QUESTIONS = REPO / "tests" / "eval" / "questions.jsonl"
HELDOUT = REPO / "tests" / "eval" / "heldout.jsonl"
REGULATIONS = REPO / "tests" / "eval" / "regulations.jsonl"


@pytest.fixture(scope="module")
def report(real_library: Library) -> dict[str, Any]:
    return evaluate(real_library, load_questions(QUESTIONS), ("bm25", "dense", "multilingual", "hybrid"))


@pytest.fixture(scope="module")
def heldout(real_library: Library) -> dict[str, Any]:
    return evaluate(real_library, load_questions(HELDOUT), ("hybrid",))


@pytest.fixture(scope="module")
def regulations(real_library: Library) -> dict[str, Any]:
    return evaluate(real_library, load_questions(REGULATIONS), ("hybrid",))


def test_question_set_meets_its_brief() -> None:
    questions = load_questions(QUESTIONS)
    assert len(questions) >= 60
    assert sum(q.language == "id" for q in questions) >= 20
    assert sum(q.kind == "data" for q in questions) >= 10
    assert sum(not q.answerable for q in questions) >= 10


def test_hybrid_recall_and_mrr(report: dict[str, Any]) -> None:
    groups = report["modes"]["hybrid"]["groups"]
    assert groups["lang:en"]["recall@5"] >= 0.92
    assert groups["lang:id"]["recall@5"] >= 0.89
    assert groups["all"]["mrr"] >= 0.78
    assert groups["kind:data"]["recall@5"] >= 0.90


def test_hybrid_on_held_out_questions(heldout: dict[str, Any]) -> None:
    groups = heldout["modes"]["hybrid"]["groups"]
    assert groups["lang:en"]["recall@5"] >= 0.90
    assert groups["lang:id"]["recall@5"] >= 0.80  # measured 0.900
    assert groups["all"]["mrr"] >= 0.72


def test_hybrid_on_the_regulations(regulations: dict[str, Any]) -> None:
    groups = regulations["modes"]["hybrid"]["groups"]
    assert groups["lang:id"]["recall@5"] >= 0.87
    # English questions over Indonesian text: 0.870 (0.739 before the English glosses, 0.478
    # before the dictionary), short of the 0.90 target; a regression gate.
    assert groups["lang:en"]["recall@5"] >= 0.82


def test_hybrid_beats_each_retriever_alone(report: dict[str, Any]) -> None:
    hybrid = report["modes"]["hybrid"]["groups"]["all"]
    for mode in ("bm25", "dense", "multilingual"):
        alone = report["modes"][mode]["groups"]["all"]
        assert hybrid["recall@5"] >= alone["recall@5"], mode
        assert hybrid["ndcg@10"] > alone["ndcg@10"], mode


def test_indonesian_questions_find_english_evidence(report: dict[str, Any]) -> None:
    """The cross-lingual case: without the multilingual model and the glossary, the
    English dense model alone scores far lower on Indonesian questions."""
    hybrid = report["modes"]["hybrid"]["groups"]["lang:id"]["recall@5"]
    dense = report["modes"]["dense"]["groups"]["lang:id"]["recall@5"]
    assert hybrid >= dense + 0.15


def test_top_k_is_diverse(real_library: Library) -> None:
    hits = Retriever(real_library).search("Bandung Kawasaki cooperation waste management", k=10)
    for i, a in enumerate(hits):
        for b in hits[i + 1 :]:
            if a.passage.doc_id == b.passage.doc_id:
                shared = min(a.passage.end, b.passage.end) - max(a.passage.start, b.passage.start)
                assert shared <= 0.5 * min(len(a.passage.text), len(b.passage.text))


def test_filters_on_the_real_library(real_library: Library) -> None:
    retriever = Retriever(real_library)
    data = retriever.search("sungai tercemar berat", k=5, filters=SearchFilters(types=frozenset({DocType.DATA})))
    assert data and all(h.document and h.document.type is DocType.DATA for h in data)
    assert data[0].passage.doc_id == "kual-sungai"
    recent = retriever.search("cooperation", k=5, filters=SearchFilters(year_min=2020, year_max=2025))
    assert recent and all(h.document and h.document.year and 2020 <= h.document.year <= 2025 for h in recent)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Which TPS received the most waste in 2016?", "PASAR CIROYOM"),
        ("TPS mana yang menerima sampah paling banyak pada tahun 2016?", "PASAR CIROYOM"),
        ("Sungai mana yang skor STORET-nya paling rendah?", "Storet_Score: -38.0"),
    ],
)
def test_questions_about_a_tables_extreme(real_library: Library, question: str, expected: str) -> None:
    """No passage states an extreme: the row holding it must come first, from the right table."""
    top = Retriever(real_library).search(question, k=3)
    assert expected in top[0].passage.text


def test_reference_lists_yield_to_the_text(real_library: Library) -> None:
    def references(config: RetrievalConfig, question: str) -> int:
        hits = Retriever(real_library, config).search(question, k=5)
        return sum((h.passage.section or "").startswith("REFERENCES") for h in hits)

    for question in ("Kawasaki terletak di prefektur mana?", "Metode penelitian apa yang digunakan?"):
        assert references(RetrievalConfig(), question) < references(RetrievalConfig(bibliography_weight=1.0), question)
