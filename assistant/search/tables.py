"""The rows of a table as data: their fields (read from the passage's stored rows, not from
the displayed line 'Row 7: Sungai: Sungai Cibiru; Skor: -18.0', whose values may hold "; "),
the catalogue's glosses of the column names, numeric sort keys, and which row holds a
column's extreme.

Shared by retrieval (a question such as "which TPS received the most waste" is
answered by one row that no ranking function can find, since every row matches it
equally) and by the answer engine, which quotes that row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from assistant.lang.glossary import expand
from assistant.lang.stem import stem_tokens
from assistant.model import Passage, TableRow

YEAR = re.compile(r"(?<![\d.])(?:19|20)\d{2}(?!\d)")
MONTH_NUMBER = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "mei": 5, "jun": 6, "jul": 7, "aug": 8, "agu": 8,
    "sep": 9, "oct": 10, "okt": 10, "nov": 11, "dec": 12, "des": 12,
}  # fmt: skip
MONTH_ABBR = [*MONTH_NUMBER, "sept"]

DATE_COLUMN = re.compile(r"tahun|year|tanggal|date|tgl", re.IGNORECASE)
SKIP_COLUMN = re.compile(
    r"^(?:no|id|kode|code)$|_?id$|^id_|tahun|year|tanggal|date|latitude|longitude|lat$|lon$", re.IGNORECASE
)

_EXTREMES = (
    (
        "max",
        r"most|largest|highest|biggest|greatest|maximum|best|terbanyak|terbesar|tertinggi|terbaik"
        r"|paling (?:banyak|besar|tinggi|baik)",
    ),
    (
        "min",
        r"least|lowest|smallest|fewest|minimum|worst|terendah|terkecil|tersedikit|terburuk"
        r"|paling (?:sedikit|kecil|rendah|buruk|jelek)",
    ),
    ("min", r"dirtiest|paling (?:tercemar|kotor)"),
    ("max", r"cleanest|paling bersih"),
    ("first", r"earliest|first|oldest|pertama|terawal|paling awal|sejak tahun berapa|sejak kapan"),
    ("last", r"latest|last|most recent|terakhir|terbaru|paling akhir"),
)
_ROW = re.compile(r"^Row \d+:\s*")
_NUM = r"\d+(?:[.,]\d+)?"
_RANGE = re.compile(
    rf"(?:between|from|antara|dari)\s+({_NUM})\s+(?:and|to|until|dan|sampai|hingga)\s+({_NUM})|({_NUM})\s*[-–]\s*({_NUM})",
    re.IGNORECASE,
)


def value_numbers(question: str) -> list[str]:
    """The numbers of `question` that name a value to look for ("in 2016"), not the bounds
    of a range ("between 2005 and 2015", "2005-2015"), which every row in it satisfies."""
    bounds = {n for m in _RANGE.finditer(question) for n in m.groups() if n}
    return [n for n in dict.fromkeys(re.findall(_NUM, question)) if n not in bounds]


# Asking for the worst or the best of a column: which end that is depends on the column.
_BAD = re.compile(
    r"\b(?:worst|terburuk|paling (?:buruk|jelek|tercemar|kotor)|dirtiest|most (?:polluted|contaminated))\b", re.I
)
_GOOD = re.compile(r"\b(?:best|terbaik|paling (?:baik|bersih)|cleanest|least (?:polluted|contaminated))\b", re.I)
# A column scoring quality, higher the better (STORET: 0 is best, -64 worst); any other
# measure of pollution (a concentration: pm25, no2) is higher the worse.
_SCORE = re.compile(r"score|skor|index|indeks|storet|rating|mutu|kualitas|quality", re.I)


def oriented(question: str, extreme: str, column: str) -> str:
    """`extreme` as the end of `column` the question means: the worst or most polluted is the
    smallest of a quality score, the largest of a concentration; the best, the other way."""
    if _BAD.search(question):
        return "min" if _SCORE.search(column) else "max"
    if _GOOD.search(question):
        return "max" if _SCORE.search(column) else "min"
    return extreme


def extreme_of(question: str) -> str | None:
    """'max', 'min', 'first' or 'last' when the question asks for a table's extreme."""
    for kind, words in _EXTREMES:
        if re.search(rf"\b(?:{words})\b", question, re.IGNORECASE):
            return kind
    return None


