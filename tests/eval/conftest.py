"""The real library indexed once per test session with the real model.

The build reads every file (the scanned pages with OCR) and takes the vectors of the texts
the library ships with (corpus/.mitra, checked against the models in test_bundled_vectors.py);
what the bundle lacks is embedded. `MITRA_EVAL_INDEX_FROM` (a developer's convenience; CI
leaves it unset) names an index folder of the same library to start from: it is copied, and
the build then redoes only what changed since, as `mitra index` would.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.index.build import IndexReport, build_index
from assistant.index.library import Library

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, IndexReport]:
    root = tmp_path_factory.mktemp("real")
    corpus = root / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    if start := os.environ.get("MITRA_EVAL_INDEX_FROM"):
        shutil.copytree(start, root / "index", ignore=shutil.ignore_patterns(".lock", "READY"))
    settings = Settings(corpus_dir=corpus, index_dir=root / "index", embedders=("minilm", "e5"))
    report = build_index(settings)
    return settings, report


@pytest.fixture(scope="session")
def real_library(real_index: tuple[Settings, IndexReport]) -> Library:
    return Library.open(real_index[0])
