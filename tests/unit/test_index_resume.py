"""Resumable, incremental builds: kill -9 redoes at most the document in progress; a long
build commits as it goes; extracted text (OCR included) and vectors are never redone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import ChunkSettings, Settings
from assistant.index.build import build_index
from assistant.index.cache import BuildCache, decode_loaded, encode_loaded, extraction_key
from assistant.index.embed import HashEmbedder
from assistant.index.library import Library
from assistant.index.manifest import read_manifest
from assistant.model import Block, DocStatus, LoadedText
from assistant.search.retriever import Retriever

TOPICS = ["compost", "river", "bus", "school", "market", "solar"]


def _corpus(root: Path, docs: int = 4, sections: int = 3) -> Path:
    """Markdown files of a few sections, each section a passage or two, words all different."""
    root.mkdir(parents=True, exist_ok=True)
    for d in range(docs):
        parts = [f"# Report {TOPICS[d]}"]
        for s in range(sections):
            sentences = " ".join(
                f"The {TOPICS[d]} team {s} measured site {d}-{s}-{n} and wrote note {n} about it." for n in range(8)
            )
            parts.append(f"## Part {s}\n\n{sentences}")
        (root / f"report-{TOPICS[d]}.md").write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return root


def _settings(tmp: Path, **kw: object) -> Settings:
    return Settings(corpus_dir=tmp / "corpus", index_dir=tmp / "index", embedders=("fake",), **kw)  # type: ignore[arg-type]


BUILD = """
import sys, time
from pathlib import Path
from assistant.config import ChunkSettings, Settings
from assistant.index.embed import HashEmbedder
from assistant.index.build import build_index

class SlowEmbedder(HashEmbedder):
    def embed_passages(self, texts):
        print("embedding", flush=True)
        time.sleep(0.2)
        return super().embed_passages(texts)

settings = Settings(corpus_dir=Path(sys.argv[1]), index_dir=Path(sys.argv[2]), embedders=("fake",),
                    batch_size=1, commit_every_passages=int(sys.argv[3]))
