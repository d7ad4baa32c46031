"""PDFs with pypdf: text per page with its printed page label.

Running heads and footers (lines repeated at the top or bottom of many pages,
digits ignored) are removed; words hyphenated across lines are rejoined; pages
without a text layer are reported as scanned rather than indexed empty.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

from assistant.errors import LoadError, NeedsOcrError
from assistant.ingest.structure import assemble
from assistant.model import Block, DocStatus, LoadedText

_HYPHEN = re.compile(r"(?<=[a-z])-\n(?=[a-z])")
_OCR_HINT = "run OCR on it (for example `ocrmypdf in.pdf out.pdf`) and re-index"


_PAGE_NUMBER = re.compile(r"[-–—\s]*(?:page\s+)?(?:\d+|[ivxlcdm]+)[-–—\s]*")
_SENTENCE_END = re.compile(r"[.!?;:]$")


def _signature(line: str) -> str:
    """A line with its numbers wildcarded, so "Page 3 of 9" and "Page 4 of 9" match.

    Only whole numbers are wildcarded: "zircon3" and "marker00042" stay distinct.
    A line that is only a page number (arabic or roman, "- 7 -", "xii") is "#".
    """
    line = line.strip().lower()
    if _PAGE_NUMBER.fullmatch(line):
        return "#"
    return re.sub(r"\b\d+\b", "#", line)


def _may_be_running_head(line: str) -> bool:
    """Short lines, or lines that are not a sentence: a body sentence is never a running head."""
    return len(line.split()) <= 8 or not _SENTENCE_END.search(line.strip())


def _edge_lines(lines: list[str]) -> list[str]:
    body = [ln for ln in lines if ln.strip()]
    return body[:2] + body[-2:]


class PdfLoader:
    suffixes: tuple[str, ...] = (".pdf",)

    def load(self, path: Path) -> LoadedText:
        import pypdf
        from pypdf.errors import PdfReadError

        # pypdf logs what it repairs ("EOF marker not found") to stderr, which garbles the
        # CLI and TUI; real failures reach the user as LoadError or a warning instead.
        logging.getLogger("pypdf").setLevel(logging.ERROR)

        if path.stat().st_size == 0:
            raise LoadError(f"{path.name}: the file is empty (0 bytes)", "replace it with the real PDF")
        try:
            reader = pypdf.PdfReader(path)
            if reader.is_encrypted and not reader.decrypt(""):
                raise LoadError(
                    f"{path.name}: the PDF is password-protected",
                    "save an unprotected copy (for example `qpdf --decrypt`) and re-index",
                )
            n_pages = len(reader.pages)
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
        if n_pages == 0:
            raise LoadError(f"{path.name}: the PDF has no pages", "get a fresh copy")
        try:
            labels = list(reader.page_labels)
        except Exception:
            labels = [str(i + 1) for i in range(n_pages)]

        warnings: list[str] = []
        pages: list[list[str]] = []
        for i in range(n_pages):
            try:
                raw = reader.pages[i].extract_text() or ""
            except MemoryError:
                raise
            except Exception as exc:
                warnings.append(f"page {labels[i]}: text could not be extracted ({type(exc).__name__})")
                raw = ""
            pages.append(raw.replace("\r\n", "\n").split("\n"))

        heads = self._running_heads(pages)
        empty = [labels[i] for i, lines in enumerate(pages) if not "".join(lines).strip()]
        if len(empty) == n_pages:
            raise NeedsOcrError(
                f"{path.name}: no text layer on any of its {n_pages} pages (scanned?)",
                _OCR_HINT,
            )
        if empty:
            shown = ", ".join(empty[:10]) + (" ..." if len(empty) > 10 else "")
            warnings.append(f"scanned page(s) with no text: {shown}; {_OCR_HINT}")

        parts: list[str] = []
        blocks: list[Block] = []
        stack: list[tuple[int, str]] = []
        offset = 0
        first_heading = None
        for i, lines in enumerate(pages):
            kept = [ln for ln in lines if _signature(ln) not in heads]
            page_text = _HYPHEN.sub("", "\n".join(kept))
            paras = _paragraphs(page_text)
            if not paras:
                continue
            text, page_blocks, heading = assemble(paras, page=i + 1, page_label=labels[i], base=offset, stack=stack)
            first_heading = first_heading or heading
            parts.append(text)
            blocks.extend(page_blocks)
            offset += len(text) + 2

        meta: object = reader.metadata or {}
        title = _meta(meta, "/Title") or first_heading
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
            warnings=tuple(warnings),
            status=DocStatus.PARTIAL if empty else DocStatus.INDEXED,
        )

    @staticmethod
    def _running_heads(pages: list[list[str]]) -> set[str]:
        """Line signatures at a page edge on at least 40% of pages (and 2 or more)."""
        if len(pages) < 2:
            return set()
        counts = Counter(
            sig for lines in pages for sig in {_signature(ln) for ln in _edge_lines(lines) if _may_be_running_head(ln)}
        )
        need = max(2, int(0.4 * len(pages) + 0.5))
        return {sig for sig, c in counts.items() if c >= need and sig}


def _meta(meta: object, key: str) -> str | None:
    try:
        value = meta.get(key)  # type: ignore[attr-defined]
    except Exception:
        return None
    value = str(value).strip() if value else ""
    return value or None


def _paragraphs(page_text: str) -> list[str]:
    """Paragraphs of one page: blank-line separated, or one per heading-looking line."""
    from assistant.ingest.headings import heading_level

    out: list[str] = []
    current: list[str] = []
    lines = [ln.rstrip() for ln in page_text.split("\n")]
    for k, line in enumerate(lines):
        if not line.strip():
            if current:
                out.append("\n".join(current))
                current = []
            continue
        nxt = " ".join(lines[k + 1 : k + 4])
        continues = bool(re.match(r"[a-z]", nxt.lstrip()))  # the sentence goes on below
        if not continues and heading_level(line, nxt) is not None and len(line.split()) <= 10:
            if current:
                out.append("\n".join(current))
                current = []
            out.append(line.strip())
            continue
        current.append(line)
    if current:
        out.append("\n".join(current))
    return out
