"""Scans made from PDFs, for the OCR reader's tests and benchmark: each page rasterised (PDFium)
at a given resolution, turned slightly askew and given grain, then written as an image-only PDF
(Pillow) and as PNG files.  Also the comparison of what OCR read with what was published."""

from __future__ import annotations

import io
import random

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from ..checks import check_report
from ..checks.rules.ocr import LOW_CONFIDENCE
from ..report.model import Report


def scan_pages(pdf: bytes, dpi: int, rng: random.Random, tilt: tuple[float, float] = (0.5, 1.0), noise: float = 10.0) -> list[Image.Image]:
    """The pages of ``pdf`` as grey scans: rotated by ±``tilt`` degrees, with Gaussian grain."""
    doc = pdfium.PdfDocument(pdf)
    out = []
    try:
        for page in doc:
            im = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            angle = rng.uniform(*tilt) * rng.choice((-1, 1))
            im = im.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
            grain = np.random.default_rng(rng.randrange(1 << 30)).normal(0.0, noise, (im.height, im.width))
            pixels = np.clip(np.asarray(im, dtype=np.float64) + grain, 0, 255).astype(np.uint8)
            out.append(Image.fromarray(pixels))
    finally:
        doc.close()
    return out


def image_pdf(pages: list[Image.Image], dpi: int) -> bytes:
    """An image-only PDF of the pages (no text layer), as a scanner writes it."""
    buf = io.BytesIO()
    pages[0].save(buf, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return buf.getvalue()


def png(page: Image.Image, dpi: int) -> bytes:
    buf = io.BytesIO()
    page.save(buf, format="PNG", dpi=(dpi, dpi))
    return buf.getvalue()


#: the rule families that flag a cell as not to be trusted
FLAGS = ("identity", "cell", "ocr")


def compare(expected: Report, read: Report) -> tuple[int, list[str], list[str]]:
    """How many number cells there are, the keys not read exactly, and those of them that hold
    a wrong number nothing flags: no finding of an identity, of a cell or of a low OCR
    confidence names the cell, and its confidence is not low.  (A cell left without a number
    is not exact, but claims nothing: null is not a number.)"""
    keys = expected.spec.cell_keys
    wrong = [k for k in keys if expected.cells[k].value != read.cells[k].value]
    findings = check_report(read)
    named = {k for f in findings if f.rule.split(".")[0] in FLAGS for k in (f.cells or ())}
    unflagged = []
    for k in wrong:
        cell = read.cells[k]
        if cell.value is None or k in named or (cell.confidence is not None and cell.confidence < LOW_CONFIDENCE):
            continue
        unflagged.append(k)
    return len(keys), wrong, unflagged
