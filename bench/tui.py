"""TUI benchmark: time to the first frame, time until the models are ready, and the time
from Enter to a displayed answer, driving the real app headlessly on the real library.

Run from the repository root (the index must exist: `mitra index`):

    .venv/bin/python bench/tui.py [--index index] [--questions tests/eval/questions.jsonl] [--runs 5]

1. Start-up, in fresh processes (`--runs` of them): the app is built with the real
   settings and run headless; a probe subclass records, from the moment the process
   started, when the first frame was on screen (Textual's Ready event) and when the
   embedding models were loaded, and whether torch or sentence-transformers had
   been imported before the first frame (they must not be).
2. Latency, in this process with the models loaded: every question of the set is put
   in the input and Enter is pressed (Pilot); the time runs from just before Enter
   until the frame showing the answer has been drawn (the app stamps the turn in a
   call_after_refresh after updating the conversation). One warm-up question first.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROBE = r"""
import json, sys, time
T0 = time.perf_counter()
sys.path.insert(0, {root!r})
from pathlib import Path
from assistant.config import Settings
from assistant.tui.app import MitraApp
from assistant.tui.controller import Controller

class Probe(MitraApp):
    # Textual calls the handler of every class in the MRO: this one runs first.
    def on_ready(self) -> None:
        self.probe = {{"first_frame_s": time.perf_counter() - T0, "first_frame_at": time.time(),
                       "torch_before_first_frame": "torch" in sys.modules,
                       "st_before_first_frame": "sentence_transformers" in sys.modules}}

    def on_models_ready(self, message) -> None:
        self.probe["models_ready_s"] = time.perf_counter() - T0
        self.probe["models_load_s"] = message.seconds
        print(json.dumps(self.probe), flush=True)
        self.exit()

settings = Settings(index_dir=Path({index!r}), corpus_dir=Path({corpus!r}))
Probe(Controller(settings), language="en").run(headless=True)
"""


def startup(index: Path, corpus: Path) -> dict[str, float]:
    code = PROBE.format(root=str(ROOT), index=str(index), corpus=str(corpus))
    spawned = time.time()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("{"))
    data = json.loads(line)
    data["spawn_to_first_frame_s"] = data["first_frame_at"] - spawned
    return data


async def latency(index: Path, corpus: Path, questions: list[str]) -> tuple[list[float], list[float], list[float], int]:
    from assistant.config import Settings
    from assistant.tui.app import make_app

    app = make_app(Settings(index_dir=index, corpus_dir=corpus), language="en")
    pressed: list[float] = []
    internal: list[float] = []
    engine: list[float] = []
    errors = 0
    async with app.run_test(size=(120, 40)) as pilot:
        c = app.controller
        while c.library is None or c.embedders is None:
            await pilot.pause(0.05)
        field = app.screen.query_one("#question")
        for i, question in enumerate(["warm-up: when was the MoU signed?", *questions]):
            n = len(c.turns)
            field.value = question  # type: ignore[attr-defined]
            t_enter = time.perf_counter()
            await pilot.press("enter")
            while len(c.turns) == n or not c.turns[-1].shown:
                if c.turns and c.turns[-1].error and c.turns[-1].status == "failed":
                    break
                await asyncio.sleep(0.001)
            turn = c.turns[-1]
            if turn.status == "failed":
                errors += 1
                continue
            if i == 0:
                continue  # the warm-up
            pressed.append((turn.shown - t_enter) * 1000)
            internal.append((turn.shown - turn.submitted) * 1000)
            if turn.answer is not None:
                engine.append(turn.answer.timings_ms.get("total", 0.0))
    return pressed, internal, engine, errors


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, default=ROOT / "index")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--questions", type=Path, default=ROOT / "tests/eval/questions.jsonl")
    ap.add_argument("--runs", type=int, default=5, help="fresh processes for the start-up figures")
    args = ap.parse_args()

    runs = [startup(args.index, args.corpus) for _ in range(args.runs)]
    first = [r["first_frame_s"] for r in runs]
    ready = [r["models_ready_s"] for r in runs]
    spawn = [r["spawn_to_first_frame_s"] for r in runs]
    print(f"Start-up over {len(runs)} fresh processes (headless; times from the script's first line):")
    print(f"  first frame          median {statistics.median(first):.3f} s   max {max(first):.3f} s")
    print(f"  (from process spawn  median {statistics.median(spawn):.3f} s   max {max(spawn):.3f} s)")
    print(f"  models ready         median {statistics.median(ready):.3f} s   max {max(ready):.3f} s")
    print(f"  (models load itself  median {statistics.median(r['models_load_s'] for r in runs):.3f} s)")
    heavy = any(r["torch_before_first_frame"] or r["st_before_first_frame"] for r in runs)
    print(f"  torch / sentence-transformers imported before the first frame: {'YES' if heavy else 'no'}")

    questions = [
        json.loads(line)["question"] for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    pressed, internal, engine, errors = asyncio.run(latency(args.index, args.corpus, questions))
    print(f"\nEnter -> answer on screen, models loaded, {len(pressed)} questions ({errors} failed):")
    print(
        f"  from the key press   p50 {pct(pressed, 0.5):.0f} ms   p95 {pct(pressed, 0.95):.0f} ms"
        f"   max {max(pressed):.0f} ms"
    )
    print(f"  inside the app       p50 {pct(internal, 0.5):.0f} ms   p95 {pct(internal, 0.95):.0f} ms")
    print(f"  (answer engine alone p50 {pct(engine, 0.5):.0f} ms   p95 {pct(engine, 0.95):.0f} ms)")


if __name__ == "__main__":
    main()
