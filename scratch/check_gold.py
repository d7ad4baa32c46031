"""Check the gold quotes of a question set against the documents' text (scratch).

    /work/ocrvenv/bin/python scratch/check_gold.py tests/eval/regulations.jsonl

Text of a document: pypdf's extraction, page by page, for a PDF with a text layer; the
file itself for Markdown; for the scanned Perda the OCR pages in scratch/perda_ocr/ (their
first line, a '# page ...' header, left out). A quote must occur in one page, compared as
the evaluator compares (whitespace collapsed, lower case), and be 5-20 words long. A quote
that only matches once all whitespace is removed is reported: it holds a pypdf artefact.
"""

from __future__ import annotations

import collections
import json
import re
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OCR_DIR = REPO / "scratch" / "perda_ocr"
OCR_DOCS = {"perda-jabar-1-2016"}


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def pages_of(doc_id: str, path: Path) -> list[str]:
    if doc_id in OCR_DOCS:
        return [p.read_text(encoding="utf-8").split("\n", 1)[1] for p in sorted(OCR_DIR.glob("page-*.txt"))]
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return [page.extract_text() or "" for page in PdfReader(path).pages]
    return [path.read_text(encoding="utf-8")]


def main(qpath: str) -> int:
    catalog = {d["id"]: d for d in tomllib.loads((REPO / "corpus" / "catalog.toml").read_text())["document"]}
    rows = [json.loads(line) for line in Path(qpath).read_text(encoding="utf-8").splitlines() if line.strip()]
    cache: dict[str, list[str]] = {}
    bad = 0
    for r in rows:
        assert set(r) >= {"id", "question", "language", "kind", "answerable", "gold", "answer"}, r["id"]
        if not r["answerable"]:
            assert r["gold"] == [] and r["answer"] is None, r["id"]
            continue
        assert r["gold"] and r["answer"], r["id"]
        for g in r["gold"]:
            doc = g["doc_id"]
            if doc not in cache:
                cache[doc] = pages_of(doc, REPO / "corpus" / catalog[doc]["path"])
            quote = g["quote"]
            words = len(quote.split())
            hits = [i + 1 for i, t in enumerate(cache[doc]) if norm(quote) in norm(t)]
            loose = [i + 1 for i, t in enumerate(cache[doc]) if re.sub(r"\s+", "", quote.lower()) in re.sub(r"\s+", "", t.lower())]
            status = "ok" if hits else ("ARTEFACT (matches without spaces only)" if loose else "MISSING")
            if not hits or not 5 <= words <= 20:
                bad += 1
            if status != "ok" or not 5 <= words <= 20:
                print(f"{r['id']} {doc}: {status}, {words} words: {quote!r}")
            g_pages = hits or loose
            r.setdefault("_pages", []).append((doc, g_pages))
    n = collections.Counter((r["language"], r["answerable"]) for r in rows)
    docs = collections.Counter(r["gold"][0]["doc_id"] if r["gold"] else "(unanswerable)" for r in rows)
    kinds = collections.Counter(r["kind"] for r in rows)
    print(f"{len(rows)} questions; by language/answerable {dict(n)}; by kind {dict(kinds)}")
    print("by first gold document:", dict(docs))
    print("with a pasal field:", sum("pasal" in r for r in rows))
    for r in rows:
        if r.get("_pages"):
            print(f"  {r['id']} {r['language']} {r.get('pasal', '-')}: " + "; ".join(f"{d} p.{','.join(map(str, p))}" for d, p in r["_pages"]))
    print("bad quotes:", bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
