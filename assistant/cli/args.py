"""What the commands share on the way in: settings from the global flags, document filters,
`-k`, and the reading of a file of questions (one per line)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import ConfigError
from assistant.model import DocType, SearchFilters

if TYPE_CHECKING:
    from assistant.config import Settings

    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]

DOC_TYPES = tuple(t.value for t in DocType)


def settings(args: argparse.Namespace) -> Settings:
    """The Settings of this run: the environment (MITRA_*), overridden by --corpus, --index
    and --embedder. A malformed environment variable is a ConfigError naming it."""
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    from assistant.config import Settings

    overrides: dict[str, Any] = {}
    if args.corpus:
        overrides["corpus_dir"] = args.corpus
    if args.index:
        overrides["index_dir"] = args.index
    if args.embedder:
        overrides["embedders"] = tuple(args.embedder)
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        names = {"ChunkSettings": "MITRA_CHUNK_"}
        field = "_".join(str(part) for part in error["loc"]).upper()
        variable = names.get(exc.title, "MITRA_") + field
        raise ConfigError(f"{variable}: {error['msg']}", f"fix or unset the environment variable {variable}") from None
    except SettingsError as exc:  # a list-valued variable that is not JSON
        raise ConfigError(
            f"a MITRA_* environment variable is malformed: {exc}", 'lists take JSON: ["minilm", "e5"]'
        ) from None


def add_filters(p: argparse.ArgumentParser, lang_flag: str = "--lang") -> None:
    """The document filters: --type, --doc, --year and the documents' language (`lang_flag`)."""
    p.add_argument("--type", action="append", choices=DOC_TYPES, help="only this document type (repeatable)")
    p.add_argument(lang_flag, dest="doc_lang", action="append", help="only documents in this language (en, id)")
    p.add_argument("--doc", action="append", help="only this document id (repeatable)")
    p.add_argument("--year", help="a year or a range: 2020, 2016-2020, 2018-")


def search_filters(args: argparse.Namespace) -> SearchFilters:
    """The filters given by `add_filters`' flags; a malformed --year is a ConfigError."""
    year_min = year_max = None
    if args.year:
        lo, sep, hi = args.year.partition("-")
        try:
            year_min = int(lo) if lo else None
            year_max = (int(hi) if hi else None) if sep else year_min
        except ValueError:
            raise ConfigError(f"--year {args.year!r} is not a year or range", "use 2020, 2016-2020 or 2018-") from None
    return SearchFilters(
        types=frozenset(DocType(t) for t in args.type or ()),
        languages=frozenset(args.doc_lang or ()),
        doc_ids=frozenset(args.doc or ()),
        year_min=year_min,
        year_max=year_max,
    )


def add_k(p: argparse.ArgumentParser, default: int, what: str) -> None:
    """`-k N`: how many passages to show or read."""
    p.add_argument("-k", "--k", dest="k", type=int, default=default, help=f"{what} (default {default})")


def check_k(k: int, default: int) -> int:
    """`k` if it is a number of passages (1 or more), else a ConfigError."""
    if k < 1:
        raise ConfigError(f"-k {k} is not a number of passages", f"use 1 or more (default {default})")
    return k


def read_lines(path: Path) -> list[str]:
    """The lines of the UTF-8 text file `path`, split on newlines only (\\n or \\r\\n, not the
    form feeds and other separators `str.splitlines` also breaks on), so that line n of the
    output answers line n of the file. A missing, unreadable or binary file is a ConfigError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}", "check the path") from None
    hint = "give a UTF-8 text file"
    if b"\x00" in data:
        raise ConfigError(f"{path} is not a text file (it holds NUL bytes)", hint)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path} is not UTF-8 text (byte {exc.start} is not)", hint) from None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the newline that ends the last line
    return [line.removesuffix("\r") for line in lines]
