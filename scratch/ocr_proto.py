"""OCR prototype for scanned PDF pages (scratch, to be ported into the sandboxed reader).

Standalone: it needs only the packages of its own venv
(`python3.11 -m venv /work/ocrvenv && /work/ocrvenv/bin/pip install rapidocr==3.10.0
onnxruntime pypdfium2 pypdf pillow numpy fpdf2`), never the network: rapidocr 3.10.0
ships PP-OCRv6 det/rec (small) and the PP-OCRv4 direction classifier inside its wheel.

    python scratch/ocr_proto.py page  PDF N [--dpi 200]           one page, text + confidence
    python scratch/ocr_proto.py pdf   PDF --out DIR [--workers 2]  every page -> DIR/page-NNN.txt
    python scratch/ocr_proto.py bench PDF [--pages 1-8]           1 process x 2 threads vs 2 x 1
    python scratch/ocr_proto.py synth --out FILE.json             CER on synthetic scans
    python scratch/ocr_proto.py orient PDF [--pages ...]          rotation detection on rotated pages
    python scratch/ocr_proto.py layers DIR                        pages without a text layer

Pipeline per page: render with pypdfium2 (grayscale, `dpi`), one detection+recognition
pass of RapidOCR with the direction classifier off (it flips straight lines), then
  * rotation: text-line boxes taller than wide mean a page turned by 90/270; otherwise
    it is 0 or 180. The candidates are told apart by recognising the longest lines'
    crops under each hypothesis (mean recognition score x share of Latin characters);
    a turned page is rotated and read again;
  * skew: the median angle of the lines' top edges; the detector's boxes are rotated
    rectangles, so recognition already reads slightly skewed lines; the angle is only
    used to level the box centres before grouping them into lines;
  * reading order: boxes grouped into lines by their levelled centre (top to bottom),
    each line left to right, joined with one space; lines joined with a newline;
  * confidence: mean recognition score weighted by characters.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

# Score below which a line is dropped by rapidocr (its default 0.5).
TEXT_SCORE = 0.5
# A box is a text line when its long side is at least this many times its short side.
LINE_ASPECT = 2.5
# Lines probed per orientation hypothesis.
PROBE_LINES = 8
# Upright hypothesis accepted without probing 180 when its quality reaches this
# (measured on 60 synthetic pages: upright readings 0.98-0.996, upside-down 0.52-0.65).
UPRIGHT_QUALITY = 0.80

LATIN = re.compile(r"[A-Za-z0-9À-ɏ\s.,;:()\[\]/\-'\"%&+=*<>?!°§–—“”‘’]")


# --------------------------------------------------------------------------- engine


def make_engine(threads: int = 2, max_side_len: int = 2000) -> Any:
    """A RapidOCR engine with the direction classifier off and `threads` onnxruntime threads."""
    from rapidocr import RapidOCR

    return RapidOCR(
        params={
            "Global.use_cls": False,
            "Global.log_level": "error",
            "Global.text_score": TEXT_SCORE,
            "Global.max_side_len": max_side_len,
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    )


def _run(engine: Any, img: np.ndarray, det: bool = True) -> Any:
    # rapidocr keeps use_det/use_cls/use_rec given to a call for the next calls: pass all three.
    return engine(img, use_det=det, use_cls=False, use_rec=True)


# --------------------------------------------------------------------------- render


def render_page(pdf: Any, index: int, dpi: int = 200) -> np.ndarray:
    """Page `index` (0-based) of a pypdfium2 document as a grayscale uint8 array."""
    page = pdf[index]
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    arr = np.array(bitmap.to_pil().convert("L"))
    page.close()
    return arr


# --------------------------------------------------------------------------- geometry


@dataclass
class Box:
    text: str
    score: float
    cx: float
    cy: float
    x0: float
    w: float  # along the top edge
    h: float  # along the left edge
    angle: float  # of the top edge, degrees, image coordinates (y down)
    quad: np.ndarray  # the detector's rotated rectangle: top-left, top-right, bottom-right, bottom-left


def _boxes(result: Any) -> list[Box]:
    """Boxes of a full result, or of a detection-only result (empty texts, score 0)."""
    if result is None or getattr(result, "boxes", None) is None:
        return []
    txts = getattr(result, "txts", None)
    if txts is None:
        txts, scores = [""] * len(result.boxes), [0.0] * len(result.boxes)
    else:
        scores = result.scores
    out = []
    for quad, text, score in zip(result.boxes, txts, scores):
        q = np.asarray(quad, dtype=float)
        top = q[1] - q[0]
        left = q[3] - q[0]
        out.append(
            Box(
                text=text,
                score=float(score),
                cx=float(q[:, 0].mean()),
                cy=float(q[:, 1].mean()),
                x0=float(q[:, 0].min()),
                w=float(np.hypot(*top)),
                h=float(np.hypot(*left)),
                angle=math.degrees(math.atan2(top[1], top[0])),
                quad=q,
            )
        )
    return out


def estimate_skew(boxes: list[Box]) -> float:
    """Median angle of the top edges of wide line boxes, in degrees (0 when unknown)."""
    angles = [b.angle for b in boxes if b.w >= LINE_ASPECT * b.h and b.w > 100 and abs(b.angle) < 10]
    return statistics.median(angles) if angles else 0.0


def group_lines(boxes: list[Box], skew_deg: float) -> list[list[Box]]:
    """Boxes grouped into reading lines: top to bottom, each left to right."""
    if not boxes:
        return []
    a = math.radians(-skew_deg)
    ca, sa = math.cos(a), math.sin(a)

    def level(x: float, y: float) -> tuple[float, float]:
        return x * ca - y * sa, x * sa + y * ca

    items = []
    for b in boxes:
        lx, ly = level(b.cx, b.cy)
        lx0, _ = level(b.x0, b.cy)
        items.append((ly, lx0, b))
    items.sort(key=lambda t: t[0])
    lines: list[list[tuple[float, float, Box]]] = []
    for it in items:
        if lines:
            cur = lines[-1]
            cy = statistics.fmean(t[0] for t in cur)
            h = min(it[2].h, statistics.median(t[2].h for t in cur))
            if abs(it[0] - cy) < 0.5 * h:
                cur.append(it)
                continue
        lines.append([it])
    return [[t[2] for t in sorted(line, key=lambda t: t[1])] for line in lines]


def page_text(lines: list[list[Box]]) -> str:
    return "\n".join(" ".join(b.text for b in line) for line in lines)


def mean_confidence(boxes: list[Box]) -> float:
    n = sum(len(b.text) for b in boxes)
    return sum(b.score * len(b.text) for b in boxes) / n if n else 0.0


def latin_share(text: str) -> float:
    text = text.strip()
    return sum(bool(LATIN.match(c)) for c in text) / len(text) if text else 0.0


# --------------------------------------------------------------------------- orientation


def _crop(img: np.ndarray, b: Box) -> np.ndarray:
    """The box's rotated rectangle cut out and straightened (page axes kept: no turn)."""
    import cv2

    q = b.quad.astype(np.float32)
    w = int(round(max(np.hypot(*(q[1] - q[0])), np.hypot(*(q[2] - q[3])))))
    h = int(round(max(np.hypot(*(q[3] - q[0])), np.hypot(*(q[2] - q[1])))))
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(q, dst)
    return cv2.warpPerspective(img, m, (max(w, 1), max(h, 1)), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)


