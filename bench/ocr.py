"""OCR benchmark: pages per second (1 vs 2 workers), character error rate on synthetic
scans by dpi, skew and rotation, and per-page confidence on the real scanned Perda.

Run from the repository root:  .venv/bin/python bench/ocr.py [--speed-pages 4] [--quick]

- speed: the first pages of the Perda read by one process with 2 onnxruntime threads,
  then by two processes with 1 thread each (pages split between them), each in fresh
  processes; wall seconds, pages/s and CPU seconds per page;
- CER: `tests/fixtures/scans.py` renders UU 18/2008 Pasal 29 and 39 (Indonesian) and a
  made-up agreement article (English) at 150/200/300 dpi, skews them by 0/+1/-2/+3
  degrees, adds blur, noise and JPEG, and turns some by 90/180/270 degrees;
  `--quick` keeps 200 dpi and fewer conditions;
- Perda: every page of regulations/perda-jabar-1-2016-pengelolaan-sampah.pdf through the
  PDF loader (as indexing reads it): confidence, lines and characters per page.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.ingest.loaders.pdf_loader import PdfLoader  # noqa: E402
from assistant.ingest.ocr import OcrJob, ocr_image, ocr_pages, open_engine  # noqa: E402
from tests.fixtures.regulations import regulation  # noqa: E402
from tests.fixtures.scans import TEXT_EN, TEXT_ID, cer, scan  # noqa: E402

PERDA = "regulations/perda-jabar-1-2016-pengelolaan-sampah.pdf"


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _read(args: tuple[str, list[int], int]) -> int:
    path, pages, threads = args
    read, _ = ocr_pages(Path(path), pages, OcrJob(threads=threads))
    return len(read)


def speed(path: Path, n_pages: int) -> None:
    pages = list(range(n_pages))
    print(f"## Speed: {n_pages} pages of {path.name} at 200 dpi (load average {os.getloadavg()[0]:.1f})")
    print("| configuration | wall s | pages/s | CPU s/page |")
    print("|---|---|---|---|")
    for workers, threads in ((1, 2), (2, 1)):
        parts = [pages[w::workers] for w in range(workers)]
        t0, c0 = time.perf_counter(), _cpu()
        with ProcessPoolExecutor(max_workers=workers) as pool:  # fresh processes: engines start inside
            done = sum(pool.map(_read, [(str(path), part, threads) for part in parts]))
        wall, cpu = time.perf_counter() - t0, _cpu() - c0
        print(f"| {workers} worker(s) x {threads} thread(s) | {wall:.1f} | {done / wall:.3f} | {cpu / done:.1f} |")
    print()


def cer_table(quick: bool) -> None:
    engine = open_engine(2)
    dpis = (200,) if quick else (150, 200, 300)
    conditions = [(0.0, 0), (1.0, 0), (-2.0, 0), (3.0, 0), (0.0, 90), (-2.0, 180), (0.0, 270)]
    if quick:
        conditions = [(0.0, 0), (3.0, 0), (-2.0, 90), (0.0, 180)]
    print("## Character error rate on synthetic scans (Indonesian / English, %)")
    print("| dpi | " + " | ".join(f"skew {s:+g}°, rot {r}" for s, r in conditions) + " |")
    print("|---|" + "---|" * len(conditions))
    worst = 0.0
    for dpi in dpis:
        cells = []
        for n, (skew, rotation) in enumerate(conditions):
            rates = []
            for text in (TEXT_ID, TEXT_EN):
                page = ocr_image(engine, scan(text, dpi, skew, rotation, seed=n))
                rates.append(100 * cer(page.text, text))
            worst = max(worst, *rates)
            cells.append(" / ".join(f"{r:.2f}" for r in rates))
        print(f"| {dpi} | " + " | ".join(cells) + " |", flush=True)
    print(f"\nworst {worst:.2f} % (target <= 2 %)\n")


def perda(path: Path) -> None:
    t0 = time.perf_counter()
    doc = PdfLoader().load(path)
    wall = time.perf_counter() - t0
    print(f"## {path.name} through the PDF loader: {doc.pages} pages in {wall:.0f} s")
    print("| page | OCR confidence | characters |")
    print("|---|---|---|")
    empty = 0
    for page in range(1, (doc.pages or 0) + 1):
        blocks = [b for b in doc.blocks if b.page == page]
        chars = sum(len(doc.text[b.start : b.end]) for b in blocks)
        conf = next((b.ocr_confidence for b in blocks if b.ocr_confidence is not None), None)
        empty += chars == 0
        print(f"| {page} | {conf if conf is not None else '-'} | {chars} |")
    print(f"\npages without text: {empty}; warnings: {list(doc.warnings)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--speed-pages", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="fewer synthetic conditions")
    parser.add_argument("--skip", choices=["speed", "cer", "perda"], action="append", default=[])
    args = parser.parse_args()
    path = regulation(PERDA)
    if "speed" not in args.skip:
        speed(path, args.speed_pages)
    if "cer" not in args.skip:
        cer_table(args.quick)
    if "perda" not in args.skip:
        perda(path)


if __name__ == "__main__":
    main()
