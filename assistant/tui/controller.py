"""What the app does with the core, in plain Python (no Textual).

`Controller` holds the app's state (the open library, the loaded models, the conversation,
the scope, the running build) and decides what happens next: which question to answer,
whether a build can start, what the status bar says. The module's functions are the calls
into the core that the workers make from their threads; they change no state.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from assistant.cite.references import revoked_note
from assistant.display import printable
from assistant.errors import IndexFormatError, IndexMissingError, MitraError
from assistant.model import Answer, Citation, DocStatus, DocType, Document, SearchFilters
from assistant.tui.i18n import language, tr
from assistant.tui.output import export_brief, load_history, reference, save_history
from assistant.tui.progress import stage_label
from assistant.tui.state import History, IndexState, Locations, Scope, Target, Turn, TurnStatus

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.index.build import IndexReport
    from assistant.index.embed import Embedder
    from assistant.index.library import Library

Embedders = dict[str, "Embedder"]
Progress = Callable[[str, int, int], None]


class Engine(Protocol):
    """What the app needs from the answer engine (assistant.answer.AnswerEngine)."""

    def answer(
        self,
        question: str,
        k: int = 8,
        filters: SearchFilters | None = None,
        language: str | None = None,
    ) -> Answer: ...

    def warm_up(self) -> None: ...


EngineFactory = Callable[["Library"], Engine]


class Host(Protocol):
    """What screens and commands see of the app: its controller."""

    @property
    def controller(self) -> Controller: ...


def controller_of(app: object) -> Controller:
    """The controller of the running app (screens and commands do not import the app)."""
    return cast(Host, app).controller


@dataclass(frozen=True)
class AnswerJob:
    """A question for the answer worker; `turn_id` 0 warms the engine up instead."""

    turn_id: int
    question: str
    scope: Scope
    engine: Engine
    library: Library | None = None  # where the answer's citations are read from


# -- calls into the core (run in worker threads; no state is changed) -----------------


def open_library(settings: Settings, embedders: Embedders | None) -> tuple[Library | None, str]:
    """The opened Library, or (None, why an index must be built first: "missing" or a message)."""
    from assistant.index.library import Library

    try:
        return Library.open(settings, embedders=embedders or None), ""
    except IndexMissingError:
        return None, "missing"
    except IndexFormatError as exc:
        return None, exc.message


def stale_files(settings: Settings, library: Library) -> int:
    """How many files were added, changed or removed since the index was built (each once)."""
    from assistant.index.plan import stale_files as count_stale

    return count_stale(settings, library.manifest)


def build(
    settings: Settings, *, rebuild: bool, embedders: Embedders | None, progress: Progress
) -> tuple[IndexReport, Library]:
    """Bring the index up to date, then open it: (IndexReport, Library)."""
    from assistant.index.build import build_index
    from assistant.index.library import Library

    report = build_index(settings, rebuild=rebuild, embedders=embedders or None, progress=progress)
    return report, Library.open(settings, embedders=embedders or None)


def load_models(settings: Settings, library: Library | None, progress: Progress) -> Embedders:
    """Load every embedding model of `settings` (through the library when open, so it keeps them)."""
    from assistant.index.embed import make_embedder

    spaces = tuple(library.spaces) if library is not None else tuple(settings.embedders)
    loaded: Embedders = {}
    for i, space in enumerate(spaces):
        progress(space, i, len(spaces))
        loaded[space] = library.embedder(space) if library is not None else make_embedder(space)
    return loaded


def make_engine(library: Library) -> Engine:
    """The answer engine over `library`."""
    from assistant.answer import AnswerEngine

    return AnswerEngine(library)


# -- the app's state ---------------------------------------------------------------------


class Controller:
    """The app's state and what changes it; the app shows it and runs the workers."""

    def __init__(
        self,
        settings: Settings,
        *,
        library: Library | None = None,
        embedders: Embedders | None = None,
        engine: EngineFactory | None = None,
        clock: Callable[[], datetime] = datetime.now,
        export_dir: Path | None = None,
        prefs_path: Path | None = None,
    ) -> None:
        self.settings = settings
        self.library = library
        self.embedders = dict(embedders) if embedders is not None else None
        self.clock = clock
        self.export_dir = export_dir or Path.cwd() / "briefs"
        self.prefs_path = prefs_path
        self.turns: list[Turn] = []
        self.history = History(saved := load_history(prefs_path), len(saved))  # up/down recalls earlier sessions
        self.scope = Scope()
        self.index_state: IndexState | None = None
        self.models_state: tuple[str, int, int] | None = None  # (space, done, total) while loading
        self.models_loading = False
        self.pending_build: bool | None = None  # a build (its `rebuild`) waiting for the models
        self._engine_factory = engine or make_engine
        self._engine: tuple[Library, Engine] | None = None
        self._queue: deque[int] = deque()
        self.answering: int | None = None  # the turn being answered (0: the warm-up)
        self._warmed = False
        self._passages = library.passage_count() if library is not None else 0

    def turn(self, turn_id: int | None) -> Turn | None:
        return next((t for t in self.turns if t.id == turn_id), None)

    def documents(self) -> list[Document]:
        return self.library.documents() if self.library is not None else []

    # -- library and models ------------------------------------------------------------
    def set_library(self, library: Library) -> None:
        self.library = library
        self._passages = library.passage_count()

    def models_ready(self, embedders: Embedders) -> bool | None:
        """The models are loaded; returns the `rebuild` of a build that waited for them."""
        self.embedders = embedders
        self.models_state = None
        self.models_loading = False
        pending, self.pending_build = self.pending_build, None
        return pending

    def models_failed(self) -> None:
        self.models_loading = False
        self.models_state = None
        if self.pending_build is not None:  # the build that waited for them cannot run
            self.pending_build = None
            self.index_state = None

    # -- indexing ----------------------------------------------------------------------
    def start_index(self, rebuild: bool = False, first: bool = False) -> str:
        """'busy' (a build runs), 'wait' (for the models being loaded) or 'run'."""
        if self.index_state is not None:
            return "busy"
        first = first or self.library is None
        title = tr("index.title_first") if first else tr("index.title")
        self.index_state = IndexState(title, tr("index.stage.start"), first=first)
        if self.models_loading:
            self.pending_build = rebuild
            return "wait"
        return "run"

    def index_progress(self, stage: str, done: int, total: int) -> None:
        if self.index_state is None:
            return
        if stage == "pages":
            return  # it follows each count of "documents", which the bar shows
        state, now = self.index_state, self.clock()
        started = state.started if state.kind == stage and state.started is not None else now
        label = stage_label(stage, done, total, (now - started).total_seconds())
        self.index_state = replace(state, stage=label, done=done, total=total, kind=stage, started=started)

    def cancel_index(self) -> str:
        """'none' (nothing to cancel), 'dropped' (a waiting build) or 'cancelling' (a running one)."""
        if self.index_state is None:
            return "none"
        if self.pending_build is not None:
            self.pending_build = None
            self.index_state = None
            return "dropped"
        self.index_state = replace(self.index_state, stage=tr("index.cancelling"))
        return "cancelling"

    def index_ended(self) -> None:
        self.index_state = None

    # -- questions and answers ---------------------------------------------------------
    def ask(self, question: str) -> Turn | None:
        """The new turn; None when the same question still waits for its answer (Enter
        pressed again before the input was cleared)."""
        pending = (TurnStatus.QUEUED, TurnStatus.THINKING)
        if any(t.question == question and t.status in pending for t in self.turns):
            return None
        turn = Turn(len(self.turns) + 1, question, self.clock(), submitted=time.perf_counter())
        self.turns.append(turn)
        self.history.add(question)
        save_history(self.prefs_path, self.history.items)
        self._queue.append(turn.id)
        return turn

    def engine(self) -> Engine:
        """The answer engine of the current library (made again when the library changes)."""
        assert self.library is not None
        if self._engine is None or self._engine[0] is not self.library:
            self._engine = (self.library, self._engine_factory(self.library))
        return self._engine[1]

    def dispatch(self) -> tuple[list[Turn], AnswerJob | None]:
        """The queued turns whose note changed, and the next job for the answer worker."""
        if self.library is None:
            waiting = tr("turn.queued_index")
        else:
            waiting = tr("turn.queued_models") if self.embedders is None else ""
        note = waiting or (tr("turn.thinking") if self.answering == 0 else "")
        changed = []
        for turn_id in self._queue:
            turn = self.turn(turn_id)
            if turn is not None and turn.error != note:
                turn.error = note
                changed.append(turn)
        if self.answering is not None or waiting:
            return changed, None
        if not self._queue:
            if self._warmed:
                return changed, None
            # The answer engine reads its term statistics on first use (~0.5 s on the bundled
            # library): do it now, in the answer worker, rather than on the first question.
            self._warmed = True
            self.answering = 0
            return changed, AnswerJob(0, "", Scope(), self.engine())
        turn = self.turn(self._queue.popleft())
        if turn is None:
            return changed, None
        turn.status, turn.error = TurnStatus.THINKING, ""
        self.answering = turn.id
        return [*changed, turn], AnswerJob(turn.id, turn.question, self.scope, self.engine(), self.library)

    def answered(self, turn_id: int, answer: Answer, locations: dict[str, Locations] | None = None) -> Turn | None:
        self.answering = None
        turn = self.turn(turn_id)
        if turn is not None:
            turn.answer, turn.status = answer, TurnStatus.DONE
            turn.locations = dict(locations or {})
        return turn

    def answer_failed(self, error: str) -> Turn | None:
        """The answer worker failed: the turn it was answering (None for the warm-up)."""
        turn = self.turn(self.answering) if self.answering else None
        self.answering = None
        if turn is not None:
            turn.status, turn.error = TurnStatus.FAILED, error
        return turn

    # -- scope ---------------------------------------------------------------------------
    def next_type(self) -> None:
        present = {d.type for d in self.documents()}
        self.scope = self.scope.next_type([t for t in DocType if t in present])

    def next_language(self) -> None:
        present = {d.language for d in self.documents()}
        self.scope = self.scope.next_language([lang for lang in ("en", "id") if lang in present])

    def next_answer_language(self) -> None:
        self.scope = self.scope.next_answer_language()

    # -- what the chrome shows ------------------------------------------------------------
    def document_counts(self) -> tuple[int, int]:
        """(documents read, documents that could not be read) of the open library."""
        docs = self.library.documents() if self.library is not None else []
        failed = sum(d.status == DocStatus.FAILED for d in docs)
        return len(docs) - failed, failed

    def unreadable_note(self) -> str:
        """ " · 2 unreadable" when the library holds files it could not read, else ""."""
        failed = self.document_counts()[1]
        return tr("status.unreadable", n=failed) if failed else ""

    def status_parts(self) -> list[tuple[str, str]]:
        """(text, style) pairs for the status bar: the library, the models."""
        if self.library is not None:
            lib = tr("status.docs", n=self.document_counts()[0], p=self._passages) + self.unreadable_note()
        elif self.index_state is not None:
            lib = tr("status.indexing")
        else:
            lib = tr("status.opening")
        if self.embedders is not None:
            models = ("● " + tr("status.models_ready"), "$text-success")
        elif self.models_state is not None:
            space, done, total = self.models_state
            models = ("◌ " + tr("status.models_loading", done=done + 1, total=total, space=space), "$text-warning")
        else:
            models = ("○ " + tr("status.models_waiting"), "$text-muted")
        return [(lib, ""), models]

    def scope_text(self, keys: bool = False) -> str:
        """'type: all · language: all' (with the keys that change them: '^t type: all …')."""
        s = self.scope
        kind = tr(f"type.{s.type.value}") if s.type else tr("scope.all")
        lang = tr(f"lang.{s.language}") if s.language else tr("scope.all")
        t, g = ("^t ", "^g ") if keys else ("", "")
        return f"{t}{tr('scope.type')}: {kind} · {g}{tr('scope.lang')}: {lang}"

    def answer_text(self, keys: bool = False) -> str:
        lang = self.scope.answer_language
        name = tr(f"lang.{lang}") if lang else tr("scope.auto")
        return f"{'^n ' if keys else ''}{tr('scope.answer')}: {name}"

    # -- documents, citations, briefs -------------------------------------------------------
    def openable(self, doc_id: str) -> tuple[Target | None, str]:
        """A target at the start of the document, or why it cannot be read."""
        doc = self.library.document(doc_id) if self.library is not None else None
        if doc is None:
            return None, tr("notify.no_library")
        if doc.status in (DocStatus.FAILED, DocStatus.NEEDS_OCR) or not doc.passages:
            reason = "; ".join(doc.warnings) or tr(f"status.{doc.status.value}")
            return None, tr("notify.no_text", title=doc.title, reason=reason)
        return Target.of_document(doc), ""

    def reference_of(self, target: Target | None) -> str | None:
        """What to copy for a citation: its quote, verbatim and in quotation marks, then its
        reference (APA, with the page or article), as a memo quotes a source; for a nearest
        passage of a refusal, the reference of its document and place alone. Printable (it
        may be pasted into a terminal); None without one."""
        if target is None or target.passage is None or self.library is None:
            return None
        citation = target.citation
        # A revoked regulation says so wherever it is pasted: an official must not cite it as the law.
        revoked = f" [{note}]" if (note := revoked_note(target.document, language())) else ""
        if citation is None:  # a nearest passage of a refusal: cite its document and place
            p = target.passage
            title = target.document.title if target.document else target.doc_id
            place = Citation(0, p.doc_id, title, p.text, p.start, p.end, p, target.score or 0.0, target.document)
            return printable(reference(place, self.library, language()) + revoked)
        quote = " ".join(citation.quote.split())
        return printable(f"“{quote}” {reference(citation, self.library, language())}{revoked}")

    def export(self, turn: Turn | None) -> Path | None:
        """Write the brief of `turn`'s answer; None when there is no answer to write."""
        if turn is None or turn.answer is None or self.library is None:
            return None
        return export_brief(turn.answer, self.library, self.export_dir, self.clock())


def shortened(copied: str, limit: int = 160) -> str:
    """A copied citation as a notice shows it: a long quote cut, its reference whole."""
    if len(copied) <= limit or "” " not in copied:
        return copied
    return f"{copied[:100]}…” {copied[copied.rindex('” ') + 2 :]}"


def describe(error: BaseException | None) -> str:
    """An error in one line: a MitraError's message and hint, else its type and text."""
    if error is None:
        return "unknown error"
    if isinstance(error, MitraError):
        return str(error)
    return f"{type(error).__name__}: {error}"
