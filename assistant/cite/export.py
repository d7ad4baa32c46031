"""What an answer leaves behind: an evidence brief (Markdown), BibTeX, APA references.

The brief holds the question, the answer with its markers, the numbered quotes with
page, section or rows, an APA reference list built from the catalogue, each cited
document's SHA-256, the index generation and embedding models, and the date. Every
quote is checked against the stored document text again as the brief is written; a
quote that no longer matches is withheld, never printed as a quote.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from assistant import __version__
from assistant.errors import MitraError
from assistant.lang.names import language_name
from assistant.model import Answer, Citation, DocType, Document, Passage

if TYPE_CHECKING:
    from assistant.index.library import Library

# Catalogue values that stand for "no author" rather than name one.
_NO_AUTHOR = re.compile(r"not stated|unknown|anonymous|tidak (?:diketahui|disebutkan)", re.IGNORECASE)
_CONTAINER = re.compile(r"^(?P<name>.+?),\s*(?P<volume>\d+)\s*(?:\((?P<issue>[^)]+)\))?(?:,\s*(?P<pages>[\d\s–-]+))?$")
_URL = re.compile(r"^(?:https?://|www\.)|^[\w-]+(?:\.[\w-]+)+/", re.IGNORECASE)


# -- APA ---------------------------------------------------------------------------------


def _authors(doc: Document) -> list[str]:
    """The document's authors, or its issuer as a group author; [] when neither is known."""
    names = [a.strip() for a in doc.authors if a.strip()]
    if names:
        return names
    if doc.issuer and not _NO_AUTHOR.search(doc.issuer):
        return [doc.issuer.strip()]
    return []


def _apa_names(names: list[str]) -> str:
    """'A', 'A, & B', 'A, B, & C' (APA 7: up to 20 names, '&' before the last)."""
    if len(names) == 1:
        return names[0]
    if len(names) > 20:
        names = [*names[:19], "…", names[-1]]
        return ", ".join(names[:-1]) + " " + names[-1]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _sentence_end(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _container(container: str, italic: str) -> str:
    """'Jurnal Trias Politika, 9(1), 14-26' -> '*Jurnal Trias Politika*, *9*(1), 14–26'."""
    m = _CONTAINER.match(container.strip())
    if not m:
        return f"{italic}{container.strip()}{italic}"
    out = f"{italic}{m['name']}{italic}, {italic}{m['volume']}{italic}"
    if m["issue"]:
        out += f"({m['issue']})"
    if m["pages"]:
        out += ", " + re.sub(r"\s*[-–]\s*", "–", m["pages"].strip())
    return out


def _link(doc: Document) -> str:
    if doc.doi:
        return f"https://doi.org/{doc.doi.removeprefix('https://doi.org/')}"
    if doc.source and _URL.search(doc.source.strip()):
        return doc.source.strip()
    return ""


def apa_reference(document: Document, page_label: str | None = None, markdown: bool = False) -> str:
    """An APA 7 style reference for a catalogued document, from its catalogue fields.

    Journal articles (a `container` such as 'Journal, 9(1), 14-26') follow the article
    pattern; other documents are standalone works, tables marked '[Data set]'. Without an
    author or issuer the title takes the author's place. With `page_label`, the page is
    appended as '(p. 17)'. `markdown` puts titles in *italics*.

    >>> apa_reference(doc)  # doctest: +SKIP
    'Hakiem, F. N., Argenti, G., & Gustianti, N. A. (2025). Bandung and Kawasaki: ... 14–26. https://doi.org/...'
    """
    it = "*" if markdown else ""
    year = f"({document.year})" if document.year else "(n.d.)"
    names = _authors(document)
    title = document.title.strip()
    if document.container:
        work = f"{_sentence_end(title)} {_container(document.container, it)}."
    else:
        kind = " [Data set]" if document.type == DocType.DATA else ""
        work = f"{it}{title}{it}{kind}."
    # Without an author the title moves to the author's place.
    ref = f"{_sentence_end(_apa_names(names))} {year}. {work}" if names else f"{work} {year}."
    link = _link(document)
    if link:
        ref += f" {link}"
    if page_label:
        ref += f" (p. {page_label})"
    return ref


def first_authors(surnames: list[str], language: str = "en") -> str:
    """'Hakiem', 'Hakiem & Argenti', 'Hakiem et al.' ('dan', 'dkk.' in Indonesian)."""
    if len(surnames) == 1:
        return surnames[0]
    if len(surnames) == 2:
        return f"{surnames[0]} {'dan' if language == 'id' else '&'} {surnames[1]}"
    return f"{surnames[0]} {'dkk.' if language == 'id' else 'et al.'}"


def apa_in_text(document: Document, page_label: str | None = None) -> str:
    """An APA in-text citation: '(Hakiem et al., 2025, p. 17)'."""
    names = _authors(document)
    surnames = [n.split(",")[0].strip() for n in names]
    who = first_authors(surnames) if surnames else f"“{document.title}”"
    parts = [who, str(document.year) if document.year else "n.d."]
    if page_label:
        parts.append(f"p. {page_label}")
    return f"({', '.join(parts)})"


# -- locations ------------------------------------------------------------------------------


def location(passage: Passage, language: str = "en") -> str:
    """Where a passage is: 'p. xvii (PDF page 19)', 'section 2 Scope', 'rows 12-18'."""
    parts = []
    page, pdf_page, section, rows = (
        ("hlm.", "halaman PDF", "bagian", "baris") if language == "id" else ("p.", "PDF page", "section", "rows")
    )
    if passage.page_label or passage.page:
        label = passage.page_label or str(passage.page)
        extra = f" ({pdf_page} {passage.page})" if passage.page and passage.page_label != str(passage.page) else ""
        parts.append(f"{page} {label}{extra}")
    if passage.section:
        parts.append(f"{section} {passage.section}")
    if passage.rows:
        parts.append(f"{rows} {passage.rows}")
    return " · ".join(parts)


# -- the evidence brief -----------------------------------------------------------------------

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Evidence brief",
        "question": "Question",
        "date": "Date",
        "answer": "Answer",
        "evidence": "Evidence",
        "nearest": "Nearest passages (not an answer)",
        "references": "References",
        "provenance": "Provenance",
        "document": "document",
        "characters": "characters",
        "score": "retrieval score",
        "withheld": "quote withheld: it no longer matches the stored text of the document (re-index the library)",
        "quoted_in": "quoted in {lang}",
        "index": "Index: generation {generation}, built {built}.",
        "models": "Embedding models: {models}.",
        "dimensions": "dimensions",
        "checked": "Every quote above was checked, as this brief was written, to be the exact text of its "
        "document at the character offsets given.",
        "made": "Written by Mitra {version} on {date}.",
    },
    "id": {
        "title": "Ringkasan bukti",
        "question": "Pertanyaan",
        "date": "Tanggal",
        "answer": "Jawaban",
        "evidence": "Bukti",
        "nearest": "Bagian terdekat (bukan jawaban)",
        "references": "Daftar pustaka",
        "provenance": "Asal-usul",
        "document": "dokumen",
        "characters": "karakter",
        "score": "skor penelusuran",
        "withheld": "kutipan tidak ditampilkan: tidak lagi sama dengan teks dokumen yang tersimpan (indeks ulang)",
        "quoted_in": "kutipan dalam bahasa {lang}",
        "index": "Indeks: generasi {generation}, dibuat {built}.",
        "models": "Model embedding: {models}.",
        "dimensions": "dimensi",
        "checked": "Setiap kutipan di atas diperiksa saat ringkasan ini ditulis: sama persis dengan teks "
        "dokumennya pada posisi karakter yang disebutkan.",
        "made": "Ditulis oleh Mitra {version} pada {date}.",
    },
}


