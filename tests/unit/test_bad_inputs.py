"""A library with broken, odd and unsupported files: indexing goes on and says why.

Good files are indexed and searchable; each bad one is reported once, naming the
file, and is listed as failed with its message. A file that takes too long to
read is stopped by the per-file time limit.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from assistant.config import OcrSettings, Settings
from assistant.index.build import IndexReport, build_index
from assistant.index.library import Library
from assistant.ingest import sandbox
from assistant.ingest.loaders.base import LoadOptions
from assistant.model import DocStatus, LoadedText
from assistant.search.retriever import Retriever
from tests.fixtures.pdfs import (
    agreement_pdf,
    corrupt_pdf,
    encrypted_pdf,
    image_only_pdf,
    junk_pdf,
    large_pdf,
)

GUIDE_MD = """# Composting Guide

SYNTHETIC TEST FIXTURE - not a real document.

## Bioswales

A bioswale is a shallow planted channel that slows storm water and filters it through soil
before it reaches the river. The wardens inspect each bioswale after heavy rain.

## Market compost

Vendors at the harbour market separate vegetable peelings into green bins. The peelings are
turned into compost at the depot and returned to the allotments in spring.
"""

# Indonesian and French with accents, saved in Windows-1252 (not valid UTF-8).
CATATAN_CP1252 = """Catatan lapangan

Pengelolaan sampah di pasar tradisional berjalan baik. Les déchets ménagers sont triés à la
source, et le comité de quartier a organisé une réunion à l'école élémentaire.

