"""Answer quality and speed on the question set: key fact stated, quotes verified,
refusal rates (all, odd and even question ids), p95 answer time.

    .venv/bin/python bench/answers.py [--questions tests/eval/questions.jsonl] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.core.answer import AnswerEngine, numbers_in, tokens, verify_citation  # noqa: E402
from assistant.core.evaluate import Question, is_relevant, load_questions  # noqa: E402
from assistant.core.lexical import STOPWORDS  # noqa: E402
from assistant.core.types import Answer  # noqa: E402

# Words of a key fact that are not the fact: yes/no, hedges, units.
_KEY_STOPWORDS = STOPWORDS | frozenset(
    """yes no were was is are been about around roughly approximately only both each all plus vs versus per unit units
    tonnes tonne ton t day days m m³ percent pp""".split()
)
_DATE = re.compile(r"\b(\d{1,2})-([A-Za-z]{3})-(\d{2})\b")


def key_units(key: str) -> tuple[set[str], set[str]]:
    """(numbers, word stems) that make up a key fact."""
    words = {w for w in re.findall(r"[^\W\d_]+", key.lower()) if w not in _KEY_STOPWORDS and len(w) > 1}
    return numbers_in(key), set(tokens(" ".join(words)))


def evidence_units(texts: list[str]) -> tuple[set[str], set[str]]:
    joined = "\n".join(texts)
    nums = numbers_in(joined)
    for d, _, yy in _DATE.findall(joined):  # 16-Dec-18 also reads as 16 ... 2018
        nums |= {str(int(d)), f"20{yy}"}
    return nums, set(tokens(joined))


def states_key_fact(key: str, texts: list[str], strict: bool = False) -> bool:
    """Every number of the key fact, and at least half of its numbers and words together,
    appear in `texts` (the answer and its quotes), after normalisation: case, stems,
    '1,600' = '1600', '2014.0' = '2014', '16-Dec-18' = 16 ... 2018."""
    k_nums, k_words = key_units(key)
    e_nums, e_words = evidence_units(texts)
    if not k_nums <= e_nums:
        return False
    if strict:
        units = len(k_nums) + len(k_words)
        return units == 0 or (len(k_nums) + len(k_words & e_words)) / units >= 0.5
    return bool(k_nums) or not k_words or len(k_words & e_words) / len(k_words) >= 0.5


def answer_texts(answer: Answer) -> list[str]:
    return [answer.text, *(c.quote for c in answer.citations)]


def run(engine: AnswerEngine, questions: list[Question], k: int = 8) -> dict[str, Any]:
    engine.answer("warm up: waste management in Bandung", k=k)
    engine.answer("berapa sampah di Kota Bandung", k=k)
    rows = []
    for q in questions:
        t = time.perf_counter()
        a = engine.answer(q.question, k=k)
        ms = (time.perf_counter() - t) * 1000
        rows.append(
            {
                "id": q.id,
                "language": q.language,
                "answerable": q.answerable,
                "abstained": a.abstained,
                "key_fact": bool(q.answer) and not a.abstained and states_key_fact(q.answer or "", answer_texts(a)),
                "gold_cited": any(is_relevant(c.doc_id, c.passage.text, q.gold) for c in a.citations),
                "gold_quoted": any(is_relevant(c.doc_id, c.quote, q.gold) for c in a.citations),
                "citations": len(a.citations),
                "verified": sum(verify_citation(c, engine.library) for c in a.citations),
                "ms": ms,
                "answer": a.text,
            }
        )
    return summarise(rows)


def _rate(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    n = len(rows)
    hits = sum(bool(r[key]) for r in rows)
    return {"n": n, "count": hits, "rate": hits / n if n else 0.0}


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def parity(r: dict[str, Any]) -> str:
        return "odd" if int(r["id"].lstrip("q")) % 2 else "even"

    report: dict[str, Any] = {"questions": len(rows)}
    for name, pick in (
        ("all", lambda r: True),
        ("en", lambda r: r["language"] == "en"),
        ("id", lambda r: r["language"] == "id"),
        ("odd", lambda r: parity(r) == "odd"),
        ("even", lambda r: parity(r) == "even"),
    ):
        sel = [r for r in rows if pick(r)]
        ans = [r for r in sel if r["answerable"]]
        una = [r for r in sel if not r["answerable"]]
        report[name] = {
            "key_fact": _rate(ans, "key_fact"),
            "gold_cited": _rate(ans, "gold_cited"),
            "gold_quoted": _rate(ans, "gold_quoted"),
            "answerable_refused": _rate(ans, "abstained"),
            "unanswerable_refused": _rate(una, "abstained"),
        }
    cites = sum(r["citations"] for r in rows)
    report["citations"] = {"total": cites, "verified": sum(r["verified"] for r in rows)}
    lat = sorted(r["ms"] for r in rows)
    report["latency_ms"] = {
        "p50": statistics.median(lat),
        "p95": lat[min(len(lat) - 1, int(0.95 * len(lat)))],
        "max": lat[-1],
    }
    report["rows"] = rows
    return report
