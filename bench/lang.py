"""Language identification on the question sets: accuracy against each question's stated
language, and time per question.

    .venv/bin/python bench/lang.py [tests/eval/*.jsonl]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.evaluate.retrieval import load_questions
from assistant.lang.detect import detect_language

EVAL = Path(__file__).resolve().parents[1] / "tests" / "eval"


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]] or sorted(EVAL.glob("*.jsonl"))
    t = time.perf_counter()
    detect_language("warm up: the model loads on first use")
    print(f"model load {1000 * (time.perf_counter() - t):.0f} ms")
    print("| questions | right | ms per question |\n|---|---|---|")
    for path in paths:
        questions = load_questions(path)
        t = time.perf_counter()
        found = [detect_language(q.question) for q in questions]
        ms = 1000 * (time.perf_counter() - t) / max(len(questions), 1)
        right = sum(f == q.language for f, q in zip(found, questions, strict=True))
        print(f"| {path.name} | {right}/{len(questions)} | {ms:.3f} |")
        for f, q in zip(found, questions, strict=True):
            if f != q.language:
                print(f"|   wrong: {q.id} read as {f} | {q.question} | |")


if __name__ == "__main__":
    main()
