"""What a table's rows add up to: a count (`TableCount`, made by `count`), a total, a
ranking, a breakdown.

Totals of a column: "Berapa total sumur resapan di Kota Bandung?", "How many visitors do
the parks get in total?". No table of the library states its totals, so the
sum is computed from the stored cells of the rows the question selects (see `count`), over
the one numeric column the question names, and said to be computed, with the rows cited.

A question names a column by its name or by the catalogue's gloss of it ("number of
infiltration wells (sumur_resapan)"); when two columns hold its words equally (both glosses
say "infiltration"), it names neither and no total is given.

Rankings: "Kecamatan mana yang paling banyak memiliki unit bank sampah?" counts the rows by
the text column the question names (Kecamatan) and answers with the value most rows hold
(fewest, for "paling sedikit"); a column whose values each name one row groups nothing, and
the retrieval's extreme row answers instead ("Which river is the most polluted?").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from assistant.answer.matching import Candidate, _contains
from assistant.answer.question import TermGroup, tokens
from assistant.model import Document, Passage, TableRow
from assistant.search.tables import SKIP_COLUMN, column_glosses, sort_key

# A breakdown by a column is shown when it has at most this many distinct values among the
# counted rows (a readable line, not a measured weight; 'Kategori' of the waste banks has 7).
MAX_BREAKDOWN = 8
# Rows named, not cited, after those cited: the rest of a list ("the other 10: ..."), as far
# as a paragraph reads.
MAX_NAMED = 25


@dataclass(frozen=True)
class TableCount:
    """How many rows of one table match a question, and which."""

    doc_id: str
    document: Document | None
    total: int  # rows in the table
    matched: int  # rows that match the question's conditions
    conditions: tuple[tuple[str, str], ...]  # (column, value) that selected them; value '' when they differ
    breakdown: tuple[str, tuple[tuple[str, int], ...]] | None  # (column, ((value, rows), ...))
    rows: tuple[Candidate, ...]  # the first matching rows, to cite
    labels: tuple[str, ...] = ()  # what names each cited row in the answer ('Sungai Cihapit'); '' for none
    summed: tuple[str, str, float, int] | None = None  # a total asked: (column, its gloss, sum, rows summed)
    ranked: tuple[str, tuple[tuple[str, int], ...]] | None = None  # "which ... has the most": (column, groups)
    more: tuple[str, ...] = ()  # the labels of the matching rows after those cited (at most MAX_NAMED)
    extreme: tuple[str, str, float, str] | None = None  # the row asked for: (column, its gloss, value, 'max'/'min')


# A question asking for a total: "in total", "altogether", "total ...", "seluruhnya".
_TOTAL = re.compile(
    r"\b(?:total|in all|altogether|combined|sum of|overall|keseluruhan|seluruh(?:nya)?|semuanya)\b", re.IGNORECASE
)
# Words that ask for a total or a ranking, or only link the question ("yang memiliki"):
# they select no rows and name no column.
CUE_WORDS = frozenset(
    "total altogether combined sum overall keseluruhan seluruh seluruhnya semuanya "
    "most least fewest terbanyak tersedikit common often frequent sering memiliki mempunyai jumlahnya "
    # being in the table is no condition on its rows: "How many hotels are listed as ...?"
    "listed recorded registered included counted tercatat terdaftar terdata tercantum termasuk "
    "maupun sama sekali".split()  # "tidak punya sumur resapan maupun lubang biopori sama sekali"
)


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


def plain_number(value: str) -> str:
    """A cell's number as read: '2017.0' -> '2017'; anything else as it is."""
    return re.sub(r"(?<=[0-9])[.]0+$", "", value.strip())


def _plain_gloss(gloss: str) -> str:
    """A column's gloss without the words the description's list left on it: "and of
    biopore infiltration holes (lubang_biopori)" -> "biopore infiltration holes"."""
    return re.sub(r"^(?:(?:and|or|the|of|number of)\s+)+", "", gloss)


