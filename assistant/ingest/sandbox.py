"""Read files in worker processes, each with a time limit and a memory cap.

A pathological file (a PDF that makes the parser loop or balloon) can neither
hang indexing nor take the machine's memory: its worker is killed and the file
is reported. Workers are forked: cheap to start (milliseconds), and they run
only the loaders (pure Python), never the threads of a model the parent holds.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import cast

from assistant.errors import LoadError
from assistant.model import LoadedText

Outcome = LoadedText | LoadError


def _address_space() -> int:
    """Bytes of address space this process already has mapped (0 if unknown)."""
    import resource

    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _child(path: str, conn: Connection, memory_mb: int) -> None:
    import resource

    try:
        if memory_mb > 0:
            # A forked worker starts with the parent's mappings (numpy, FAISS, a loaded
            # model: often gigabytes of address space), so the cap counts from there.
            limit = _address_space() + memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        conn.send(load_file(Path(path)))
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


def load_file(path: Path) -> LoadedText:
    """Load one file in this process with the loader for its format."""
    from assistant.ingest.loaders import loader_for

    loader = loader_for(path)
    if loader is None:
        raise LoadError(f"{path.name}: unsupported format", "")
    return loader.load(path)


def _preload() -> None:
    """Import the loaders' libraries once here, so each forked worker has them already
    and its time limit is spent reading, not importing."""
    import charset_normalizer  # noqa: F401
    import pypdf  # noqa: F401

    from assistant.ingest.loaders import supported_suffixes

    supported_suffixes()


def load_many(
    paths: list[Path],
    *,
    timeout_s: float,
    memory_mb: int,
    workers: int = 2,
) -> Iterator[tuple[Path, Outcome]]:
    """Load `paths` in parallel worker processes; yield (path, text or error) as each ends."""
    _preload()
    ctx = mp.get_context("fork")
    pending = list(reversed(paths))
    running: dict[Connection, tuple[Path, mp.process.BaseProcess, float]] = {}
    while pending or running:
        while pending and len(running) < max(1, workers):
            path = pending.pop()
            recv, send = ctx.Pipe(duplex=False)
            proc: mp.process.BaseProcess = ctx.Process(target=_child, args=(str(path), send, memory_mb), daemon=True)
            proc.start()
            send.close()
            running[recv] = (path, proc, time.monotonic())
        for ready in wait(list(running), timeout=0.2):
            conn = cast(Connection, ready)
            path, proc, _ = running.pop(conn)
            try:
                outcome: Outcome = conn.recv()
            except EOFError:
                proc.join(timeout=5)  # the exit code is known only once the worker is reaped
                outcome = LoadError(
                    f"{path.name}: the reader crashed (exit code {proc.exitcode})",
                    "the file is probably damaged, or needs more memory than MITRA_LOADER_MEMORY_MB; "
                    "get a fresh copy or raise the limit",
                )
            conn.close()
            proc.join(timeout=5)
            yield path, outcome
        now = time.monotonic()
        for conn, (path, proc, started) in list(running.items()):
            if now - started > timeout_s:
                proc.kill()
                proc.join()
                conn.close()
                del running[conn]
                yield (
                    path,
                    LoadError(
                        f"{path.name}: reading took longer than the {timeout_s:g} s time limit and was stopped",
                        "the file may be damaged or very large; raise MITRA_FILE_TIMEOUT_S to retry",
                    ),
                )
