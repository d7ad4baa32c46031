"""How a build's progress reads in the index panel: the stage (see the progress contract
in assistant.index.build) and, for OCR, the pages done and the time left. Plain Python."""

from __future__ import annotations

from assistant.tui.i18n import tr

_STAGES = {
    "scan": "index.stage.scan",
    "read": "index.stage.read",
    "ocr": "index.stage.ocr",
    "load": "index.stage.load",
    "embed": "index.stage.embed",
    "documents": "index.stage.documents",
}


def stage_label(stage: str, done: int, total: int, elapsed_s: float) -> str:
    """'Reading documents', 'OCR: 5 of 16 pages · about 1 min left' ('embed e5' names its
    space). `elapsed_s` is the time since the stage began, from which the time left of a
    long stage (OCR: seconds a page) is estimated at its rate so far."""
    kind, _, space = stage.partition(" ")
    label = tr(_STAGES.get(kind, "index.stage.start"), space=space, done=done, total=total)
    if kind == "ocr" and 0 < done < total and elapsed_s > 0:
        label += " · " + time_left(elapsed_s / done * (total - done))
    return label


def time_left(seconds: float) -> str:
    """'about 40 s left', 'about 3 min left' (rounded up to what a reader plans by)."""
    if seconds < 60:
        return tr("index.left_s", s=max(5, int(-(-seconds // 5) * 5)))
    return tr("index.left_min", m=int(-(-seconds // 60)))
