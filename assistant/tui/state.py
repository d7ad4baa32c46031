"""What the app remembers between frames: the conversation and the search scope.

Plain dataclasses, no Textual: the screens render them, the app changes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from assistant.model import Answer, Citation, DocType, Document, Hit, Passage, SearchFilters

T = TypeVar("T")

# Where a target is, in each interface language: (("en", "UU 18/2008, Pasal 44 ayat (2), p. 24"), ("id", ...)).
Locations = tuple[tuple[str, str], ...]


class TurnStatus(StrEnum):
    QUEUED = "queued"  # waiting for the index or the models
    THINKING = "thinking"
    DONE = "done"
    FAILED = "failed"


@dataclass
class Turn:
    """One question and what became of it."""

    id: int
    question: str
    asked_at: datetime
    status: TurnStatus = TurnStatus.QUEUED
    answer: Answer | None = None
    error: str = ""
    submitted: float = 0.0  # perf_counter() when Enter was pressed
    shown: float = 0.0  # perf_counter() when the answer was on screen
    locations: dict[str, Locations] = field(default_factory=dict)  # target label -> where it is

    @property
    def evidence(self) -> list[Target]:
        """The citations of the answer, or the nearest passages of a refusal."""
        if self.answer is None:
            return []
        if self.answer.citations:
            targets = [Target.of_citation(c) for c in self.answer.citations]
        else:
            targets = [Target.of_hit(i, h) for i, h in enumerate(self.answer.nearest, 1)]
        return [replace(t, locations=self.locations.get(t.label, ())) for t in targets]


@dataclass(frozen=True)
class Target:
    """A place in a document to show: a cited quote, or a whole passage, or the start."""

    doc_id: str
    start: int
    end: int
    label: str = ""  # "[2]"
    passage: Passage | None = None
    citation: Citation | None = None
    hit: Hit | None = None
    document: Document | None = None
    score: float | None = None  # the retrieval score of its passage; None: it has none
    locations: Locations = ()  # worded by cite (see Controller), when known

    def location(self, language: str) -> str:
        """Where the target is, in `language` ('' when not known)."""
        return next((where for lang, where in self.locations if lang == language), "")

    @classmethod
    def of_citation(cls, c: Citation) -> Target:
        return cls(c.doc_id, c.start, c.end, f"[{c.n}]", c.passage, c, None, c.document, c.score)

    @classmethod
    def of_hit(cls, n: int, h: Hit) -> Target:
        p = h.passage
        return cls(p.doc_id, p.start, p.end, f"({n})", p, None, h, h.document, h.score)

    @classmethod
    def of_document(cls, doc: Document) -> Target:
        return cls(doc.id, 0, 0, "", None, None, None, doc, None)


@dataclass(frozen=True)
class IndexState:
    """A running index build, as the progress panel shows it."""

    title: str
    stage: str
    done: int = 0
    total: int = 1
    first: bool = False  # no previous index to fall back on
    kind: str = ""  # the builder's stage ("ocr", "embed e5"), as it names it
    started: datetime | None = None  # when that stage began


ANSWER_LANGUAGES: tuple[str | None, ...] = (None, "en", "id")


@dataclass(frozen=True)
class Scope:
    """Which documents a question searches, and the language of the answer's framing."""

    type: DocType | None = None
    language: str | None = None
    answer_language: str | None = None  # None: the question's own language

    @property
    def filters(self) -> SearchFilters | None:
        if self.type is None and self.language is None:
            return None
        return SearchFilters(
            types=frozenset({self.type}) if self.type else frozenset(),
            languages=frozenset({self.language}) if self.language else frozenset(),
        )

    def next_type(self, available: list[DocType]) -> Scope:
        return replace(self, type=_next(self.type, available))

    def next_language(self, available: list[str]) -> Scope:
        return replace(self, language=_next(self.language, available))

    def next_answer_language(self) -> Scope:
        return replace(self, answer_language=_next(self.answer_language, ["en", "id"]))


def _next(current: T | None, options: list[T]) -> T | None:
    """None -> first option -> ... -> last option -> None."""
    cycle: list[T | None] = [None, *options]
    try:
        return cycle[(cycle.index(current) + 1) % len(cycle)]
    except ValueError:
        return None


@dataclass
class History:
    """Questions asked, for up/down in the input (most recent last)."""

    items: list[str] = field(default_factory=list)
    cursor: int = 0
    draft: str = ""

    def add(self, question: str) -> None:
        if question and (not self.items or self.items[-1] != question):
            self.items.append(question)
        self.cursor = len(self.items)
        self.draft = ""

    def older(self, current: str) -> str | None:
        if not self.items or self.cursor == 0:
            return None
        if self.cursor == len(self.items):
            self.draft = current
        self.cursor -= 1
        return self.items[self.cursor]

    def newer(self) -> str | None:
        if self.cursor >= len(self.items):
            return None
        self.cursor += 1
        return self.draft if self.cursor == len(self.items) else self.items[self.cursor]
