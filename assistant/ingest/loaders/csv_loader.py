"""CSV tables: each row kept as data (its cells, `TableRow`) and shown as one line of text
that repeats the column names.

A row renders as `Row 7: Sungai: Sungai Cikapundung; Kategori: Cemar Berat`, so a
passage of rows carries its column names and a query in words finds the row. The line
is for display, search and quotes only: a value may itself hold "; " or ": ", so what
needs a row's values reads its cells (stored with the passage), never the line.
Empty and NULL cells are left out. Ragged rows are kept and reported; a repeated column
name gets its position ("Nilai (2)") so that every cell of a row keeps its own name.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from assistant.errors import LoadError
from assistant.ingest.decode import decode_bytes
from assistant.ingest.loaders.base import LoadOptions
from assistant.model import Block, LoadedText, TableRow

_MISSING = {"", "null", "none", "nan", "na", "-"}


def _clean_value(value: str) -> str:
    # Values stay as published ("2014.0" included): they are quoted as evidence.
    return re.sub(r"\s+", " ", value).strip()


def render_row(n: int, cells: tuple[tuple[str, str], ...]) -> str:
    """The displayed line of a row: 'Row 7: Sungai: Sungai Cibiru; Skor: -18.0'."""
    return f"Row {n}: " + "; ".join(f"{name}: {value}" for name, value in cells)


def _unique(names: list[str]) -> list[str]:
    """Column names with a repeated one numbered by its position: ['Nilai', 'Nilai (2)']."""
    seen: set[str] = set()
    out = []
    for i, name in enumerate(names):
        out.append(f"{name} ({i + 1})" if name in seen else name)
        seen.add(out[-1])
    return out


class CsvLoader:
    suffixes: tuple[str, ...] = (".csv", ".tsv")

    def load(self, path: Path, options: LoadOptions | None = None) -> LoadedText:
        data = path.read_bytes()
        if not data.strip():
            raise LoadError(f"{path.name}: the file is empty", "add rows to it or remove it")
        raw, warning = decode_bytes(data, path)
        warnings = [warning] if warning else []
        try:
            dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(raw[:8192], delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
        rows = list(csv.reader(io.StringIO(raw), dialect))
        rows = [r for r in rows if any(c.strip() for c in r)]
        if len(rows) < 2:
            raise LoadError(f"{path.name}: no data rows under the header", "check the file")
        header = _unique([h.strip() or f"column_{i + 1}" for i, h in enumerate(rows[0])])
        ragged = [n for n, r in enumerate(rows[1:], 1) if len(r) != len(header)]
        if ragged:
            shown = ", ".join(map(str, ragged[:5])) + (" ..." if len(ragged) > 5 else "")
            warnings.append(
                f"{len(ragged)} rows have a different number of fields than the header "
                f"(rows {shown}); extra cells kept as extra_N"
            )

        lines: list[str] = []
        records: list[TableRow] = []
        offset = 0
        for n, row in enumerate(rows[1:], 1):
            names = header + [f"extra_{i + 1}" for i in range(len(row) - len(header))]
            cells = tuple(
                (name, value)
                for name, v in zip(names, row, strict=False)
                if (value := _clean_value(v)).lower() not in _MISSING
            )
            line = render_row(n, cells)
            records.append(TableRow(n, offset, offset + len(line), cells))
            lines.append(line)
            offset += len(line) + 1
        text = "\n".join(lines)
        block = Block(
            0,
            len(text),
            rows=f"1-{len(lines)}",
            table=True,
            row_starts=tuple(r.start for r in records),
            table_rows=tuple(records),
        )
        return LoadedText(
            text=text,
            blocks=(block,),
            rows=len(lines),
            warnings=tuple(warnings),
            title=path.stem.replace("_", " "),
        )
