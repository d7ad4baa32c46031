"""Citations: quotes verified against the stored document text, and the answer's wording
(framing, refusals, short references) in English or Bahasa Indonesia."""

from __future__ import annotations

import re
import time
from collections.abc import Collection, Iterable
from dataclasses import replace

from assistant.answer.matching import Candidate
from assistant.answer.total import TableCount, among, extreme_statement, plain_number, ranking_text, total_text
from assistant.cite.quotes import quote_checks
from assistant.cite.references import first_authors, revoked_note
from assistant.lang.names import language_name
from assistant.model import Answer, Citation, Document
from assistant.search.tables import column_glosses, row_fields, value_glosses


def make_citations(chosen: list[Candidate], texts: dict[str, str], lead: int = 0) -> list[Citation]:
    """Number the chosen sentences: the first `lead` of them as they come (the best sentence,
    after its antecedent), then the rest in reading order (documents in the order of their
    best sentence, sentences in document order); each quote is checked against the stored
    text and left out if it does not match."""
    first: dict[str, int] = {}
    for i, c in enumerate(chosen):
        first.setdefault(c.hit.passage.doc_id, i)
    out: list[Citation] = []
    rest = sorted(chosen[lead:], key=lambda c: (first[c.hit.passage.doc_id], c.start))
    for c, end in _joined([*chosen[:lead], *rest], texts):
        p = c.hit.passage
        quote = texts[p.doc_id][c.start : end]
        if not quote_checks(texts[p.doc_id], p, quote, c.start, end):
            continue  # never show as a quote what is not the stored text
        doc = c.hit.document
        out.append(
            Citation(
                n=len(out) + 1,
                doc_id=p.doc_id,
                title=doc.title if doc else p.doc_id,
                quote=quote,
                start=c.start,
                end=end,
                passage=p,
                score=c.hit.score,
                document=doc,
            )
        )
    return out


def _joined(ordered: list[Candidate], texts: dict[str, str]) -> list[tuple[Candidate, int]]:
    """`ordered` as quotes: each sentence with the end of its quote, the sentences that follow
    one another in a passage's prose (only spaces or a line break between them) read as one
    quote, as a person quoting them would ("... the electrons are recycled." after the
    sentence its "This" points back to); a table's rows stay apart, each its own record.
    Passages overlap: a joined quote is cited with a passage of its sentences that holds it
    whole, and is not joined when none does."""
    out: list[tuple[Candidate, int]] = []
    members: list[list[Candidate]] = []
    for c in ordered:
        if out:
            last, end = out[-1]
            p = c.hit.passage
            holder = next(
                (m for m in (*members[-1], c) if m.hit.passage.start <= last.start and c.end <= m.hit.passage.end),
                None,
            )
            same = p.doc_id == last.hit.passage.doc_id and holder is not None
            gap = texts[p.doc_id][end : c.start] if same else "x"
            if holder and not p.rows and end <= c.start <= end + 2 and not gap.strip() and "\n\n" not in gap:
                out[-1] = (replace(last, hit=holder.hit), c.end)
                members[-1].append(c)
                continue
        out.append((c, c.end))
        members.append([c])
    return out


_WHY = {
    "en": {
        "nothing_relevant": "no passage seems to be about it.",
        # said of passages near the question, which may share its words and not its subject
        # ("How far is the moon?" finds "bulan", month and moon in Indonesian)
        "no_sentence": "some passages share its words, but none of their sentences answers it.",
        "no_figure": "some passages are about it, but none gives the figure it asks for.",
        "no_region": "its tables name countries, none of them in the region asked.",
        "filtered": "other documents of the library do; clear the filter to see their answer.",
    },
    "id": {
        "nothing_relevant": "tampaknya tidak ada bagian dokumen yang membahasnya.",
        "no_sentence": "ada bagian dokumen yang memuat kata-katanya, tetapi tidak ada kalimat yang menjawabnya.",
        "no_figure": "ada bagian dokumen yang membahasnya, tetapi tidak ada yang menyebut angka yang ditanyakan.",
        "no_region": "tabelnya menyebut negara-negara, tetapi tidak satu pun di wilayah yang ditanyakan.",
        "filtered": "dokumen lain di perpustakaan menjawabnya; hapus filter untuk melihat jawabannya.",
    },
}


