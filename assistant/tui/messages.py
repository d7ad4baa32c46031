"""App-wide messages: workers and screens talk to the app with these.

Workers post them from their threads (`post_message` is thread-safe); the app
updates its state and the screens on the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

from assistant.model import Answer
from assistant.tui.state import Locations, Target

if TYPE_CHECKING:
    from assistant.index.build import IndexReport
    from assistant.index.library import Library
    from assistant.tui.controller import Embedders

# -- from workers -----------------------------------------------------------------


@dataclass
class LibraryOpened(Message):
    """The index was opened."""

    library: Library


@dataclass
class IndexStale(Message):
    """`files` were added, changed or removed since the index was built."""

    files: int


@dataclass
class IndexNeeded(Message):
    """There is no usable index: build one (`reason` says why, for the user)."""

    reason: str


@dataclass
class ModelsProgress(Message):
    """Loading embedding model `space`, number `done + 1` of `total`."""

    space: str
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        # Only a later count of the same model: a newer model's message must not be lost.
        return isinstance(message, ModelsProgress) and message.space == self.space


@dataclass
class ModelsReady(Message):
    """Every embedding model is loaded."""

    embedders: Embedders
    seconds: float


@dataclass
class IndexProgress(Message):
    """The index builder reached `done` of `total` in `stage` (scan, read, ocr, load X, embed X,
    documents, pages: see assistant.index.build)."""

    stage: str
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        # Only a later count of the same stage: merging across stages loses whole stages.
        return isinstance(message, IndexProgress) and message.stage == self.stage


@dataclass
class IndexFinished(Message):
    """A build ended: `report` is the core's IndexReport, `library` the reopened index;
    `cancelled` when the user stopped it (the previous index is kept)."""

    report: IndexReport | None = None
    library: Library | None = None
    cancelled: bool = False


@dataclass
class AnswerReady(Message):
    """The answer to turn `turn_id`, with where each of its targets is (label -> locations)."""

    turn_id: int
    answer: Answer
    locations: dict[str, Locations] = field(default_factory=dict)


class EngineWarm(Message):
    """The answer engine has read the library's term statistics (before any question)."""


# -- from screens -------------------------------------------------------------------


@dataclass
class AskQuestion(Message):
    """The user pressed Enter on a question."""

    question: str


@dataclass
class OpenTargets(Message):
    """Show `targets[index]` in the Reader (and let the user step through the others)."""

    targets: list[Target]
    index: int = 0


@dataclass
class OpenDocument(Message):
    """Show a document from its beginning."""

    doc_id: str


@dataclass
class TurnSelected(Message):
    """The conversation's cursor moved to another answer."""

    turn_id: int


@dataclass
class TargetSelected(Message):
    """The evidence panel's cursor moved to another citation."""

    index: int
