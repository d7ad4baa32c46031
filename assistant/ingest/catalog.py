"""The library catalogue (`catalog.toml` in the corpus folder) and file discovery."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ConfigError
from assistant.model import CatalogEntry, DocType, SkippedFile

CATALOG_NAME = "catalog.toml"
# Files in the corpus folder that describe the library rather than belong to it.
NOT_DOCUMENTS = {CATALOG_NAME, "readme.md", "readme.txt", "licence", "license", ".gitkeep"}


def _flag(raw: dict[str, object], key: str) -> bool:
    """A yes/no field of an entry; anything but true or false is a ValueError."""
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false, not {value!r}")
    return value


def load_catalog(corpus: Path) -> dict[str, CatalogEntry]:
    """Catalogue entries by relative path; an absent catalogue is an empty one."""
    path = corpus / CATALOG_NAME
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})", "check its permissions") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})", "fix the catalogue and re-index") from exc
    entries: dict[str, CatalogEntry] = {}
    for raw in data.get("document", []):
        try:
            entry = CatalogEntry(
                id=str(raw["id"]),
                path=str(raw["path"]),
                title=raw.get("title"),
                authors=tuple(raw.get("authors", ())),
                issuer=raw.get("issuer"),
                year=int(raw["year"]) if raw.get("year") else None,
                type=DocType(raw.get("type", "other")),
                language=raw.get("language"),
                source=raw.get("source"),
                licence=raw.get("licence"),
                container=raw.get("container"),
                doi=raw.get("doi"),
                description=raw.get("description"),
                revoked_by=raw.get("revoked_by"),
                ocr_transcript=_flag(raw, "ocr_transcript"),
            )
        except (KeyError, ValueError) as exc:
            raise ConfigError(
                f"{path}: a [[document]] entry is invalid ({exc})",
                "each needs id and path; type is one of " + ", ".join(t.value for t in DocType),
            ) from exc
        entries[entry.path] = entry
    return entries


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A regular file found in the corpus folder (`path` is its real location)."""

    path: Path
    rel: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Discovery:
    """What a scan of the corpus folder found: the files to index, and those it had to skip."""

    files: list[SourceFile]
    skipped: list[SkippedFile]


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)
_NOT_REGULAR_HINT = "only regular files are read; remove it from the corpus folder or replace it with the file"


def discover(corpus: Path, progress: Callable[[int, int], None] | None = None) -> Discovery:
    """Every candidate document under `corpus`, sorted by path, hidden files excluded.

    Links are followed only while they stay inside the corpus folder; a link leaving it,
    a link loop, a broken link, a FIFO, socket or device, and a file that cannot be read
    are skipped, each with its reason (a FIFO is never opened). `progress(done, total)`
    is called after each file is hashed.
    """
    if not corpus.is_dir():
        raise ConfigError(f"corpus folder {corpus} does not exist", "create it or pass --corpus DIR")
    walker = _Walker(corpus.resolve())
    walker.walk(walker.root, "", frozenset())
    files: list[SourceFile] = []
    candidates = sorted(walker.candidates, key=lambda c: c[1])
    for n, (real, rel) in enumerate(candidates, 1):
        try:
            files.append(_hashed(real, rel))
        except _NotRegularError as exc:
            walker.skipped.append(SkippedFile(rel, f"{rel}: {exc.kind}, not a document", _NOT_REGULAR_HINT))
        except OSError as exc:
            walker.skipped.append(
                SkippedFile(
                    rel,
                    f"{rel}: cannot be read ({exc.strerror or type(exc).__name__})",
                    "check its permissions (for example `chmod a+r` on it), then re-index",
                )
            )
        if progress is not None:
            progress(n, len(candidates))
    return Discovery(files, sorted(walker.skipped, key=lambda s: s.path))


class _NotRegularError(Exception):
    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def _kind(mode: int) -> str | None:
    """What a non-regular file is ("a named pipe (FIFO)"), None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


class _Walker:
    """Walks the corpus folder, following links only inside it, never around a loop."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.candidates: list[tuple[Path, str]] = []  # (real path, path relative to the corpus)
        self.skipped: list[SkippedFile] = []

    def walk(self, folder: Path, prefix: str, ancestors: frozenset[tuple[int, int]]) -> None:
        try:
            info = folder.stat()
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            if not prefix:
                raise ConfigError(
                    f"corpus folder {folder} cannot be read ({exc.strerror})", "check its permissions"
                ) from None
            where = prefix.rstrip("/")
            self.skipped.append(
                SkippedFile(where, f"{where}/: folder cannot be read ({exc.strerror})", "check its permissions")
            )
            return
        ancestors = ancestors | {(info.st_dev, info.st_ino)}
        for entry in entries:
            rel = prefix + entry.name
            if entry.name.startswith(".") or rel.lower() in NOT_DOCUMENTS:
                continue
            if entry.is_symlink():
                self._link(Path(entry.path), rel, ancestors)
            elif entry.is_dir(follow_symlinks=False):
                self.walk(Path(entry.path), rel + "/", ancestors)
            else:
                self._file(Path(entry.path), rel)

    def _file(self, path: Path, rel: str) -> None:
        try:
            mode = path.lstat().st_mode
        except OSError:
            mode = stat.S_IFREG  # reported when it is opened
        kind = _kind(mode)
        if kind is not None:
            self.skipped.append(SkippedFile(rel, f"{rel}: {kind}, not a document", _NOT_REGULAR_HINT))
        else:
            self.candidates.append((path, rel))

    def _link(self, link: Path, rel: str, ancestors: frozenset[tuple[int, int]]) -> None:
        try:
            target = Path(os.path.realpath(link, strict=True))
        except OSError as exc:
            broken = "a link loop" if exc.errno == errno.ELOOP else "a broken link"
            self.skipped.append(
                SkippedFile(rel, f"{rel}: {broken} ({os.readlink(link)}), not followed", "fix or remove the link")
            )
            return
        if target != self.root and self.root not in target.parents:
            self.skipped.append(
                SkippedFile(
                    rel,
                    f"{rel}: a link to {target}, outside the corpus folder, not followed",
                    "copy the file into the corpus folder if it belongs to the library",
                )
            )
            return
        if target.is_dir():
            info = target.stat()
            if (info.st_dev, info.st_ino) in ancestors:
                self.skipped.append(
                    SkippedFile(rel, f"{rel}: a link loop (back to a folder it is in), not followed", "remove the link")
                )
            else:
                self.walk(target, rel + "/", ancestors)
            return
        self._file(target, rel)


def _hashed(path: Path, rel: str) -> SourceFile:
    """The file's size and SHA-256; never blocks on a FIFO swapped in since the walk."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        kind = _kind(info.st_mode)
        if kind is not None:
            raise _NotRegularError(kind)
        h = hashlib.sha256()
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return SourceFile(path, rel, info.st_size, h.hexdigest())


def derive_id(rel: str, taken: set[str]) -> str:
    """A readable document id from a file path: `open-data/kual_sungai.csv` -> `kual-sungai`."""
    stem = Path(rel).stem.lower()
    base = re.sub(r"[^a-z0-9]+", "-", stem).strip("-") or "document"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def title_from_filename(rel: str) -> str:
    stem = Path(rel).stem
    return re.sub(r"[_\-]+", " ", stem).strip().capitalize() or rel
