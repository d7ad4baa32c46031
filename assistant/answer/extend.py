"""Which passages are read, and what a chosen sentence brings with it: the items of a
list it announces, and for a table question, the rows holding the asked extreme; and what
a question routed to a definition, a term's kinds or a named Pasal is answered by
(`routed_quotes`)."""

from __future__ import annotations

import re

from assistant.answer.authorship import authorship_quotes
from assistant.answer.enacted import enactment_quotes, revocation_quotes
from assistant.answer.lookup import matching_rows, table_rows
from assistant.answer.matching import Candidate, _contains, passage_units, says_little
from assistant.answer.question import _LIST_ITEM, _LIST_START, QuestionProfile, numbers_in, tokens
from assistant.index.library import Library
from assistant.ingest.sentences import flattened_table
from assistant.model import Hit
from assistant.search.articles import named_documents
from assistant.search.definitions import asked_kinds, asked_term, definition_span, definitions, kinds_span
from assistant.search.tables import extreme_column, oriented
from assistant.search.tables import sort_key as _sort_key


def continue_lists(
    chosen: list[Candidate], cands: list[Candidate], texts: dict[str, str], limit: int
) -> list[Candidate]:
    """A kept sentence that announces a list ('... the following objectives:', or one
    followed by 'First, ...') brings the list's items with it, within `max_sentences`."""
    out: list[Candidate] = []
    for c in chosen:
        if len(out) >= limit:
            break
        if c in out:
            continue
        out.append(c)
        text = texts[c.hit.passage.doc_id]
        following = sorted(
            (x for x in cands if x.hit.passage.doc_id == c.hit.passage.doc_id and x.start >= c.end),
            key=lambda x: x.start,
        )
        colon = c.text.rstrip().endswith(":")
        prev = c
        for i, x in enumerate(following):
            if len(out) >= limit or text[prev.end : x.start].strip():
                break  # the list is over, or the next sentence is not a candidate
            pattern = _LIST_START if i == 0 else _LIST_ITEM
            if not (colon or pattern.match(x.text)):
                break
            if x not in out:
                out.append(x)
            prev = x
    return out


def table_extreme(
    library: Library, profile: QuestionProfile, best: Candidate, texts: dict[str, str], limit: int
) -> list[Candidate]:
    """The rows of `best`'s table with the largest (smallest, earliest, latest) value of
    the column the question names, among the rows that match the question's numbers and
    values. Empty when the table has no such column."""
    doc = best.hit.document
    text = texts[best.hit.passage.doc_id]
    rows = table_rows(library, best, texts)
    if not rows:
        return []
    forms = [f for g in profile.groups if not g.number for f in g.forms]
    rows = matching_rows(profile, rows)
    column = extreme_column(
        (r[3] for r in rows),
        profile.extreme or "max",
        doc.description if doc else None,
        lambda name: sum(_contains(tokens(name), form) for form in forms),
        profile.text,
    )
    if column is None:
        return []
    values = [(v, r) for r in rows if (v := _sort_key(r[3].get(column, ""), profile.extreme)) is not None]
    if not values:
        return []
    pick = max if oriented(profile.text, profile.extreme or "max", column) in ("max", "last") else min
    target = pick(v for v, _ in values)
    chosen = [r for v, r in values if v == target][:limit]
    return [Candidate(h, a, b, text[a:b], score=best.score) for h, a, b, _, _ in chosen]


