"""Big-PDF benchmark: index one synthetic 1000-page PDF alone, with the fake embedder.

Run from the repository root:  .venv/bin/python bench/bigpdf.py [--pages 1000]

Prints pages, passages, read time and peak RSS of the file-reading worker and of the
indexing process. The PDF is built first, then indexed in a fresh process, so the
peaks are those of indexing alone (not of fpdf2 writing the PDF).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402
from assistant.index.build import build_index  # noqa: E402
from assistant.index.library import Library  # noqa: E402


def index_alone(corpus: Path, index: Path) -> None:
    """Index `corpus` in this process and print the figures."""
    settings = Settings(corpus_dir=corpus, index_dir=index, embedders=("fake",))
    t0 = time.perf_counter()
    report = build_index(settings)
    total = time.perf_counter() - t0
    if report.skipped:
        sys.exit(f"not indexed: {report.skipped}")
    (doc,) = Library.open(settings).documents()
    worker_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    parent_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"pages             {doc.pages}")
    print(f"passages          {report.passages}")
    print(f"read time         {report.timings['read_s']:.2f} s (worker: parse + extract + structure)")
    print(f"embed time (fake) {report.timings.get('embed_s', 0.0):.2f} s")
    print(f"total build       {total:.2f} s")
    print(f"peak RSS worker   {worker_kb / 1024:.0f} MiB")
    print(f"peak RSS parent   {parent_kb / 1024:.0f} MiB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--index-only", nargs=2, metavar=("CORPUS", "INDEX"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.index_only:
        index_alone(*map(Path, args.index_only))
        return

    from tests.fixtures.pdfs import large_pdf

    with tempfile.TemporaryDirectory(prefix="mitra-bigpdf-") as tmp:
        corpus = Path(tmp) / "corpus"
        t0 = time.perf_counter()
        pdf = large_pdf(corpus / "big.pdf", pages=args.pages)
        print(f"built {pdf.name}: {pdf.stat().st_size / 2**20:.1f} MiB in {time.perf_counter() - t0:.2f} s")
        cmd = [sys.executable, __file__, "--index-only", str(corpus), str(Path(tmp) / "index")]
        sys.exit(subprocess.run(cmd, cwd=ROOT).returncode)


if __name__ == "__main__":
    main()