def among(conditions: list[str], language: str) -> str:
    """' with Tahun: 2017 and ...' (' dengan ... dan ...'), or '' for no condition."""
    if not conditions:
        return ""
    return f" {'dengan' if language == 'id' else 'with'} {(' dan ' if language == 'id' else ' and ').join(conditions)}"


def total_text(column: str, gloss: str, value: float, summed: int, language: str) -> str:
    """'a total of 5,593 in sumur_resapan (number of infiltration wells), computed by Mitra
    from the 30 rows that give it (the table states no total)'."""
    named = f"{column} ({_plain_gloss(gloss)})" if gloss and language != "id" else column
    if language == "id":
        computed = f"dihitung Mitra dari {summed} baris yang memuatnya (tabel tidak memuat totalnya)"
        return f"total {named} {figure(value, language)}, {computed}"
    computed = f"computed by Mitra from the {summed} rows that give it (the table states no total)"
    return f"a total of {figure(value, language)} in {named}, {computed}"


def ranked(
    rows: list[TableRow],
    columns: list[str],
    numeric: list[str],
    doc: Document | None,
    words: list[TermGroup],
    extreme: str | None,
) -> tuple[str, tuple[tuple[str, int], ...]] | None:
    """The rows counted by the one text column the question names, most first ('max') or
    fewest first ('min'); None for no extreme, no such column, or values that each hold one
    row. Rows without a value are left out."""
    if extreme not in ("max", "min"):
        return None
    glossed = column_glosses(doc.description if doc else None)
    texts = [c for c in columns if c not in numeric and not SKIP_COLUMN.search(c)]
    # the column its name says (Kecamatan), else the one its gloss says ("district")
    named = [c for c in texts if any(_contains(tokens(c), f) for g in words for f in g.forms)] or [
        c for c in texts if any(_contains(tokens(glossed.get(c.lower(), "")), f) for g in words for f in g.forms)
    ]
    # of those, the one that groups the rows: some value held by two or more ('Taman' names each park once)
    counted = {c: Counter(v for r in rows if (v := r.fields.get(c, "").strip())) for c in named}
    grouping = [c for c, n in counted.items() if len(n) > 1 and max(n.values()) > 1]
    if len(grouping) != 1:
        return None
    order = sorted(counted[grouping[0]].items(), key=lambda kv: (-kv[1] if extreme == "max" else kv[1], kv[0]))
    return grouping[0], tuple(order)


def top_values(ranking: tuple[str, tuple[tuple[str, int], ...]]) -> frozenset[str]:
    """The values that share the first place of a ranking."""
    groups = ranking[1]
    return frozenset(v for v, n in groups if n == groups[0][1])


def ranking_text(ranking: tuple[str, tuple[tuple[str, int], ...]], language: str) -> str:
    """'Kiaracondong has the most rows by Kecamatan: 8 of the 98 that give one; next Coblong 6,
    Sukajadi 5' (Indonesian: 'Kiaracondong memiliki baris terbanyak menurut Kecamatan: ...')."""
    column, groups = ranking
    ranked_rows = sum(n for _, n in groups)
    extreme = "max" if groups[0][1] >= groups[-1][1] else "min"
    top = [v for v, n in groups if n == groups[0][1]]
    following = groups[len(top) : len(top) + 3]  # the next three, and any tied with the third
    following += tuple(g for g in groups[len(top) + 3 :] if following and g[1] == following[-1][1])
    rest = ", ".join(f"{v} {n}" for v, n in following)
    if language == "id":
        names = " dan ".join(top)
        most = "terbanyak" if extreme == "max" else "tersedikit"
        text = f"{names} memiliki baris {most} menurut {column}: {groups[0][1]} dari {ranked_rows} baris yang memuatnya"
        return f"{text}; berikutnya {rest}" if rest else text
    names = " and ".join(top)
    most = "most" if extreme == "max" else "fewest"
    verb = "have" if len(top) > 1 else "has"
    text = f"{names} {verb} the {most} rows by {column}: {groups[0][1]} of the {ranked_rows} rows that give one"
    return f"{text}; next {rest}" if rest else text


