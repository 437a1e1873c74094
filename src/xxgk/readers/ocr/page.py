"""One scanned page into :class:`~xxgk.readers.pages.PageContent`: characters and ruling lines.

The page is straightened, its ruling lines found (:mod:`.rules`) and the grids they draw built
by the same code that reads a PDF's drawn tables.  Each cell of a grid is then read on its own
(its text cannot run into its neighbours'): first as a number, and if it reads as one, again
with digits only (two reads that agree confirm each other, two that differ leave the cell with
a low confidence); otherwise as Chinese text.  A cell with ink in it and nothing read has confidence 0.  The rest of the
page (tables blanked out) is read as running text.  Every cell's confidence is the lowest of
its characters' (the weakest character decides), and goes with the page as a confidence area.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from ..pages import PageContent, Rule
from ..pages.ruled import RuledTable, find_grids
from . import engine
from .image import ink_threshold, straighten
from .rules import find_rules

#: table cells are read at this many points per pixel (400 dpi): Tesseract misreads a lone
#: digit of body size at 300 dpi (a 9 as "2)"), so coarser cells are enlarged to it
READ_SCALE = 72 / 400
#: white margin (pixels) put around a cell before it is read
PAD = 12
#: inner margin of a cell left out of its crop (points): the ruling line and its blur
INSET = 1.2
#: share of a cell's pixels that must be ink (after removing specks) for it to hold something
MIN_INK = 0.002
#: a cell with no ink: its emptiness is as sure as this
BLANK_CONFIDENCE = 0.99
#: two reads of a number that disagree leave it at most this sure
DISAGREE_CONFIDENCE = 0.3
#: most characters other than digits and number punctuation in a cell read as a number
MAX_JUNK = 2
#: a table is at least this wide and tall (points): smaller grids of lines are strokes of large
#: characters that happen to meet, not a table
MIN_TABLE_WIDTH = 60.0
MIN_TABLE_HEIGHT = 28.0

_NUMERIC = re.compile(r"[\d.,\-%]+")


def _has_ink(crop: Image.Image, threshold: int) -> bool:
    clean = np.asarray(crop.filter(ImageFilter.MedianFilter(3)))
    if clean.size == 0:
        return False
    return float((clean < threshold).mean()) >= MIN_INK


def _prepare(crop: Image.Image, scale: float) -> tuple[Image.Image, float]:
    factor = scale / READ_SCALE
    if factor > 1.2:
        crop = crop.resize((round(crop.width * factor), round(crop.height * factor)), Image.Resampling.LANCZOS)
    else:
        factor = 1.0
    return ImageOps.expand(crop, PAD, fill=255), factor


def _text(symbols: list[engine.Symbol]) -> str:
    return "".join(s.text for s in symbols)


def read_cell(crop: Image.Image, scale: float) -> tuple[list[engine.Symbol], float, float]:
    """The characters of one cell (boxes in the crop's pixels), its confidence, and the factor
    the crop was enlarged by.

    The cell is read as a number first; if it reads as one (digits and number punctuation only)
    it is read again allowing digits only, and the two reads must agree.  Otherwise it is text,
    read with the Chinese model."""
    image, factor = _prepare(crop, scale)
    symbols = engine.read(image, "number")
    text = _text(symbols)
    if symbols and _NUMERIC.fullmatch(text):
        confidence = min(s.confidence for s in symbols)
        digits = engine.read(image, "digits")
        if _text(digits) != text:
            confidence = min(confidence, DISAGREE_CONFIDENCE)
        return symbols, confidence, factor
    junk = sum(1 for c in text if not _NUMERIC.fullmatch(c))
    if any(c.isdigit() for c in text) and junk <= MAX_JUNK and len(text) <= MAX_JUNK + 12:
        # a number with a stray mark or two read into it: the digits-only read is kept, unsure
        digits = engine.read(image, "digits")
        if digits:
            return digits, min(DISAGREE_CONFIDENCE, *(s.confidence for s in digits)), factor
    symbols = engine.read(image, "text")
    return symbols, min((s.confidence for s in symbols), default=0.0), factor


def _inside(rule: Rule, grid: RuledTable, tol: float = 3.0) -> bool:
    return (
        grid.xs[0] - tol <= rule.x0 and rule.x1 <= grid.xs[-1] + tol
        and grid.ys[0] - tol <= rule.y0 and rule.y1 <= grid.ys[-1] + tol
    )  # fmt: skip


def read_page(im: Image.Image, scale: float, number: int, check: Callable[[], None] = lambda: None) -> PageContent:
    """Read one page image; ``scale`` is points per pixel; ``check`` is called before each read
    (and raises when the time for the file is up)."""
    im = straighten(im)
    pixels = np.asarray(im)
    threshold = ink_threshold(pixels)
    rules = find_rules(pixels < threshold, scale)
    grids = [
        g
        for g in find_grids(rules, number)
        if g.xs[-1] - g.xs[0] >= MIN_TABLE_WIDTH and g.ys[-1] - g.ys[0] >= MIN_TABLE_HEIGHT
    ]
    rules = [r for r in rules if any(_inside(r, g) for g in grids)]
    glyphs = []
    areas = []
    rest = im.copy()
    inset = max(1, round(INSET / scale))
    for grid in grids:
        box = [round(v / scale) for v in (grid.xs[0], grid.ys[0], grid.xs[-1], grid.ys[-1])]
        rest.paste(255, (box[0] - inset, box[1] - inset, box[2] + inset + 1, box[3] + inset + 1))
        for cell in grid.cells:
            x0, y0 = round(cell.x0 / scale) + inset, round(cell.y0 / scale) + inset
            x1, y1 = round(cell.x1 / scale) - inset, round(cell.y1 / scale) - inset
            if x1 - x0 < 4 or y1 - y0 < 4:
                continue
            crop = im.crop((x0, y0, x1, y1))
            if not _has_ink(crop, threshold):
                areas.append((cell.x0, cell.y0, cell.x1, cell.y1, BLANK_CONFIDENCE))
                continue
            check()
            symbols, confidence, factor = read_cell(crop, scale)
            areas.append((cell.x0, cell.y0, cell.x1, cell.y1, confidence))
            for s in symbols:
                glyphs.append(
                    (
                        ((s.x0 - PAD) / factor + x0) * scale,
                        ((s.y0 - PAD) / factor + y0) * scale,
                        ((s.x1 - PAD) / factor + x0) * scale,
                        ((s.y1 - PAD) / factor + y0) * scale,
                        s.text,
                    )
                )
    check()
    for s in engine.read(rest, "page"):
        box = (s.x0 * scale, s.y0 * scale, s.x1 * scale, s.y1 * scale)
        glyphs.append((*box, s.text))
        areas.append((*box, s.confidence))
    return PageContent(number, im.width * scale, im.height * scale, glyphs, rules, areas)
