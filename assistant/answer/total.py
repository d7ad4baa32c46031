"""Totals of a table's column: "Berapa total sumur resapan di Kota Bandung?", "How many
visitors do the parks get in total?". No table of the library states its totals, so the
sum is computed from the stored cells of the rows the question selects (see `count`), over
the one numeric column the question names, and said to be computed, with the rows cited.

A question names a column by its name or by the catalogue's gloss of it ("number of
infiltration wells (sumur_resapan)"); when two columns hold its words equally (both glosses
say "infiltration"), it names neither and no total is given.
"""

from __future__ import annotations

import re

from assistant.answer.matching import _contains
from assistant.answer.question import TermGroup, tokens
from assistant.model import Document, TableRow
from assistant.search.tables import column_glosses, sort_key

# A question asking for a total: "in total", "altogether", "total ...", "seluruhnya".
_TOTAL = re.compile(
    r"\b(?:total|in all|altogether|combined|sum of|overall|keseluruhan|seluruhnya|semuanya)\b", re.IGNORECASE
)
# The words of that cue: they ask, they select no rows and name no column.
CUE_WORDS = frozenset(("total", "altogether", "combined", "sum", "overall", "keseluruhan", "seluruhnya", "semuanya"))


def asks_total(question: str) -> bool:
    """Whether the question asks for the total of something."""
    return _TOTAL.search(question) is not None


def total_column(numeric: list[str], doc: Document | None, words: list[TermGroup]) -> str | None:
    """The one of the `numeric` columns whose name and gloss hold most of the question's
    words (by weight); None when none holds any or two hold as many."""
    glossed = column_glosses(doc.description if doc else None)
    held: dict[str, float] = {}
    for c in numeric:
        name = tokens(f"{c} {glossed.get(c.lower(), '')}")
        held[c] = sum(g.weight for g in words if any(_contains(name, f) for f in g.forms))
    ranked = sorted(held.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] == 0 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def column_total(rows: list[TableRow], column: str | None, doc: Document | None) -> tuple[str, str, float, int] | None:
    """The total of `column` over `rows`: (column, its gloss in the catalogue, the sum, how
    many rows hold a number there); None for no column."""
    if column is None:
        return None
    values = [v for r in rows if (v := sort_key(r.fields.get(column, ""), None)) is not None]
    return (
        column,
        column_glosses(doc.description if doc else None).get(column.lower(), ""),
        float(sum(values)),
        len(values),
    )


def figure(value: float, language: str) -> str:
    """A computed figure as the answer's language writes it: 5,593 / 5.593; 12.5 / 12,5."""
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0")
    if language == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def total_text(column: str, gloss: str, value: float, summed: int, language: str) -> str:
    """'a total of 5,593 in sumur_resapan (number of infiltration wells), computed by Mitra
    from the 30 rows that give it (the table states no total)'."""
    gloss = re.sub(r"^(?:(?:and|or|the|of)\s+)+", "", gloss)  # "and of biopore holes (lubang_biopori)"
    named = f"{column} ({gloss})" if gloss and language != "id" else column
    if language == "id":
        computed = f"dihitung Mitra dari {summed} baris yang memuatnya (tabel tidak memuat totalnya)"
        return f"total {named} {figure(value, language)}, {computed}"
    computed = f"computed by Mitra from the {summed} rows that give it (the table states no total)"
    return f"a total of {figure(value, language)} in {named}, {computed}"
