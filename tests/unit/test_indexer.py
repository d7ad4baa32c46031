"""The index: incremental updates, safety under kill -9 and concurrency, self-description."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import faiss
import numpy as np
import pytest

from assistant.config import Settings
from assistant.errors import ConfigError, IndexBusyError, IndexFormatError, IndexMissingError
from assistant.index import manifest as manifest_module
from assistant.index import prepare as prepare_module
from assistant.index.build import build_index, index_lock
from assistant.index.embed import HashEmbedder
from assistant.index.library import Library
from assistant.index.manifest import read_manifest
from assistant.ingest.catalog import load_catalog
from assistant.model import DocType, LoadedText
from assistant.search.retriever import Retriever


def test_first_build_indexes_every_document(fake_settings: Settings) -> None:
    report = build_index(fake_settings)
    assert sorted(report.added) == ["agreement", "notes", "rivers"]
    assert report.embedded == report.passages > 0
    lib = Library.open(fake_settings)
    assert {d.id for d in lib.documents()} == {"agreement", "notes", "rivers"}
    assert lib.passage_count() == report.passages


def test_unchanged_library_embeds_nothing(fake_settings: Settings) -> None:
    build_index(fake_settings)
    embedder = HashEmbedder()
    report = build_index(fake_settings, embedders={"fake": embedder})
    assert report.embedded == 0 and embedder.embedded == 0
    assert not report.changed_anything
    assert report.unchanged == 3


def test_changed_file_reembeds_only_its_passages(fake_settings: Settings) -> None:
    build_index(fake_settings)
    before = read_manifest(fake_settings.index_dir)
    assert before is not None
    notes = fake_settings.corpus_dir / "notes.txt"
    notes.write_text(notes.read_text() + "\nA third site opened in the north in August.\n")
    embedder = HashEmbedder()
    report = build_index(fake_settings, embedders={"fake": embedder})
    after = read_manifest(fake_settings.index_dir)
    assert after is not None
    assert report.changed == ["notes"] and not report.added and not report.removed
    assert embedder.embedded == len(after.documents["notes"].passage_ids)
    # The other documents keep their passages (same ids, not re-embedded).
    for doc in ("agreement", "rivers"):
        assert after.documents[doc].passage_ids == before.documents[doc].passage_ids
    hits = Retriever(Library.open(fake_settings, embedders={"fake": HashEmbedder()})).search(
        "third site north August", k=1
    )
    assert hits[0].passage.doc_id == "notes"


def test_added_and_removed_files(fake_settings: Settings) -> None:
    build_index(fake_settings)
    (fake_settings.corpus_dir / "rivers.csv").unlink()
    (fake_settings.corpus_dir / "memo.md").write_text("# Memo\n\nThe incinerator study was postponed.\n")
    embedder = HashEmbedder()
    report = build_index(fake_settings, embedders={"fake": embedder})
    assert report.added == ["memo"] and report.removed == ["rivers"]
    lib = Library.open(fake_settings, embedders={"fake": HashEmbedder()})
    assert {d.id for d in lib.documents()} == {"agreement", "notes", "memo"}
    manifest = read_manifest(fake_settings.index_dir)
    assert manifest is not None
    assert lib.passage_count() == sum(len(d.passage_ids) for d in manifest.documents.values())
    assert all(h.passage.doc_id != "rivers" for h in Retriever(lib).search("Sungai Beta Cemar Berat", k=10))


def test_index_is_readable_without_mitra(fake_settings: Settings) -> None:
    build_index(fake_settings)
    index = fake_settings.index_dir
    manifest = json.loads((index / "manifest.json").read_text())
    assert manifest["format_version"] == manifest_module.FORMAT_VERSION == 10
    (space,) = manifest["embedders"]
    assert space == {
        "space": "fake",
        "id": "mitra/hash-embedder-v1",
        "dim": 256,
        "metric": "inner_product",
        "normalized": True,
        "vectors": f"{manifest['store'].split('/')[0]}/vectors.fake.faiss",
    }
    assert manifest["chunking"]["target_words"] > 0
    assert set(manifest["documents"]) == {"agreement", "notes", "rivers"}
    conn = sqlite3.connect(index / manifest["store"])
    n_passages = conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
    (text,) = conn.execute("SELECT text FROM documents WHERE id='agreement'").fetchone()
    start, end, ptext = conn.execute(
        "SELECT start, \"end\", text FROM passages WHERE doc_id='agreement' ORDER BY ordinal"
    ).fetchone()
    assert text[start:end] == ptext
    # A table's rows are data: the cells of each row as a JSON object, beside the line shown.
    row, start, end, cells = conn.execute(
        'SELECT row, t.start, t."end", cells FROM table_rows t JOIN passages p ON p.id = t.passage_id '
        "WHERE p.doc_id = 'rivers' ORDER BY row"
    ).fetchone()
    (rivers,) = conn.execute("SELECT text FROM documents WHERE id='rivers'").fetchone()
    assert row == 1 and rivers[start:end].startswith("Row 1: ")
    assert all(f"{k}: {v}" in rivers[start:end] for k, v in json.loads(cells).items())
    vectors = faiss.read_index(str(index / space["vectors"]))
    n_fts = conn.execute("SELECT COUNT(*) FROM lexical").fetchone()[0]
    assert n_fts == n_passages
    assert vectors.ntotal == n_passages == sum(len(d["passage_ids"]) for d in manifest["documents"].values())
    assert not list(index.rglob("*.pkl")) and not list(index.rglob("*.pickle"))


def test_other_embedder_triggers_rebuild(fake_settings: Settings) -> None:
    build_index(fake_settings)

    class OtherEmbedder(HashEmbedder):
        id = "test/other-embedder"

    report = build_index(fake_settings, embedders={"fake": OtherEmbedder(dim=64)})
    assert report.rebuilt_because and "embedders changed" in report.rebuilt_because
    assert report.embedded == report.passages
    with pytest.raises(IndexFormatError, match="built with test/other-embedder"):
        Library(fake_settings.index_dir, ("fake",))


def test_other_format_triggers_rebuild(fake_settings: Settings) -> None:
    build_index(fake_settings)
    path = fake_settings.index_dir / "manifest.json"
    data = json.loads(path.read_text())
    data["format_version"] = manifest_module.FORMAT_VERSION - 1  # an index of the previous Mitra
    path.write_text(json.dumps(data))
    with pytest.raises(IndexFormatError, match="has format") as info:
        Library(fake_settings.index_dir, ("fake",))
    assert "mitra index" in info.value.hint
    embedder = HashEmbedder()
    report = build_index(fake_settings, embedders={"fake": embedder})
    assert report.rebuilt_because and "format" in report.rebuilt_because
    assert Library(fake_settings.index_dir, ("fake",)).passage_count() == report.passages
    # Same model, same texts: the vectors come from the previous generation, none is embedded.
    assert embedder.embedded == 0 and report.computed == 0 and report.reused > 0


def test_a_rebuild_with_another_model_embeds_everything_again(fake_settings: Settings) -> None:
    build_index(fake_settings)

    class OtherEmbedder(HashEmbedder):
        id = "test/other-embedder"

    other = OtherEmbedder()
    report = build_index(fake_settings, embedders={"fake": other})
    assert report.computed > 0 and other.embedded == report.computed


def test_missing_index_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="no index") as info:
        Library(tmp_path / "nothing", ("fake",))
    assert "mitra index" in info.value.hint


def test_second_builder_is_refused(fake_settings: Settings) -> None:
    with index_lock(fake_settings.index_dir), pytest.raises(IndexBusyError, match="being built"):
        build_index(fake_settings)


BUILD_SCRIPT = """
import sys, time
from pathlib import Path
from assistant.config import Settings
from assistant.index.embed import HashEmbedder
from assistant.index.build import build_index

