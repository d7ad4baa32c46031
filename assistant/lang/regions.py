"""The regions a country lies in, so that a table row naming a country is found by the region
a question asks about: the row "Namur | Belgium" answers "Which European sister city ...?",
"Cuenca | Ecuador" answers "Kota mitra Bandung di Amerika Selatan?". The data
(`data/regions.json`, made by `bench/regions_data.py` from country_converter's table and
Babel's CLDR names) gives each country its English names (short and official) and its
Indonesian one, and its continent and UN subregion named in both languages. A cell names a
country when it is one of its names, whole: "Forum Indonesia Muda" is no country."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, cast

from assistant.lang.data import read_text


@cache
def _data() -> dict[str, Any]:
    return cast(dict[str, Any], json.loads(read_text("regions.json")))


@dataclass(frozen=True)
class _Country:
    code: str  # ISO 3166 alpha-2
    said: tuple[str, ...]  # its names and its regions' names and adjectives, in both languages


@cache
def _by_name() -> dict[str, _Country]:
    """Each country by each of its names, lower case: English (CLDR's, short and official)
    and Indonesian ("belgium", "kingdom of belgium", "belgia")."""
    data = _data()
    regions = data["regions"]
    out: dict[str, _Country] = {}
    for code, c in data["countries"].items():
        short, official = c["also"]
        said = sorted({n.lower() for n in (c["en"], c["id"], short)})  # not "kingdom of belgium"
        around = [v for region in c["regions"] for v in regions[region].values()]
        country = _Country(code, tuple(dict.fromkeys([*said, *around])))
        for name in (*said, official.lower()):
            out.setdefault(name, country)
    return out


def _named(cell: str) -> _Country | None:
    """The country a cell is the name of ("Belgium", "the Netherlands", "Korea Selatan")."""
    name = cell.strip().strip(".,;").lower()
    return _by_name().get(name.removeprefix("the ")) or _by_name().get(name)


def region_names(cell: str) -> tuple[str, ...]:
    """The names (English and Indonesian) of the country `cell` is the name of, and of the
    continent and subregion it lies in, with the continent's adjective: "Belgium" ->
    ("belgia", "belgium", "Europe", "Eropa", "European", "Western Europe", "Eropa Barat");
    () when the cell names no country."""
    country = _named(cell)
    return country.said if country is not None else ()


def country_codes(cells: Iterable[str]) -> frozenset[str]:
    """The countries (ISO codes) that `cells` name, one country a cell."""
    return frozenset(c.code for cell in cells if (c := _named(cell)) is not None)


def in_region(members: frozenset[str], cells: Iterable[str]) -> bool:
    """Whether `cells` name a country of a region (`members`: its countries' ISO codes)."""
    return bool(country_codes(cells) & members)


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


_SOUTH_EAST = re.compile(r"\bsouth\s+east\b", re.IGNORECASE)


def regions_asked(text: str) -> list[tuple[str, frozenset[str]]]:
    """The regions `text` names ("di Eropa", "European", "Asia Tenggara"), each as written
    with its countries' ISO codes."""
    return list(_regions_in(text))


@lru_cache(maxsize=256)  # a question is read for its regions by the search, lookup, count and refusal
def _regions_in(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    pattern, stands = _phrases()
    text = _SOUTH_EAST.sub("Southeast", text.replace("-", " "))  # "South-East Asia" is CLDR's "Southeast Asia"
    found = ((m.group(), stands[m.group().lower()]) for m in pattern.finditer(text))
    return tuple((said, codes) for said, codes in found if codes)


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