def reading_list(hits: list[Hit], k: int, per_table: float, profile: QuestionProfile | None = None) -> list[Hit]:
    """The passages to read: the first k hits, with at most `per_table` of them from any
    one table (so that a table's many similar rows do not crowd out the prose that
    answers), then any further hit that names one of the question's rare names."""
    limit = max(1, int(k * per_table))
    out: list[Hit] = []
    per_doc: dict[str, int] = {}
    rest: list[Hit] = []
    for h in hits:
        if len(out) == k:
            rest.append(h)
            continue
        if h.passage.rows:
            n = per_doc.get(h.passage.doc_id, 0)
            if n >= limit:
                rest.append(h)
                continue
            per_doc[h.passage.doc_id] = n + 1
        out.append(h)
    names = [f for g in (profile.groups if profile else ()) if g.rare_name for f in g.forms]
    for h in rest:
        stems = tokens(h.passage.text)
        if any(_contains(stems, f, exact=True) for f in names):
            out.append(h)
    return out


# An ayat (numbered paragraph of an article): "(2) Sanksi administratif ... dapat berupa:".
_AYAT = re.compile(r"^\s*\((\d{1,2})\)\s")
# A list item of a regulation or agreement: "a. paksaan pemerintahan;", "1) ...", "b) ...".
_ITEM = re.compile(r"^\s*(?:[a-z]|\d{1,2})[.)]\s")


def _refers_back(text: str, n: int) -> bool:
    """Whether an ayat's text points back to ayat `n` ("sebagaimana dimaksud pada ayat (1)",
    "referred to in paragraph (1)"): in Indonesian drafting, the ayat that elaborates it."""
    pattern = rf"(?:dimaksud\s+(?:pada|dalam)|referred\s+to\s+in)\s+(?:ayat|paragraph)\s*\(\s*{n}\s*\)"
    return re.search(pattern, text) is not None


def complete_lists(library: Library, chosen: list[Candidate], texts: dict[str, str], limit: int) -> list[Candidate]:
    """A chosen unit that announces a list (ending in ':') is quoted with its items, and an
    ayat the next ayat elaborates with a list ("(1) Bupati/walikota dapat menerapkan sanksi
    administratif ..." then "(2) Sanksi administratif sebagaimana dimaksud pada ayat (1) dapat
    berupa: a. ...; b. ...; c. ...") brings that ayat and its items: in a regulation the rule
    and its enumeration are one answer. Each list is one quote over its units, within one
    stored passage (so it verifies like any quote); short items ("c. pencabutan izin.") are
    never candidates of their own, so they are read here from the passage. At most `limit`
    quotes: a list takes the place of the first unit it holds (the best sentence still leads),
    and the last, least likely quotes go. A unit announcing what follows whose continuation
    is neither a list it brings nor quoted beside it ("Maka nilai ... terintegrasi:" before
    a formula) says nothing alone and is left out, unless it is all there is."""
    out: list[Candidate] = []
    for c in chosen:
        # an item of a list ("a. atas dasar ...; atau") is quoted as its list, from the
        # sentence announcing it: alone, an item does not say what it is an item of
        c = (_lead_in(c, texts) if _ITEM.match(c.text) else None) or c
        extra = _list_after(library, c, texts)
        if extra is None and len(chosen) > 1 and _dangling(c, chosen, texts):
            continue
        out.append(c)
        if extra is not None:
            out.append(extra)

    def widest(x: Candidate) -> Candidate:  # the largest quote holding x (x itself at least)
        return max((y for y in out if holds(y, x)), key=lambda y: (y.end - y.start, -out.index(y)))

    kept: list[Candidate] = []
    for x in out:
        y = widest(x)
        if all(k is not y for k in kept):
            kept.append(y)
    return kept[:limit]


_TRAILING_VALUES = re.compile(r"(?:[\s–-]+\d[\d.,]*)+\s*$")


def _values_at_end(row: str) -> list[str]:
    """The values a flattened table's row ends with ("mg/l 30 50 75": three; "mg/l 300": one)."""
    m = _TRAILING_VALUES.search(row)
    return re.findall(r"\d[\d.,]*", m.group()) if m else []