def numeric_columns(rows: list[TableRow]) -> list[str]:
    """Columns holding a number in most rows (identifiers, years and coordinates left out)."""
    counts: Counter[str] = Counter()
    for row in rows:
        for name, value in row.cells:
            if sort_key(value, None) is not None:
                counts[name] += 1
    return [c for c, n in counts.items() if 2 * n > len(rows) and not SKIP_COLUMN.search(c)]


def breakdown(rows: list[TableRow], numeric: set[str]) -> tuple[str, tuple[tuple[str, int], ...]] | None:
    """The counted rows by the text column with fewest distinct values that most of them
    fill, when it groups them (2 to MAX_BREAKDOWN values, at most one per two rows); rows
    without a value are counted under ''. None when no column groups them so."""
    best: tuple[str, Counter[str]] | None = None
    columns = list(dict.fromkeys(c for r in rows for c, _ in r.cells))
    for c in columns:
        if c in numeric or SKIP_COLUMN.search(c):
            continue
        counts = Counter(r.fields.get(c, "").strip() for r in rows)
        if 2 * counts[""] > len(rows):
            continue
        distinct = len(counts) - (1 if "" in counts else 0)
        if 2 <= distinct <= min(MAX_BREAKDOWN, len(rows) / 2) and (best is None or len(counts) < len(best[1])):
            best = (c, counts)
    if best is None:
        return None
    return best[0], tuple(best[1].most_common())


def extreme_statement(count: TableCount, label: str, title: str, conditions: list[str], language: str) -> str:
    """'Of the 30 rows of “...”, Mandalajati has the largest lubang_biopori (biopore
    infiltration holes): 14,341' (Indonesian: 'Dari 30 baris “...”, Mandalajati memiliki
    lubang_biopori terbesar: 14.341'), for `count.extreme`; the row's label, or 'the row
    quoted' when it has none."""
    assert count.extreme is not None
    column, gloss, value, extreme = count.extreme
    idn = language == "id"
    rows = f"{count.total} {'baris' if idn else 'rows of'} {title}{among(conditions, language)}"
    if idn:
        size = "terbesar" if extreme == "max" else "terkecil"
        who = label or "baris yang dikutip"
        return f"Dari {rows}, {who} memiliki {column} {size}: {figure(value, language)}"
    size = "largest" if extreme == "max" else "smallest"
    named = f"{column} ({_plain_gloss(gloss)})" if gloss else column
    who = f"{label or 'the row quoted'} {'have' if count.matched > 1 else 'has'}"
    return f"Of the {rows}, {who} the {size} {named}: {figure(value, language)}"


def one_per_value(
    rows: list[tuple[Passage, TableRow]], listing: tuple[str, tuple[tuple[str, int], ...]]
) -> list[tuple[Passage, TableRow]]:
    """The first row giving each value of `listing`'s column, in its order."""
    column, values = listing
    return [next(x for x in rows if x[1].fields.get(column, "").strip() == v) for v, _ in values]


# A question asking for rows with none of something: "tidak punya ... sama sekali", "no ...".
_NONE = re.compile(
    r"\b(?:(?:tidak|belum) (?:punya|memiliki|mempunyai|ada)|tanpa|without|(?:have|has|had) (?:no|none)|zero)\b",
    re.IGNORECASE,
)


def none_asked(question: str, numeric: list[str], doc: Document | None, words: list[TermGroup]) -> list[str]:
    """The numeric columns the question names when it asks for rows with none of them; a
    column whose words the question names are all another's too is not named ("infiltration
    wells" names 'sumur_resapan', not 'lubang_biopori', glossed "biopore infiltration holes")."""
    if not _NONE.search(question):
        return []
    glossed = column_glosses(doc.description if doc else None)
    said = {c: naming(c, glossed, words) for c in numeric}
    return [c for c in numeric if said[c] and not any(said[c] < said[o] for o in numeric)]


def naming(column: str, glossed: dict[str, str], words: list[TermGroup]) -> set[str]:
    """The labels of the question's `words` that the column's name or its catalogue gloss
    (`glossed`, by lower-case column name) holds."""
    name = tokens(f"{column} {glossed.get(column.lower(), '')}")
    return {g.label for g in words if any(_contains(name, f) for f in g.forms)}
