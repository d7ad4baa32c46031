"""PDFs with pypdf: text per page with its printed page label; OCR where a page has none.

Pages without a text layer (scans, text drawn as outlines) are read by OCR
(`assistant.ingest.ocr`); their blocks carry the page's OCR confidence. The text
of every page is cleaned of extraction artefacts (`assistant.ingest.artefacts`)
before it is stored; regulations are cut by BAB, Bagian, Paragraf and Pasal
(`assistant.ingest.legal`), other documents by their headings.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import LoadError, NeedsOcrError
from assistant.ingest.artefacts import clean_pages
from assistant.ingest.legal import is_regulation, regulation_title
from assistant.ingest.loaders.base import LoadOptions
from assistant.ingest.loaders.pdf_order import ordered_text
from assistant.ingest.ocr import OcrCache, OcrJob, OcrPage, OcrUnavailableError, image_covers, ocr_pages
from assistant.ingest.structure import PageInfo, assemble, split_paragraphs
from assistant.model import Block, DocStatus, LoadedText

_OCR_HINT = "run OCR on it (for example `ocrmypdf in.pdf out.pdf`) and re-index, or enable MITRA_OCR_ENABLED"
_BOMB = "a compressed stream expands past pypdf's size limit (a decompression bomb?)"
# A page with a little text over a big image is a scan with a stray text layer: the
# Perda Jabar 1/2016 has "SALINAN" (7 characters) on page 1 and only its signature
# block (495) on page 16 over full-page scans; PermenLH 11/2025 page 22 is a diagram
# over 57 % of the page with 25 characters of text. Such pages are OCR'd as well, and
# the OCR text replaces the layer's when it is longer.
SCAN_COVER = 0.5
SCAN_TEXT_CHARS = 1000


def _open(path: Path) -> Any:
    import pypdf
    from pypdf.errors import PdfReadError

    if path.stat().st_size == 0:
        raise LoadError(f"{path.name}: the file is empty (0 bytes)", "replace it with the real PDF")
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError(
                f"{path.name}: the PDF is password-protected",
                "save an unprotected copy (for example `qpdf --decrypt`) and re-index",
            )
        if len(reader.pages) == 0:
            raise LoadError(f"{path.name}: the PDF has no pages", "get a fresh copy")
        return reader
    except (LoadError, MemoryError):  # MemoryError: the worker reports the memory cap
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise LoadError(
            f"{path.name}: not a readable PDF ({type(exc).__name__}: {exc})",
            "the file is damaged or not a PDF; get a fresh copy",
        ) from exc
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise LoadError(
            f"{path.name}: not a readable PDF ({type(exc).__name__})",
            "the file is damaged or not a PDF; get a fresh copy",
        ) from exc


def _labels(reader: Any, n_pages: int) -> list[str] | None:
    """The labels the PDF sets itself (/PageLabels), or None when it sets none or only
    the physical numbers 1, 2, 3 ... (the page numbers printed on the pages say more)."""
    try:
        if "/PageLabels" not in reader.trailer["/Root"]:
            return None
        labels = [str(label) for label in reader.page_labels]
    except Exception:
        return None
    return None if labels == [str(i + 1) for i in range(n_pages)] else labels


def _shown(labels: list[str]) -> str:
    return ", ".join(labels[:10]) + (" ..." if len(labels) > 10 else "")


@dataclass
class _Pages:
    """Raw lines per page and what happened to each page on the way."""

    lines: list[list[str]]
    failed: dict[int, str] = field(default_factory=dict)  # page index -> why no text could be had
    ocr: dict[int, OcrPage] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    unread: list[int] = field(default_factory=list)  # no text layer, not OCR'd
    unread_why: tuple[str, str] = ("", "")  # what to say when no page has text: message tail, hint
    under_scan: list[int] = field(default_factory=list)  # some text over a page-sized image

    def empty(self) -> list[int]:
        return [i for i, lines in enumerate(self.lines) if not "".join(lines).strip()]


def _extract(reader: Any, n_pages: int) -> _Pages:
    from pypdf.errors import LimitReachedError

    pages = _Pages([])
    for i in range(n_pages):
        raw = ""
        try:
            raw = ordered_text(reader.pages[i])
        except MemoryError:
            raise
        except LimitReachedError:
            pages.failed[i] = _BOMB
        except Exception as exc:
            pages.failed[i] = f"text could not be extracted ({type(exc).__name__})"
        pages.lines.append(raw.replace("\r\n", "\n").split("\n"))
        if i not in pages.failed and 0 < len("".join(raw.split())) < SCAN_TEXT_CHARS and _has_images(reader, i):
            pages.under_scan.append(i)
    return pages


def _has_images(reader: Any, index: int) -> bool:
    try:
        xobjects = reader.pages[index]["/Resources"].get_object().get("/XObject")
        return bool(xobjects) and any(
            xobjects[name].get_object().get("/Subtype") == "/Image" for name in xobjects.get_object()
        )
    except Exception:
        return False


class PdfLoader:
    suffixes: tuple[str, ...] = (".pdf",)

    def load(self, path: Path, options: LoadOptions | None = None) -> LoadedText:
        # pypdf logs what it repairs ("EOF marker not found") to stderr, which garbles the
        # CLI and TUI; real failures reach the user as LoadError or a warning instead.
        logging.getLogger("pypdf").setLevel(logging.ERROR)
        options = options or LoadOptions()
        reader = _open(path)
        n_pages = len(reader.pages)
        pages = _extract(reader, n_pages)
        given = _labels(reader, n_pages)
        physical = given or [str(i + 1) for i in range(n_pages)]  # what a PDF viewer shows
        self._ocr(path, pages, physical, options)
        for i, why in sorted(pages.failed.items(), reverse=True):
            pages.warnings.insert(0, f"page {physical[i]}: {why}")
        if not [i for i in range(n_pages) if "".join(pages.lines[i]).strip()]:
            raise self._nothing(path, pages, n_pages)

        cleaned = clean_pages(pages.lines)
        labels = given or [printed or str(i + 1) for i, printed in enumerate(cleaned.printed_labels)]
        legal = is_regulation([ln for text in cleaned.texts for ln in text.split("\n")])
        parts: list[str] = []
        blocks: list[Block] = []
        stack: list[tuple[int, str]] = []
        offset = 0
        first_heading = None
        for i, page_text in enumerate(cleaned.texts):
            paras = split_paragraphs(page_text, legal)
            if not paras:
                continue
            ocr = pages.ocr.get(i)
            at = PageInfo(i + 1, labels[i], ocr.confidence if ocr else None)
            text, page_blocks, heading = assemble(paras, at=at, base=offset, stack=stack, legal=legal)
            first_heading = first_heading or heading
            parts.append(text)
            blocks.extend(page_blocks)
            offset += len(text) + 2

        meta: object = reader.metadata or {}
        title = _meta(meta, "/Title") or (regulation_title(cleaned.texts[0]) if legal else None) or first_heading
        author = _meta(meta, "/Author")
        year = None
        if m := re.search(r"(19|20)\d\d", _meta(meta, "/CreationDate") or ""):
            year = int(m.group())
        return LoadedText(
            text="\n\n".join(parts),
            blocks=tuple(blocks),
            title=title,
            authors=(author,) if author else (),
            year=year,
            pages=n_pages,
            warnings=tuple(pages.warnings),
            status=DocStatus.PARTIAL if pages.unread or pages.failed else DocStatus.INDEXED,
            regulation=legal,
        )

    @staticmethod
    def _ocr(path: Path, pages: _Pages, labels: list[str], options: LoadOptions) -> None:
        """OCR the pages without a text layer (never those whose streams failed to decode)."""
        todo = [i for i in pages.empty() if i not in pages.failed]
        if options.ocr.enabled and pages.under_scan:
            covers = image_covers(path, pages.under_scan)
            todo = sorted(todo + [i for i in pages.under_scan if covers.get(i, 0.0) >= SCAN_COVER])
        if not todo:
            return
        settings = options.ocr
        shown = _shown([labels[i] for i in todo])
        if not settings.enabled:
            pages.unread, pages.unread_why = todo, ("(scanned?)", _OCR_HINT)
            pages.warnings.append(f"scanned page(s) with no text: {shown}; {_OCR_HINT}")
            return
        if len(todo) > settings.max_pages:
            why = f"(scanned?): more than the {settings.max_pages} pages OCR reads in one file"
            hint = "split the file or raise MITRA_OCR_MAX_PAGES (OCR reads about 5 s a page on 2 cores)"
            pages.unread, pages.unread_why = todo, (why, hint)
            pages.warnings.append(f"{len(todo)} pages without a text layer ({shown}) {why}; {hint}")
            return
        cache = OcrCache(options.ocr_cache) if options.ocr_cache else None
        job = OcrJob(settings.dpi, settings.threads, settings.workers, cache, options.progress)
        empty = [i for i in todo if not "".join(pages.lines[i]).strip()]
        try:
            read, failed = ocr_pages(path, todo, job)
        except OcrUnavailableError as exc:
            pages.unread, pages.unread_why = empty, (f"(scanned?), and {exc.message}", exc.hint)
            if empty:
                listed = _shown([labels[i] for i in empty])
                pages.warnings.append(f"scanned page(s) with no text: {listed}; {exc.message}: {exc.hint}")
            return
        pages.failed.update(failed)
        for i, page in read.items():
            layer = "".join("".join(pages.lines[i]).split())
            if len("".join(page.text.split())) > len(layer):
                pages.ocr[i] = page
                pages.lines[i] = page.text.split("\n")
        for i in empty:
            if i in read and i not in pages.ocr:
                pages.warnings.append(f"page {labels[i]}: OCR found no text on it (a blank page, or a picture?)")
        if pages.ocr:
            mean = sum(p.confidence for p in pages.ocr.values()) / len(pages.ocr)
            listed = _shown([labels[i] for i in sorted(pages.ocr)])
            pages.warnings.append(f"{len(pages.ocr)} page(s) read by OCR ({listed}), mean confidence {mean:.2f}")

    @staticmethod
    def _nothing(path: Path, pages: _Pages, n_pages: int) -> LoadError:
        """The error for a PDF that gave no text on any page, naming the real cause."""
        if pages.failed and len(pages.failed) == n_pages:
            causes = sorted(set(pages.failed.values()))
            return LoadError(
                f"{path.name}: no text could be read from any of its {n_pages} pages: {'; '.join(causes)}",
                "the file is damaged or hostile; get a clean copy",
            )
        if pages.unread:
            why, hint = pages.unread_why
            return NeedsOcrError(f"{path.name}: no text layer on any of its {n_pages} pages {why}", hint)
        return LoadError(
            f"{path.name}: no text layer on any of its {n_pages} pages, and OCR found no text on them",
            "check the scan (blank pages, or pictures without text?)",
        )


def _meta(meta: object, key: str) -> str | None:
    try:
        value = meta.get(key)  # type: ignore[attr-defined]
    except Exception:
        return None
    value = str(value).strip() if value else ""
    return value or None
