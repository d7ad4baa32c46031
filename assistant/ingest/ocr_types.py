"""What an OCR engine returns: page images and detected text lines (shared by
`assistant.ingest.ocr` and its rapidocr adapter, which must not import each other)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Image = NDArray[np.uint8]  # grayscale, rows x columns
PageProgress = Callable[[int, int], None]  # pages OCR'd so far, pages to OCR

# A box is a text line when its long side is at least this many times its short side.
LINE_ASPECT = 2.5


@dataclass(frozen=True, slots=True)
class TextBox:
    """One detected text line: its text, recognition score and rotated rectangle."""

    text: str
    score: float
    quad: tuple[tuple[float, float], ...]  # top-left, top-right, bottom-right, bottom-left (x, y)

    @property
    def width(self) -> float:
        (x0, y0), (x1, y1) = self.quad[0], self.quad[1]
        return math.hypot(x1 - x0, y1 - y0)

    @property
    def height(self) -> float:
        (x0, y0), (x3, y3) = self.quad[0], self.quad[3]
        return math.hypot(x3 - x0, y3 - y0)

    @property
    def angle(self) -> float:
        """Angle of the top edge in degrees (image coordinates, y down)."""
        (x0, y0), (x1, y1) = self.quad[0], self.quad[1]
        return math.degrees(math.atan2(y1 - y0, x1 - x0))

    @property
    def centre(self) -> tuple[float, float]:
        return sum(p[0] for p in self.quad) / 4, sum(p[1] for p in self.quad) / 4

    @property
    def is_line(self) -> bool:
        return max(self.width, self.height) >= LINE_ASPECT * max(1.0, min(self.width, self.height))