def _quality(texts_scores: list[tuple[str, float]]) -> float:
    if not texts_scores:
        return 0.0
    vals = [s * latin_share(t) for t, s in texts_scores]
    return statistics.fmean(vals)


def probe_orientation(engine: Any, img: np.ndarray, boxes: list[Box], candidates: tuple[int, ...]) -> dict[int, float]:
    """Quality of each candidate rotation (counter-clockwise degrees that make the page upright)."""
    longest = sorted(
        (b for b in boxes if max(b.w, b.h) >= LINE_ASPECT * min(b.w, b.h)),
        key=lambda b: -max(b.w, b.h),
    )[:PROBE_LINES]
    out = {}
    for angle in candidates:
        ts = []
        for b in longest:
            crop = np.ascontiguousarray(np.rot90(_crop(img, b), k=angle // 90))
            r = _run(engine, crop, det=False)
            if r is not None and getattr(r, "txts", None):
                ts.append((r.txts[0], float(r.scores[0])))
            else:
                ts.append(("", 0.0))
        out[angle] = _quality(ts)
    return out


def line_orientation(boxes: list[Box]) -> tuple[float, int]:
    """Share of line-shaped boxes that are taller than wide, and how many line boxes there are."""
    lines = [b for b in boxes if max(b.w, b.h) >= LINE_ASPECT * min(b.w, b.h)]
    if not lines:
        return 0.0, 0
    return sum(b.h > b.w for b in lines) / len(lines), len(lines)


# --------------------------------------------------------------------------- page OCR


@dataclass
class PageOCR:
    text: str
    confidence: float
    rotation: int  # counter-clockwise degrees applied to make the page upright
    skew: float
    lines: int
    boxes: int
    seconds: float
    passes: int
    probe: dict[int, float] = field(default_factory=dict)


def decide_rotation(engine: Any, img: np.ndarray, boxes: list[Box], q0: float | None = None) -> tuple[int, dict[int, float]]:
    """Counter-clockwise turn (0/90/180/270) that makes the page upright, and the probe scores.

    `q0`: quality of the upright reading when a full pass already gave it (else probed)."""
    tall, _ = line_orientation(boxes)
    if tall > 0.5:
        probe = probe_orientation(engine, img, boxes, (90, 270))
    else:
        probe = {0: q0} if q0 is not None else probe_orientation(engine, img, boxes, (0,))
        if probe[0] < UPRIGHT_QUALITY:
            probe.update(probe_orientation(engine, img, boxes, (180,)))
    return max(probe, key=lambda k: probe[k]), probe


def ocr_image(engine: Any, img: np.ndarray, detect_rotation: bool = True) -> PageOCR:
    """OCR one page image (grayscale or BGR array), detecting 90/180/270 rotation."""
    t0 = time.perf_counter()
    result = _run(engine, img)
    boxes = _boxes(result)
    passes, rotation, probe = 1, 0, {}
    if detect_rotation and boxes:
        widest = sorted(boxes, key=lambda b: -b.w)[:PROBE_LINES]
        rotation, probe = decide_rotation(engine, img, boxes, _quality([(b.text, b.score) for b in widest]))
        if rotation:
            img = np.ascontiguousarray(np.rot90(img, k=rotation // 90))
            result = _run(engine, img)
            boxes = _boxes(result)
            passes += 1
    skew = estimate_skew(boxes)
    lines = group_lines(boxes, skew)
    return PageOCR(
        text=page_text(lines),
        confidence=round(mean_confidence(boxes), 4),
        rotation=rotation,
        skew=round(skew, 2),
        lines=len(lines),
        boxes=len(boxes),
        seconds=round(time.perf_counter() - t0, 2),
        passes=passes,
        probe={k: round(v, 3) for k, v in probe.items()},
    )


def ocr_pdf_page(engine: Any, pdf_path: str, index: int, dpi: int = 200) -> PageOCR:
    import pypdfium2 as pdfium

    t0 = time.perf_counter()
    pdf = pdfium.PdfDocument(pdf_path)
    img = render_page(pdf, index, dpi)
    pdf.close()
    page = ocr_image(engine, img)
    page.seconds = round(time.perf_counter() - t0, 2)
    return page


# --------------------------------------------------------------------------- workers

_ENGINE: Any = None


def _init_worker(threads: int) -> None:
    global _ENGINE
    _ENGINE = make_engine(threads)


def _work(args: tuple[str, int, int]) -> tuple[int, dict[str, Any]]:
    pdf_path, index, dpi = args
    return index, asdict(ocr_pdf_page(_ENGINE, pdf_path, index, dpi))


def ocr_pages(pdf_path: str, pages: list[int], dpi: int, workers: int, threads: int) -> tuple[dict[int, dict[str, Any]], float]:
    """OCR `pages` with `workers` processes of `threads` threads each; results and wall seconds."""
    t0 = time.perf_counter()
    out: dict[int, dict[str, Any]] = {}
    if workers <= 1:
        _init_worker(threads)
        for i in pages:
            out[i] = _work((pdf_path, i, dpi))[1]
            print(f"  page {i + 1}: {out[i]['seconds']} s, conf {out[i]['confidence']}", file=sys.stderr)
    else:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(threads,)) as ex:
            for i, res in ex.map(_work, [(pdf_path, i, dpi) for i in pages]):
                out[i] = res
                print(f"  page {i + 1}: {res['seconds']} s, conf {res['confidence']}", file=sys.stderr)
    return out, time.perf_counter() - t0


# --------------------------------------------------------------------------- CER


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions), O(len(a)*len(b)) time, O(len(b)) memory."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def diff_ops(hyp: str, ref: str, limit: int = 6) -> list[str]:
    """The first differences between reference and OCR text, as 'ref -> hyp' snippets."""
    import difflib

    ref_n, hyp_n = normalise(ref), normalise(hyp)
    ops = difflib.SequenceMatcher(None, ref_n, hyp_n, autojunk=False).get_opcodes()
    return [f"{ref_n[i1:i2]!r}->{hyp_n[j1:j2]!r}" for tag, i1, i2, j1, j2 in ops if tag != "equal"][:limit]


def cer(hyp: str, ref: str) -> float:
    ref_n, hyp_n = normalise(ref), normalise(hyp)
    return levenshtein(hyp_n, ref_n) / max(1, len(ref_n))


# --------------------------------------------------------------------------- synthetic scans

# Indonesian: UU 18/2008 Pasal 29 ayat (1) and Pasal 39 ayat (1), retyped from the
# document (laws are not protected by copyright, UU 28/2014 Pasal 42).
TEXT_ID = (
    "Pasal 29\n"
    "(1) Setiap orang dilarang:\n"
    "a. memasukkan sampah ke dalam wilayah Negara Kesatuan Republik Indonesia;\n"
    "b. mengimpor sampah;\n"
    "c. mencampur sampah dengan limbah berbahaya dan beracun;\n"
    "d. mengelola sampah yang menyebabkan pencemaran dan/atau perusakan lingkungan;\n"
    "e. membuang sampah tidak pada tempat yang telah ditentukan dan disediakan;\n"
    "f. melakukan penanganan sampah dengan pembuangan terbuka di tempat pemrosesan akhir; dan/atau\n"
    "g. membakar sampah yang tidak sesuai dengan persyaratan teknis pengelolaan sampah.\n"
    "Pasal 39\n"
    "(1) Setiap orang yang secara melawan hukum memasukkan dan/atau mengimpor sampah rumah "
    "tangga dan/atau sampah sejenis sampah rumah tangga ke dalam wilayah Negara Kesatuan "
    "Republik Indonesia diancam dengan pidana penjara paling singkat 3 (tiga) tahun dan paling "
    "lama 9 (sembilan) tahun dan denda paling sedikit Rp100.000.000,00 (seratus juta rupiah) dan "
    "paling banyak Rp3.000.000.000,00 (tiga miliar rupiah)."
)
# English: written for this test (no source), legal register with numbers and references.
TEXT_EN = (
    "Article 7\n"
    "(1) The parties shall exchange information on solid waste management, wastewater "
    "treatment and air quality monitoring at least twice (2) a year.\n"
    "(2) Each party bears its own costs unless the Joint Committee decides otherwise; the "
    "budget for 2021-2023 is set out in Annex II, Table 4 (USD 1,250,000).\n"
    "(3) A pilot project on composting shall treat 15.5 tonnes/day of organic waste, and its "
    "results shall be reported within 90 days after the end of each fiscal year.\n"
    "Article 8\n"
    "This Memorandum may be amended by mutual written consent and remains valid until "
    "31 March 2025, after which it is renewed automatically for periods of four (4) years."
)


def synth_pdf(text: str, font: str, size: float = 11) -> bytes:
    """An A4 page with `text` in a core font, wrapped by fpdf2."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    pdf.set_font(font, size=size)
    for para in text.split("\n"):
        pdf.multi_cell(0, size * 0.55, para, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def degrade(img: np.ndarray, skew: float, rotation: int, seed: int) -> np.ndarray:
    """Skew (degrees, counter-clockwise), blur, gaussian and salt-and-pepper noise, JPEG, then turn."""
    import io

    from PIL import Image, ImageFilter

    rng = np.random.default_rng(seed)
    pil = Image.fromarray(img)
    if skew:
        pil = pil.rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=255)
    pil = pil.filter(ImageFilter.GaussianBlur(0.7))
    arr = np.asarray(pil, dtype=np.float32)
    arr = arr + rng.normal(0, 18, arr.shape)
    mask = rng.random(arr.shape)
    arr[mask < 0.003] = 0
    arr[mask > 0.997] = 255
    pil = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    pil.save(buf, format="JPEG", quality=60)
    pil = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    arr = np.asarray(pil)
    if rotation:
        arr = np.rot90(arr, k=rotation // 90)  # counter-clockwise, like PIL.rotate
    return np.ascontiguousarray(arr)


def synth_conditions() -> list[tuple[int, float, int]]:
    conds = []
    for dpi in (150, 200, 300):
        for skew in (0.0, 1.0, -2.0, 3.0):
            conds.append((dpi, skew, 0))
        for rot in (90, 180, 270):
            for skew in (0.0, -2.0):
                conds.append((dpi, skew, rot))
    return conds


def run_synth(out: Path, threads: int, max_side_len: int, limit: int | None, dpis: list[int] | None = None) -> None:
    import pypdfium2 as pdfium

    engine = make_engine(threads, max_side_len)
    texts = {"id": (TEXT_ID, "Times"), "en": (TEXT_EN, "Helvetica")}
    rendered = {}
    for lang, (text, font) in texts.items():
        rendered[lang] = pdfium.PdfDocument(synth_pdf(text, font))
    rows = []
    conds = [c for c in synth_conditions() if not dpis or c[0] in dpis]
    conds = conds[:limit] if limit else conds
    for n, (dpi, skew, rot) in enumerate(conds):
        for lang, (text, _) in texts.items():
            clean = render_page(rendered[lang], 0, dpi)
            img = degrade(clean, skew, rot, seed=n)
            page = ocr_image(engine, img)
            expected = (360 - rot) % 360
            row = {
                "lang": lang,
                "dpi": dpi,
                "skew": skew,
                "rotation": rot,
                "detected": page.rotation,
                "rotation_ok": page.rotation == expected,
                "cer": round(cer(page.text, text), 4),
                "confidence": page.confidence,
                "skew_est": page.skew,
                "seconds": page.seconds,
                "passes": page.passes,
                "probe": page.probe,
                "size": list(img.shape),
                "errors": diff_ops(page.text, text),
            }
            rows.append(row)
            print(json.dumps(row), file=sys.stderr)
    out.write_text(json.dumps({"max_side_len": max_side_len, "threads": threads, "rows": rows}, indent=1))


# --------------------------------------------------------------------------- text layers


def analyse_layers(pdf_path: Path) -> list[dict[str, Any]]:
    """Per page: characters in the text layer, and counts of text, path and image objects."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    rows = []
    for i in range(len(pdf)):
        page = pdf[i]
        tp = page.get_textpage()
        chars = len(tp.get_text_range().strip())
        kinds: dict[str, int] = {}
        img_area = 0.0
        w, h = page.get_size()
        for obj in page.get_objects(max_depth=8):
            name = {1: "text", 2: "path", 3: "image", 4: "shading", 5: "form"}.get(obj.type, str(obj.type))
            kinds[name] = kinds.get(name, 0) + 1
            if obj.type == 3:
                left, bottom, right, top = obj.get_bounds()
                img_area += max(0, right - left) * max(0, top - bottom)
        if chars >= 20:
            kind = "text"
        elif kinds.get("path", 0) >= 200:
            kind = "outlines?"  # vector-drawn glyphs or a drawing: rasterise and OCR
        elif img_area > 0.5 * w * h:
            kind = "scanned"
        elif kinds.get("image") or kinds.get("path"):
            kind = "figure"
        else:
            kind = "empty"
        rows.append({"page": i + 1, "chars": chars, "objects": kinds, "image_cover": round(img_area / (w * h), 2), "kind": kind})
        tp.close()
        page.close()
    pdf.close()
    return rows


# --------------------------------------------------------------------------- CLI


def _pages(spec: str | None, n: int) -> list[int]:
    if not spec:
        return list(range(n))
    out = []
    for part in spec.split(","):
        a, _, b = part.partition("-")
        out.extend(range(int(a) - 1, int(b or a)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("page")
    p.add_argument("pdf")
    p.add_argument("n", type=int)
    p.add_argument("--dpi", type=int, default=200)
    p.add_argument("--threads", type=int, default=2)
    p = sub.add_parser("pdf")
    p.add_argument("pdf")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--dpi", type=int, default=200)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--pages")
    p = sub.add_parser("bench")
    p.add_argument("pdf")
    p.add_argument("--pages", default="1-8")
    p.add_argument("--dpi", type=int, default=200)
    p = sub.add_parser("synth")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--max-side-len", type=int, default=2000)
    p.add_argument("--limit", type=int)
    p.add_argument("--dpis", type=int, nargs="+")
    p = sub.add_parser("orient")
    p.add_argument("pdf")
    p.add_argument("--pages", default="2-16")
    p.add_argument("--dpi", type=int, default=200)
    p.add_argument("--turns", type=int, nargs="+", default=[0, 90, 180, 270])
    p = sub.add_parser("layers")
    p.add_argument("dir", type=Path)
    args = ap.parse_args(argv)

    if args.cmd == "page":
        page = ocr_pdf_page(make_engine(args.threads), args.pdf, args.n - 1, args.dpi)
        print(page.text)
        print(json.dumps({k: v for k, v in asdict(page).items() if k != "text"}), file=sys.stderr)
    elif args.cmd == "pdf":
        import pypdfium2 as pdfium

        n = len(pdfium.PdfDocument(args.pdf))
        pages = _pages(args.pages, n)
        results, wall = ocr_pages(args.pdf, pages, args.dpi, args.workers, args.threads)
        args.out.mkdir(parents=True, exist_ok=True)
        summary = []
        for i in pages:
            r = results[i]
            head = (
                f"# page {i + 1} of {n} | OCR rapidocr 3.10.0 PP-OCRv6 | dpi {args.dpi} | "
                f"confidence {r['confidence']:.3f} | rotation {r['rotation']} | skew {r['skew']} | "
                f"lines {r['lines']}\n"
            )
            (args.out / f"page-{i + 1:03d}.txt").write_text(head + r["text"] + "\n", encoding="utf-8")
            summary.append({"page": i + 1, **{k: v for k, v in r.items() if k != "text"}, "chars": len(r["text"])})
            if not r["text"].strip():
                print(f"WARNING: page {i + 1} yielded no text", file=sys.stderr)
        (args.out / "pages.json").write_text(json.dumps({"pdf": args.pdf, "dpi": args.dpi, "wall_s": round(wall, 1), "workers": args.workers, "threads": args.threads, "pages": summary}, indent=1))
        print(f"{len(pages)} pages in {wall:.1f} s ({wall / len(pages):.2f} s/page)")
    elif args.cmd == "bench":
        import pypdfium2 as pdfium

        pages = _pages(args.pages, len(pdfium.PdfDocument(args.pdf)))
        import resource
        import subprocess

        report = {}
        for workers, threads in ((1, 2), (2, 1), (1, 1)):
            # Each configuration in a fresh child process, so its CPU time is counted alone.
            code = (
                "import json,resource,sys,time; sys.path.insert(0, %r); import ocr_proto as o; "
                "t=time.time(); l=open('/proc/loadavg').read().split()[0]; "
                "_, wall = o.ocr_pages(%r, %r, %d, %d, %d); "
                "r=resource.getrusage(resource.RUSAGE_SELF); c=resource.getrusage(resource.RUSAGE_CHILDREN); "
                "print(json.dumps({'wall': wall, 'cpu': r.ru_utime+r.ru_stime+c.ru_utime+c.ru_stime, "
                "'maxrss_mib': max(r.ru_maxrss, c.ru_maxrss)/1024, 'load_before': l, 'load_after': open('/proc/loadavg').read().split()[0]}))"
            ) % (str(Path(__file__).resolve().parent), args.pdf, pages, args.dpi, workers, threads)
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            m = json.loads(out.strip().splitlines()[-1])
            n = len(pages)
            report[f"{workers}x{threads}"] = {"s_per_page": round(m["wall"] / n, 2), "cpu_s_per_page": round(m["cpu"] / n, 2), "maxrss_mib": round(m["maxrss_mib"]), "load": [m["load_before"], m["load_after"]]}
            print(f"{workers} process(es) x {threads} thread(s): {m['wall']:.1f} s for {n} pages = {m['wall'] / n:.2f} s/page, CPU {m['cpu'] / n:.2f} s/page, load {m['load_before']}->{m['load_after']}", flush=True)
        print(json.dumps(report))
    elif args.cmd == "synth":
        run_synth(args.out, args.threads, args.max_side_len, args.limit, args.dpis)
    elif args.cmd == "orient":
        import pypdfium2 as pdfium

        engine = make_engine(2)
        pdf = pdfium.PdfDocument(args.pdf)
        ok = total = 0
        for i in _pages(args.pages, len(pdf)):
            img = render_page(pdf, i, args.dpi)
            for rot in args.turns:
                t = time.perf_counter()
                turned = np.ascontiguousarray(np.rot90(img, k=rot // 90))
                det = engine(turned, use_det=True, use_cls=False, use_rec=False)
                detected, probe = decide_rotation(engine, turned, _boxes(det))
                good = detected == (360 - rot) % 360
                ok += good
                total += 1
                row = {"page": i + 1, "turned": rot, "detected": detected, "ok": good, "probe": {k: round(v, 3) for k, v in probe.items()}, "s": round(time.perf_counter() - t, 1)}
                print(json.dumps(row), flush=True)
        print(f"rotation detected correctly on {ok}/{total} pages")
    elif args.cmd == "layers":
        for path in sorted(args.dir.glob("*.pdf")):
            rows = analyse_layers(path)
            odd = [r for r in rows if r["kind"] != "text"]
            print(f"{path.name}: {len(rows)} pages, {len(odd)} without a full text layer")
            for r in odd:
                print("   ", json.dumps(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
