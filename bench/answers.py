"""Answer quality and speed on the question set (docs/answers.md explains every figure).

    .venv/bin/python bench/answers.py [--questions tests/eval/questions.jsonl] [--index DIR] [--json]
    (--real: the prebuilt real library of bench/paths.py, REAL_CORPUS and REAL_INDEX)

1. Quality with the shipped models (`assistant/answer/data/`, trained by
   `bench/train_answer.py` on SQuAD TRAIN articles and the odd-numbered questions of
   questions.jsonl), on all questions, English and Indonesian, odd and even: key fact
   stated, gold evidence cited, refusals (and why), and whether every displayed quote
   verifies. heldout.jsonl was used for none of it: `--questions tests/eval/heldout.jsonl`.
2. Speed: per question, retrieval included, models loaded and warmed up: p50, p95.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.answer import AnswerEngine
from assistant.cite.quotes import verify_citation
from assistant.config import Settings
from assistant.evaluate.answers import answer_texts, states_key_fact
from assistant.evaluate.retrieval import Question, is_relevant, load_questions
from assistant.index.cache import text_sha
from assistant.index.library import Library
from assistant.index.prepare import sentence_inputs
from bench.paths import REAL_CORPUS, REAL_INDEX

REPO = Path(__file__).resolve().parent.parent
MAX_ANSWERABLE_REFUSED = 0.05

# -- the run (helpers) ------------------------------------------------------------------------


def is_odd(q: Question) -> bool:
    return int(re.sub(r"\D", "", q.id) or 0) % 2 == 1


# -- the run ----------------------------------------------------------------------------------


def run(engine: AnswerEngine, questions: list[Question], k: int = 8) -> dict[str, Any]:
    """Answer every question once; quality and latency per question, then the summary."""
    engine.warm_up()
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
                "reason": a.refusal_reason,
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
    reasons: dict[str, int] = {}
    for r in rows:
        if r["abstained"]:
            reasons[r["reason"]] = reasons.get(r["reason"], 0) + 1
    report["refusal_reasons"] = reasons
    report["rows"] = rows
    return report


def sentence_cost(engine: AnswerEngine, sample: int = 40) -> dict[str, float]:
    """What the index's sentence vectors cost: the library's answer sentences
    (`index.prepare.sentence_inputs`), how many the index holds, their size, and e5's time
    per sentence on a sample in batches of 32, as a build embeds them."""
    texts = []
    for doc in engine.library.documents():
        text = engine.library.text(doc.id)
        for p in engine.library.passages_of(doc.id):
            texts += sentence_inputs(text, p)
    space = engine.semantic.space
    if space is None or not texts:
        return {}
    unique = list(dict.fromkeys(texts))
    stored = len(engine.library.sentence_vectors(space, [text_sha(t) for t in unique]))
    picked = unique[:: max(1, len(unique) // sample)][:32]
    embedder = engine.library.embedder(space)
    t = time.perf_counter()
    embedder.embed_passages(picked)
    batched = (time.perf_counter() - t) * 1000 / len(picked)
    return {
        "sentences": len(unique),
        "stored": stored,
        "ms_per_sentence_batched": batched,
        "index_time_s": len(unique) * batched / 1000,
        "index_vectors_mib": len(unique) * 384 * 4 / 2**20,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--questions", type=Path, default=REPO / "tests/eval/questions.jsonl")
    ap.add_argument("--index", type=Path, help="index folder (default: ./index)")
    ap.add_argument("--real", action="store_true", help="the prebuilt real library (bench/paths.py)")
    ap.add_argument("-k", type=int, default=8, help="passages read per question (default 8)")
    ap.add_argument("--json", action="store_true", help="print the full report as JSON")
    args = ap.parse_args()

    if args.real:
        settings = Settings(corpus_dir=REAL_CORPUS, index_dir=REAL_INDEX, embedders=("minilm", "e5"))
    else:
        settings = Settings(index_dir=args.index) if args.index else Settings()
    library = Library.open(settings)
    questions = load_questions(args.questions)
    engine = AnswerEngine(library)
    engine.warm_up()
    before = (engine.semantic.embedded, engine.semantic.ms, engine.semantic.stored)
    report = run(engine, questions, args.k)
    n = len(questions) + 2  # with the two warm-up questions of `run`
    report["semantic"] = {
        "sentences_embedded_per_question": (engine.semantic.embedded - before[0]) / n,
        "ms_per_question": (engine.semantic.ms - before[1]) / n,
        "sentences_stored_per_question": (engine.semantic.stored - before[2]) / n,
    }
    report["sentence_vectors_at_index_time"] = sentence_cost(engine)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    print(f"{args.questions.name}: refusal thresholds {engine.models.refusal.extra['threshold']} (trained)")
    print(f"{'group':6} {'key fact':>14} {'strict':>14} {'gold cited':>14} {'ans. refused':>13} {'unans. refused':>15}")
    for g in GROUPS:
        m = report[g]

        def cell(key: str, m: dict[str, Any] = m) -> str:
            return f"{m[key]['count']}/{m[key]['n']} {m[key]['rate']:.1%}"

        print(
            f"{g:6} {cell('key_fact'):>14} {cell('key_fact_strict'):>14} {cell('gold_cited'):>14} "
            f"{cell('answerable_refused'):>13} {cell('unanswerable_refused'):>15}"
        )
    print(f"refusal reasons: {report['refusal_reasons']}")
    sem = report["semantic"]
    print(
        f"question-sentence similarity: {sem['sentences_embedded_per_question']:.1f} sentences embedded and "
        f"{sem['sentences_stored_per_question']:.1f} read from the index per question, "
        f"{sem['ms_per_question']:.0f} ms per question"
    )
    cost = report["sentence_vectors_at_index_time"]
    if cost:
        print(
            f"sentence vectors at index time: {cost['stored']} of {cost['sentences']} sentences stored,"
            f" e5 {cost['ms_per_sentence_batched']:.0f} ms each (batched): {cost['index_time_s']:.0f} s per"
            f" cold build, {cost['index_vectors_mib']:.1f} MiB"
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
