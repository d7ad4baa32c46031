"""Hostile-input benchmark: how long until a library holding a 200,000-row CSV (or a 50 MB
Markdown file) is searchable, and how much work the per-file bounds leave.

    .venv/bin/python bench/hostile.py [--rows 200000] [--markdown-mb 0] [--real]

Each scenario runs in a fresh process (its own peak RSS) on a generated corpus:
- `csv`:         the CSV alone, default bounds (max_passages_per_file, row_vectors_max_rows);
- `csv+library`: the CSV beside the bundled library: the small files are committed first;
- `csv-unbounded`: the CSV with no passage limit (fake embedder only: hours with the models);
- `markdown`:    a generated Markdown file of --markdown-mb MB, default bounds (if asked).
With --real the `csv` and `csv+library` scenarios also run with both real models.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REPO = Path(__file__).resolve().parents[1]


def make_csv(path: Path, rows: int) -> None:
    """A table shaped like the Open Data Kota Bandung ones (district, year, amounts)."""
    kec = ["Andir", "Astanaanyar", "Antapani", "Arcamanik", "Babakan Ciparay", "Bandung Kidul", "Coblong"]
    with path.open("w", encoding="utf-8") as fh:
        fh.write("No,Kecamatan,Kelurahan,Tahun,Volume Sampah,Satuan\n")
        for i in range(1, rows + 1):
            fh.write(f"{i},{kec[i % len(kec)]},Kelurahan {i % 151},{2010 + i % 10},{(i * 37) % 1000}.5,ton\n")


def make_markdown(path: Path, megabytes: float) -> None:
    words = "the wardens inspected each bioswale after heavy rain and logged the compost weight".split()
    with path.open("w", encoding="utf-8") as fh:
        fh.write("# Field log\n\n")
        n = 0
        while fh.tell() < megabytes * 2**20:
            if n % 40 == 0:
                fh.write(f"\n## Week {n // 40}\n\n")
            fh.write(" ".join(words[(n + k) % len(words)] for k in range(14)) + f" (entry {n}).\n")
            n += 1


def scenario(name: str, rows: int, megabytes: float, real: bool) -> dict[str, object]:
    from assistant.config import Settings
    from assistant.index.build import build_index
    from assistant.index.library import Library

    work = Path(tempfile.mkdtemp(prefix="mitra-hostile-"))
    try:
        corpus = work / "corpus"
        if name == "csv+library":
            shutil.copytree(REPO / "corpus", corpus)
        else:
            corpus.mkdir()
        if name.startswith("csv"):
            make_csv(corpus / "big.csv", rows)
        else:
            make_markdown(corpus / "big.md", megabytes)
        limits: dict[str, object] = {"max_passages_per_file": 10**9} if name == "csv-unbounded" else {}
        embedders = ("minilm", "e5") if real else ("fake",)
        settings = Settings(corpus_dir=corpus, index_dir=work / "index", embedders=embedders, **limits)  # type: ignore[arg-type]
        t = time.perf_counter()
        report = build_index(settings)
        total = time.perf_counter() - t
        big = next(d for d in Library.open(settings).documents() if d.path.startswith("big."))
        size = sum(p.stat().st_size for p in settings.index_dir.rglob("*") if p.is_file())
        return {
            "scenario": name + (" (both models)" if real else " (fake embedder)"),
            "input": f"{rows:,} rows" if name.startswith("csv") else f"{megabytes:g} MB",
            "documents": report.documents,
            "passages": report.passages,
            "big_passages": big.passages,
            "vectors_computed": report.computed,
            "commits": report.commits,
            "first_searchable_s": report.timings.get("first_commit_s", total),
            "read_s": report.timings.get("read_s", 0.0),
            "embed_s": report.timings.get("embed_s", 0.0),
            "total_s": total,
            "index_mib": size / 2**20,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "reader_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            "notes": [w for w in big.warnings],
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--markdown-mb", type=float, default=0.0)
    ap.add_argument("--real", action="store_true", help="also run with both real models (slow)")
    ap.add_argument("--scenario", help=argparse.SUPPRESS)
    ap.add_argument("--model", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.scenario:
        print(json.dumps(scenario(args.scenario, args.rows, args.markdown_mb, args.model)))
        return
    runs = [("csv", False), ("csv+library", False), ("csv-unbounded", False)]
    if args.markdown_mb:
        runs.append(("markdown", False))
    if args.real:
        runs += [("csv", True), ("csv+library", True)]
    print(
        "| scenario | input | passages (of the big file) | vectors computed | commits | searchable after | "
        "read / embed / total | index on disk | peak RSS builder / reader |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    notes = set()
    for name, real in runs:
        cmd = [sys.executable, __file__, "--scenario", name, "--rows", str(args.rows)]
        cmd += ["--markdown-mb", str(args.markdown_mb)] + (["--model"] if real else [])
        out = subprocess.run(cmd, capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        notes.update(r["notes"])
        print(
            f"| {r['scenario']} | {r['input']} | {r['passages']:,} ({r['big_passages']:,}) | "
            f"{r['vectors_computed']:,} | {r['commits']} | {r['first_searchable_s']:.1f} s | "
            f"{r['read_s']:.1f} / {r['embed_s']:.1f} / {r['total_s']:.1f} s | {r['index_mib']:.0f} MiB | "
            f"{r['peak_rss_mib']:.0f} / {r['reader_rss_mib']:.0f} MiB |"
        )
    for note in sorted(notes):
        print(f"\nnote: {note}")


if __name__ == "__main__":
    main()
