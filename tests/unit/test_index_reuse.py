"""Vectors shipped with a library (<corpus>/.mitra): a build takes the vectors of unchanged
texts from there, embeds the rest, and ignores a bundle that is damaged, of another model or
turned off."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from assistant.config import Settings
from assistant.index.build import build_index
from assistant.index.embed import HashEmbedder
from assistant.index.library import Library
from assistant.index.reuse import BundledVectors, bundle_path, export_bundle, write_bundle
from assistant.search.retriever import Retriever


def _shipped(tmp_path: Path, small_corpus: Path) -> Path:
    """A copy of the small library with the vectors of its first build shipped inside."""
    first = Settings(corpus_dir=small_corpus, index_dir=tmp_path / "first", embedders=("fake",))
    build_index(first, embedders={"fake": HashEmbedder()})
    corpus = tmp_path / "shipped"
    shutil.copytree(small_corpus, corpus)
    assert export_bundle(first.index_dir, corpus)["fake"] > 0
    return corpus


def _build(corpus: Path, index: Path, **kw: object) -> tuple[HashEmbedder, object]:
    embedder = HashEmbedder()
    settings = Settings(corpus_dir=corpus, index_dir=index, embedders=("fake",), **kw)  # type: ignore[arg-type]
    return embedder, build_index(settings, embedders={"fake": embedder})


def test_a_fresh_build_takes_every_vector_from_the_bundle(tmp_path: Path, small_corpus: Path) -> None:
    corpus = _shipped(tmp_path, small_corpus)
    embedder, report = _build(corpus, tmp_path / "index")
    assert embedder.embedded == 0 and report.computed == 0  # type: ignore[attr-defined]
    assert report.bundled == report.reused > 0  # type: ignore[attr-defined]
    assert report.documents == 3 and not report.warnings  # type: ignore[attr-defined]
    library = Library.open(Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedders=("fake",)))
    hits = Retriever(library).search("Northbrook fund air monitoring", k=1)
    assert hits and hits[0].passage.doc_id.startswith("agreement")


def test_a_changed_document_is_embedded_again_the_rest_comes_shipped(tmp_path: Path, small_corpus: Path) -> None:
    corpus = _shipped(tmp_path, small_corpus)
    notes = corpus / "notes.txt"
    notes.write_text(notes.read_text() + "\nA third site opened by the river in August.\n")
    embedder, report = _build(corpus, tmp_path / "index")
    assert 0 < embedder.embedded == report.computed  # type: ignore[attr-defined]
    assert report.bundled > report.computed  # type: ignore[attr-defined]


def test_a_damaged_bundle_is_named_and_everything_is_embedded(tmp_path: Path, small_corpus: Path) -> None:
    corpus = _shipped(tmp_path, small_corpus)
    bundle_path(corpus, "fake").write_bytes(b"PK\x03\x04 not really a zip")
    embedder, report = _build(corpus, tmp_path / "index")
    assert report.documents == 3 and report.bundled == 0 and embedder.embedded > 0  # type: ignore[attr-defined]
    (note,) = report.warnings[".mitra/vectors-fake.npz"]  # type: ignore[attr-defined]
    assert "cannot be read" in note and "embedded instead" in note

    corpus = _shipped(tmp_path / "again", small_corpus)
    path = bundle_path(corpus, "fake")
    data = bytearray(path.read_bytes())
    data[len(data) // 3 : len(data) // 3 + 64] = bytes(64)  # damaged inside the archive
    path.write_bytes(bytes(data))
    embedder, report = _build(corpus, tmp_path / "again" / "index")
    assert report.documents == 3 and report.bundled == 0 and embedder.embedded > 0  # type: ignore[attr-defined]
    assert ".mitra/vectors-fake.npz" in report.warnings  # type: ignore[attr-defined]


def test_a_bundle_of_other_vectors_or_turned_off_is_not_used(tmp_path: Path, small_corpus: Path) -> None:
    corpus = _shipped(tmp_path, small_corpus)
    embedder, report = _build(corpus, tmp_path / "off", bundled_vectors=False)
    assert report.bundled == 0 and embedder.embedded > 0  # type: ignore[attr-defined]

    path = bundle_path(corpus, "fake")
    with np.load(path) as data:
        shas, vectors = data["sha"], data["vectors"]
    vectors_by_sha = {bytes(s).hex(): v.tobytes() for s, v in zip(shas, vectors, strict=True)}
    write_bundle(path, "another/model", vectors_by_sha, vectors.shape[1])
    _, report = _build(corpus, tmp_path / "other")
    assert report.bundled == 0 and not report.warnings  # type: ignore[attr-defined]

    write_bundle(
        path,
        HashEmbedder.id,
        {s: (2 * np.frombuffer(v, np.float32)).tobytes() for s, v in vectors_by_sha.items()},
        vectors.shape[1],
    )
    bundle, problem = BundledVectors.load(path, HashEmbedder.id, vectors.shape[1])
    assert len(bundle) == 0 and problem and "unit vectors" in problem
