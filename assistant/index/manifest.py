"""manifest.json: the index's typed self-description and its commit point.

It names the committed generation folder, the embedders (id, dimension, vector file),
the chunking settings, the size of every file of the generation (checked on open), and
per document its path, SHA-256, fingerprint, status and passage ids. It is written
last and atomically (a temporary file, fsync, rename): a build killed at any moment
leaves the previous manifest, and with it the previous complete generation.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import IndexCorruptError, IndexFormatError
from assistant.index.store import DB_NAME
from assistant.model import DocStatus

# 4: OCR confidence, vector text hashes, typed manifest; 5: Indonesian stems for Indonesian documents;
# 6: table rows stored as data (table_rows: cells as JSON), not parsed back from their lines;
# 7: a vector per sentence in the multilingual space (sentence_vectors);
# 8: an Indonesian passage's English gloss, in the English space and in BM25;
# 9: a document's revoked_by (a regulation no longer in force);
# 10: a document's ocr_transcript (a publisher's OCR transcription)
FORMAT_VERSION = 10
MANIFEST = "manifest.json"


def faiss_name(space: str) -> str:
    """The file name of the vector index of `space` inside a generation folder."""
    return f"vectors.{space}.faiss"


@dataclass(frozen=True, slots=True)
class EmbedderInfo:
    """One embedding space of the index: which model made its vectors, of what size."""

    id: str
    dim: int


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    """What the manifest records about one file of the library."""

    path: str
    sha256: str
    fingerprint: str  # content hash, catalogue entry and reading settings: a change re-reads the file
    status: DocStatus
    passage_ids: tuple[int, ...] = ()
    error: str | None = None
    hint: str | None = None


@dataclass(slots=True)
class Manifest:
    """The index's self-description, stored as manifest.json."""

    embedders: dict[str, EmbedderInfo]
    chunking: dict[str, int]
    generation: int = 0
    next_passage_id: int = 1
    documents: dict[str, DocumentEntry] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)  # file of the generation folder -> size in bytes
    format_version: int = FORMAT_VERSION
    built_at: str = ""

    @property
    def folder(self) -> str:
        return f"gen-{self.generation:06d}"

    @property
    def passages(self) -> int:
        """Passages of every document (each has one vector per embedding space)."""
        return sum(len(d.passage_ids) for d in self.documents.values())

    @property
    def unreadable(self) -> int:
        """Documents recorded without a passage (failed, or scanned with OCR off)."""
        return sum(not d.passage_ids for d in self.documents.values())

    def signature(self) -> dict[str, str]:
        """Embedding space -> embedder id: what the index must be searched with."""
        return {space: e.id for space, e in self.embedders.items()}

    def to_json(self) -> str:
        return json.dumps(
            {
                "format_version": self.format_version,
                "generator": "mitra",
                "embedders": [
                    {
                        "space": space,
                        "id": e.id,
                        "dim": e.dim,
                        "metric": "inner_product",
                        "normalized": True,
                        "vectors": f"{self.folder}/{faiss_name(space)}",
                    }
                    for space, e in self.embedders.items()
                ],
                "lexical": {"kind": "sqlite-fts5-bm25", "table": "lexical", "stemmer": "snowball-english-indonesian"},
                "chunking": self.chunking,
                "generation": self.generation,
                "store": f"{self.folder}/{DB_NAME}",
                "files": self.files,
                "next_passage_id": self.next_passage_id,
                "built_at": self.built_at,
                "documents": {doc_id: _entry_json(d) for doc_id, d in self.documents.items()},
            },
            indent=1,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, raw: str) -> Manifest:
        """Parse and validate manifest.json; ValueError, KeyError or TypeError if it is not one."""
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise TypeError("not a JSON object")
        version = int(data["format_version"])
        if version != FORMAT_VERSION:
            raise _OtherFormat(version)
        return cls(
            embedders={str(e["space"]): EmbedderInfo(str(e["id"]), _int(e["dim"])) for e in data["embedders"]},
            chunking={str(k): _int(v) for k, v in data["chunking"].items()},
            generation=_int(data["generation"]),
            next_passage_id=_int(data["next_passage_id"]),
            documents={str(k): _entry(v) for k, v in data["documents"].items()},
            files={str(k): _int(v) for k, v in data["files"].items()},
            format_version=version,
            built_at=str(data.get("built_at", "")),
        )


class _OtherFormat(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, found {value!r}")
    return value


def _entry(raw: dict[str, Any]) -> DocumentEntry:
    return DocumentEntry(
        path=str(raw["path"]),
        sha256=str(raw["sha256"]),
        fingerprint=str(raw["fingerprint"]),
        status=DocStatus(raw["status"]),
        passage_ids=tuple(_int(i) for i in raw["passage_ids"]),
        error=None if raw.get("error") is None else str(raw["error"]),
        hint=None if raw.get("hint") is None else str(raw["hint"]),
    )


def _entry_json(entry: DocumentEntry) -> dict[str, object]:
    out: dict[str, object] = {
        "path": entry.path,
        "sha256": entry.sha256,
        "fingerprint": entry.fingerprint,
        "status": entry.status.value,
        "passage_ids": list(entry.passage_ids),
    }
    if entry.error is not None:
        out["error"] = entry.error
        out["hint"] = entry.hint or ""
    return out


def read_manifest(index_dir: Path) -> Manifest | None:
    """The committed manifest, or None if the index has none.

    Raises IndexFormatError for a manifest of another format version and
    IndexCorruptError for one that cannot be read or parsed.
    """
    path = index_dir / MANIFEST
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise IndexCorruptError(f"{path} cannot be read ({exc})", "run `mitra index` to rebuild the index") from exc
    try:
        return Manifest.from_json(raw)
    except _OtherFormat as other:
        raise IndexFormatError(
            f"the index in {index_dir} has format {other.version}, this Mitra reads {FORMAT_VERSION}",
            "run `mitra index` to rebuild it",
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IndexCorruptError(
            f"{path} is damaged ({type(exc).__name__}: {exc})", "run `mitra index` to rebuild the index"
        ) from exc


def write_manifest(index_dir: Path, manifest: Manifest) -> None:
    """Commit `manifest`: atomically replace manifest.json."""
    write_atomic(index_dir / MANIFEST, manifest.to_json().encode("utf-8"))


def remove_stale_temporaries(index_dir: Path) -> list[Path]:
    """Delete `.manifest.json.*.tmp` files left by killed builders (call with the lock held)."""
    stale = list(index_dir.glob(f".{MANIFEST}.*.tmp"))
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a crash leaves either the old or the new file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    """Make a rename inside `path` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def previous_store(index_dir: Path) -> tuple[Path, dict[str, str]] | None:
    """(database path, embedder id per space) of the committed generation, read leniently:
    any format version, no check of the documents. A build that starts from scratch (another
    format, other chunking or embedders, --rebuild) takes from it the vectors of texts it
    would embed again with the same model. None when there is nothing usable."""
    try:
        raw = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
        spaces = {str(e["space"]): str(e["id"]) for e in raw["embedders"]}
        path = (index_dir / str(raw["store"])).resolve()
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if path.parent.parent != index_dir.resolve() or path.name != DB_NAME or not path.is_file():
        return None  # a manifest naming a file outside the index folder is not followed
    return path, spaces
