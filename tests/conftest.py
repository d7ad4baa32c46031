"""Shared fixtures: a small library made by the tests, settings with the fake embedder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.index.build import build_index
from assistant.index.library import Library

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"

AGREEMENT_MD = """# Synthetic Agreement on River Care

SYNTHETIC TEST FIXTURE - not a real document.

## Article 1 Purpose

The two fictional cities agree to cooperate on river care and waste reduction. The partners
will exchange staff every year and report progress to both councils.

## Article 2 Funding

Northbrook shall fund 60 percent of the air monitoring programme. Southport shall fund the
remaining 40 percent and host the annual review meeting in March.
"""

NOTES_TXT = """FIELD NOTES

The composting pilot at the eastern market processed organic waste from forty stalls. Staff
weighed the compost every Friday and logged the results in a shared notebook.

The second site, near the bus terminal, started later because the shredder arrived in June.
"""

RIVERS_CSV = """No,Sungai,Skor,Kategori
1,Sungai Alfa,-12,Cemar Ringan
2,Sungai Beta,-35,Cemar Berat
3,Sungai Gamma,-20,Cemar Sedang
"""


def make_small_corpus(root: Path) -> Path:
    """Three small synthetic documents in three formats."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "agreement.md").write_text(AGREEMENT_MD, encoding="utf-8")
    (root / "notes.txt").write_text(NOTES_TXT, encoding="utf-8")
    (root / "rivers.csv").write_text(RIVERS_CSV, encoding="utf-8")
    return root


def built_library(root: Path, files: dict[str, str]) -> Library:
    """A library of `files` (name -> text, a catalog.toml among them) in `root`/corpus,
    indexed with the fake embedder in `root`/index, open."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=root / "index", embedders=("fake",))
    build_index(settings)
    return Library.open(settings)


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    return make_small_corpus(tmp_path / "corpus")


@pytest.fixture
def fake_settings(tmp_path: Path, small_corpus: Path) -> Settings:
    return Settings(corpus_dir=small_corpus, index_dir=tmp_path / "index", embedders=("fake",))


@pytest.fixture
def real_corpus_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "real-corpus"
    shutil.copytree(CORPUS, dest)
    return dest
