"""Write the vectors shipped with the bundled library, `corpus/.mitra/vectors-<space>.npz`.

    .venv/bin/python bench/bundle_vectors.py [--index bench/.cache/real-index]

Takes every passage and row vector of an index built from `corpus/` as it is now (by default
the prebuilt copy of bench/paths.py; build it first, e.g. with MITRA_BUNDLED_VECTORS=0 for
vectors the models computed), so nothing stale is shipped. Run it after a change to the
bundled documents, the chunking or a model: tests/eval/test_bundled_vectors.py fails when the
shipped vectors no longer cover the library or differ from what the models compute.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.index.reuse import bundle_path, export_bundle
from bench.paths import REAL_INDEX, REPO


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=REAL_INDEX, help="an index built from corpus/")
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus", help="the library to ship them with")
    args = parser.parse_args()
    for space, n in export_bundle(args.index, args.corpus).items():
        path = bundle_path(args.corpus, space)
        print(f"{space}: {n:,} vectors -> {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