Kegiatan berikutnya: pelatihan kompos untuk warga, café communautaire et fête du quartier en été.
""".encode("cp1252")

RAGGED_CSV = """Station,River,Score
1,Alfa,-12
2,Beta,-35,late sample
3,Gamma
"""

# Each bad file, with a word its reason must contain.
BAD = {
    "empty.txt": "empty",
    "empty.pdf": "empty",
    "truncated.pdf": "not a readable PDF",
    "locked.pdf": "password-protected",
    "scan.pdf": "no text layer",
    "junk.pdf": "not a readable PDF",
    "slides.xyz": "unsupported format",
}
GOOD = {"guide.md", "agreement.pdf", "catatan.txt", "ragged.csv"}


def fake_settings(corpus: Path, index: Path, **limits: float) -> Settings:
    """Settings with the fast deterministic fake embedder (no model) and OCR off: here the
    scan stands for a file that is not read (tests/unit/test_ocr.py covers OCR)."""
    return Settings(
        corpus_dir=corpus,
        index_dir=index,
        embedders=("fake",),
        ocr=OcrSettings(enabled=False),
        **limits,  # type: ignore[arg-type]
    )


def make_messy_corpus(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "guide.md").write_text(GUIDE_MD, encoding="utf-8")
    agreement_pdf(root / "agreement.pdf")
    (root / "catatan.txt").write_bytes(CATATAN_CP1252)
    (root / "ragged.csv").write_text(RAGGED_CSV, encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "empty.pdf").write_bytes(b"")
    corrupt_pdf(root / "truncated.pdf")
    encrypted_pdf(root / "locked.pdf")
    image_only_pdf(root / "scan.pdf")
    junk_pdf(root / "junk.pdf")
    (root / "slides.xyz").write_bytes(b"PK\x03\x04 not a format Mitra reads")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, IndexReport]:
    tmp = tmp_path_factory.mktemp("messy")
    settings = fake_settings(make_messy_corpus(tmp / "corpus"), tmp / "index")
    return settings, build_index(settings)


@pytest.fixture(scope="module")
def library(built: tuple[Settings, IndexReport]) -> Library:
    return Library.open(built[0])


def test_exactly_the_bad_files_are_skipped(built: tuple[Settings, IndexReport]) -> None:
    _, report = built
    assert sorted(s.path for s in report.skipped) == sorted(BAD)
    for s in report.skipped:
        assert BAD[s.path] in s.reason, s
        assert s.hint, s


def test_each_load_failure_names_its_file(built: tuple[Settings, IndexReport]) -> None:
    loaded_bad = [s for s in built[1].skipped if s.path != "slides.xyz"]
    assert len(loaded_bad) == len(BAD) - 1
    assert built[1].unreadable == len(loaded_bad)  # recorded (the library lists them), never "indexed"
    for s in loaded_bad:
        assert s.reason.startswith(f"{s.path}: "), s
    scan = next(s for s in loaded_bad if s.path == "scan.pdf")
    assert "OCR" in scan.hint


def test_unsupported_file_reason_names_the_file(built: tuple[Settings, IndexReport]) -> None:
    skipped = next(s for s in built[1].skipped if s.path == "slides.xyz")
    assert "slides.xyz" in skipped.reason
    assert ".pdf" in skipped.hint  # says which formats are read


def test_good_files_are_indexed_with_their_warnings(built: tuple[Settings, IndexReport]) -> None:
    _, report = built
    assert set(report.warnings) == {"catatan.txt", "ragged.csv"}
    assert any("not UTF-8" in w for w in report.warnings["catatan.txt"])
    assert any("2 rows have a different number of fields" in w for w in report.warnings["ragged.csv"])
    assert report.passages > 0


def test_good_documents_are_searchable(library: Library) -> None:
    by_path = {d.path: d for d in library.documents()}
    for query, path in [
        ("bioswale storm water river", "guide.md"),
        ("Southport fund air monitoring programme", "agreement.pdf"),
        ("déchets ménagers réunion école", "catatan.txt"),
    ]:
        hits = Retriever(library).search(query, k=1)
        assert hits and hits[0].passage.doc_id == by_path[path].id, query
    assert "déchets ménagers" in library.text(by_path["catatan.txt"].id)


def test_documents_list_failures_with_their_message(library: Library) -> None:
    docs = {d.path: d for d in library.documents()}
    failed = {p for p, d in docs.items() if d.status in (DocStatus.FAILED, DocStatus.NEEDS_OCR)}
    assert failed == set(BAD) - {"slides.xyz"}
    assert {p for p, d in docs.items() if d.status == DocStatus.NEEDS_OCR} == {
        p for p in BAD if "no text layer" in BAD[p]
    }
    for path in failed:
        doc = docs[path]
        assert doc.passages == 0
        assert len(doc.warnings) == 1 and doc.warnings[0].startswith(f"{path}: ")
        assert BAD[path] in doc.warnings[0]
    for path in GOOD:
        assert docs[path].status == DocStatus.INDEXED and docs[path].passages > 0, path
    assert library.passages_of(docs["locked.pdf"].id) == []


def test_every_note_of_the_messy_library_is_said_in_indonesian(library: Library) -> None:
    from assistant.tui.notes import in_indonesian

    notes = [w for d in library.documents() for w in d.warnings]
    assert len(notes) >= len(BAD) - 1  # each failed file's reason, and the good files' notes
    for note in notes:
        said = in_indonesian(note)
        message, _, hint = note.partition(" — ")
        assert said != note, note
        assert message.split(": ", 1)[-1] not in said, said  # the message is translated, the name kept
        assert not hint or hint not in said, said
        assert note.split(": ")[0] in said or ":" not in note.split(" ")[0], said


def test_failures_are_reported_again_on_an_unchanged_reindex(built: tuple[Settings, IndexReport]) -> None:
    settings, first = built
    again = build_index(settings)
    assert not again.changed_anything and again.embedded == 0
    assert sorted((s.path, s.reason) for s in again.skipped) == sorted((s.path, s.reason) for s in first.skipped)
    assert again.unreadable == first.unreadable > 0


def test_slow_file_is_stopped_by_the_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "guide.md").write_text(GUIDE_MD, encoding="utf-8")
    agreement_pdf(corpus / "agreement.pdf")
    large_pdf(corpus / "large.pdf")
    read = sandbox.load_file

    def stuck_on_large(path: Path, options: LoadOptions | None = None) -> LoadedText:
        if path.name == "large.pdf":
            time.sleep(120)  # far past the limit, however loaded the machine
        return read(path, options)

    # The readers are forked, so they read with this; the other files take well under the limit.
    monkeypatch.setattr(sandbox, "load_file", stuck_on_large)
    settings = fake_settings(corpus, tmp_path / "index", file_timeout_s=5)
    report = build_index(settings)
    assert [s.path for s in report.skipped] == ["large.pdf"]
    reason = report.skipped[0].reason
    assert reason.startswith("large.pdf: ") and "longer than the 5 s time limit and was stopped" in reason
    assert "MITRA_FILE_TIMEOUT_S" in report.skipped[0].hint
    docs = {d.path: d for d in Library.open(settings).documents()}
    assert docs["large.pdf"].status == DocStatus.FAILED
    assert docs["guide.md"].passages > 0 and docs["agreement.pdf"].passages > 0
    # Raising the limit, as the hint says, retries the file (the others come from the cache).
    monkeypatch.undo()
    retry = build_index(fake_settings(corpus, tmp_path / "index", file_timeout_s=120))
    assert retry.skipped == [] and "large" in retry.changed
    assert Library.open(settings).document("large").status == DocStatus.INDEXED  # type: ignore[union-attr]


RESERVE_AND_LOAD = """
import mmap, sys
from pathlib import Path
from assistant.ingest.sandbox import load_many
try:
    reserved = mmap.mmap(-1, 4 << 30)  # 4 GiB of address space, never touched
