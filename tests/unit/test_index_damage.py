"""A damaged index is detected on open with a clear message, and `build_index` (mitra index)
rebuilds it without --rebuild. A read-only index folder gives a message, not a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.errors import IndexCorruptError, IndexWriteError, MitraError
from assistant.index.build import build_index
from assistant.index.library import Library
from assistant.index.manifest import read_manifest
from assistant.search.retriever import Retriever


def _folder(settings: Settings) -> Path:
    manifest = read_manifest(settings.index_dir)
    assert manifest is not None
    return settings.index_dir / manifest.folder


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _assert_rebuilt(settings: Settings, reason: str) -> None:
    with pytest.raises(IndexCorruptError, match=reason) as info:
        Library.open(settings)
    assert "mitra index" in info.value.hint
    report = build_index(settings)  # no --rebuild
    assert report.rebuilt_because and "damaged" in report.rebuilt_because
    assert sorted(report.added) == ["agreement", "notes", "rivers"]
    lib = Library.open(settings)
    assert Retriever(lib).search("Northbrook fund percent", k=1)[0].passage.doc_id == "agreement"
    assert not build_index(settings).changed_anything


def test_truncated_sqlite_is_detected_and_rebuilt(fake_settings: Settings) -> None:
    build_index(fake_settings)
    _truncate(_folder(fake_settings) / "mitra.sqlite")
    _assert_rebuilt(fake_settings, r"mitra\.sqlite has [\d,]+ bytes, [\d,]+ when it was written")


def test_truncated_faiss_is_detected_and_rebuilt(fake_settings: Settings) -> None:
    build_index(fake_settings)
    _truncate(_folder(fake_settings) / "vectors.fake.faiss")
    _assert_rebuilt(fake_settings, r"vectors\.fake\.faiss has [\d,]+ bytes")


def test_sqlite_damaged_inside_is_detected_and_rebuilt(fake_settings: Settings) -> None:
    build_index(fake_settings)
    db = _folder(fake_settings) / "mitra.sqlite"
    data = bytearray(db.read_bytes())
    page = 4096
    for p in range(1, len(data) // page):  # garble every b-tree page header but the first, same size
        data[p * page : p * page + 8] = b"\xff" * 8
    db.write_bytes(bytes(data))
    _assert_rebuilt(fake_settings, r"mitra\.sqlite: ")


def test_faiss_holding_other_vectors_than_the_manifest_says(fake_settings: Settings) -> None:
    build_index(fake_settings)
    manifest = read_manifest(fake_settings.index_dir)
    assert manifest is not None
    import faiss
    import numpy as np

    path = _folder(fake_settings) / "vectors.fake.faiss"
    index = faiss.read_index(str(path))
    index.remove_ids(np.asarray(manifest.documents["notes"].passage_ids, dtype=np.int64))
    faiss.write_index(index, str(path))
    raw = json.loads((fake_settings.index_dir / "manifest.json").read_text())
    raw["files"]["vectors.fake.faiss"] = path.stat().st_size  # sizes agree: only the count tells
    (fake_settings.index_dir / "manifest.json").write_text(json.dumps(raw))
    _assert_rebuilt(fake_settings, r"holds \d+ vectors for \d+ passages")


def test_deleted_generation_folder_says_so(fake_settings: Settings) -> None:
    build_index(fake_settings)
    import shutil

    folder = _folder(fake_settings)
    shutil.rmtree(folder)
    _assert_rebuilt(fake_settings, f"its folder {folder.name}/ is missing")


def test_garbled_manifest_is_reported_and_rebuilt(fake_settings: Settings) -> None:
    build_index(fake_settings)
    path = fake_settings.index_dir / "manifest.json"
    path.write_text(path.read_text()[:200])
    _assert_rebuilt(fake_settings, "manifest.json is damaged")


def test_stale_manifest_temporaries_are_removed(fake_settings: Settings) -> None:
    fake_settings.index_dir.mkdir(parents=True)
    stale = fake_settings.index_dir / ".manifest.json.4242.tmp"
    stale.write_text("{half a manif")
    build_index(fake_settings)
    assert not stale.exists()
    assert not list(fake_settings.index_dir.glob(".*.tmp"))


def test_corrupt_index_through_the_cli_is_one_line_then_rebuilt(fake_settings: Settings) -> None:
    build_index(fake_settings)
    _truncate(_folder(fake_settings) / "mitra.sqlite")
    cli = [sys.executable, "-m", "assistant", "--corpus", str(fake_settings.corpus_dir)]
    cli += ["--index", str(fake_settings.index_dir), "--embedder", "fake"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    search = subprocess.run([*cli, "search", "river"], capture_output=True, text=True, env=env, timeout=120)
    assert search.returncode != 0 and "Traceback" not in search.stderr
    assert "damaged" in search.stderr and len(search.stderr.strip().splitlines()) == 1
    index = subprocess.run([*cli, "index"], capture_output=True, text=True, env=env, timeout=120)
    assert index.returncode == 0, index.stderr
    assert "Rebuilt the whole index" in index.stdout and "damaged" in index.stdout


def _make_read_only(folder: Path) -> bool:
    """Make `folder` unwritable for this process: chattr +i as root, chmod otherwise."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return True
    return subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0


def _make_writable(folder: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    folder.chmod(0o755)


@pytest.mark.parametrize("lock_file", [True, False])
def test_read_only_index_folder_gives_a_message(fake_settings: Settings, lock_file: bool) -> None:
    build_index(fake_settings)
    index = fake_settings.index_dir
    if not lock_file:
        (index / ".lock").unlink()  # as after a copy: no lock file to reuse
    if not _make_read_only(index):
        pytest.skip("cannot make a folder immutable here (chattr)")
    try:
        up_to_date = build_index(fake_settings)  # nothing to write: fine
        assert not up_to_date.changed_anything and up_to_date.documents == 3
        (fake_settings.corpus_dir / "memo.md").write_text("# Memo\n\nA new memo about the depot.\n")
        with pytest.raises(IndexWriteError, match=f"cannot write to the index folder {index}") as info:
            build_index(fake_settings)
        assert isinstance(info.value, MitraError) and "--index" in info.value.hint
        assert Library.open(fake_settings).passage_count() > 0  # still readable
    finally:
        _make_writable(index)
    assert build_index(fake_settings).added == ["memo"]
