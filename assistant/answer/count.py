"""Questions a table answers by counting its rows: "How many waste banks are there?",
"Berapa sungai yang tercemar berat?", "Which river stretches are heavily polluted?".

No sentence of a table says how many rows it has or how many of them are 'Cemar Berat':
the answer is computed from the stored cells (`TableRow.cells`, `passage_rows`), never
from the displayed lines, and states the count with the rows cited. Everything is read from the table and
its catalogue entry: the question's words are matched against the table's subject (title,
issuer, description, column names) and against its cells. A word that names the subject
('bank sampah', 'Bandung') describes every row; a word found in some rows' cells only
('cemar berat', 'Andir', '2016'), or there and in the description only (a value it
glosses: "closed (ditutup)"), selects those rows. The catalogue's value glosses
('Cemar Berat = heavily polluted') are read as part of the cells they gloss.

A count is given only when the table covers every term of the question (otherwise the
question asks about something the table does not hold, and sentence answering or refusal
takes over), when no numeric column is named (then the question asks for a value of a row:
"How many trucks in 2007?" reads the 'truk' cell, it does not count rows), and when the
rows are not narrowed by a number to a single one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache, partial

from assistant.answer.labels import joint_label, label_column, row_label
from assistant.answer.matching import Candidate, _contains, covers, sibling_hit
from assistant.answer.question import QuestionProfile, TermGroup, normalise_number, tokens
from assistant.answer.total import (
    CUE_WORDS,
    MAX_NAMED,
    TableCount,
    asks_total,
    breakdown,
    column_total,
    naming,
    none_asked,
    numeric_columns,
    one_per_value,
    ranked,
    top_values,
    total_column,
)
from assistant.index.library import Library
from assistant.lang.regions import in_region, region_labels, region_words, regions_asked
from assistant.model import Document, Hit, Passage, TableRow
from assistant.search.tables import (
    DATE_COLUMN,
    column_glosses,
    oriented,
    passage_rows,
    sort_key,
    value_glosses,
    value_numbers,
    without_value_glosses,
)


def _subject(doc: Document | None, columns: list[str], values: frozenset[str] = frozenset()) -> list[str]:
    """The stems that describe the whole table: title, issuer, description (its value
    glosses left out, and the one-word cell `values` it lists: they describe some rows,
    "Kategori: Mall = shopping mall, Hotel, ..."), column names and their glosses."""
    if doc is None:
        return tokens(" ".join(columns))
    described = [s for s in tokens(without_value_glosses(doc.description or "")) if s not in values]
    glosses = column_glosses(doc.description)
    named = " ".join(f"{c} {glosses.get(c.lower(), '')}" for c in columns)
    return tokens(" ".join([doc.title, doc.issuer or "", named])) + described


def table_count(
    library: Library, profile: QuestionProfile, hits: list[Hit], texts: dict[str, str], limit: int
) -> TableCount | None:
    """The count of the first retrieved table that covers the question (see the module
    docstring), or None. `profile.count` says whether the question counts ('count') or
    lists ('which': answered only when its terms select two or more rows, not all)."""
    asks = profile.count is not None or asks_total(profile.text) or profile.extreme in ("max", "min")
    if not asks or profile.extreme in ("first", "last"):
        return None
    seen: set[str] = set()
    for hit in hits:
        doc_id = hit.passage.doc_id
        if not hit.passage.rows or doc_id in seen:
            continue
        seen.add(doc_id)
        found = _count_in(library, profile, hit, texts.get(doc_id) or library.text(doc_id), limit)
        if found is not None:
            return found
    return table_extreme(library, profile, hits, texts)


def table_extreme(
    library: Library, profile: QuestionProfile, hits: list[Hit], texts: dict[str, str]
) -> TableCount | None:
    """The row the retrieval put first for a question about the largest (smallest) value of
    the numeric column it names, stated as such from the cells: "Which district has the
    most biopore holes?" -> "... Mandalajati has the largest lubang_biopori: 14,341 [1]"
    (it had quoted the row alone). Rows are first narrowed by the question's numbers, as
    the retrieval narrowed them; None when the question names no numeric column."""
    top = hits[0] if hits and "table_extreme" in hits[0].scores else None
    if top is None or profile.extreme not in ("max", "min"):
        return None
    doc = top.document or library.document(top.passage.doc_id)
    text = texts.get(top.passage.doc_id) or library.text(top.passage.doc_id)
    all_rows = [(p, r) for p in library.passages_of(top.passage.doc_id) for r in passage_rows(p, text)]
    by_number = _by_numbers(profile, doc, all_rows)
    if doc is None or not by_number or not by_number[0]:
        return None
    rows, conditions = by_number
    numeric = numeric_columns([r for _, r in rows])
    column = total_column(numeric, doc, _word_terms(profile))
    if column is None:
        return None
    extreme = oriented(profile.text, profile.extreme, column)
    values = [(v, p, r) for p, r in rows if (v := sort_key(r.fields.get(column, ""), None)) is not None]
    best = (max if extreme == "max" else min)(v for v, _, _ in values)
    kept = [(p, r) for v, p, r in values if v == best]
    taken = {*numeric, *(c for c, _ in conditions)}
    # the row's name, else its place and date together (a station's daily reading), else its
    # year ("In which year ... the most containers?")
    label = label_column([r for _, r in rows], taken) or joint_label([r for _, r in rows], taken)
    label = label or next((c for c, _ in rows[0][1].cells if DATE_COLUMN.search(c) and c not in taken), None)
    gloss = column_glosses(doc.description).get(column.lower(), "")
    return TableCount(
        doc.id,
        doc,
        len(rows),
        len(kept),
        tuple(conditions),
        None,
        tuple(Candidate(sibling_hit(top, p, doc), r.start, r.end, text[r.start : r.end], top.score) for p, r in kept),
        tuple(row_label(r, label, None) for _, r in kept),
        extreme=(column, gloss, best, extreme),
    )


def table_listing(
    library: Library, profile: QuestionProfile, chosen: list[Candidate], texts: dict[str, str], shown: int, limit: int
) -> TableCount | None:
    """The rows of the table an answer leads with that the question's terms select, counted
    as for "which ...?", when they are more than an answer quotes (`shown`) and not all:
    "Bagaimana kualitas air Sungai Cikapundung?" quoted 3 of the 6 Cikapundung stretches,
    all 'Cemar Berat', as if they were the river; it now says "6 of the 56 rows ..., by
    Golongan: D 3, C 3". None for a question that counts, lists or asks an extreme already."""
    if not chosen or not chosen[0].hit.passage.rows or profile.count is not None or profile.extreme is not None:
        return None
    hit = chosen[0].hit
    doc_id = hit.passage.doc_id
    text = texts.get(doc_id) or library.text(doc_id)
    found = _count_in(library, replace(profile, count="which"), hit, text, limit, whole_names=False)
    return found if found is not None and found.conditions and found.matched > shown else None