def with_table_heads(chosen: list[Candidate], texts: dict[str, str], limit: int) -> list[Candidate]:
    """A row of a flattened table (a PDF's table read as lines: "Kebutuhan Oksigen Biokimiawi
    (BOD) mg/l 30 50 75") is quoted after its table's first row, which says what its values
    are ("Klasifikasi (berdasarkan volume Air Limbah Domestik ...) x > 50 3 < x ≤ 50 < 3",
    "Parameter Satuan Kadar maksimum*"), as a table file's row carries its column names. Once
    a table, and only while the answer has room for it within `limit` quotes: first for the
    rows giving most values (the classes of "30 50 75" say which is which; "mg/l 150" of a
    one-column table reads alone, and is given none: the first row of such a table, whose
    head the PDF lost, is the pH row, which answered a question about COD)."""
    heads: dict[int, tuple[int, int]] = {}
    room = limit - len(chosen)
    for i, c in enumerate(chosen if room > 0 else ()):
        if len(_values_at_end(c.text)) < 2:
            continue  # one value reads alone: the first row of its table would be a row, not a head
        rows = flattened_table(texts[c.hit.passage.doc_id], c.hit.passage, c.start)
        if rows and rows[0][1] <= c.start:
            heads[i] = rows[0]
    kept: set[tuple[str, tuple[int, int]]] = set()
    for i in sorted(heads, key=lambda i: -len(numbers_in(chosen[i].text))):
        head = (chosen[i].hit.passage.doc_id, heads[i])
        inside = any(x.start <= heads[i][0] < x.end for x in chosen if x.hit.passage.doc_id == head[0])
        if room > 0 and head not in kept and not inside:
            kept.add(head)
            room -= 1
    out: list[Candidate] = []
    for i, c in enumerate(chosen):
        if i in heads and (head := (c.hit.passage.doc_id, heads[i])) in kept:  # before its table's first row
            kept.discard(head)
            a, b = heads[i]
            out.append(Candidate(c.hit, a, b, texts[c.hit.passage.doc_id][a:b], rank=c.rank, score=c.score))
        out.append(c)
    return out


def _announces(c: Candidate) -> bool:
    """Whether `c` is prose announcing what follows (ends in ':')."""
    return not c.hit.passage.rows and c.text.rstrip().endswith(":")


def _dangling(c: Candidate, chosen: list[Candidate], texts: dict[str, str]) -> bool:
    """Whether `c` announces what follows and no other chosen unit follows it directly."""
    if not _announces(c):
        return False
    doc_id, text = c.hit.passage.doc_id, texts[c.hit.passage.doc_id]
    return not any(
        x.hit.passage.doc_id == doc_id and x.start >= c.end and not text[c.end : x.start].strip() for x in chosen
    )


def brings_list(library: Library, c: Candidate, texts: dict[str, str]) -> bool:
    """Whether `c` is quoted with a list (`complete_lists`): the items it announces, or the
    next ayat's that elaborate it."""
    return _list_after(library, c, texts) is not None


def lead_in_only(library: Library, c: Candidate, texts: dict[str, str]) -> bool:
    """Whether `c` announces what follows but brings no list: alone, it says nothing."""
    return _announces(c) and _list_after(library, c, texts) is None


def holds(c: Candidate, unit: Candidate) -> bool:
    """Whether `c`'s quote is `unit` or holds it (a list quoted whole holds its intro)."""
    return c is unit or (c.hit.passage.doc_id == unit.hit.passage.doc_id and c.start <= unit.start < unit.end <= c.end)


