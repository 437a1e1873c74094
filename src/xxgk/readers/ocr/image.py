"""Scanned pages as images: opened within bounds, made grey, straightened.

Pillow decodes PNG, JPEG, TIFF, GIF and BMP.  The pixel count is checked from the header before
anything is decoded (a decompression bomb is refused, not decoded), truncated and damaged files
are refused with one line, and a multi-page TIFF gives one page per frame (bounded).  A page
scanned slightly askew is turned straight: the angle is the one at which the rows of ink line
up best (the horizontal projection of a table or of lines of text is sharpest).
"""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ... import limits
from ...errors import UnreadableInput

#: the steepest skew looked for (degrees); a scan fed askew by more needs a person to look
MAX_SKEW = 3.0
#: the width the skew is measured at (pixels); enough for rows of text to stand out
SKEW_WIDTH = 800


def _check_size(size: tuple[int, int]) -> None:
    w, h = size
    if w <= 0 or h <= 0:
        raise UnreadableInput("图片尺寸无效 (image with no pixels)")
    if w * h > limits.MAX_IMAGE_PIXELS:
        raise UnreadableInput(
            f"图片过大（{w}×{h} 像素，上限 {limits.MAX_IMAGE_PIXELS // 1_000_000} 百万像素）(image too large)"
        )


def open_pages(data: bytes) -> tuple[list[Image.Image], float | None]:
    """The pages of an image file as 8-bit grey images (one per TIFF frame), and the resolution
    (dots per inch) the file gives, if any."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            dpi = _dpi(im.info.get("dpi"))
            pages = []
            for k in range(getattr(im, "n_frames", 1)):
                if k >= limits.MAX_PDF_PAGES:
                    raise UnreadableInput(f"图片页数过多（上限 {limits.MAX_PDF_PAGES} 页）(too many pages)")
                im.seek(k)
                _check_size(im.size)
                pages.append(grey(im))
            return pages, dpi
    except UnreadableInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnreadableInput("图片过大，疑似解压炸弹 (image too large: decompression bomb)") from None
    except UnidentifiedImageError:
        raise UnreadableInput("无法识别的图片格式 (unrecognised image)") from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
        raise UnreadableInput("图片文件已损坏或不完整 (damaged or truncated image)") from None


def _dpi(value) -> float | None:
    if isinstance(value, tuple) and value:
        value = value[0]
    try:
        return float(value) if value else None
    except (TypeError, ValueError):
        return None


def grey(im: Image.Image) -> Image.Image:
    """An image as 8-bit grey, transparency flattened onto white, EXIF orientation applied."""
    im = ImageOps.exif_transpose(im)
    if im.mode in ("RGBA", "LA", "P", "PA"):
        im = im.convert("RGBA")
        white = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(white, im)
    return im.convert("L")


def ink_threshold(pixels: np.ndarray) -> int:
    """Otsu's threshold: the grey level that best separates ink from paper."""
    hist = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 128
    levels = np.arange(256)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    w1 = total - w0
    mean_all = m0[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean_all * w0 / total - m0) ** 2 / (w0 * w1)
    between[~np.isfinite(between)] = 0
    return int(np.argmax(between))


def _sharpness(ink: Image.Image, angle: float) -> float:
    rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0), dtype=np.float64).sum(axis=1)
    return float((rows * rows).sum())


def skew_angle(im: Image.Image) -> float:
    """The angle (degrees, counter-clockwise) that makes the page's rows of ink horizontal."""
    scale = min(1.0, SKEW_WIDTH / im.width)
    small = im.resize((max(1, round(im.width * scale)), max(1, round(im.height * scale))), Image.Resampling.BOX)
    pixels = np.asarray(small)
    ink = Image.fromarray(((pixels < ink_threshold(pixels)) * 1).astype(np.uint8))
    best, step = 0.0, 0.25
    candidates = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, step)
    for _ in range(3):
        scores = [(_sharpness(ink, a), -abs(a), a) for a in candidates]
        best = max(scores)[2]
        step /= 5
        candidates = best + np.arange(-4, 5) * step
    return float(best)


def straighten(im: Image.Image) -> Image.Image:
    """The page turned so that its rows of ink are horizontal."""
    angle = skew_angle(im)
    if abs(angle) < 0.02:
        return im
    return im.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255, expand=False)


def whiten(im: Image.Image, threshold: int) -> Image.Image:
    """The paper made plain white: every pixel lighter than halfway between the ink threshold
    and the paper's own grey becomes 255.  Grain on the paper throws Tesseract off far more than
    it does a reader (a clean 951 read as "gol"); the ink and its edges are kept as they are."""
    pixels = np.asarray(im)
    paper = int(np.median(pixels))
    cutoff = (threshold + max(paper, threshold)) // 2
    return Image.fromarray(np.where(pixels > cutoff, 255, pixels).astype(np.uint8))
