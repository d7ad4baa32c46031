"""The library catalogue (`catalog.toml` in the corpus folder) and file discovery."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ConfigError
from assistant.model import CatalogEntry, DocType

CATALOG_NAME = "catalog.toml"
# Files in the corpus folder that describe the library rather than belong to it.
NOT_DOCUMENTS = {CATALOG_NAME, "readme.md", "readme.txt", "licence", "license", ".gitkeep"}


def load_catalog(corpus: Path) -> dict[str, CatalogEntry]:
    """Catalogue entries by relative path; an absent catalogue is an empty one."""
    path = corpus / CATALOG_NAME
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
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
    """A file found in the corpus folder."""

    path: Path
    rel: str
    size: int
    sha256: str


def discover(corpus: Path) -> list[SourceFile]:
    """Every candidate document under `corpus`, sorted, hidden files excluded."""
    if not corpus.is_dir():
        raise ConfigError(f"corpus folder {corpus} does not exist", "create it or pass --corpus DIR")
    found: list[SourceFile] = []
    for path in sorted(corpus.rglob("*")):
        rel = path.relative_to(corpus).as_posix()
        if any(part.startswith(".") for part in rel.split("/")) or not path.is_file():
            continue
        if rel.lower() in NOT_DOCUMENTS:
            continue
        found.append(SourceFile(path, rel, path.stat().st_size, file_sha256(path)))
    return found


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


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
