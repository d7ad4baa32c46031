"""Where the benchmarks keep what they build (libraries, cached vectors) and find their data.

`MITRA_BENCH_CACHE` (default `bench/.cache`, ignored by git) holds the SQuAD library, the
embedding cache and a prebuilt copy of the real library (`real-corpus/`, `real-index/`:
`mitra --corpus bench/.cache/real-corpus --index bench/.cache/real-index index` after
copying `corpus/` there). `MITRA_SHARED` is the folder holding `bench/squad` and
`bench/scifact` (default: `../shared` beside the repository).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("MITRA_BENCH_CACHE") or REPO / "bench" / ".cache")
SHARED = Path(os.environ.get("MITRA_SHARED") or REPO.parent / "shared")
REAL_CORPUS = CACHE / "real-corpus"
REAL_INDEX = CACHE / "real-index"