def _quote_block(text: str) -> list[str]:
    return [f"> {line}" if line.strip() else ">" for line in text.strip().split("\n")]


def _verified(citation: Citation, library: Library) -> bool:
    from assistant.cite.quotes import verify_citation

    return verify_citation(citation, library)


def brief_markdown(answer: Answer, library: Library, today: date | None = None) -> str:
    """The evidence brief of `answer` as Markdown (see the module docstring)."""
    lang = answer.language if answer.language in _LABELS else "en"
    t = _LABELS[lang]
    today = today or date.today()
    lines = [
        f"# {t['title']}",
        "",
        f"**{t['question']}:** {answer.question}",
        "",
        f"**{t['date']}:** {today.isoformat()}",
        "",
        f"## {t['answer']}",
        "",
        answer.text,
        "",
    ]
    docs: dict[str, Document] = {}
    if answer.citations:
        lines += [f"## {t['evidence']}", ""]
        for c in answer.citations:
            doc = c.document or library.document(c.doc_id)
            if doc is not None:
                docs.setdefault(doc.id, doc)
            head = f"**[{c.n}]** *{c.title}*"
            where = location(c.passage, lang)
            head += f" — {where}" if where else ""
            doc_lang = doc.language if doc else None
            if doc_lang and doc_lang != lang:
                head += f" ({t['quoted_in'].format(lang=language_name(doc_lang, lang))})"
            lines += [head, ""]
            if _verified(c, library):
                lines += _quote_block(c.quote)
            else:
                lines += [f"_{t['withheld']}_"]
            lines += [
                "",
                f"<sub>{t['document']} `{c.doc_id}`, {t['characters']} {c.start}–{c.end}, "
                f"{t['score']} {c.score:.3f}</sub>",
                "",
            ]
    if answer.abstained and answer.nearest:
        lines += [f"## {t['nearest']}", ""]
        for i, hit in enumerate(answer.nearest, 1):
            p = hit.passage
            doc = hit.document or library.document(p.doc_id)
            if doc is not None:
                docs.setdefault(doc.id, doc)
            title = doc.title if doc else p.doc_id
            where = location(p, lang)
            lines += [f"**{i}.** *{title}*" + (f" — {where}" if where else ""), ""]
            if library.text(p.doc_id)[p.start : p.end] == p.text:
                lines += _quote_block(p.text)
            else:
                lines += [f"_{t['withheld']}_"]
            lines += ["", f"<sub>{t['document']} `{p.doc_id}`, {t['score']} {hit.score:.3f}</sub>", ""]
    if docs:
        lines += [f"## {t['references']}", ""]
        for doc in sorted(docs.values(), key=lambda d: apa_reference(d).lower()):
            lines += [f"- {apa_reference(doc, markdown=True)}", f"  SHA-256: `{doc.sha256}`"]
        lines.append("")
    manifest = library.manifest
    models = (
        ", ".join(f"{space} = {e['id']} ({e['dim']} {t['dimensions']})" for space, e in manifest.embedders.items())
        or "none"
    )
    lines += [
        f"## {t['provenance']}",
        "",
        "- " + t["index"].format(generation=manifest.generation, built=manifest.built_at or "?"),
        "- " + t["models"].format(models=models),
    ]
    if answer.citations:
        lines.append("- " + t["checked"])
    lines += ["- " + t["made"].format(version=__version__, date=today.isoformat()), ""]
    return "\n".join(lines)