def refusal_text(language: str, reason: str = "no_sentence") -> str:
    """What Mitra says when the library does not answer, in the question's language, and why."""
    if reason == "filtered":  # the library answers it; the filter hides the answer
        if language == "id":
            return f"Dokumen yang dipilih filter tidak menjawab pertanyaan ini: {_WHY['id'][reason]}"
        return f"The documents the filter admits do not answer this question: {_WHY['en'][reason]}"
    if language == "id":
        why = _WHY["id"].get(reason, _WHY["id"]["no_sentence"])
        return f"Perpustakaan ini tidak menjawab pertanyaan tersebut: {why} Berikut bagian yang paling dekat."
    why = _WHY["en"].get(reason, _WHY["en"]["no_sentence"])
    return f"The library does not answer this question: {why} The nearest passages are shown instead."


def short_reference(doc: Document | None, language: str, fallback: str = "") -> str:
    """'Hakiem et al. (2025)' / 'Hakiem dkk. (2025)', or the title in quotes."""
    if doc is None:
        return f"“{fallback}”"
    names = [a.split(",")[0].strip() for a in doc.authors if a.strip()]
    if names:
        year = str(doc.year) if doc.year else ("t.t." if language == "id" else "n.d.")
        return f"{first_authors(names, language)} ({year})"
    if doc.year and str(doc.year) not in doc.title:
        return f"“{doc.title}” ({doc.year})"
    return f"“{doc.title}”"


def compose(citations: Iterable[Citation], language: str, in_force: Collection[str] = ()) -> str:
    """The answer text: for each document 'According to <source>:' ('Menurut ...:'), then
    its sentences, each in quotation marks (they are the document's words, not Mitra's) and
    followed by its marker [n] and, for a table's row, the units of its numbers; a sentence
    in another language than the answer's has the language named; a regulation no longer in
    force says what revoked it, and one quoted as in force in its place (`in_force`, document
    ids) says so; a quote read by OCR says to check the original, as its words may be misread."""
    parts: list[str] = []
    current = None
    for c in citations:
        sentence = " ".join(c.quote.split())
        doc_lang = (c.document.language if c.document else None) or language
        if c.doc_id != current:
            current = c.doc_id
            lead = "Menurut" if language == "id" else "According to"
            notes = [revoked_note(c.document, language)]
            if c.doc_id in in_force:
                notes.append("yang berlaku" if language == "id" else "in force")
            if doc_lang != language:
                other = language_name(doc_lang, language)
                notes.append(f"kutipan dalam bahasa {other}" if language == "id" else f"quoted in {other}")
            if c.passage.ocr or (c.document is not None and c.document.ocr_transcript):  # its misreadings
                notes.append("teks OCR, periksa aslinya" if language == "id" else "OCR text, check the original")
            note = "; ".join(n for n in notes if n)
            parts.append(f"{lead} {short_reference(c.document, language, c.title)}{f' ({note})' if note else ''}:")
        parts.append(f"“{sentence}” [{c.n}]{_units(c, language)}")
    return " ".join(parts)


def _units(c: Citation, language: str = "en") -> str:
    """The units the catalogue gives a cited row's numeric columns, after its marker: '
    (Prod_sampah: tonnes per day)' for "Row 2: Sumber: Pasar; Prod_sampah: 300.32"; a table
    file's column names rarely say their unit. The catalogue glosses in English: an
    Indonesian answer gives the unit alone, in Indonesian ('Prod_sampah: ton per hari'), not
    the English gloss ("production in tonnes per day")."""
    if not c.passage.rows or c.document is None:
        return ""
    glosses = {k: _LEADING.sub("", g) for k, g in column_glosses(c.document.description).items() if _UNIT.search(g)}
    if language == "id":
        glosses = {k: unit for k, g in glosses.items() if (unit := _unit_in_indonesian(g))}
    said = [
        f"{k}: {glosses[k.lower()]}"
        for k, v in row_fields(c.quote).items()
        if k.lower() in glosses and _NUMBER.match(v)
    ]
    return f" ({'; '.join(said)})" if said else ""


