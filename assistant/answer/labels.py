"""What names a table's row in an answer: the cell of the column that tells the rows
apart ('Andir'), or two cells together when no column does alone ('Ujungberung,
2017-01-07', a station's reading of a day)."""

from __future__ import annotations

from assistant.answer.total import plain_number
from assistant.model import TableRow
from assistant.search.tables import DATE_COLUMN, SKIP_COLUMN


def row_label(row: TableRow, label: str | tuple[str, ...] | None, column: str | None) -> str:
    """What names a cited row: its label cell ('Andir'), or cells ('Ujungberung, 2017-01-07'),
    with the value summed ('Andir: 111')."""
    cells = (label,) if isinstance(label, str) else label or ()
    name = ", ".join(v for c in cells if (v := plain_number(row.fields.get(c, "")).strip()))
    value = plain_number(row.fields.get(column, "")) if column else ""
    return f"{name}: {value}" if name and value else name


def label_column(rows: list[TableRow], taken: set[str]) -> str | None:
    """The text column that tells the counted rows apart (the river, the waste bank): the one
    most of them fill with the most distinct values, not a number, an identifier or a column
    the count already states. None when no column names at least half of them apart."""
    best: tuple[int, str] | None = None
    for c in dict.fromkeys(c for r in rows for c, _ in r.cells):
        if c in taken or SKIP_COLUMN.search(c):
            continue
        values = [r.fields.get(c, "").strip() for r in rows]
        if 2 * sum(1 for v in values if not v) > len(rows):
            continue
        distinct = len({v for v in values if v})
        if 2 * distinct >= len(rows) and (best is None or distinct > best[0]):
            best = (distinct, c)
    return best[1] if best else None


def joint_label(rows: list[TableRow], taken: set[str]) -> tuple[str, ...] | None:
    """The two text columns whose cells together tell most of the rows apart when neither
    does alone (a station and a day of daily readings); None when no pair does."""
    text = [c for c in dict.fromkeys(c for r in rows for c, _ in r.cells) if c not in taken]
    text = [c for c in text if not SKIP_COLUMN.search(c) or DATE_COLUMN.search(c)]
    pairs = [(a, b) for i, a in enumerate(text) for b in text[i + 1 :]]
    distinct = {pair: len({tuple(r.fields.get(c, "").strip() for c in pair) for r in rows}) for pair in pairs}
    best = max(pairs, key=lambda pair: distinct[pair], default=None)
    return best if best is not None and 2 * distinct[best] >= len(rows) else None