def row_fields(line: str) -> dict[str, str]:
    """'Row 7: Sungai: Sungai Cibiru; Skor: -18.0' -> {'Sungai': 'Sungai Cibiru', 'Skor': '-18.0'}.

    A best reading of a displayed line, for rows that are not stored as data (a
    tab-separated table inside a text): a part without 'name: ' continues the value
    before it ("Catatan: a; b"), but a value holding "; x: y" cannot be told from two
    cells. Rows of a table file are read from their cells: see `passage_rows`, `fields_at`."""
    body = _ROW.sub("", line)
    fields: dict[str, str] = {}
    last: str | None = None
    for part in body.split("; "):
        name, sep, value = part.partition(": ")
        if sep:
            last = name.strip()
            fields[last] = value.strip()
        elif last is not None:
            fields[last] = f"{fields[last]}; {part.strip()}"
    return fields


def passage_rows(passage: Passage, text: str) -> list[TableRow]:
    """The rows of a table passage, as data: the stored rows of a table file, else its
    lines read by `row_fields` (`text` is the document's text). Empty for other passages."""
    if passage.table_rows:
        return list(passage.table_rows)
    if not passage.rows:
        return []
    out = []
    pos = passage.start
    section = passage.section or ""
    # A tab-separated table of a text, its columns kept in the section ("Table 1 ... (No |
    # City government | States | Scope of Cooperation)"): a line of as many cells is a row.
    columns = section[section.rindex("(") + 1 : -1].split(" | ") if section.endswith(")") and " | " in section else []
    first = int(m.group()) if (m := re.match(r"\d+", passage.rows)) else 1  # its first line's row number
    for i, line in enumerate(text[passage.start : passage.end].split("\n")):
        cells = [c.strip() for c in line.split("\t")]
        if m := re.match(r"Row (\d+):", line):
            out.append(TableRow(int(m.group(1)), pos, pos + len(line), tuple(row_fields(line).items())))
        elif len(columns) > 1 and len(cells) == len(columns) and cells != columns:
            out.append(
                TableRow(
                    first + i, pos, pos + len(line), tuple((k, v) for k, v in zip(columns, cells, strict=True) if v)
                )
            )
        pos += len(line) + 1
    return out


def fields_at(passage: Passage, start: int, end: int | None = None) -> dict[str, str] | None:
    """The cells of the stored row of `passage` whose line holds the offsets `start`
    (to `end`) of the document's text, or None (no stored row there)."""
    stop = start if end is None else end
    for row in passage.table_rows:
        if row.start <= start and stop <= row.end:
            return row.fields
    return None


_VALUE_GLOSS = re.compile(r"(?:^|(?<=[,;:(]))\s*([^,;:()=]+?)\s*=\s*([^,;:()=]+?)\s*(?=[,;)]|$)")


def column_glosses(description: str | None) -> dict[str, str]:
    """'waste received (sampah_masuk)' in a catalogue description -> {'sampah_masuk': 'waste received'}."""
    if not description:
        return {}
    return {
        m.group(2).lower(): m.group(1) for m in re.finditer(r"([\w][\w /-]{2,60}?)\s*\(([A-Za-z_]+)\)", description)
    }


def value_glosses(description: str | None) -> dict[str, str]:
    """'Kategori: Cemar Berat = heavily polluted, Baik = good' -> {'cemar berat': 'heavily polluted', ...}."""
    if not description:
        return {}
    return {m.group(1).strip().lower(): m.group(2).strip() for m in _VALUE_GLOSS.finditer(description)}


def without_value_glosses(description: str) -> str:
    """The description with its value glosses ('Cemar Berat = heavily polluted') blanked out."""
    return _VALUE_GLOSS.sub(" ", description)