# A gloss is shown when it gives a unit ("tonnes per day"), not only a name, which the
# catalogue's prose may cut short ("customers" of "wastewater (sewerage) customers").
_UNIT = re.compile(
    r"\b(?:tonnes?|tons?|kg|kilograms?|cubic|m3|lit(?:re|er)s?|mg|µg|ppm|percent\w*|per (?:day|month|year|hour)"
    r"|degrees?|celsius|mm|km|metres?|meters?|hectares?|rupiah)\b|m³|%",
    re.IGNORECASE,
)
# The unit of an English gloss and its Indonesian words (a closed list: the units `_UNIT`
# shows); written out here as no translator ships offline.
_UNIT_WORDS = {
    **dict.fromkeys(("tonne", "tonnes", "ton", "tons"), "ton"),
    **dict.fromkeys(("kg", "kilogram", "kilograms"), "kg"),
    **dict.fromkeys(("cubic metre", "cubic metres", "cubic meter", "cubic meters", "m3", "m³"), "m³"),
    **dict.fromkeys(("litre", "litres", "liter", "liters"), "liter"),
    **dict.fromkeys(("percent", "percentage", "per cent", "%"), "persen"),
    **dict.fromkeys(("degree", "degrees"), "derajat"),
    **dict.fromkeys(("degrees celsius", "celsius"), "derajat Celsius"),
    **dict.fromkeys(("metre", "metres", "meter", "meters"), "meter"),
    **dict.fromkeys(("hectare", "hectares"), "hektare"),
    **{u: u for u in ("mg", "µg", "ppm", "mm", "km", "rupiah", "mg/l", "mg/L", "µg/m³", "µg/m3")},
}
_PERIODS = {"day": "hari", "month": "bulan", "year": "tahun", "hour": "jam"}
_UNIT_PHRASE = re.compile(
    r"(?:(?<!\w)(" + "|".join(sorted(map(re.escape, _UNIT_WORDS), key=len, reverse=True)) + r")(?!\w))?"
    r"(?:\s*(?:/|per)\s*(day|month|year|hour)\b)?",
    re.IGNORECASE,
)


def _unit_in_indonesian(gloss: str) -> str:
    """'ton per hari' of "production in tonnes per day", 'persen' of "percentage share"; ''
    when the gloss gives no unit `_UNIT_WORDS` knows."""
    for m in _UNIT_PHRASE.finditer(gloss):
        unit, period = m.group(1), m.group(2)
        if unit or period:
            said = _UNIT_WORDS.get(unit, _UNIT_WORDS.get(unit.lower(), unit)) if unit else ""
            return f"{said} per {_PERIODS[period.lower()]}".strip() if period else said
    return ""


_LEADING = re.compile(r"^(?:(?:and|or|the|of|dan|atau)\s+)+", re.IGNORECASE)  # "and percentage share"
_NUMBER = re.compile(r"-?\d[\d.,]*$")


def count_answer(
    question: str, counted: TableCount, texts: dict[str, str], language: str, retrieve_ms: float, t0: float
) -> Answer | None:
    """The answer stating a table count (`count_text`), its rows cited; None when none verifies.
    `t0`: when answering began (`time.perf_counter`)."""
    if not (citations := make_citations(list(counted.rows), texts)):
        return None
    total = (time.perf_counter() - t0) * 1000
    timings = {"retrieve": retrieve_ms, "answer": total - retrieve_ms, "total": total}
    # the largest (smallest) value of a column, its row cited; else a count
    text = extreme_text(counted, citations, language) if counted.extreme else count_text(counted, citations, language)
    return Answer(question, text, False, language, tuple(citations), timings_ms=timings)


def _caption(section: str | None) -> str:
    """'Table 1 (“International Cooperation ...”)' of a text's table, whose passages keep its
    caption and columns in their section ("... > Table 1. International Cooperation ... (No |
    City government | ...)"); '' for a table file's rows."""
    last = (section or "").split(" > ")[-1]
    m = re.match(r"((?:Table|Tabel)\s+\d+[a-z]?)[.:]?\s+(.+?)\s*\([^()]*\|[^()]*\)$", last)
    return f"{m.group(1)} (“{m.group(2)}”)" if m else ""


def table_title(count: TableCount, language: str) -> str:
    """'“Kualitas Air Sungai ...”', or for a table inside a text 'Table 1 (“...”) in “...”'."""
    title = f"“{count.document.title if count.document else count.doc_id}”"
    if caption := _caption(count.rows[0].hit.passage.section if count.rows else None):
        title = f"{caption} {'dalam' if language == 'id' else 'in'} {title}"
    return title


