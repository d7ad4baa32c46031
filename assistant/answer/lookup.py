"""Looking a value up in a table: the rows that hold what the question names.

"Tahun 2016, sampah kertas menyumbang berapa persen?" names two cells of one row of the
waste-composition table (2016, kertas); "Rata-rata sampah dari perkantoran berapa ton per
hari?" names one ('Kantor'). The sentence models score a table's rows almost alike (they
share their column names and their shape, and e5 sees little between 'kertas' and
'plastik'), so the row chosen may hold the asked column but not the asked row. When the
chosen answer is a row, the rows of its table are filtered by the question's numbers and
by its words that only some rows hold, as a query on the table would; the rows left, when
they are few, are the answer. A question naming a year its table neither holds nor is of
("... pada tahun 2015?" of a table of 2014, 2016 and 2017), or a name it neither holds nor
is about ("the Citarum River" of a table of other rivers), is not answered by that table;
nor is one that picks out none of its rows when a sentence answers beside it ("Berapa
timbulan sampah Kota Bandung per hari?": the 1,600 m³/day sentence, not the public
facilities' row of the table by source, as good as any other of its rows). A date the
question writes ("2017-01-01", "1 Februari 2017") is one value its rows must hold, a
name it excepts ("apart from Kawasaki", "selain Terminal Cicaheum") leaves the rows naming
it, and a region it names ("European", "di Asia Tenggara") keeps the rows naming a country
of that region (`lang/regions.py`); a table with none is no answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from assistant.answer.count import _subject, names_year
from assistant.answer.matching import Candidate, _contains, sibling_hit
from assistant.answer.question import QuestionProfile, TermGroup, normalise_number, short_dates, tokens
from assistant.index.library import Library
from assistant.lang.regions import in_region, region_labels, region_words, regions_asked
from assistant.lang.stem import stem_words
from assistant.model import Document, Hit
from assistant.search.tables import MONTH_NUMBER, passage_rows, value_numbers

# One row of a table: its hit, its span, its cells by column, the stems of its columns and values.
Row = tuple[Hit, int, int, dict[str, str], list[str]]

_YEAR = re.compile(r"(?:19|20)\d\d")
_SERIAL = re.compile(r"^(?:no|nomor|no\.|nr)$", re.IGNORECASE)  # a column numbering the rows


def table_rows(library: Library, best: Candidate, texts: dict[str, str]) -> list[Row]:
    """Every row of `best`'s table, from the stored cells (not the displayed line), with the
    regions of the countries its cells name."""
    text = texts[best.hit.passage.doc_id]
    rows: list[Row] = []
    for p in library.passages_of(best.hit.passage.doc_id):
        hit = sibling_hit(best.hit, p)
        for row in passage_rows(p, text):
            line = " ".join(f"{k} {v}" for k, v in row.cells)
            # A country's cell also holds its regions' names ("Belgium": "European", "Eropa").
            regions = tokens(region_words(v for _, v in row.cells))
            rows.append((hit, row.start, row.end, row.fields, tokens(line) + short_dates(line)[1] + regions))
    return rows


def _forms(g: TermGroup, language: str) -> tuple[tuple[str, ...], ...]:
    """A word's forms, with its Indonesian stem for an Indonesian question ('perkantoran' ->
    'kantor': the answer side stems in English, which leaves Indonesian affixes on)."""
    if language != "id" or g.number or " " in g.label:
        return g.forms
    return (*g.forms, tuple(stem_words([g.label.lower()], "id")))


# "Apart from Kawasaki, which Japanese partner city ...?": the name after it is left out.
_EXCEPT = re.compile(
    r"\b(?i:apart from|except(?: for)?|other than|besides|selain|kecuali)\s+([A-Z][\w-]*(?:\s+[A-Z][\w-]*)*|\w[\w-]*)"
)
_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})\b")
_ABBR_DATE = re.compile(r"\b(\d{1,2})-([A-Za-z]{3})-(\d\d)\b")  # "05-Mar-19"
_LONG_DATE = re.compile(
    r"\b(\d{1,2})\s+([A-Za-z]{3,9})\s+((?:19|20)\d\d)\b|\b([A-Za-z]{3,9})\s+(\d{1,2}),?\s+((?:19|20)\d\d)\b"
)


def _date_spans(text: str) -> list[str]:
    """The dates `text` writes, as written."""
    return [m.group() for p in (_ISO_DATE, _ABBR_DATE, _LONG_DATE) for m in p.finditer(text)]


def dates_in(text: str) -> set[tuple[int, int, int]]:
    """The calendar dates `text` writes, as (year, month, day): "2017-01-01", "05-Mar-19",
    "1 January 2017", "January 1, 2017", "1 Januari 2017"."""
    out = {(int(y), int(m), int(d)) for y, m, d in _ISO_DATE.findall(text)}
    for d, mon, yy in _ABBR_DATE.findall(text):
        if (m := MONTH_NUMBER.get(mon.lower())) is not None:
            out.add((2000 + int(yy), m, int(d)))
    for d1, mon1, y1, mon2, d2, y2 in _LONG_DATE.findall(text):
        day, mon, year = (d1, mon1, y1) if d1 else (d2, mon2, y2)
        if (m := MONTH_NUMBER.get(mon[:3].lower())) is not None:
            out.add((int(year), m, int(day)))
    return out


def _excepted(profile: QuestionProfile) -> list[set[str]]:
    """The names the question excepts ("apart from Kawasaki", "selain Terminal Cicaheum"),
    each as the labels of its words."""
    return [{w.lower() for w in m.group(1).split()} for m in _EXCEPT.finditer(profile.text)]


def matching_rows(profile: QuestionProfile, rows: list[Row]) -> list[Row]:
    """The rows holding the question's numbers and its words that only some rows hold
    (values such as 'plastik', or a column only some rows fill, such as 'tps_3r'). The most
    selective term is applied first, then the next among the rows it kept, while one keeps
    some rows but not all: a term that names one row ('memenuhi': the one river point
    meeting the standard) is not lost to a looser one applied before it ('titik', glossed
    'middle': the 16 middle-stream points)."""
    asked_values = {normalise_number(n) for n in value_numbers(profile.text)}
    in_dates = {normalise_number(n) for d in _date_spans(profile.text) for n in value_numbers(d)}
    excepted = _excepted(profile)
    regional = region_labels(profile.text)
    tests: list[Callable[[Row], bool]] = []
    names: list[Callable[[Row], bool]] = []  # of the names the question writes ('Cipamokolan')
    for g in profile.groups:
        if g.number and (g.label not in asked_values or g.label in in_dates):
            continue  # the bound of a range ("between 2005 and 2015") or a date's part filters no row
        if g.label in regional:
            continue  # "Southeast Asia" is a row's country, not its words ('South Korea' is not 'southeast')
        if not any(g.label in name for name in excepted):
            tests.append(test := _test(g, profile.language))
            names += [test] if g.name else []
    for name in excepted:  # a row naming all of it leaves
        parts = [_test(g, profile.language) for g in profile.groups if g.label in name]
        if parts:
            tests.append(partial(_lacks_any, parts))
    # A date the question writes is one value ("2017-01-01" is not any row of 2017 and January).
    tests += [partial(_dated, d) for d in dates_in(profile.text)]
    tests += [partial(_in_region, members) for _, members in regions_asked(profile.text)]
    # Ties go to the term fewer of the whole table's rows hold: after "5" (of 5 March 2019)
    # kept two rows, 'March' (3 of 27) tells them apart, not 'KangPisMan' (21 of 27).
    held = {id(t): sum(t(r) for r in rows) for t in tests}
    kept = _narrowed(rows, tests, held)
    # A name the question writes is not lost to a more selective common word: "Sungai
    # Cipamokolan bagian hilir (down stream)" is 'Sungai Cipamokolan Down Stream', not the
    # one row writing 'Downstream' as one word, which 'hilir' alone had picked.
    named = [r for r in rows if all(t(r) for t in names)]
    if named and len(named) < len(rows) and not all(t(r) for t in names for r in kept):
        kept = _narrowed(named, tests, held)
    return kept


def _narrowed(rows: list[Row], tests: list[Callable[[Row], bool]], held: dict[int, int]) -> list[Row]:
    """`rows` narrowed by the most selective test first, then the next among the rows it
    kept, while one keeps some rows but not all; ties go to the test fewer of the table's
    rows pass (`held`, by the test's id)."""
    tests = list(tests)
    while tests:
        narrowed = [
            (len(keep), held[id(t)], i, keep)
            for i, t in enumerate(tests)
            if 0 < len(keep := [r for r in rows if t(r)]) < len(rows)
        ]
        if not narrowed:
            break
        _, _, i, rows = min(narrowed, key=lambda x: (x[0], x[1], x[2]))
        del tests[i]
    return rows


def _lacks_any(parts: list[Callable[[Row], bool]], row: Row) -> bool:
    """Whether `row` fails one of `parts` (it does not name all of an excepted name)."""
    return not all(p(row) for p in parts)


def _in_region(members: frozenset[str], row: Row) -> bool:
    """Whether a cell of `row` names a country of a region (`members`: ISO codes)."""
    return in_region(members, row[3].values())


def _dated(day: tuple[int, int, int], row: Row) -> bool:
    """Whether a cell of `row` writes the date `day`."""
    return day in dates_in(" ".join(row[3].values()))


def _test(g: TermGroup, language: str) -> Callable[[Row], bool]:
    """Whether a row holds the term: its number, or one of its forms."""
    if g.number:
        return lambda r: g.label in _numbers(r)
    forms = _forms(g, language)
    return lambda r: any(_contains(r[4], f) for f in forms)


def _numbers(row: Row) -> set[str]:
    """The numbers of a row: its numeric cells, those written in its text cells ('DITUTUP
    PADA TAHUN 1999') and the day and year of its short dates."""
    cells = [v for k, v in row[3].items() if not _SERIAL.match(k)]  # "No: 5.0" counts rows, names nothing
    found = {normalise_number(x) for v in cells for x in (v, *value_numbers(v))}
    return found | {n for v in cells for n in short_dates(v)[0]}  # "05-Mar-19": 5, 2019


def lacks_year(profile: QuestionProfile, rows: list[Row], doc: Document | None) -> bool:
    """Whether the question names a year that no row holds and the table is not of."""
    for year in {n for n in value_numbers(profile.text) if _YEAR.fullmatch(n)}:
        if not any(year in _numbers(r) for r in rows) and not names_year(doc, year):
            return True
    return False


def lacks_name(library: Library, profile: QuestionProfile, rows: list[Row], doc_id: str) -> bool:
    """Whether the question names something (a capitalised name: 'Citarum', 'BOD') that
    neither the table's subject (title, catalogue entry, columns) nor any of its rows holds:
    "What was the STORET score of the Citarum River?" of a table without the Citarum."""
    # a month the question writes in a date ("1 Februari 2017") is read as the date, not a name
    dated = {w.lower() for d in _date_spans(profile.text) for w in re.findall(r"[A-Za-z]+", d)}
    excepted = dated.union(*_excepted(profile), region_labels(profile.text))
    if any(not any(_in_region(members, r) for r in rows) for _, members in regions_asked(profile.text)):
        return True  # no row of a country of the region asked ("in South America")
    names = [g for g in profile.groups if g.name and not g.number and g.label not in excepted]
    if not names:
        return False
    subject = _subject(library.document(doc_id), list(dict.fromkeys(c for r in rows for c in r[3])))
    return not all(any(_contains(subject, f) or any(_contains(r[4], f) for r in rows) for f in g.forms) for g in names)


def _fits(library: Library, profile: QuestionProfile, c: Candidate, texts: dict[str, str]) -> bool:
    """Whether `c`'s table (`c` a row) lacks no year or name the question asks."""
    if not (rows := table_rows(library, c, texts)):
        return True
    doc_id = c.hit.passage.doc_id
    doc = c.hit.document or library.document(doc_id)
    return not (lacks_year(profile, rows, doc) or lacks_name(library, profile, rows, doc_id))


def _picked(library: Library, profile: QuestionProfile, row: Candidate, texts: dict[str, str]) -> bool:
    """Whether the question's terms pick `row` out of its table: it is among the rows they
    keep, and they keep fewer than all."""
    rows = table_rows(library, row, texts)
    kept = matching_rows(profile, rows)
    return len(kept) < len(rows) and any(r[1] <= row.start < r[2] or row.start <= r[1] < row.end for r in kept)


def covers(library: Library, profile: QuestionProfile, rows: list[Row], kept: list[Row], doc_id: str) -> bool:
    """Whether every word of the question names the table (its title, catalogue entry and
    columns) or is held by a kept row, and every number by a kept row or the table's year:
    the table holds all the question asks about, as `count` requires before counting."""
    doc = library.document(doc_id)
    subject = _subject(doc, list(dict.fromkeys(c for r in rows for c in r[3])))
    regional = region_labels(profile.text)  # applied to the rows by `matching_rows`
    for g in profile.groups:
        if g.label in regional:
            continue
        if g.number:
            if not (names_year(doc, g.label) or any(g.label in _numbers(r) for r in kept)):
                return False
        elif not any(
            _contains(subject, f) or any(_contains(r[4], f) for r in kept) for f in _forms(g, profile.language)
        ):
            return False
    return True


def table_lookup(
    library: Library,
    profile: QuestionProfile,
    chosen: list[Candidate],
    texts: dict[str, str],
    limit: int,
    refused: Candidate | None = None,
) -> list[Candidate]:
    """`chosen` with its table rows replaced by the rows of that table the question names
    (see the module docstring), best scored first; the table's rows dropped when the
    question names a year or a name the table lacks; `chosen` unchanged when the question's terms
    select no fewer rows or more than `limit`, or the answer does not lead with a row.

    `refused`: the best candidate of a question the refusal model turned down; when it is a
    row, its table's named rows answer if the table `covers` the question, else nothing."""
    if refused is not None:
        chosen = [refused]
    if not chosen or not chosen[0].hit.passage.rows:
        return [] if refused else chosen
    best = chosen[0]
    doc_id = best.hit.passage.doc_id
    rows = table_rows(library, best, texts)
    if not rows:
        return [] if refused else chosen
    # A row of another table that lacks a name or year the question asks leaves too ("kadar
    # CO di Margahayu Raya" beside the row of a container at Margahayu Raya); each table read once.
    fits: dict[str, bool] = {}
    for c in chosen:
        if c.hit.passage.rows and (other := c.hit.passage.doc_id) != doc_id and other not in fits:
            fits[other] = _fits(library, profile, c, texts)
    others = [c for c in chosen if c.hit.passage.doc_id != doc_id and fits.get(c.hit.passage.doc_id, True)]
    if lacks_year(profile, rows, best.hit.document or library.document(doc_id)) or lacks_name(
        library, profile, rows, doc_id
    ):
        return others
    on = dates_in(profile.text)
    if on and not any(on & dates_in(" ".join(r[3].values())) for r in rows):
        return others  # no row of the date asked: other dates are no answer ("... on 2017-03-31?")
    kept = matching_rows(profile, rows)
    if len(kept) == len(rows) and len(rows) > 1 and refused is None and any(not c.hit.passage.rows for c in others):
        # The question picks out none of the table's rows ("Berapa timbulan sampah Kota
        # Bandung per hari?" of the table by source): the row leading is as good as any other
        # of them, so the prose answers, with the rows of another table the question picks.
        return [c for c in others if not c.hit.passage.rows or _picked(library, profile, c, texts)]
    if len(kept) == len(rows) or len(kept) > limit:
        return [] if refused else chosen
    if refused is not None and not covers(library, profile, rows, kept, doc_id):
        return []
    scored = {(c.start, c.end): c.score for c in chosen if c.hit.passage.doc_id == doc_id}
    asked = set(tokens(profile.text))
    # A row with a cell the question names whole first ('Sungai Cikapundung Upstream', not
    # 'Sungai Cikapundung Kolot Upstream'), then the best scored.
    whole = {(r[1], r[2]): sum(bool(s) and set(s) <= asked for v in r[3].values() if (s := tokens(v))) for r in kept}
    kept = sorted(kept, key=lambda r: (-whole[(r[1], r[2])], -scored.get((r[1], r[2]), -1.0)))
    text = texts[doc_id]
    return [Candidate(h, a, b, text[a:b], score=best.score) for h, a, b, _, _ in kept] + others