def _list_after(library: Library, c: Candidate, texts: dict[str, str]) -> Candidate | None:
    """The list `c` announces, or the ayat elaborating `c` with its list, as one candidate:
    in whichever passage holds it longest (a list may run past the end of `c`'s passage)."""
    if c.hit.passage.rows:
        return None
    doc_id = c.hit.passage.doc_id
    text = texts[doc_id]
    ayat = _AYAT.match(c.text)
    colon = c.text.rstrip().endswith(":")
    found: Candidate | None = None
    for p in library.passages_of(doc_id):
        if p.rows or p.end <= c.end or (p.start > c.end and text[c.end : p.start].strip()):
            continue
        units = [(a, b) for a, b in passage_units(text, p) if a >= c.end - 1]
        start, items = c.start, None
        if colon and p.start <= c.start:
            items = _items(text, units)
        elif not colon and ayat is not None and units:
            a, b = units[0]
            head = text[a:b]
            nxt = _AYAT.match(head)
            follows = not text[c.end : a].strip() and nxt and int(nxt.group(1)) == int(ayat.group(1)) + 1
            if follows and head.rstrip().endswith(":") and _refers_back(head, int(ayat.group(1))):
                start, items = a, _items(text, units[1:])
        if items is not None and (found is None or items > found.end):
            # quoted as completing `c`: it carries `c`'s retrieval score
            hit = c.hit if p.id == c.hit.passage.id else Hit(p, c.hit.score, {}, c.hit.document)
            found = Candidate(hit, start, items, text[start:items], rank=c.rank)
    return found


def _lead_in(c: Candidate, texts: dict[str, str]) -> Candidate | None:
    """The unit of `c`'s passage announcing (ending in ':') the list whose item `c` is, with
    nothing but items between them; None when there is none."""
    if c.hit.passage.rows:
        return None
    text = texts[c.hit.passage.doc_id]
    units = passage_units(text, c.hit.passage)
    at = next((i for i, (a, b) in enumerate(units) if a <= c.start < b), None)
    if at is None:
        return None
    end = units[at][0]
    for a, b in reversed(units[:at]):
        if text[b:end].strip():
            return None  # not contiguous
        unit = text[a:b]
        if unit.rstrip().endswith(":"):
            return Candidate(c.hit, a, b, unit, rank=c.rank, score=c.score)
        if not _ITEM.match(unit):
            return None
        end = a
    return None


def _items(text: str, units: list[tuple[int, int]]) -> int | None:
    """Where the run of list items at the head of `units` ends (nothing but space between
    them); None when there is none."""
    end = None
    for a, b in units:
        if not _ITEM.match(text[a:b]) or (end is not None and text[end:a].strip()):
            break
        end = b
    return end


# "Apa isi Pasal 44 UU 18/2008?", "What does Article 13 of Law 18/2008 say?": the whole Pasal.
_ASKS_CONTENT = re.compile(
    r"\b(?:apa\s+isi|isi(?:nya)?\s+(?:dari\s+)?pasal|bunyi|berbunyi|what\s+does\b.*\b(?:say|state|provide)"
    r"|what\s+is\s+in|contents?\s+of|text\s+of)\b",
    re.IGNORECASE,
)
_ARTICLE_HEAD = re.compile(r"\s*(?:#+[ \t]*)?(?:pasal|article)\s+\d+[A-Z]?[ \t]*\n\s*", re.IGNORECASE)
# A Penjelasan that explains nothing: "Cukup jelas.", "Ayat (1)\n\nCukup jelas.\n\nAyat (2) ...",
# or only its heading, its text lost to OCR ("Pasal 24").
_SAYS_NOTHING = re.compile(
    r"(?:\s*(?:(?:ayat\s*\(\d+\)|huruf\s+[a-z])\s*)*cukup\s+jelas\.?|\s*(?:pasal|article)\s+\d+[A-Z]?)+\s*",
    re.IGNORECASE,
)
ARTICLE_WORDS = 150  # a named Pasal up to this long is quoted whole when its content is asked


