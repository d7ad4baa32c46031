"""Answer quality and speed on the question set (docs/answers.md explains every figure).

    .venv/bin/python bench/answers.py [--questions tests/eval/questions.jsonl] [--index DIR] [--json]

1. Calibration: the refusal threshold is chosen on the odd-numbered questions only
   (the even ones are held out): the largest share of unanswerable questions refused
   while at most 5% of answerable ones are, at the middle of the range of thresholds
   that achieve it.
2. Quality with the shipped threshold (`AnswerConfig.min_score`), on all questions,
   English and Indonesian, odd and even: key fact stated, gold evidence cited,
   refusals, and whether every displayed quote verifies.
3. Speed: per question, retrieval included, models loaded and warmed up: p50, p95.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.answer import AnswerEngine
from assistant.cite.quotes import verify_citation
from assistant.config import Settings
from assistant.evaluate.answers import answer_texts, states_key_fact
from assistant.evaluate.retrieval import Question, is_relevant, load_questions
from assistant.index.library import Library

REPO = Path(__file__).resolve().parent.parent
MAX_ANSWERABLE_REFUSED = 0.05

# -- calibration ------------------------------------------------------------------------------


def is_odd(q: Question) -> bool:
    return int(re.sub(r"\D", "", q.id) or 0) % 2 == 1


def best_scores(engine: AnswerEngine, questions: list[Question], k: int = 8) -> dict[str, float]:
    """The score of the best sentence found for each question (what the threshold cuts)."""
    return {q.id: engine.gather(q.question, k).best_score for q in questions}


def calibrate(
    scores: dict[str, float], questions: list[Question], budget: float = MAX_ANSWERABLE_REFUSED
) -> tuple[float, float, float]:
    """The threshold refusing the most unanswerable questions while refusing at most `budget`
    of the answerable ones; the middle of the range of such thresholds. Returns (threshold,
    answerable refused, unanswerable refused) on `questions`."""
    values = sorted({scores[q.id] for q in questions})
    cuts = [0.0] + [(a + b) / 2 for a, b in itertools.pairwise(values)] + [values[-1] + 1e-6]
    answerable = [scores[q.id] for q in questions if q.answerable]
    unanswerable = [scores[q.id] for q in questions if not q.answerable]
    best: tuple[float, list[float]] = (-1.0, [])
    for cut in cuts:
        refused_ok = sum(s < cut for s in answerable) / max(1, len(answerable))
        if refused_ok > budget:
            continue
        refused_un = sum(s < cut for s in unanswerable) / max(1, len(unanswerable))
        if refused_un > best[0]:
            best = (refused_un, [cut])
        elif refused_un == best[0]:
            best[1].append(cut)
    lo, hi = min(best[1]), max(best[1])
    # The cuts achieving the best rate form a range of scores; take its middle.
    below = max((v for v in values if v < lo), default=0.0)
    above = min((v for v in values if v >= hi), default=hi)
    threshold = (below + above) / 2 if lo != hi else lo
    refused_ok = sum(s < threshold for s in answerable) / max(1, len(answerable))
    refused_un = sum(s < threshold for s in unanswerable) / max(1, len(unanswerable))
    return threshold, refused_ok, refused_un


# -- the run ----------------------------------------------------------------------------------


def run(engine: AnswerEngine, questions: list[Question], k: int = 8) -> dict[str, Any]:
    """Answer every question once; quality and latency per question, then the summary."""
    for warm in ("warm up: waste management in Bandung", "berapa sampah di Kota Bandung"):
        engine.answer(warm, k=k)
    rows = []
    for q in questions:
        t = time.perf_counter()
        a = engine.answer(q.question, k=k)
        ms = (time.perf_counter() - t) * 1000
        texts = answer_texts(a)
        stated = bool(q.answer) and not a.abstained
        rows.append(
            {
                "id": q.id,
                "language": q.language,
                "answerable": q.answerable,
                "odd": is_odd(q),
                "abstained": a.abstained,
                "key_fact": stated and states_key_fact(q.answer or "", texts),
                "key_fact_strict": stated and states_key_fact(q.answer or "", texts, strict=True),
                "gold_cited": any(is_relevant(c.doc_id, c.passage.text, q.gold) for c in a.citations),
                "gold_quoted": any(is_relevant(c.doc_id, c.quote, q.gold) for c in a.citations),
                "sentences": len(a.citations),
                "verified": sum(verify_citation(c, engine.library) for c in a.citations),
                "ms": ms,
                "answer": a.text,
            }
        )
    return summarise(rows)


def _rate(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    hits = sum(bool(r[key]) for r in rows)
    return {"n": len(rows), "count": hits, "rate": hits / len(rows) if rows else 0.0}


GROUPS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "all": lambda r: True,
    "en": lambda r: r["language"] == "en",
    "id": lambda r: r["language"] == "id",
    "odd": lambda r: r["odd"],
    "even": lambda r: not r["odd"],
}


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    report: dict[str, Any] = {"questions": len(rows)}
    for name, pick in GROUPS.items():
        ans = [r for r in rows if pick(r) and r["answerable"]]
        una = [r for r in rows if pick(r) and not r["answerable"]]
        report[name] = {
            "key_fact": _rate(ans, "key_fact"),
            "key_fact_strict": _rate(ans, "key_fact_strict"),
            "gold_cited": _rate(ans, "gold_cited"),
            "gold_quoted": _rate(ans, "gold_quoted"),
            "answerable_refused": _rate(ans, "abstained"),
            "unanswerable_refused": _rate(una, "abstained"),
        }
    answered = [r for r in rows if not r["abstained"]]
    report["sentences_per_answer"] = statistics.mean(r["sentences"] for r in answered) if answered else 0.0
    report["citations"] = {"shown": sum(r["sentences"] for r in rows), "verified": sum(r["verified"] for r in rows)}
    lat = sorted(r["ms"] for r in rows)
    report["latency_ms"] = {
        "p50": statistics.median(lat),
        "p95": lat[min(len(lat) - 1, int(0.95 * len(lat)))],
        "max": lat[-1],
    }
    report["rows"] = rows
    return report


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--questions", type=Path, default=REPO / "tests/eval/questions.jsonl")
    ap.add_argument("--index", type=Path, help="index folder (default: ./index)")
    ap.add_argument("-k", type=int, default=8, help="passages read per question (default 8)")
    ap.add_argument("--json", action="store_true", help="print the full report as JSON")
    args = ap.parse_args()

    settings = Settings(index_dir=args.index) if args.index else Settings()
    library = Library.open(settings)
    questions = load_questions(args.questions)
    engine = AnswerEngine(library)
    scores = best_scores(engine, questions, args.k)
    odd = [q for q in questions if is_odd(q)]
    threshold, ok_refused, un_refused = calibrate(scores, odd)
    shipped = engine.config.min_score
    report = run(engine, questions, args.k)
    report["calibration"] = {
        "on": "odd question ids",
        "threshold": threshold,
        "answerable_refused_odd": ok_refused,
        "unanswerable_refused_odd": un_refused,
        "shipped_min_score": shipped,
    }
    if abs(round(threshold, 2) - shipped) > 0.005:
        tuned = run(AnswerEngine(library, config=replace(engine.config, min_score=threshold)), questions, args.k)
        report["with_calibrated_threshold"] = {g: tuned[g] for g in GROUPS}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    print(
        f"calibrated on odd ids: threshold {threshold:.3f} (shipped {shipped:.2f}); odd: "
        f"{ok_refused:.1%} of answerable refused, {un_refused:.1%} of unanswerable refused"
    )
    print(f"{'group':6} {'key fact':>14} {'strict':>14} {'gold cited':>14} {'ans. refused':>13} {'unans. refused':>15}")
    for g in GROUPS:
        m = report[g]

        def cell(key: str, m: dict[str, Any] = m) -> str:
            return f"{m[key]['count']}/{m[key]['n']} {m[key]['rate']:.1%}"

        print(
            f"{g:6} {cell('key_fact'):>14} {cell('key_fact_strict'):>14} {cell('gold_cited'):>14} "
            f"{cell('answerable_refused'):>13} {cell('unanswerable_refused'):>15}"
        )
    c = report["citations"]
    lat = report["latency_ms"]
    print(f"quotes verified: {c['verified']}/{c['shown']}; sentences per answer {report['sentences_per_answer']:.2f}")
    print(
        f"answer time (retrieval included): p50 {lat['p50']:.0f} ms, p95 {lat['p95']:.0f} ms, max {lat['max']:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