def extreme_text(count: TableCount, citations: list[Citation], language: str) -> str:
    """'Of the 30 rows of “...”, Mandalajati [1] has the largest lubang_biopori (...): 14,341.'"""
    label_at = {row.start: label for row, label in zip(count.rows, count.labels, strict=False)}
    named = (" dan " if language == "id" else " and ").join(
        f"{label_at.get(c.start, '')} [{c.n}]".strip() for c in citations
    )
    conditions = [f"{c}: {plain_number(v)}" for c, v in count.conditions if c and v]
    return f"{extreme_statement(count, named, table_title(count, language), conditions, language)}."


def count_text(count: TableCount, citations: list[Citation], language: str) -> str:
    """The computed answer to a table count: '15 of the 56 rows of “Kualitas Air Sungai…”
    have Kategori: Cemar Berat. The first 5: Sungai Cibiru Middle Stream [1], … [5], and 10
    more.' (Indonesian: '15 dari 56 baris …'), with a breakdown by a column when one splits
    the rows into a few groups. Each cited row is named by its label cell; when the table
    has no column that tells its rows apart, the rows are quoted whole."""
    idn = language == "id"
    title = table_title(count, language)
    glosses = {} if idn else value_glosses(count.document.description if count.document else None)

    def value(v: str) -> str:  # 'Cemar Berat (heavily polluted)' in an English answer; '2017', not '2017.0'
        gloss = glosses.get(v.lower())
        return f"{v} ({gloss})" if gloss else plain_number(v)

    conditions = [
        f"{c}: {value(v)}" if v else (f"{c} yang cocok" if idn else f"a matching {c}") for c, v in count.conditions if c
    ]
    if count.ranked:
        lead = (
            f"Dari baris {title}{among(conditions, language)}"
            if idn
            else f"Of the rows of {title}{among(conditions, language)}"
        )
        text = f"{lead}, {ranking_text(count.ranked, language)}"
    elif conditions:
        joined = (" dan " if idn else " and ").join(conditions)
        if idn:
            text = f"{count.matched} dari {count.total} baris {title} memiliki {joined}"
        else:
            text = f"{count.matched} of the {count.total} rows of {title} have {joined}"
    elif count.summed:
        text = f"{count.total} baris {title} memberi" if idn else f"The {count.total} rows of {title} give"
    else:
        text = f"{title} memuat {count.total} baris" if idn else f"{title} has {count.total} rows"
    if count.summed:
        text += f"{',' if conditions else ''} {total_text(*count.summed, language)}"
    if count.breakdown:
        column, groups = count.breakdown
        empty = "tanpa nilai" if idn else "no value"
        parts = ", ".join(f"{v or empty} {n}" for v, n in groups)
        text += f"; menurut {column}: {parts}" if idn else f"; by {column}: {parts}"
    cited = len(citations)
    some = 0 < cited < count.matched
    # a citation's row by its offset (make_citations orders them and drops any that fails its check)
    by_start = {row.start: label for row, label in zip(count.rows, count.labels, strict=False)}
    labels = [by_start.get(c.start, "") for c in citations]
    if not citations:
        return text + "."
    if not all(labels) or len(set(labels)) < len(labels):  # unnamed, or two rows named alike
        lead = (f". {cited} baris pertama dikutip:" if idn else f". The first {cited} are quoted:") if some else ":"
        return f"{text}{lead} {compose(citations, language)}"
    named = ", ".join(f"{label} [{c.n}]" for label, c in zip(labels, citations, strict=True))
    if some:
        rest = count.matched - cited
        lead = f". {cited} yang pertama" if idn else f". The first {cited}"
        if cited == len(count.rows) and count.more and all(count.more):  # the rest named, not cited
            cut = rest > len(count.more)  # not all named: said so
            others = ", ".join(count.more) + (", …" if cut else "")
            if rest == 1:
                return f"{text}{lead}: {named}, {'dan' if idn else 'and'} {others}."
            head = (
                f"{rest} lainnya{', antara lain' if cut else ''}"
                if idn
                else f"the other {rest}{' include' if cut else ''}"
            )
            return f"{text}{lead}: {named}; {head}: {others}."
        return f"{text}{lead}: {named}, {'dan' if idn else 'and'} {rest} {'lainnya' if idn else 'more'}."
    return f"{text}: {named}."
