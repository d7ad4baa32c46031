"""Make assistant/lang/data/regions.json: the world's countries, the regions holding each, and
their names in English and Indonesian, so that a table row naming a country ("Namur,
Belgium") is found by the region a question asks about ("Which European sister city ...?",
"Kota mitra Bandung di Amerika Selatan?").

    python3 -m venv /tmp/rv && /tmp/rv/bin/pip install babel==2.18.0 country_converter==1.3.2 --no-deps
    /tmp/rv/bin/python bench/regions_data.py

Sources, of facts (names, and which region holds which country):
- country_converter 1.3.2's data table: each country's ISO code, its short and official
  English names, its continent (seven-continent model) and its UN M49 subregion (the United
  Nations Statistics Division's standard). The package is GPL-3.0; its code and its
  matching expressions are not used.
- Babel 2.18.0 (CLDR data, Unicode licence): country and region names in English and
  Indonesian ("Belgia", "Amerika Selatan", "Asia Tenggara").

The English adjectives of the continents ("European") are written here: neither source has
them, and a question says "European sister city" more often than "sister city in Europe".
Babel's Indonesian subregions read "Eropa Bagian Barat"; "Bagian" ("part") is left out, as
people write "Eropa Barat".
"""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

from babel import Locale

OUT = Path(__file__).resolve().parents[1] / "assistant" / "lang" / "data" / "regions.json"

# country_converter's region names -> UN M49 codes (Babel names them by code).
_M49 = {
    "Africa": "002",
    "North America": "003",
    "South America": "005",
    "Oceania": "009",
    "Western Africa": "011",
    "Central America": "013",
    "Eastern Africa": "014",
    "Northern Africa": "015",
    "Middle Africa": "017",
    "Southern Africa": "018",
    "America": "019",
    "Northern America": "021",
    "Caribbean": "029",
    "Eastern Asia": "030",
    "Southern Asia": "034",
    "South-eastern Asia": "035",
    "Southern Europe": "039",
    "Australia and New Zealand": "053",
    "Melanesia": "054",
    "Micronesia": "057",
    "Polynesia": "061",
    "Asia": "142",
    "Central Asia": "143",
    "Western Asia": "145",
    "Europe": "150",
    "Eastern Europe": "151",
    "Northern Europe": "154",
    "Western Europe": "155",
}
_LATIN = {"005", "013", "029"}  # Latin America (419): South and Central America, the Caribbean
_ADJECTIVE = {
    "002": "African",
    "003": "North American",
    "005": "South American",
    "009": "Oceanian",
    "019": "American",
    "142": "Asian",
    "150": "European",
    "419": "Latin American",
}


def main() -> None:
    # Found, not imported: the package imports pandas, which its data table does not need.
    spec = importlib.util.find_spec("country_converter")
    assert spec is not None and spec.origin is not None, "pip install country_converter --no-deps"
    table = Path(spec.origin).with_name("country_data.tsv")
    en, id_ = Locale("en").territories, Locale("id").territories
    countries: dict[str, dict[str, object]] = {}
    used: set[str] = set()
    for row in csv.DictReader(table.open(encoding="utf-8"), delimiter="\t"):
        iso = row["ISO2"]
        if row["obsolete"] or not iso or iso in countries:
            continue
        names = (row["continent"], row["Continent_7"], row["UNregion"])
        codes = [_M49[n] for n in names if n in _M49]
        codes += ["419"] if _LATIN & set(codes) else []
        codes = list(dict.fromkeys(codes))
        if not codes:
            continue  # Antarctica
        used.update(codes)
        countries[iso] = {
            "en": en.get(iso, row["name_short"]),
            "id": id_.get(iso, row["name_short"]),
            "also": [row["name_short"], row["name_official"]],
            "regions": codes,
        }
    regions = {
        code: {
            "en": en[code],
            "id": id_[code].replace(" Bagian ", " "),
            **({"adjective": _ADJECTIVE[code]} if code in _ADJECTIVE else {}),
        }
        for code in sorted(used)
    }
    source = "country_converter 1.3.2 (countries, regions); Babel 2.18.0 / CLDR (names); see bench/regions_data.py"
    OUT.write_text(
        json.dumps({"source": source, "regions": regions, "countries": countries}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
    print(f"{len(countries)} countries, {len(regions)} regions -> {OUT}")


if __name__ == "__main__":
    main()