def sort_key(value: str, extreme: str | None) -> float | None:
    """A row value as a number to compare (a date as yyyymmdd for 'first'/'last')."""
    value = value.strip()
    if extreme in ("first", "last"):
        m = re.fullmatch(r"(\d{1,2})-(\w{3})-(\d{2})", value)
        if m and m.group(2).lower() in MONTH_ABBR:
            month = MONTH_NUMBER[m.group(2).lower()]
            return float(f"20{m.group(3)}{month:02d}{int(m.group(1)):02d}")
        year = YEAR.search(value)
        return float(year.group()) if year else None
    if re.fullmatch(r"-?\d+(?:\.\d+)?", value):
        return float(value)
    return None


def extreme_row(
    passages: list[Passage], text: str, question: str, extreme: str, description: str | None = None
) -> Passage | None:
    """The passage holding the row with the largest (smallest, earliest, latest) value of the
    column `question` names, among the rows of one table document (`text` is its text).

    Rows are first narrowed to those holding the question's numbers (a year, say) as a whole
    value. The column is the numeric one whose name, or its gloss in the catalogue
    description, shares most stems with the question (translated by the glossary); for
    'first' and 'last', a date column. None when the table has no such column.
    """
    rows = [(p, row.fields) for p in passages for row in passage_rows(p, text)]
    if not rows:
        return None
    for number in value_numbers(question):
        keep = [r for r in rows if any(_same_number(v, number) for v in r[1].values())]
        if keep and len(keep) < len(rows):
            rows = keep
    asked = set(stem_tokens(expand(question), drop_stopwords=True))
    column = extreme_column(
        (fields for _, fields in rows),
        extreme,
        description,
        lambda name: len(asked & set(stem_tokens(name))),
        question,
    )
    if column is None:
        return None
    values = [(v, p) for p, fields in rows if (v := sort_key(fields.get(column, ""), extreme)) is not None]
    if not values:
        return None
    pick = max if oriented(question, extreme, column) in ("max", "last") else min
    return pick(values, key=lambda vp: vp[0])[1]


def _same_number(value: str, number: str) -> bool:
    try:
        return float(value.replace(",", "")) == float(number.replace(",", ""))
    except ValueError:
        return False


def extreme_column(
    rows: Iterable[dict[str, str]],
    extreme: str,
    description: str | None,
    named: Callable[[str], int],
    question: str = "",
) -> str | None:
    """The column a question about an extreme is about: a date or year column for
    'first'/'last', else the numeric column the question writes as a code ("PM2.5" for
    "pm_2_5", "NO2" for "no2": the same letters and digits), else the one whose name (with
    its gloss in the catalogue description) `named` scores highest (how many of the
    question's words it holds), then the one with most numbers, then the first."""
    counts: dict[str, int] = {}
    for fields in rows:
        for name, value in fields.items():
            if sort_key(value, extreme) is not None:
                counts[name] = counts.get(name, 0) + 1
    if extreme in ("first", "last"):
        # A date or year column, else the one whose text gives most rows a year
        # ("keterangan: DITUTUP PADA TAHUN 1998" of a table of landfills).
        dated = [c for c in counts if DATE_COLUMN.search(c)]
        written = sorted((c for c in counts if counts[c] > 1), key=lambda c: -counts[c])
        return dated[0] if dated else written[0] if written else None
    numeric = [c for c in counts if not SKIP_COLUMN.search(c)]
    if not numeric:
        return None
    glosses = column_glosses(description)
    score = {c: named(c.replace("_", " ") + " " + glosses.get(c.lower(), "")) for c in numeric}
    # a code has letters and digits, which stems lose ("pm_2_5" stems to "pm")
    codes = {c for w in question.split() if re.search(r"\d", c := _code(w)) and re.search(r"[a-z]", c)}
    return max(numeric, key=lambda c: (_code(c) in codes, score[c], counts[c], -numeric.index(c)))


def _code(name: str) -> str:
    """A name's letters and digits, in lower case: "PM2.5" and "pm_2_5" are "pm25"."""
    return re.sub(r"[\W_]+", "", name.lower())
