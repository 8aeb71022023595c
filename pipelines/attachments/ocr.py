"""OCR for scanned pages and images: RapidOCR (PaddleOCR's PP-OCRv4 Chinese models run by ONNX
Runtime), whose wheel ships the models, so nothing is downloaded at run time.

Optional: ``pip install -e '.[ocr]'``. Without it, a scan gets ``attachment:needs_ocr``.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache, reduce

from pipelines.attachments.text import glue

MODULE = "rapidocr_onnxruntime"
# one thread per engine: the crawl runs one extraction worker per core already
THREADS = 1


def available() -> bool:
    return importlib.util.find_spec(MODULE) is not None


@lru_cache(maxsize=1)
def engine():
    "Loaded once per process (~1.5 s: three ONNX models)."
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(intra_op_num_threads=THREADS, inter_op_num_threads=THREADS)


def version() -> str:
    from importlib.metadata import version as dist_version

    return f"rapidocr-onnxruntime {dist_version('rapidocr-onnxruntime')}"


def image_lines(image) -> list[str]:
    """The text lines of a PIL image, top to bottom: boxes whose vertical centres lie within half a
    line height of each other are one line, read left to right."""
    import numpy as np

    found, _ = engine()(np.asarray(image.convert("RGB")), use_cls=False)
    boxes = []
    for box, text, _score in found or []:
        ys = [p[1] for p in box]
        boxes.append(((min(ys) + max(ys)) / 2, max(ys) - min(ys), min(p[0] for p in box), text))
    boxes.sort()
    lines: list[list[tuple]] = []
    for box in boxes:
        if lines and abs(box[0] - lines[-1][0][0]) < lines[-1][0][1] / 2:
            lines[-1].append(box)
        else:
            lines.append([box])
    return [reduce(glue, (b[3] for b in sorted(line, key=lambda b: b[2])), "") for line in lines]