def _count_in(
    library: Library, profile: QuestionProfile, hit: Hit, text: str, limit: int, whole_names: bool = True
) -> TableCount | None:
    doc = hit.document or library.document(hit.passage.doc_id)
    rows = [(p, r) for p in library.passages_of(hit.passage.doc_id) for r in passage_rows(p, text)]
    if not rows:
        return None
    table_rows = [r for _, r in rows]
    columns = list(dict.fromkeys(c for r in table_rows for c, _ in r.cells))
    values = frozenset(s[0] for r in table_rows for _, v in r.cells if len(s := tokens(v)) == 1)
    subject = _subject(doc, columns, values)
    glosses = value_glosses(doc.description if doc else None)

    row_stems = {r.n: _value_stems([v for _, v in r.cells], glosses) for r in table_rows}
    cell_stems = {r.n: [tuple(tokens(v)) for _, v in r.cells] for r in table_rows}

    runs = name_runs(profile.text)

    def in_row(g: TermGroup, n: int) -> bool:
        # A name is a whole cell ('Andir', or the name it is a word of: 'Bandung Utara'), not
        # a word of one ('Kelurahan Babakan Surabaya'), unless the rows are those of the
        # table the answer leads with (`whole_names` False).
        if g.name and whole_names:
            return any(f in cell_stems[n] for f in (*g.forms, *runs.get(g.label, ())))
        return any(_contains(row_stems[n], f) for f in g.forms)

    words = _word_terms(profile)
    # Every term of the question is in the table, or the question is about something else;
    # a table in a text is also about what its text says when a region the question names
    # selects its rows ("How many sister cities does Bandung have in Europe?" of a paper's
    # table of partner cities, the paper about sister cities).
    uncovered = [
        g for g in words if not covers(subject, g, profile.language) and not any(map(partial(in_row, g), row_stems))
    ]
    # Rows of the table the answer leads with that a name selects are listed whatever else it asks.
    named = not whole_names and any(g.name and any(map(partial(in_row, g), row_stems)) for g in words)
    if uncovered and not named and (hit.passage.table_rows or not _text_says(text, uncovered)):
        return None
    numeric = numeric_columns(table_rows)
    column = total_column(numeric, doc, words) if asks_total(profile.text) else None
    # "Which stations ...?" lists the text column it names, even when another word names a numeric one
    unnumbered = all(names_year(doc, g.label) for g in profile.groups if g.number)  # none, or the table's year
    listed = _values_of(rows, numeric, doc, words) if profile.count == "which" and unnumbered else None
    zero = none_asked(profile.text, numeric, doc, words)
    if column is None and listed is None and not zero and _names_a_column(numeric, doc, words):
        return None  # a value of a row is asked for, not a count (nor a total)
    by_number = _by_numbers(profile, doc, rows)
    if by_number is None:
        return None
    kept, conditions = by_number
    numbered = bool(conditions)
    # "Kecamatan mana yang tidak punya sumur resapan maupun lubang biopori sama sekali?"
    kept = [(p, r) for p, r in kept if all(sort_key(r.fields.get(c, ""), None) == 0 for c in zero)]
    conditions += [(c, "0") for c in zero]
    headline = _subject(doc and replace(doc, description=None), columns)
    for g in words:
        # A word the title or a column names is what every row is; one only the description
        # names may be a value it glosses: "when each was closed (ditutup)" of 5 rows of 6.
        if any(_contains(headline, f) for f in g.forms):
            continue
        keep = [(p, r) for p, r in kept if in_row(g, r.n)]
        if keep and len(keep) < len(kept):
            kept = keep
            conditions.append(_condition(keep, _holds(g.forms, glosses)))
    kept, by_region = _in_regions(profile, kept)
    conditions += by_region
    if not kept or (numbered and len(kept) == 1) or (uncovered and not by_region and not named):
        # no row in the region asked, a number named the row (its value is asked for), or a
        # question the text's words cover but no region selects rows for ("Through which
        # network ... technological support ...?" is not a count of rows saying "technology")
        return None
    ranking = ranked([r for _, r in kept], columns, numeric, doc, words, profile.extreme)
    if profile.extreme is not None and ranking is None:
        return None  # an extreme of rows no column groups: the retrieval's extreme row answers
    if ranking is not None:  # the rows of the value (or values) most (fewest) rows hold
        kept = [(p, r) for p, r in kept if r.fields.get(ranking[0], "").strip() in top_values(ranking)]
    # "Which stations are in the air data?": no row selected, the values of the column it names
    listing = listed if ranking is None and len(kept) == len(rows) else None
    unlisted = ranking is None and profile.count == "which" and not (1 < len(kept) < len(rows))
    if unlisted and listing is None:
        return None
    kept = one_per_value(kept, listing) if listing else kept
    grouped = listing or (None if column or ranking else breakdown([r for _, r in kept], set(numeric)))
    taken = {*numeric, *(c for c, _ in conditions), *(grouped[:1] if grouped else ())}
    label = listing[0] if listing else label_column([r for _, r in kept], taken)
    limit += label is None and len(kept) == limit + 1  # rows quoted whole: the one past the limit too
    cited = [
        Candidate(sibling_hit(hit, p, doc), r.start, r.end, text[r.start : r.end], score=hit.score)
        for p, r in kept[:limit]
    ]
    return TableCount(
        hit.passage.doc_id,
        doc,
        len(rows),
        len(kept),
        tuple(conditions),
        grouped,
        tuple(cited),
        tuple(row_label(r, label, column) for _, r in kept[:limit]),
        column_total([r for _, r in kept], column, doc),
        ranking,
        tuple(row_label(r, label, column) for _, r in kept[limit : limit + MAX_NAMED]),
    )


