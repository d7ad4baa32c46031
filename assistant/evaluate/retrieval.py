"""Retrieval evaluation on a question set with gold evidence.

A question set is JSON Lines: {"id", "question", "language", "kind", "answerable",
"gold": [{"doc_id", "quote"}], "answer"}. A retrieved passage is relevant when it
belongs to a gold document and contains a gold quote (whitespace-insensitive).
Recall@k is the share of questions with a relevant passage in the top k; MRR and
nDCG@10 use binary relevance, the ideal ranking holding every relevant passage.
"""

from __future__ import annotations

import json
import math
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError
from assistant.index.library import Library
from assistant.search.retriever import MODES, Retriever


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    language: str
    kind: str
    answerable: bool
    gold: tuple[tuple[str, str], ...]
    answer: str | None = None


def load_questions(path: Path) -> list[Question]:
    """Read a question set; a malformed line is an error naming the line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}", "check the path") from None
    return parse_questions(lines, path)


def parse_questions(lines: Iterable[str], path: Path) -> list[Question]:
    """The questions of the JSON Lines `lines` read from `path`; blank lines are skipped, a
    malformed line is an error naming `path` and the line number."""
    questions = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            questions.append(
                Question(
                    id=str(raw["id"]),
                    question=raw["question"],
                    language=raw.get("language", "en"),
                    kind=raw.get("kind", "other"),
                    answerable=bool(raw.get("answerable", True)),
                    gold=tuple((g["doc_id"], g["quote"]) for g in raw.get("gold", [])),
                    answer=raw.get("answer"),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"{path}:{n}: not a valid question ({exc})", "see tests/eval/questions.jsonl") from None
    return questions


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def is_relevant(doc_id: str, text: str, gold: tuple[tuple[str, str], ...]) -> bool:
    norm = _norm(text)
    return any(doc_id == gd and _norm(quote) in norm for gd, quote in gold)


@dataclass
class Scores:
    """Accumulated metrics of one retriever configuration over some questions."""

    n: int = 0
    hits_at: dict[int, int] = field(default_factory=lambda: {1: 0, 5: 0, 10: 0})
    rr: float = 0.0
    ndcg: float = 0.0

    def add(self, ranks: list[int], n_relevant: int) -> None:
        """`ranks`: 1-based ranks of the relevant passages in the top 10."""
        self.n += 1
        first = min(ranks) if ranks else None
        for k in self.hits_at:
            self.hits_at[k] += int(first is not None and first <= k)
        self.rr += 1.0 / first if first else 0.0
        dcg = sum(1.0 / math.log2(r + 1) for r in ranks)
        ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(10, max(n_relevant, 1)) + 1))
        self.ndcg += dcg / ideal

    def as_dict(self) -> dict[str, float]:
        d = max(self.n, 1)
        return {
            "n": self.n,
            "recall@1": self.hits_at[1] / d,
            "recall@5": self.hits_at[5] / d,
            "recall@10": self.hits_at[10] / d,
            "mrr": self.rr / d,
            "ndcg@10": self.ndcg / d,
        }


def evaluate(
    library: Library,
    questions: list[Question],
    modes: tuple[str, ...] = MODES,
    retriever: Retriever | None = None,
) -> dict[str, Any]:
    """Metrics per retrieval mode, overall and per language and kind, with latency."""
    retriever = retriever or Retriever(library)
    answerable = [q for q in questions if q.answerable and q.gold]
    relevant_counts = {q.id: _count_relevant(library, q) for q in answerable}
    for mode in modes:  # warm up: load models, fill caches
        retriever.search("warm up", k=10, mode=mode)
    report: dict[str, Any] = {"questions": len(answerable), "modes": {}}
    per_question: dict[str, dict[str, int | None]] = defaultdict(dict)
    for mode in modes:
        groups: dict[str, Scores] = defaultdict(Scores)
        latencies = []
        for q in answerable:
            t = time.perf_counter()
            hits = retriever.search(q.question, k=10, mode=mode)
            latencies.append((time.perf_counter() - t) * 1000)
            ranks = [i for i, h in enumerate(hits, 1) if is_relevant(h.passage.doc_id, h.passage.text, q.gold)]
            for key in ("all", f"lang:{q.language}", f"kind:{q.kind}"):
                groups[key].add(ranks, relevant_counts[q.id])
            per_question[q.id][mode] = min(ranks) if ranks else None
        latencies.sort()
        report["modes"][mode] = {
            "groups": {k: v.as_dict() for k, v in sorted(groups.items())},
            "latency_ms": {
                "p50": statistics.median(latencies),
                "p95": latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))],
            },
        }
    report["per_question"] = dict(per_question)
    return report


def _count_relevant(library: Library, q: Question) -> int:
    return sum(
        is_relevant(p.doc_id, p.text, q.gold) for doc_id in {d for d, _ in q.gold} for p in library.passages_of(doc_id)
    )