build_index(settings, embedders={"fake": SlowEmbedder()})
print("done", flush=True)
"""


def _kill_build_after(settings: Settings, batches: int, commit_every: int) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [sys.executable, "-c", BUILD, str(settings.corpus_dir), str(settings.index_dir), str(commit_every)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    for _ in range(batches):
        assert proc.stdout.readline().strip() == "embedding"
    proc.send_signal(signal.SIGKILL)
    proc.wait()


def test_rerun_after_kill_9_embeds_only_what_was_not_done(tmp_path: Path) -> None:
    _corpus(tmp_path / "corpus")
    settings = _settings(tmp_path, batch_size=1)
    _kill_build_after(settings, batches=7, commit_every=10**6)  # nothing committed: only the cache
    assert read_manifest(settings.index_dir) is None

    embedder = HashEmbedder()
    report = build_index(settings, embedders={"fake": embedder})
    texts = report.passages  # markdown: no table rows
    assert report.computed == embedder.embedded
    assert report.reused >= 6  # every batch finished before the kill was kept
    assert report.computed + report.reused == texts
    # The resumed index is the same as a fresh one.
    fresh = _settings(tmp_path / "fresh")
    _corpus(fresh.corpus_dir)
    assert build_index(fresh).passages == report.passages
    hits = Retriever(Library.open(settings, {"fake": HashEmbedder()})).search("school team measured site", k=1)
    assert hits and hits[0].passage.doc_id == "report-school"


def test_a_long_build_commits_as_it_goes_and_resumes(tmp_path: Path) -> None:
    _corpus(tmp_path / "corpus")
    settings = _settings(tmp_path, batch_size=1)
    probe = _settings(tmp_path / "probe")
    _corpus(probe.corpus_dir)
    fresh = build_index(probe)
    per_doc = fresh.passages // 4
    assert fresh.passages == 4 * per_doc
    # Commit after every document; kill once two documents' worth of batches are done.
    _kill_build_after(settings, batches=2 * per_doc + 1, commit_every=1)
    committed = read_manifest(settings.index_dir)
    assert committed is not None and len(committed.documents) >= 2
    lib = Library.open(settings, {"fake": HashEmbedder()})  # searchable while half built
    assert lib.passage_count() == committed.passages > 0
    assert Retriever(lib).search("team measured site", k=3)

    embedder = HashEmbedder()
    report = build_index(settings, embedders={"fake": embedder})
    assert sorted(report.added) == sorted(set(fresh.added) - set(committed.documents))
    # Killed in the first batch of the third document: only what was not committed is embedded.
    assert embedder.embedded == fresh.passages - committed.passages
    assert report.documents == 4 and report.passages == fresh.passages


def test_changed_section_reembeds_only_its_passages(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus", docs=1, sections=3)
    settings = _settings(tmp_path)
    first = build_index(settings)
    path = next(corpus.iterdir())
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("## Part 2", "## Part 2 (revised)"), encoding="utf-8")
    embedder = HashEmbedder()
    report = build_index(settings, embedders={"fake": embedder})
    assert report.changed == ["report-compost"]
    lib = Library.open(settings, {"fake": HashEmbedder()})
    revised = [p for p in lib.passages_of("report-compost") if p.section and "revised" in p.section]
    assert revised and embedder.embedded == len(revised) < first.passages
    assert report.reused == report.passages - len(revised)


def test_a_rebuild_takes_the_text_from_the_cache_but_rebuild_rereads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _corpus(tmp_path / "corpus", docs=2)
    settings = _settings(tmp_path)
    build_index(settings)
    import assistant.index.build as build_module

    read: list[Path] = []
    real = build_module.load_many

    def counting(paths: list[Path], **kw: object):  # type: ignore[no-untyped-def]
        read.extend(paths)
        return real(paths, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "load_many", counting)
    other_chunks = Settings(**{**settings.model_dump(), "chunk": ChunkSettings(target_words=50)})
    report = build_index(other_chunks)
    assert report.rebuilt_because == "chunking settings changed" and report.documents == 2
    assert read == []  # the extracted text came from the cache
    report = build_index(other_chunks, rebuild=True)  # --rebuild: everything from the files again
    assert report.rebuilt_because == "--rebuild asked for" and len(read) == 2


def test_ocr_text_and_confidence_are_cached_and_stored(tmp_path: Path) -> None:
    """What an OCR loader returns (text plus each page's confidence) is kept in the cache
    and read back from it, and the passages carry their page's confidence."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    scan = corpus / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 not really read: its text comes from the cache\n")
    page1 = "PERATURAN DAERAH tentang pengelolaan sampah. Pasal 1 berisi ketentuan umum."
    page2 = "Pasal 2 menyebut bank sampah di setiap kelurahan."
    text = page1 + "\n\n" + page2
    loaded = LoadedText(
        text=text,
        blocks=(
            Block(0, len(page1), page=1, page_label="1", ocr_confidence=0.91),
            Block(len(page1) + 2, len(text), page=2, page_label="2", ocr_confidence=0.62),
        ),
        pages=2,
        warnings=("2 pages read by OCR",),
        status=DocStatus.INDEXED,
    )
    assert decode_loaded(encode_loaded(loaded)) == loaded
    settings = _settings(tmp_path)
    settings.index_dir.mkdir()
    import hashlib

    sha = hashlib.sha256(scan.read_bytes()).hexdigest()
    cache = BuildCache(settings.index_dir)
    cache.put_extracted(extraction_key(sha, ".pdf", settings.ocr), sha, loaded)
    cache.close()

    report = build_index(settings)
    assert report.skipped == [] and report.passages == 2
    lib = Library.open(settings)
    confidences = {p.page: p.ocr_confidence for p in lib.passages_of("scan")}
    assert confidences == {1: pytest.approx(0.91), 2: pytest.approx(0.62)}
    assert all(p.ocr for p in lib.passages_of("scan"))
    assert lib.text("scan") == text


def test_build_cache_is_emptied_of_vectors_and_pruned_after_a_build(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus", docs=2)
    settings = _settings(tmp_path)
    build_index(settings)
    next(iter(sorted(corpus.iterdir()))).unlink()
    build_index(settings)
    import sqlite3

    conn = sqlite3.connect(settings.index_dir / "cache.sqlite")
    assert conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM extracted").fetchone()[0] == 1


def test_progress_reports_each_stage_with_fixed_totals(tmp_path: Path) -> None:
    _corpus(tmp_path / "corpus", docs=3)
    settings = _settings(tmp_path, batch_size=2)
    calls: list[tuple[str, int, int]] = []
    report = build_index(settings, progress=lambda stage, done, total: calls.append((stage, done, total)))
    stages = {s for s, _, _ in calls}
    assert {"scan", "read", "embed fake", "documents"} <= stages
    for stage in stages:
        seen = [(d, t) for s, d, t in calls if s == stage]
        assert len({t for _, t in seen}) == 1, stage  # the total never changes
        assert [d for d, _ in seen] == sorted(d for d, _ in seen), stage  # done only grows
        assert seen[-1][0] == seen[-1][1], stage  # and reaches the total
    assert next(t for s, _, t in calls if s == "embed fake") == report.passages
    assert [d for s, d, _ in calls if s == "documents"] == [1, 2, 3]
    # A stage's count moves in steps of a batch, not a whole stage at once.
    assert len([1 for s, _, _ in calls if s == "embed fake"]) >= report.passages // 2