def _write(path: Path, text: str) -> Path:
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise MitraError(f"cannot write {path}: {exc.strerror}", "choose a writable path") from None
    return path


def write_brief(answer: Answer, library: Library, path: Path | str, today: date | None = None) -> Path:
    """Write the evidence brief of `answer` (Markdown) to `path`; return the path."""
    return _write(Path(path), brief_markdown(answer, library, today))


# -- BibTeX -------------------------------------------------------------------------------------

_BIB_SPECIAL = str.maketrans({"&": r"\&", "%": r"\%", "_": r"\_", "#": r"\#", "$": r"\$"})


def _bib(value: str) -> str:
    return value.translate(_BIB_SPECIAL)


def bibtex_entry(doc: Document) -> str:
    """One BibTeX entry: @article for a journal article, @misc otherwise; the key is the
    document id, the file's SHA-256 goes in the note."""
    key = re.sub(r"[^\w:.-]", "-", doc.id)
    fields: list[tuple[str, str]] = []
    names = [a.strip() for a in doc.authors if a.strip()]
    if names:
        fields.append(("author", " and ".join(_bib(n) for n in names)))
    elif doc.issuer and not _NO_AUTHOR.search(doc.issuer):
        fields.append(("author", "{" + _bib(doc.issuer) + "}"))  # a group author, kept whole
    fields.append(("title", "{" + _bib(doc.title) + "}"))
    kind = "misc"
    m = _CONTAINER.match(doc.container.strip()) if doc.container else None
    if m:
        kind = "article"
        fields.append(("journal", _bib(m["name"])))
        fields.append(("volume", m["volume"]))
        if m["issue"]:
            fields.append(("number", m["issue"]))
        if m["pages"]:
            fields.append(("pages", re.sub(r"\s*[-–]\s*", "--", m["pages"].strip())))
    elif doc.container:
        fields.append(("howpublished", _bib(doc.container)))
    if doc.year:
        fields.append(("year", str(doc.year)))
    if doc.doi:
        fields.append(("doi", doc.doi.removeprefix("https://doi.org/")))
    link = _link(doc)
    if link:
        fields.append(("url", link))
    note = []
    if doc.type == DocType.DATA:
        note.append("Data set")
    if doc.licence:
        note.append(f"Licence: {doc.licence}")
    note.append(f"SHA-256 of the file: {doc.sha256}")
    fields.append(("note", _bib(". ".join(note))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def cited_documents(answer: Answer, library: Library) -> list[Document]:
    """The documents an answer cites (or, for a refusal, shows), in order of first mention."""
    ids = [c.doc_id for c in answer.citations] or [h.passage.doc_id for h in answer.nearest]
    docs = [library.document(i) for i in dict.fromkeys(ids)]
    return [d for d in docs if d is not None]


def write_bibtex(answer: Answer, library: Library, path: Path | str) -> Path:
    """Write BibTeX entries for the documents `answer` cites to `path`; return the path."""
    entries = [bibtex_entry(d) for d in cited_documents(answer, library)]
    return _write(Path(path), "\n".join(entries))