def article_quotes(question: str, hits: list[Hit], texts: dict[str, str], most: int) -> list[Candidate]:
    """The Pasal a question asks the content of, whole, then its Penjelasan unless that is
    "Cukup jelas": the passages `search.articles` routed first, each without its "Pasal 44"
    heading or an OCR'd empty list at its end; [] when the question asks a detail of it, or
    the Pasal takes more than `most` passages or `ARTICLE_WORDS` words."""
    parts = [h for h in hits if "article" in h.scores]
    if not parts or len(parts) > most or not _ASKS_CONTENT.search(question):
        return []
    out: list[Candidate] = []
    quoted: dict[str, int] = {}  # where each document's quotes end: passages overlap
    for rank, hit in enumerate(hits):
        if "article" in hit.scores or ("explanation" in hit.scores and len(out) < most):
            p = hit.passage
            head = _ARTICLE_HEAD.match(p.text)
            lines = p.text.rstrip().split("\n")
            # An OCR'd empty list at the end ("a.", "e. Pasal 25. , ."), not the end of a
            # sentence the line before goes on with ("... diatur dengan peraturan\npemerintah.").
            while len(lines) > 1 and says_little(lines[-1]) and re.search(r"[.;:,]\s*$", lines[-2]):
                lines.pop()
            a, b = p.start + (head.end() if head else 0), p.start + len("\n".join(lines).rstrip())
            text = texts[p.doc_id]
            if quoted.get(p.doc_id, -1) > a:  # "(2) ..." ended the passage before and opens this one
                a = quoted[p.doc_id]
                a += len(text[a:b]) - len(text[a:b].lstrip())
            if b > a and not _SAYS_NOTHING.fullmatch(text[a:b]):
                quoted[p.doc_id] = max(b, quoted.get(p.doc_id, b))
                out.append(Candidate(hit, a, b, text[a:b], rank=rank))
    return out if sum(len(c.text.split()) for c in out if "article" in c.hit.scores) <= ARTICLE_WORDS else []


def routed_quotes(
    library: Library,
    question: str,
    hits: list[Hit],
    texts: dict[str, str],
    most: int,
    admitted: list[str] | None = None,
) -> list[Candidate]:
    """What a routed question asks for: the Pasal whose content it asks, whole
    (`article_quotes`); else the closing formula dating a named regulation's enactment or
    promulgation (`enacted`; a document the search admitted only), or the article revoking
    it when asked whether it is in force (of a document `admitted`, None: any), or the line
    naming the authors of a document asked who wrote it (`authorship`); else, one quote per
    document (at most `most`; only the named regulation's when the question names one),
    the definitions of the term whose meaning it asks (`search.definitions`), each cut from
    the term's name to the end of its sentence (a sentence of the passage may begin with the
    item before it when OCR lost a full stop: "... KSDPK adalah ... publik. percepatan ...
    Sama Daerah ..., yang selanjutnya disingkat KSDPL adalah"); else the sentence listing
    the kinds it asks for, with its list ("KSDPL terdiri atas: a. ...; b. ...; dan c.
    ..."). [] when none applies."""
    if whole := article_quotes(question, hits, texts, most):
        return whole
    if dated := enactment_quotes(library, question, texts, {h.passage.doc_id for h in hits}):
        return dated[:most]
    if revoked := revocation_quotes(library, question, texts, admitted):
        return revoked[:most]
    if written := authorship_quotes(library, question, texts, admitted):
        return written
    table = definitions(library)
    for label, asked, span_of in (("definition", asked_term, definition_span), ("kinds", asked_kinds, kinds_span)):
        routed = [h for h in hits if label in h.scores]
        named = {d.id for d in named_documents(library, question)} if routed else set()
        if any(h.passage.doc_id in named for h in routed):  # "... menurut PP 28/2018?": that one's
            routed = [h for h in routed if h.passage.doc_id in named]
        term = asked(question, table) if routed else None
        out: dict[str, Candidate] = {}
        for rank, hit in enumerate(routed):
            p = hit.passage
            span = span_of(p.text, term) if term else None
            if span is not None and p.doc_id not in out and len(out) < most:
                a, b = p.start + span[0], p.start + span[1]
                out[p.doc_id] = Candidate(hit, a, b, texts[p.doc_id][a:b], rank=rank)
        if out:
            return list(out.values())
    return []
