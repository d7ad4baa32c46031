"""Read files in worker processes, each with a time limit and a memory cap.

A pathological file (a PDF that makes the parser loop or balloon) can neither
hang indexing nor take the machine's memory: its worker is killed and the file
is reported. Workers are forked: cheap to start (milliseconds), and they run
only the loaders, never the threads of a model the parent holds (a worker that
OCRs imports onnxruntime itself, and forks its own page readers: workers are not
daemonic, so they may; none outlives `load_many`).

A file whose pages need OCR gets more time: the worker says how many pages it
will OCR before it starts, and its limit becomes `timeout_s` plus
`ocr.page_timeout_s` per page. It reports each page done; `on_pages(path, done,
total)` hears of it in the parent (for progress bars and time left).
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import cast

from assistant.config import OcrSettings
from assistant.errors import LoadError
from assistant.ingest.loaders.base import LoadOptions
from assistant.model import LoadedText

Outcome = LoadedText | LoadError
FileProgress = Callable[[Path, int, int], None]  # file, pages OCR'd so far, pages to OCR


@dataclass(frozen=True, slots=True)
class _Pages:
    """A worker's progress message: pages OCR'd so far, of how many."""

    done: int
    total: int


def _address_space() -> int:
    """Bytes of address space this process already has mapped (0 if unknown)."""
    import resource

    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _child(path: str, conn: Connection, memory_mb: int, options: LoadOptions) -> None:
    import resource

    try:
        if memory_mb > 0:
            # A forked worker starts with the parent's mappings (numpy, FAISS, a loaded
            # model: often gigabytes of address space), so the cap counts from there.
            limit = _address_space() + memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        def progress(done: int, total: int) -> None:
            conn.send(_Pages(done, total))

        conn.send(load_file(Path(path), LoadOptions(options.ocr, options.ocr_cache, progress)))
    except LoadError as exc:  # the loader's own message and hint, as they are
        conn.send(exc)
    except MemoryError:
        conn.send(
            LoadError(
                f"{Path(path).name}: reading it needed more than {memory_mb} MB",
                "split the file or raise MITRA_LOADER_MEMORY_MB",
            )
        )
    except BaseException as exc:  # report anything, never die silently
        conn.send(
            LoadError(
                f"{Path(path).name}: could not be read ({type(exc).__name__}: {exc})",
                "check the file; the rest of the library was indexed",
            )
        )
    finally:
        conn.close()


def load_file(path: Path, options: LoadOptions | None = None) -> LoadedText:
    """Load one file in this process with the loader for its format."""
    from assistant.ingest.loaders import loader_for

    loader = loader_for(path)
    if loader is None:
        raise LoadError(f"{path.name}: unsupported format", "")
    return loader.load(path, options)


def _preload() -> None:
    """Import the loaders' libraries once here, so each forked worker has them already
    and its time limit is spent reading, not importing."""
    import charset_normalizer  # noqa: F401
    import pypdf  # noqa: F401

    from assistant.ingest.loaders import supported_suffixes

    supported_suffixes()


@dataclass
class _Running:
    path: Path
    proc: mp.process.BaseProcess
    started: float
    ocr_pages: int = 0


def _limit(run: _Running, timeout_s: float, ocr: OcrSettings) -> float:
    return timeout_s + run.ocr_pages * ocr.page_timeout_s


def _timed_out(run: _Running, timeout_s: float, ocr: OcrSettings) -> LoadError:
    limit = _limit(run, timeout_s, ocr)
    if run.ocr_pages:
        return LoadError(
            f"{run.path.name}: reading took longer than its {limit:g} s time limit ({timeout_s:g} s, plus "
            f"{ocr.page_timeout_s:g} s for each of its {run.ocr_pages} pages to OCR) and was stopped",
            "raise MITRA_OCR_PAGE_TIMEOUT_S or MITRA_FILE_TIMEOUT_S to retry; the rest of the library was indexed",
        )
    return LoadError(
        f"{run.path.name}: reading took longer than the {timeout_s:g} s time limit and was stopped",
        "the file may be damaged or very large; raise MITRA_FILE_TIMEOUT_S to retry",
    )


def load_many(
    paths: list[Path],
    *,
    timeout_s: float,
    memory_mb: int,
    workers: int = 2,
    ocr: OcrSettings | None = None,
    ocr_cache: Path | None = None,
    on_pages: FileProgress | None = None,
) -> Iterator[tuple[Path, Outcome]]:
    """Load `paths` in parallel worker processes; yield (path, text or error) as each ends.

    `ocr` says how pages without a text layer are read (default: `OcrSettings()`),
    `ocr_cache` where OCR'd pages are kept between runs, `on_pages` hears of OCR progress.
    """
    _preload()
    ocr = ocr or OcrSettings()
    options = LoadOptions(ocr, ocr_cache)
    ctx = mp.get_context("fork")
    pending = list(reversed(paths))
    running: dict[Connection, _Running] = {}
    try:
        while pending or running:
            while pending and len(running) < max(1, workers):
                path = pending.pop()
                recv, send = ctx.Pipe(duplex=False)
                proc: mp.process.BaseProcess = ctx.Process(target=_child, args=(str(path), send, memory_mb, options))
                proc.start()
                send.close()
                running[recv] = _Running(path, proc, time.monotonic())
            for ready in wait(list(running), timeout=0.2):
                conn = cast(Connection, ready)
                run = running[conn]
                try:
                    message: Outcome | _Pages = conn.recv()
                except EOFError:
                    run.proc.join(timeout=5)  # the exit code is known only once the worker is reaped
                    message = LoadError(
                        f"{run.path.name}: the reader crashed (exit code {run.proc.exitcode})",
                        "the file is probably damaged, or needs more memory than MITRA_LOADER_MEMORY_MB; "
                        "get a fresh copy or raise the limit",
                    )
                if isinstance(message, _Pages):
                    run.ocr_pages = message.total
                    if on_pages:
                        on_pages(run.path, message.done, message.total)
                    continue
                del running[conn]
                conn.close()
                run.proc.join(timeout=5)
                yield run.path, message
            now = time.monotonic()
            for conn, run in list(running.items()):
                if now - run.started > _limit(run, timeout_s, ocr):
                    run.proc.kill()
                    run.proc.join()
                    conn.close()
                    del running[conn]
                    yield run.path, _timed_out(run, timeout_s, ocr)
    finally:  # stopped early (an error, or the caller stopped reading): no reader outlives us
        for run in running.values():
            run.proc.kill()
            run.proc.join()
