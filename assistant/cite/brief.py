"""The evidence brief (Markdown) an answer leaves behind.

The brief holds the question, the answer with its markers, the numbered quotes with
where each is (a regulation's "UU 18/2008, Pasal 44 ayat (2), hlm. 24"; else page,
section or rows), quotes read by OCR marked "OCR, check the page", an APA reference
list built from the catalogue, each cited document's SHA-256, the index generation
and embedding models, and the date. Every quote is checked against the stored
document text again as the brief is written; a quote that no longer matches is
withheld, never printed as a quote.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from assistant import __version__
from assistant.cite.quotes import verify_citation
from assistant.cite.references import apa_reference, citation_location, ocr_note, passage_location, revoked_note
from assistant.errors import MitraError
from assistant.index.library import Library
from assistant.lang.names import language_name
from assistant.model import Answer, Document

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
            where = citation_location(dataclasses.replace(c, document=doc), library.text(c.doc_id), lang)
            head += f" — {where}" if where else ""
            for note in (ocr_note(c.passage, lang, doc), revoked_note(doc, lang)):
                head += f" — **{note}**" if note else ""
            doc_lang = doc.language if doc else None
            if doc_lang and doc_lang != lang:
                head += f" ({t['quoted_in'].format(lang=language_name(doc_lang, lang))})"
            lines += [head, ""]
            if verify_citation(c, library):
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
            where = passage_location(p, doc, library.text(p.doc_id), lang)
            note = ocr_note(p, lang, doc)
            head = f"**{i}.** *{title}*" + (f" — {where}" if where else "") + (f" — **{note}**" if note else "")
            lines += [head, ""]
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
        ", ".join(f"{space} = {e.id} ({e.dim} {t['dimensions']})" for space, e in manifest.embedders.items()) or "none"
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


def write_text(path: Path, text: str) -> Path:
    """Write `text` (UTF-8) to `path`, creating its folder; a clear error if it cannot."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise MitraError(f"cannot write {path}: {exc.strerror}", "choose a writable path") from None
    return path


def write_brief(answer: Answer, library: Library, path: Path | str, today: date | None = None) -> Path:
    """Write the evidence brief of `answer` (Markdown) to `path`; return the path."""
    return write_text(Path(path), brief_markdown(answer, library, today))
