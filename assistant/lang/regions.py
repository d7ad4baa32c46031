"""The regions a country lies in, so that a table row naming a country is found by the region
a question asks about: the row "Namur | Belgium" answers "Which European sister city ...?",
"Cuenca | Ecuador" answers "Kota mitra Bandung di Amerika Selatan?". The data
(`data/regions.json`, made by `bench/regions_data.py` from country_converter's table and
Babel's CLDR names) gives each country the ways it is written in English, its Indonesian
name, and its continent and UN subregion named in both languages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from assistant.lang.data import read_text

_LONGEST_CELL = 5  # words: a country's cell ("United States of America"), not a sentence naming one


@dataclass(frozen=True)
class _Country:
    code: str  # ISO 3166 alpha-2
    pattern: re.Pattern[str]
    names: frozenset[str]  # lower-case: English (short and official) and Indonesian
    said: tuple[str, ...]  # its names and its regions' names and adjectives, in both languages


@cache
def _data() -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(read_text("regions.json")))


@cache
def _countries() -> tuple[tuple[_Country, ...], frozenset[str]]:
    """The countries, and the words of their names."""
    data = _data()
    regions = data["regions"]
    out = []
    for code, c in data["countries"].items():
        short, official = c["also"]
        said = sorted({n.lower() for n in (c["en"], c["id"], short)})  # not "kingdom of belgium"
        around = [v for code in c["regions"] for v in regions[code].values()]
        names = frozenset([*said, official.lower()])
        said_all = tuple(dict.fromkeys([*said, *around]))
        out.append(_Country(code, re.compile(c["regex"], re.IGNORECASE), names, said_all))
    keys = frozenset(w for c in out for n in c.names for w in n.split() if len(w) > 2)
    return tuple(out), keys


@cache
def _named(cell: str) -> tuple[_Country, ...]:
    cell = cell.strip().lower()
    countries, keys = _countries()
    # A cell opening with a word of a country's name: "Forum Indonesia Muda" is no country.
    if not cell or len(cell.split()) > _LONGEST_CELL or cell.split()[0] not in keys:
        return ()
    return tuple(c for c in countries if cell in c.names or c.pattern.search(cell))


def region_names(cell: str) -> tuple[str, ...]:
    """The names (English and Indonesian) of the country `cell` is the name of, and of the
    continent and subregion it lies in, with the continent's adjective: "Belgium" ->
    ("belgia", "belgium", "Europe", "Eropa", "European", "Western Europe", "Eropa Barat");
    () when the cell names no country."""
    return tuple(n for c in _named(cell) for n in c.said)


def country_codes(cells: Iterable[str]) -> frozenset[str]:
    """The countries (ISO codes) that `cells` name, one country a cell."""
    return frozenset(c.code for cell in cells for c in _named(cell))


def region_words(cells: Iterable[str]) -> str:
    """The `region_names` of `cells`, as one text."""
    return " ".join(n for cell in cells for n in region_names(cell))


_CELL_EDGE = re.compile(r"[\t\n;]\s*|:\s+")  # between a row's cells, or a column and its value


def row_regions(text: str) -> str:
    """The `region_names` of the cells of a row's text or a passage of rows ("10.\tKawasaki\t
    Japan\t...", "Row 2: Negara: Jepang; ..."), as one text."""
    return region_words(_CELL_EDGE.split(text))


@cache
def _phrases() -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
    """One pattern matching every region's and country's name, longest first, and the
    countries (ISO codes) each region name stands for (a country's name stands for none, so
    that "Amerika Serikat" is not the Americas)."""
    data = _data()
    members: dict[str, set[str]] = {}
    for code, c in data["countries"].items():
        for region in c["regions"]:
            members.setdefault(region, set()).add(code)
    stands: dict[str, frozenset[str]] = {}
    for c in data["countries"].values():
        for name in (c["en"], c["id"], *c["also"]):
            stands[name.lower()] = frozenset()
    for region, names in data["regions"].items():
        for name in names.values():
            stands.setdefault(name.lower(), frozenset(members.get(region, ())))
    alternation = "|".join(re.escape(n) for n in sorted(stands, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE), stands


def regions_asked(text: str) -> list[tuple[str, frozenset[str]]]:
    """The regions `text` names ("di Eropa", "European", "Asia Tenggara"), each as written
    with its countries' ISO codes."""
    pattern, stands = _phrases()
    found = ((m.group(), stands[m.group().lower()]) for m in pattern.finditer(text.replace("-", " ")))
    return [(said, codes) for said, codes in found if codes]


def region_labels(text: str) -> frozenset[str]:
    """The words (lower case) of the regions `text` names: a term a row's country answers,
    not one its cells must hold."""
    return frozenset(w.lower() for said, _ in regions_asked(text) for w in said.split())


def countries_in_regions(text: str) -> list[str]:
    """The names (English and Indonesian) of the countries in the regions `text` names, for a
    search of passages that name the countries but not the region; [] when it names none."""
    codes = {c for _, members in regions_asked(text) for c in members}
    if not codes:
        return []
    data = _data()["countries"]
    return list(dict.fromkeys(n for c in sorted(codes) for n in (data[c]["en"], data[c]["id"])))
