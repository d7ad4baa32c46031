"""The rapidocr adapter: the only module that imports rapidocr, onnxruntime and pypdfium2.

rapidocr 3.10.0 ships its PP-OCRv6 detection and recognition models inside the
wheel, so OCR needs no network. Its direction classifier stays off
(`Global.use_cls: False`): it flips straight lines; `assistant.ingest.ocr` finds
a page's orientation itself. The libraries are imported when an engine is made,
never when this module is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from assistant.ingest.ocr_types import Image, TextBox

ENGINE_ID = "rapidocr 3.10.0 PP-OCRv6 small det+rec, no direction classifier"
# Pages are rendered with at most this many pixels on their long side (a poster-sized
# page at 200 dpi would otherwise take hundreds of MB); the detector works at 2000.
MAX_SIDE_PX = 4000
# Lines read with a lower score are dropped (rapidocr's default).
TEXT_SCORE = 0.5


def image_cover(pdf: Path, indices: list[int]) -> dict[int, float]:
    """For pages `indices` of `pdf`: the share of the page that images cover (0-1)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    doc = pdfium.PdfDocument(str(pdf))
    try:
        out: dict[int, float] = {}
        for index in indices:
            page = doc[index]
            width, height = page.get_size()
            area = 0.0
            for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=4):
                left, bottom, right, top = obj.get_bounds()
                area += max(0.0, min(right, width) - max(left, 0.0)) * max(0.0, min(top, height) - max(bottom, 0.0))
            out[index] = min(1.0, area / max(1.0, width * height))
        return out
    finally:
        doc.close()


class RapidOcr:
    """rapidocr with onnxruntime on the CPU, `threads` threads."""

    def __init__(self, threads: int = 2) -> None:
        import onnxruntime  # noqa: F401  (imported here so a missing runtime names itself)
        from rapidocr import RapidOCR

        self._engine: Any = RapidOCR(
            params={
                "Global.use_cls": False,
                "Global.log_level": "error",
                "Global.text_score": TEXT_SCORE,
                "EngineConfig.onnxruntime.intra_op_num_threads": max(1, threads),
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )

    def render(self, pdf: Path, index: int, dpi: int) -> Image:
        """Page `index` of `pdf` in grayscale at `dpi` (less for a very large page)."""
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(pdf))
        try:
            page = doc[index]
            width, height = page.get_size()  # points
            scale = min(dpi / 72, MAX_SIDE_PX / max(width, height, 1.0))
            bitmap = page.render(scale=scale, grayscale=True)
            image: Image = np.ascontiguousarray(bitmap.to_numpy().reshape(bitmap.height, bitmap.width))
            return image
        finally:
            doc.close()

    def read(self, image: Image) -> list[TextBox]:
        """Every text line of `image`, with its rotated rectangle."""
        # rapidocr keeps use_det/use_cls/use_rec of one call for the next: pass all three.
        result = self._engine(image, use_det=True, use_cls=False, use_rec=True)
        if getattr(result, "boxes", None) is None or not getattr(result, "txts", None):
            return []
        return [
            TextBox(str(text), float(score), tuple((float(x), float(y)) for x, y in np.asarray(quad)))
            for quad, text, score in zip(result.boxes, result.txts, result.scores, strict=False)
        ]

    def recognise(self, line: Image) -> tuple[str, float]:
        """The text and score of an image holding one line."""
        result = self._engine(line, use_det=False, use_cls=False, use_rec=True)
        texts = getattr(result, "txts", None)
        if not texts:
            return "", 0.0
        return str(texts[0]), float(result.scores[0])