except OSError:
    sys.exit(3)
for path, outcome in load_many([Path(sys.argv[1])], timeout_s=60, memory_mb=256):
    print(type(outcome).__name__, getattr(outcome, "message", ""))
"""


def test_memory_cap_counts_from_what_the_worker_inherits(tmp_path: Path) -> None:
    """A parent holding much address space (a loaded model) must not make every file fail.

    Run in a fresh process, so the worker's inherited heap has no free room to hide the cap.
    """
    notes = tmp_path / "notes.md"  # 300 kB: reading it needs fresh memory
    notes.write_text(
        "\n\n".join(f"Note {n}: the wardens checked bioswale {n} after rain." for n in range(6000)),
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-c", RESERVE_AND_LOAD, str(notes)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    if run.returncode == 3:
        pytest.skip("cannot reserve 4 GiB of address space here")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "LoadedText", run.stdout


def _fail_after(seconds: int) -> None:
    """Turn a hang (a FIFO opened for reading) into a test failure."""

    def stop(signum: int, frame: object) -> None:
        raise AssertionError(f"indexing blocked for {seconds} s")

    signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)


def test_links_leaving_the_corpus_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("The vault code is alpha bravo charlie delta.\n")
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "guide.md").write_text(GUIDE_MD, encoding="utf-8")
    (corpus / "passwd.txt").symlink_to(outside / "secret.txt")
    (corpus / "escape").symlink_to(outside, target_is_directory=True)
    (corpus / "sub" / "guide-link.md").symlink_to(corpus / "guide.md")  # inside: fine
    (corpus / "sub" / "loop").symlink_to(corpus, target_is_directory=True)  # back to a folder it is in
    (corpus / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    settings = fake_settings(corpus, tmp_path / "index")
    report = build_index(settings)
    reasons = {s.path: s.reason for s in report.skipped}
    assert set(reasons) == {"passwd.txt", "escape", "sub/loop", "dangling.txt"}
    assert "outside the corpus folder, not followed" in reasons["passwd.txt"]
    assert "outside the corpus folder, not followed" in reasons["escape"]
    assert "link loop" in reasons["sub/loop"] and "broken link" in reasons["dangling.txt"]
    assert all(s.hint for s in report.skipped)
    library = Library.open(settings)
    assert sorted(d.path for d in library.documents()) == ["guide.md", "sub/guide-link.md"]
    assert not any("vault" in library.text(d.id) for d in library.documents())


def test_fifos_and_sockets_are_skipped_without_blocking(tmp_path: Path) -> None:
    import socket

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "guide.md").write_text(GUIDE_MD, encoding="utf-8")
    os.mkfifo(corpus / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(corpus / "control.sock"))
    settings = fake_settings(corpus, tmp_path / "index")
    _fail_after(60)
    try:
        report = build_index(settings)
    finally:
        signal.alarm(0)
        sock.close()
    reasons = {s.path: s.reason for s in report.skipped}
    assert reasons == {
        "pipe.txt": "pipe.txt: a named pipe (FIFO), not a document",
        "control.sock": "control.sock: a socket, not a document",
    }
    assert [d.path for d in Library.open(settings).documents()] == ["guide.md"]


def test_unreadable_file_is_skipped_and_the_rest_indexed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "guide.md").write_text(GUIDE_MD, encoding="utf-8")
    secret = corpus / "private.txt"
    secret.write_text("Nobody may read this.\n")
    secret.chmod(0)
    if os.geteuid() == 0:  # chmod does not stop root: refuse the open as the kernel would
        real_open = os.open

        def refusing(path: Any, flags: int, *args: Any, **kw: Any) -> int:
            if Path(path) == secret:
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, flags, *args, **kw)

        monkeypatch.setattr(os, "open", refusing)
    settings = fake_settings(corpus, tmp_path / "index")
    report = build_index(settings)
    assert [(s.path, s.reason) for s in report.skipped] == [
        ("private.txt", "private.txt: cannot be read (Permission denied)")
    ]
    assert "chmod" in report.skipped[0].hint
    assert [d.path for d in Library.open(settings).documents()] == ["guide.md"]
    secret.chmod(0o644)