class SlowEmbedder(HashEmbedder):
    def embed_passages(self, texts):
        print("embedding", flush=True)
        time.sleep(0.3)
        return super().embed_passages(texts)

settings = Settings(corpus_dir=Path(sys.argv[1]), index_dir=Path(sys.argv[2]), embedders=("fake",),
                    batch_size=1)
build_index(settings, embedders={"fake": SlowEmbedder()})
print("done", flush=True)
"""


def _start_build(settings: Settings) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.Popen(
        [sys.executable, "-c", BUILD_SCRIPT, str(settings.corpus_dir), str(settings.index_dir)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.parametrize("kill_after_batches", [1, 3])
def test_kill_9_during_build_keeps_previous_index(fake_settings: Settings, kill_after_batches: int) -> None:
    build_index(fake_settings)
    before = read_manifest(fake_settings.index_dir)
    assert before is not None
    # Change every file so the next build has real work to do, then kill it mid-way.
    for path in fake_settings.corpus_dir.iterdir():
        path.write_text(path.read_text() + "\nAppended line about a new recycling depot.\n")
    proc = _start_build(fake_settings)
    assert proc.stdout is not None
    for _ in range(kill_after_batches):
        assert proc.stdout.readline().strip() == "embedding"
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    after = read_manifest(fake_settings.index_dir)
    assert after is not None and after.generation == before.generation
    lib = Library(fake_settings.index_dir, ("fake",))
    assert lib.passage_count() == sum(len(d.passage_ids) for d in before.documents.values())
    assert Retriever(lib).search("Northbrook fund percent", k=1)[0].passage.doc_id == "agreement"
    # The next build cleans up the interrupted one and finishes the job.
    report = build_index(fake_settings)
    assert sorted(report.changed) == ["agreement", "notes", "rivers"]
    assert not list(fake_settings.index_dir.glob("*.building"))
    assert len(list(fake_settings.index_dir.glob("gen-*"))) == 1


def test_lock_is_released_when_builder_is_killed(fake_settings: Settings) -> None:
    proc = _start_build(fake_settings)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "embedding"
    with pytest.raises(IndexBusyError):
        build_index(fake_settings)
    proc.kill()
    proc.wait()
    time.sleep(0.05)
    report = build_index(fake_settings)
    assert report.documents == 3


def test_passages_are_spans_of_document_text(fake_settings: Settings) -> None:
    build_index(fake_settings)
    lib = Library(fake_settings.index_dir, ("fake",))
    for doc in lib.documents():
        text = lib.text(doc.id)
        passages = lib.passages_of(doc.id)
        assert passages, doc.id
        for p in passages:
            assert text[p.start : p.end] == p.text


def test_search_filters(fake_settings: Settings) -> None:
    from assistant.model import DocType, SearchFilters

    build_index(fake_settings)
    lib = Library(fake_settings.index_dir, ("fake",))
    hits = Retriever(lib).search("river", k=10, filters=SearchFilters(types=frozenset({DocType.DATA})))
    assert hits and {h.passage.doc_id for h in hits} == {"rivers"}
    hits = Retriever(lib).search("river", k=10, filters=SearchFilters(doc_ids=frozenset({"notes"})))
    assert {h.passage.doc_id for h in hits} == {"notes"}
    assert Retriever(lib).search("river", k=10, filters=SearchFilters(year_min=2090)) == []
    vectors = lib.embedder("fake").embed_queries(["river"])
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0)


def test_an_uncatalogued_document_gets_its_language_from_the_one_detector() -> None:
    from assistant.index.prepare import _guess_language
    from assistant.model import Block, LoadedText

    def doc(text: str) -> LoadedText:
        return LoadedText(text, (Block(0, len(text)),))

    english = "The city collects household waste twice a week and composts the organic part of it. " * 3
    indonesian = "Pemerintah kota mengumpulkan sampah rumah tangga dua kali seminggu dan mengolahnya. " * 3
    assert _guess_language(doc(english)) == "en"
    assert _guess_language(doc(indonesian)) == "id"
    assert _guess_language(doc("Bandung Kawasaki 2018")) is None  # too few words to tell
    table = LoadedText("Row 1: Sungai: Cikapundung; Kategori: Cemar Berat\n" * 10, (Block(0, 10),), rows=10)
    assert _guess_language(table) is None  # a table's language is the catalogue's to say


def test_a_catalogued_issuer_is_not_replaced_by_the_uploader_in_the_pdf_metadata() -> None:
    from assistant.index.prepare import document_authors
    from assistant.model import Block, CatalogEntry, DocType, LoadedText

    pdf = LoadedText("x", (Block(0, 1),), authors=("MR. NICEGUY",))
    law = CatalogEntry("uu", "uu.pdf", type=DocType.REGULATION, issuer="Presiden Republik Indonesia")
    assert document_authors(law, pdf) == ()
    study = CatalogEntry("s", "s.pdf", authors=("Hakiem, F. N.",))
    assert document_authors(study, pdf) == ("Hakiem, F. N.",)
    assert document_authors(CatalogEntry("n", "n.pdf"), pdf) == ("MR. NICEGUY",)  # the catalogue says nothing
    assert document_authors(None, pdf) == ("MR. NICEGUY",)


def test_an_uncatalogued_regulation_is_a_regulation_without_its_uploader_as_author(tmp_path: Path) -> None:
    """Its BAB and Pasal make it a regulation whatever the file is called, and the PDF
    metadata's author (whoever uploaded it) is not the author of a law."""
    loaded = LoadedText("Pasal 1 ...", (), authors=("MR. NICEGUY",), regulation=True)
    assert prepare_module.document_authors(None, loaded) == ()
    assert prepare_module._guess_type("uu-18-2008.pdf", loaded) is DocType.REGULATION
    other = LoadedText("Some study.", (), authors=("A. Author",))
    assert prepare_module.document_authors(None, other) == ("A. Author",)


def test_a_revoked_regulation_stays_marked_from_catalogue_to_library(tmp_path: Path, small_corpus: Path) -> None:
    catalogue = small_corpus / "catalog.toml"
    catalogue.write_text(
        '[[document]]\nid = "agreement"\npath = "agreement.md"\ntype = "agreement"\n'
        'revoked_by = "the 2020 renewal, Article 9"\nocr_transcript = true\n',
        encoding="utf-8",
    )
    settings = Settings(corpus_dir=small_corpus, index_dir=tmp_path / "index", embedders=("fake",))
    build_index(settings)
    library = Library.open(settings)
    assert library.document("agreement").revoked_by == "the 2020 renewal, Article 9"  # type: ignore[union-attr]
    assert all(d.revoked_by is None for d in library.documents() if d.id != "agreement")
    assert [d.id for d in library.documents() if d.ocr_transcript] == ["agreement"]


def test_a_catalogue_flag_must_be_true_or_false(small_corpus: Path) -> None:
    (small_corpus / "catalog.toml").write_text(
        '[[document]]\nid = "agreement"\npath = "agreement.md"\nocr_transcript = "yes"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="ocr_transcript must be true or false"):
        load_catalog(small_corpus)