def _by_numbers(
    profile: QuestionProfile, doc: Document | None, rows: list[tuple[Passage, TableRow]]
) -> tuple[list[tuple[Passage, TableRow]], list[tuple[str, str]]] | None:
    """The rows holding each number the question writes as a whole cell ('2017'), with the
    conditions that selected them; None for a year the table neither holds nor is of ("...
    in 1995?" of a 2018 list)."""
    kept, conditions = rows, []
    for number in sorted({normalise_number(n) for n in value_numbers(profile.text)}):
        keep = [(p, r) for p, r in kept if any(_number(v) == number for _, v in r.cells)]
        if not keep and _YEAR.fullmatch(number) and not names_year(doc, number):
            return None
        if keep and len(keep) < len(kept):
            kept = keep
            conditions.append(_condition(keep, _is_number(number)))
    return kept, conditions


_NAME_RUN = re.compile(r"\b[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*)+")


def name_runs(question: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """For each word of a name of several capitalised words the question writes ("How many
    TPS are in Bandung Utara?"), that whole name's stems: {'bandung': (('bandung',
    'utara'),), 'utara': (('bandung', 'utara'),)}."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for m in _NAME_RUN.finditer(question):
        stems = tuple(tokens(m.group()))
        for word in m.group().split():
            out.setdefault(word.lower(), []).append(stems)
    return {w: tuple(runs) for w, runs in out.items()}


@lru_cache(maxsize=8)
def _text_stems(text: str) -> frozenset[str]:
    return frozenset(tokens(text))


def _text_says(text: str, terms: list[TermGroup]) -> bool:
    """Whether the document's text holds each of `terms` (a form of it, its words anywhere)."""
    stems = _text_stems(text)
    return all(any(all(w in stems for w in f) for f in g.forms) for g in terms)


def _word_terms(profile: QuestionProfile) -> list[TermGroup]:
    """The question's terms that are words, not numbers, nor the words of a region it names
    ("di Eropa": a row's country, not its words; see `_in_regions`)."""
    regional = region_labels(profile.text)
    return [g for g in profile.groups if not g.number and g.label not in regional | CUE_WORDS]


def _in_regions(
    profile: QuestionProfile, kept: list[tuple[Passage, TableRow]]
) -> tuple[list[tuple[Passage, TableRow]], list[tuple[str, str]]]:
    """The rows of a country of each region the question names ("di Eropa") and, for each
    region that narrows them, its condition (the country's column, the region as written);
    no rows when none lies in a region asked."""
    conditions: list[tuple[str, str]] = []
    for said, members in regions_asked(profile.text):
        keep = [(p, r) for p, r in kept if in_region(members, (v for _, v in r.cells))]
        if not keep:
            return [], []
        if len(keep) < len(kept):
            kept = keep
            conditions.append((_condition(keep, partial(_names_country_of, members))[0], said))
    return kept, conditions


def _names_country_of(members: frozenset[str], value: str) -> bool:
    return in_region(members, [value])


_YEAR = re.compile(r"(?:19|20)\d\d")


def names_year(doc: Document | None, year: str) -> bool:
    """Whether the table's catalogue entry (year, title, description) names `year`."""
    return doc is not None and (str(doc.year) == year or year in doc.title or year in (doc.description or ""))


def _values_of(
    rows: list[tuple[Passage, TableRow]], numeric: list[str], doc: Document | None, words: list[TermGroup]
) -> tuple[str, tuple[tuple[str, int], ...]] | None:
    """The text column the question names (`_names_a_column`) with its values and how many
    rows give each, when every row gives one and they are a few (as `breakdown` groups rows);
    None otherwise."""
    columns = list(dict.fromkeys(c for _, r in rows for c, _ in r.cells))
    named = next((c for c in columns if c not in numeric and _names_a_column([c], doc, words)), None)
    grouped = breakdown([r for _, r in rows], set(columns) - {named}) if named else None
    return grouped if grouped is not None and "" not in dict(grouped[1]) else None


def _names_a_column(columns: list[str], doc: Document | None, words: list[TermGroup]) -> bool:
    """Whether the question names one of `columns` (or its gloss in the catalogue)."""
    glossed = column_glosses(doc.description if doc else None)
    return any(naming(c, glossed, words) for c in columns)


def _value_stems(values: list[str], glosses: dict[str, str]) -> list[str]:
    """The stems of cell values, each followed by its catalogue gloss ('Cemar Berat' ->
    'heavily polluted') and the regions of the country it names ('Belgium' -> 'Europe')."""
    return tokens(" ".join(f"{v} {glosses.get(v.strip().lower(), '')} {region_words([v])}" for v in values))


def _holds(forms: tuple[tuple[str, ...], ...], glosses: dict[str, str]) -> Callable[[str], bool]:
    """Whether a cell value (with its catalogue gloss) holds one of `forms`."""

    def test(value: str) -> bool:
        stems = _value_stems([value], glosses)
        return any(_contains(stems, f) for f in forms)

    return test


def _is_number(number: str) -> Callable[[str], bool]:
    return lambda value: _number(value) == number


def _number(value: str) -> str | None:
    v = value.strip()
    return normalise_number(v) if re.fullmatch(r"-?\d+(?:[.,]\d+)*", v) else None


def _condition(kept: list[tuple[Passage, TableRow]], test: Callable[[str], bool]) -> tuple[str, str]:
    """The column whose cells matched in most kept rows, with their value when they share one."""
    per_column: Counter[str] = Counter()
    values: dict[str, set[str]] = {}
    for _, r in kept:
        for c, v in r.cells:
            if test(v):
                per_column[c] += 1
                values.setdefault(c, set()).add(v.strip())
    if not per_column:
        return ("", "")
    column = per_column.most_common(1)[0][0]
    shared = values[column]
    return (column, next(iter(shared)) if len(shared) == 1 else "")
