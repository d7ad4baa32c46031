"""CSV tables: one line of text per row that repeats the column names.

A row renders as `Row 7: Sungai: Sungai Cikapundung; Kategori: Cemar Berat`, so a
passage of rows carries its column names and a query in words finds the row.
Empty and NULL cells are left out of the line. Ragged rows are kept and reported.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from assistant.errors import LoadError
from assistant.ingest.decode import decode_bytes
from assistant.ingest.loaders.base import LoadOptions
from assistant.model import Block, LoadedText

_MISSING = {"", "null", "none", "nan", "na", "-"}


def _clean_value(value: str) -> str:
    # Values stay as published ("2014.0" included): they are quoted as evidence.
    return re.sub(r"\s+", " ", value).strip()


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
        header = [h.strip() or f"column_{i + 1}" for i, h in enumerate(rows[0])]
        ragged = [n for n, r in enumerate(rows[1:], 1) if len(r) != len(header)]
        if ragged:
            shown = ", ".join(map(str, ragged[:5])) + (" ..." if len(ragged) > 5 else "")
            warnings.append(
                f"{len(ragged)} rows have a different number of fields than the header "
                f"(rows {shown}); extra cells kept as extra_N"
            )

        lines: list[str] = []
        starts: list[int] = []
        offset = 0
        for n, row in enumerate(rows[1:], 1):
            names = header + [f"extra_{i + 1}" for i in range(len(row) - len(header))]
            cells = [
                f"{name}: {_clean_value(v)}"
                for name, v in zip(names, row, strict=False)
                if _clean_value(v).lower() not in _MISSING
            ]
            line = f"Row {n}: " + "; ".join(cells)
            starts.append(offset)
            lines.append(line)
            offset += len(line) + 1
        text = "\n".join(lines)
        block = Block(0, len(text), rows=f"1-{len(lines)}", table=True, row_starts=tuple(starts))
        return LoadedText(
            text=text,
            blocks=(block,),
            rows=len(lines),
            warnings=tuple(warnings),
            title=path.stem.replace("_", " "),
        )
