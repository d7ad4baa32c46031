"""OCR of PDF pages that have no text layer (scans, text drawn as outlines).

The engine sits behind the small `Ocr` Protocol; `assistant.ingest.ocr_rapid` is
the only module that imports rapidocr, onnxruntime and pypdfium2, and it is
imported only when a page needs OCR. What this module adds to the engine:

- orientation: text-line boxes taller than wide mean a page turned by 90 or 270
  degrees, otherwise it is upright or upside down; the candidates are told apart by
  recognising the longest lines under each (recognition score times the share of
  Latin characters), and a turned page is turned back and read again. The engine's
  own direction classifier stays off: it flips straight lines. Skew of a few degrees
  needs nothing: the detector's boxes are rotated rectangles; the skew only levels
  the box centres before they are grouped into lines;
- reading order: boxes grouped into lines top to bottom, each left to right; a gap
  of about two lines between lines is a paragraph break;
- confidence: the mean recognition score of the page, weighted by characters;
- a cache of pages already read, keyed by the file's content, page, resolution and
  engine, so a re-index never reads the same page twice.
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing as mp
import os
import re
import statistics
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Protocol, cast

import numpy as np

from assistant.errors import LoadError
from assistant.ingest.ocr_types import Image, PageProgress, TextBox

# Lines recognised per orientation candidate.
PROBE_LINES = 8
# An upright page is accepted without trying it upside down at this quality or more
# (measured on synthetic scans: upright pages >= 0.93, upside-down pages <= 0.55).
UPRIGHT_QUALITY = 0.80
# Vertical distance between line centres, in median line heights, that breaks a paragraph.
PARAGRAPH_GAP = 1.8

_LATIN = re.compile(r"[A-Za-z0-9À-ɏ\s.,;:()\[\]/\-'\"%&+=*<>?!°§–—“”‘’]")


class Ocr(Protocol):
    """An OCR engine: renders PDF pages, finds and reads their text lines."""

    def render(self, pdf: Path, index: int, dpi: int) -> Image:
        """Page `index` (0-based) of `pdf` as a grayscale image at `dpi`."""
        ...

    def read(self, image: Image) -> list[TextBox]:
        """Detect the text lines of `image` and recognise each."""
        ...

    def recognise(self, line: Image) -> tuple[str, float]:
        """Recognise `line`, an image of one text line: its text and score."""
        ...


@dataclass(frozen=True, slots=True)
class OcrPage:
    """What OCR read on one page."""

    text: str  # lines joined with "\n", paragraphs with "\n\n"
    confidence: float  # mean recognition score, weighted by characters (0 when nothing was read)
    rotation: int  # degrees counter-clockwise the page was turned to read it
    skew: float  # degrees, as measured
    lines: int
    seconds: float


class OcrUnavailableError(LoadError):
    """The OCR engine could not be imported or started."""


def open_engine(threads: int) -> Ocr:
    """The rapidocr engine with `threads` onnxruntime threads; a clear error if it is missing."""
    try:
        from assistant.ingest.ocr_rapid import RapidOcr

        return RapidOcr(threads)
    except ImportError as exc:
        raise OcrUnavailableError(
            f"OCR is not available ({exc.name or exc})",
            "install it with `pip install rapidocr==3.10.0 onnxruntime pypdfium2` and re-index",
        ) from None


def image_covers(path: Path, indices: list[int]) -> dict[int, float]:
    """How much of each page images cover (0-1); {} when the renderer is not installed."""
    try:
        from assistant.ingest.ocr_rapid import image_cover

        return image_cover(path, indices)
    except ImportError:
        return {}


# -- orientation and reading order --------------------------------------------------------


def _latin_share(text: str) -> float:
    text = text.strip()
    return sum(bool(_LATIN.match(c)) for c in text) / len(text) if text else 0.0


def _quality(read: list[tuple[str, float]]) -> float:
    return statistics.fmean(score * _latin_share(text) for text, score in read) if read else 0.0


def _crop(image: Image, box: TextBox) -> Image:
    """The box's rotated rectangle cut out and straightened, kept in the page's axes (left
    to right, top to bottom, whichever corner the detector listed first). A skewed line's
    bounding rectangle would hold parts of its neighbours."""
    q = np.asarray(box.quad, dtype=float)
    one, other = q[1] - q[0], q[3] - q[0]
    across, down = (one, other) if abs(one[0]) >= abs(one[1]) else (other, one)
    origin = q[0].copy()
    if across[0] < 0:
        origin, across = origin + across, -across
    if down[1] < 0:
        origin, down = origin + down, -down
    w, h = max(1, round(float(np.hypot(*across)))), max(1, round(float(np.hypot(*down))))
    u, v = np.meshgrid(np.arange(w) / w, np.arange(h) / h)
    xs = np.clip(np.rint(origin[0] + u * across[0] + v * down[0]), 0, image.shape[1] - 1).astype(np.intp)
    ys = np.clip(np.rint(origin[1] + u * across[1] + v * down[1]), 0, image.shape[0] - 1).astype(np.intp)
    crop: Image = image[ys, xs]
    return crop


def _probe(engine: Ocr, image: Image, boxes: list[TextBox], rotations: tuple[int, ...]) -> dict[int, float]:
    """Quality of reading the longest lines turned by each candidate rotation."""
    longest = sorted((b for b in boxes if b.is_line), key=lambda b: -max(b.width, b.height))[:PROBE_LINES]
    crops = [_crop(image, b) for b in longest]
    return {
        r: _quality([engine.recognise(np.ascontiguousarray(np.rot90(c, k=r // 90))) for c in crops if c.size])
        for r in rotations
    }


def _tall(box: TextBox) -> bool:
    """Whether a line box stands upright on the page (its corners' order does not matter)."""
    xs, ys = [p[0] for p in box.quad], [p[1] for p in box.quad]
    return max(ys) - min(ys) > max(xs) - min(xs)


def _rotation(engine: Ocr, image: Image, boxes: list[TextBox]) -> int:
    lines = [b for b in boxes if b.is_line]
    if not lines:
        return 0
    if sum(_tall(b) for b in lines) > len(lines) / 2:
        probe = _probe(engine, image, boxes, (90, 270))
        return max(probe, key=lambda r: probe[r])
    upright = _quality([(b.text, b.score) for b in sorted(lines, key=lambda b: -b.width)[:PROBE_LINES]])
    if upright >= UPRIGHT_QUALITY:
        return 0
    return 180 if _probe(engine, image, boxes, (180,))[180] > upright else 0


def _skew(boxes: list[TextBox]) -> float:
    angles = [b.angle for b in boxes if b.is_line and b.width > 100 and abs(b.angle) < 10]
    return statistics.median(angles) if angles else 0.0


def layout(boxes: list[TextBox], skew: float) -> tuple[str, int]:
    """The page text in reading order, and its number of lines."""
    if not boxes:
        return "", 0
    a = math.radians(-skew)
    ca, sa = math.cos(a), math.sin(a)
    items = sorted(
        ((b.centre[0] * sa + b.centre[1] * ca, min(p[0] for p in b.quad) * ca - b.centre[1] * sa, b) for b in boxes),
        key=lambda t: t[0],
    )
    lines: list[list[tuple[float, float, TextBox]]] = []
    for item in items:
        if lines:
            cur = lines[-1]
            y = statistics.fmean(t[0] for t in cur)
            if abs(item[0] - y) < 0.5 * min(item[2].height, statistics.median(t[2].height for t in cur)):
                cur.append(item)
                continue
        lines.append([item])
    height = statistics.median(b.height for b in boxes)
    out: list[str] = []
    previous_y: float | None = None
    for line in lines:
        y = statistics.fmean(t[0] for t in line)
        if previous_y is not None and y - previous_y > PARAGRAPH_GAP * height:
            out.append("")
        out.append(" ".join(t[2].text for t in sorted(line, key=lambda t: t[1])))
        previous_y = y
    return "\n".join(out), len(lines)


def ocr_image(engine: Ocr, image: Image) -> OcrPage:
    """Read one page image, turning it upright first if it lies rotated."""
    t0 = time.perf_counter()
    boxes = engine.read(image)
    rotation = _rotation(engine, image, boxes)
    if rotation:
        boxes = engine.read(np.ascontiguousarray(np.rot90(image, k=rotation // 90)))
    skew = _skew(boxes)
    text, n_lines = layout(boxes, skew)
    chars = sum(len(b.text) for b in boxes)
    confidence = sum(b.score * len(b.text) for b in boxes) / chars if chars else 0.0
    return OcrPage(text, round(confidence, 4), rotation, round(skew, 2), n_lines, round(time.perf_counter() - t0, 2))


# -- pages of a file, with a cache ---------------------------------------------------------


class OcrCache:
    """OCR'd pages as JSON files, keyed by file content, page, resolution and engine."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, digest: str, index: int, dpi: int, engine_id: str) -> Path:
        key = hashlib.sha256(f"{digest}:{index}:{dpi}:{engine_id}".encode()).hexdigest()[:32]
        return self.folder / f"{key}.json"

    def get(self, digest: str, index: int, dpi: int, engine_id: str) -> OcrPage | None:
        try:
            data = json.loads(self._path(digest, index, dpi, engine_id).read_text(encoding="utf-8"))
            return OcrPage(**data)
        except (OSError, ValueError, TypeError):
            return None  # not cached, or a damaged entry: read the page again

    def put(self, digest: str, index: int, dpi: int, engine_id: str, page: OcrPage) -> None:
        path = self._path(digest, index, dpi, engine_id)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(asdict(page)), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass  # a cache that cannot be written only costs time


def file_digest(path: Path) -> str:
    """SHA-256 of a file's content."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class OcrJob:
    """How to OCR the pages of one file: `workers` processes of `threads` onnxruntime
    threads each (measured on 2 cores: 2 x 1 reads more pages a second than 1 x 2, and
    spends less CPU a page; bench/ocr.py)."""

    dpi: int = 200
    threads: int = 1
    workers: int = 2
    cache: OcrCache | None = None
    progress: PageProgress | None = None


_Result = OcrPage | str  # a page read, or why it could not be rendered


def _read_page(engine: Ocr, path: Path, index: int, dpi: int) -> _Result:
    try:
        return ocr_image(engine, engine.render(path, index, dpi))
    except MemoryError:
        raise
    except Exception as exc:  # pdfium raises its own kinds on damaged pages
        return f"could not be rendered for OCR ({type(exc).__name__}: {exc})"


def _page_worker(path: Path, indices: list[int], job: OcrJob, conn: Connection) -> None:
    """Read `indices` and send (index, result) for each; an error is sent as it is."""
    parent = os.getppid()
    try:
        engine = open_engine(job.threads)
        for index in indices:
            if os.getppid() != parent:
                return  # the file's reader was stopped: stop too
            conn.send((index, _read_page(engine, path, index, job.dpi)))
    except BaseException as exc:  # the reader reports it (OCR missing, memory cap)
        conn.send((-1, exc))
    finally:
        conn.close()


def _in_workers(path: Path, indices: list[int], job: OcrJob) -> Iterator[tuple[int, _Result]]:
    """Results of `indices` read by `job.workers` forked processes, as they come."""
    ctx = mp.get_context("fork")
    conns: list[Connection] = []
    procs = []
    for w in range(job.workers):
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_page_worker, args=(path, indices[w :: job.workers], job, send))
        proc.start()
        send.close()
        conns.append(recv)
        procs.append(proc)
    try:
        while conns:
            for ready in wait(list(conns)):
                conn = cast(Connection, ready)
                try:
                    index, result = conn.recv()
                except EOFError:
                    conns.remove(conn)
                    continue
                if isinstance(result, BaseException):
                    raise result
                yield index, result
    finally:
        for proc in procs:
            proc.kill()
            proc.join()


def ocr_pages(path: Path, indices: list[int], job: OcrJob) -> tuple[dict[int, OcrPage], dict[int, str]]:
    """OCR pages `indices` (0-based) of the PDF `path`, reporting progress per page.

    Returns the pages read and, for pages that could not be rendered, why. Cached
    pages come from the cache; the others are read by `job.workers` processes.
    Raises `OcrUnavailableError` when the engine cannot be imported.
    """
    from assistant.ingest.ocr_rapid import ENGINE_ID

    digest = file_digest(path) if job.cache else ""
    read: dict[int, OcrPage] = {}
    failed: dict[int, str] = {}
    todo: list[int] = []
    for index in indices:
        cached = job.cache.get(digest, index, job.dpi, ENGINE_ID) if job.cache else None
        if cached is None:
            todo.append(index)
        else:
            read[index] = cached
    if job.progress:
        job.progress(len(read), len(indices))
    if job.workers > 1 and len(todo) > 1:
        results: Iterable[tuple[int, _Result]] = _in_workers(path, todo, job)
    else:
        engine = open_engine(job.threads * max(1, job.workers)) if todo else None
        results = ((i, _read_page(engine, path, i, job.dpi)) for i in todo if engine is not None)
    for index, result in results:
        if isinstance(result, str):
            failed[index] = result
        else:
            read[index] = result
            if job.cache:
                job.cache.put(digest, index, job.dpi, ENGINE_ID, result)
        if job.progress:
            job.progress(len(read) + len(failed), len(indices))
    return read, failed
