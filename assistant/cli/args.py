"""Arguments shared by the commands: document filters."""

from __future__ import annotations

import argparse

from assistant.errors import ConfigError
from assistant.model import DocType, SearchFilters

DOC_TYPES = ("study", "agreement", "manual", "regulation", "data", "other")


def add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--type", action="append", choices=DOC_TYPES, help="only this document type (repeatable)")
    p.add_argument("--lang", action="append", help="only documents in this language (en, id)")
    p.add_argument("--doc", action="append", help="only this document id (repeatable)")
    p.add_argument("--year", help="a year or a range: 2020, 2016-2020, 2018-")


def search_filters(args: argparse.Namespace) -> SearchFilters:
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
        languages=frozenset(args.lang or ()),
        doc_ids=frozenset(args.doc or ()),
        year_min=year_min,
        year_max=year_max,
    )
