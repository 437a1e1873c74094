"""One scanned page into :class:`~xxgk.readers.pages.PageContent`: characters and ruling lines.

A page scanned finer than 200 dpi is averaged down to it.  The page is straightened, its ruling
lines found (:mod:`.rules`) and the grids they draw built by the same code that reads a PDF's
drawn tables.  The paper is whitened, and each cell of a grid read on its own (its text cannot
run into its neighbours'), line by line: as a number if it reads as one
(:func:`_read_line_number`: two reads that agree, or the number most of several reads give),
otherwise as Chinese text.  A cell without ink is blank (and surely so); a cell
with ink and nothing read has confidence 0.  The rest of the page (tables blanked out) is read
line by line as running text.  Every cell's confidence is the lowest of its characters' (the
weakest character decides) and goes with the page as a confidence area, as does every character
of the running text (a paragraph is as sure as its weakest character).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

import numpy as np
from PIL import Image, ImageOps

from ..pages import PageContent, Rule
from ..pages.ruled import RuledTable, find_grids
from . import engine
from .image import ink_threshold, straighten, whiten
from .rules import find_rules

#: table cells are read at these resolutions (points per pixel), coarser cells enlarged to
#: them: Tesseract's reading of a lone digit changes with its size (a 5 read as 5 at 300 and
#: 600 dpi, as "i)" at 400), so a number is read at the next size until two reads agree
READ_SCALES = (72 / 300, 72 / 400, 72 / 600)
#: a page scanned finer than this (points per pixel) is first averaged down to it: at 300 dpi
#: the scanner's grain breaks up thin strokes, and Tesseract reads a 5 as 9 or 3 where the
#: same page averaged down to 200 dpi (and enlarged back for each read) reads right
FINEST_SCALE = 72 / 200
#: white margin (pixels) put around a cell before it is read
PAD = 12
#: inner margin of a cell left out of its crop (points): the ruling line and its blur
INSET = 1.2
#: how far into a cell (points) what is left of a ruling line is looked for, and the share of a
#: pixel column or row that must be marked (darker than the whitened paper) for it to be one
EDGE = 2.0
EDGE_INK = 0.6
#: the share of a pixel column or row beside such a one, marked, that makes it the rule's blurred edge
EDGE_FADE = 0.25
#: ink (square points, specks removed) a cell must hold to hold something: a thin "1" has 5
MIN_INK_AREA = 2.0
#: white kept around the ink of a cell when it is read (points)
MARGIN = 2.0
#: a line of a cell whose ink is no wider than this many times its height holds one narrow
#: character (a digit is about 0.6 of its height; a Chinese character is square)
LONE_WIDTH = 0.85
#: rows of ink closer than this (points) are one line of a cell
LINE_GAP = 1.5
#: a line of running text is at least this tall (points): lower bands of ink are rules or specks
MIN_LINE_HEIGHT = 4.0
#: a cell with more lines than this is text, not a number wrapped in a narrow column
MAX_NUMBER_LINES = 4
#: a cell with no ink: its emptiness is as sure as this
BLANK_CONFIDENCE = 0.99
#: most characters other than digits and number punctuation in a line read as a number (and
#: no more of them than digits)
MAX_JUNK = 2
#: a table is at least this wide and tall (points): smaller grids of lines are strokes of large
#: characters that happen to meet, not a table
MIN_TABLE_WIDTH = 60.0
MIN_TABLE_HEIGHT = 28.0

_NUMERIC = re.compile(r"[\d.,\-%]+")
#: letters the Latin model reads for a digit it cannot make out (a "-1" read as "-l" or "-|")
DIGIT_LIKE = frozenset("lI|oO")


def _ink(crop: Image.Image, threshold: int) -> np.ndarray:
    """The crop's ink (True), without specks: a dark pixel with no dark neighbour is grain."""
    ink = np.asarray(crop) < threshold
    if ink.size == 0:
        return ink
    padded = np.pad(ink, 1)
    h, w = ink.shape
    neighbours = np.zeros(ink.shape, dtype=bool)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dy or dx:
                neighbours |= padded[1 + dy : 1 + dy + h, 1 + dx : 1 + dx + w]
    return ink & neighbours


def _bands(ink: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """The lines of a cell: runs of pixel rows with ink, those closer than ``gap`` joined."""
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return []
    out = [[int(rows[0]), int(rows[0]) + 1]]
    for r in rows[1:]:
        if r - out[-1][1] < gap:
            out[-1][1] = int(r) + 1
        else:
            out.append([int(r), int(r) + 1])
    return [(a, b) for a, b in out]


def _prepare(crop: Image.Image, scale: float, read_scale: float) -> tuple[Image.Image, float]:
    """A piece of a cell enlarged to ``read_scale`` and framed in white.  Bilinear: Lanczos
    rings around the whitened ink's edges, and Tesseract's Chinese model then returns nothing
    for whole lines."""
    factor = scale / read_scale
    if factor > 1.2:
        crop = crop.resize((round(crop.width * factor), round(crop.height * factor)), Image.Resampling.BILINEAR)
    else:
        factor = 1.0
    return ImageOps.expand(crop, PAD, fill=255), factor


def _text(symbols: list[engine.Symbol]) -> str:
    return "".join(s.text for s in symbols)


def _read(crop: Image.Image, scale: float, mode: str, top: int = 0, read_scale: float = READ_SCALES[0]):
    """Read a piece of a cell; boxes come back in the cell's pixels (``top``: the piece's offset)."""
    image, factor = _prepare(crop, scale, read_scale)

    def back(v: int) -> int:
        return round((v - PAD) / factor)

    return [
        replace(s, x0=back(s.x0), x1=back(s.x1), y0=back(s.y0) + top, y1=back(s.y1) + top)
        for s in engine.read(image, mode)
    ]


def _read_line_number(line: Image.Image, scale: float, top: int, lone: bool) -> tuple[list, float] | None:
    """One line of a cell read as a number, and how sure that is; None if it is not a number.

    The line is read with the Latin model, and again allowing digits only: if both give the
    same number, that is the reading.  A line whose first read has no digit is text (unless it
    is ``lone``, room for one narrow character only: a lone digit misread as a letter, or reads
    as :data:`DIGIT_LIKE` letters), and so is one with digits among several letters or more
    letters than digits (a label such as "2.重复申请").  Otherwise the reads disagree: the line
    is read again at each of :data:`READ_SCALES`, as a line, as a word and with digits only, and
    the number most reads give wins (:func:`_vote`); its confidence is the share of the reads
    that give it, so a number not read the same way by nearly all stays flagged."""
    read = _read(line, scale, "number", top)
    text = _text(read)
    if not any(c.isdigit() for c in text):
        # (``lone``: or a later line of a number wrapped in a narrow column)
        like_digits = any(c in DIGIT_LIKE for c in text) and all(c in DIGIT_LIKE or _NUMERIC.fullmatch(c) for c in text)
        if not lone and not like_digits:
            return None
    elif (junk := sum(1 for c in text if not _NUMERIC.fullmatch(c))) > MAX_JUNK or junk > sum(map(str.isdigit, text)):
        return None  # (more letters than digits: a label, "1.属于国家秘密" read as "1FA")
    digits = _read(line, scale, "digits", top)
    if _NUMERIC.fullmatch(text) and _text(digits) == text:
        return read, min(s.confidence for s in read)
    reads = [("number", read), ("digits", digits)]
    for read_scale in READ_SCALES:
        for mode in ("number", "word", "digits"):
            if read_scale != READ_SCALES[0] or mode == "word":
                reads.append((mode, _read(line, scale, mode, top, read_scale)))
    return _vote(reads, lone)


def _vote(reads: list[tuple[str, list[engine.Symbol]]], lone: bool) -> tuple[list, float] | None:
    """The number most reads give, and the share of the reads that give it (or less, if its
    characters are less sure).  The digits and the sign are voted on apart: a read as one word
    drops a leading minus sign ("-1" read as "1"), so only line reads tell the sign."""
    numbers = [(mode, r, t) for mode, r in reads if _NUMERIC.fullmatch(t := _text(r)) and t.lstrip("-")]
    votes = Counter(t.lstrip("-") for _, _, t in numbers)
    if not votes:
        return None if not lone else ([], 0.0)
    best, count = votes.most_common(1)[0]
    signs = [t.startswith("-") for mode, _, t in numbers if mode != "word"]
    negative = sum(signs) * 2 > len(signs)
    sign_share = max(sum(signs), len(signs) - sum(signs)) / len(signs) if signs else 1.0
    wanted = "-" + best if negative else best
    winner = next((r for _, r, t in numbers if t == wanted), None)
    if winner is None:  # the digits of one read and the sign of others
        body = [s for s in next(r for _, r, t in numbers if t.lstrip("-") == best) if s.text != "-"]
        minus = next(r[0] for mode, r, t in numbers if mode != "word" and t.startswith("-"))
        winner = [minus, *body] if negative else body
    return winner, min(count / len(reads), sign_share, *(s.confidence for s in winner))


def _read_number(crop: Image.Image, ink: np.ndarray, scale: float, bands: list[tuple[int, int]]):
    """The cell read as a number, line by line, with its confidence; None if it is not one."""
    margin = max(1, round(1.0 / scale))
    symbols: list[engine.Symbol] = []
    confidence = 1.0
    before: tuple[Image.Image, str] | None = None  # the line before, cut to its ink, and its reading
    for y0, y1 in bands:
        cols = np.flatnonzero(ink[y0:y1].any(axis=0))
        lone = cols.size > 0 and cols[-1] - cols[0] + 1 <= LONE_WIDTH * (y1 - y0)
        top, bottom = max(0, y0 - margin), min(crop.height, y1 + margin)
        line = crop.crop((0, top, crop.width, bottom))
        read = _read_line_number(line, scale, top, lone or bool(symbols))
        if read is None:
            return None
        if not read[0] and before is not None and cols.size:
            read = _read_continued(before, line, scale, (int(cols[0]), top, int(cols[-1]) + 1, bottom)) or read
        symbols += read[0]
        confidence = min(confidence, read[1])
        if cols.size and read[0]:
            ink_box = (max(0, int(cols[0]) - margin), 0, min(line.width, int(cols[-1]) + 1 + margin), line.height)
            before = line.crop(ink_box), _text(read[0])
    return symbols, confidence


def _read_continued(before: tuple[Image.Image, str], line: Image.Image, scale: float, box: tuple[int, int, int, int]):
    """A line Tesseract reads nothing in (a lone "1" ending a number wrapped in a narrow column)
    read after the line before it, set side by side as one line: its reading (boxes spread over
    ``box``, the line's ink in the cell) if the joined line reads as the line before and more."""
    prev, prev_text = before
    x0, top, x1, bottom = box
    margin = max(1, round(1.0 / scale))
    piece = line.crop((max(0, x0 - margin), 0, min(line.width, x1 + margin), line.height))
    joined = Image.new("L", (prev.width + piece.width, max(prev.height, piece.height)), 255)
    joined.paste(prev, (0, 0))
    joined.paste(piece, (prev.width, 0))
    read = _read_line_number(joined, scale, 0, False)
    if read is None or not read[0]:
        return None
    text = _text(read[0])
    if not text.startswith(prev_text) or len(read[0]) <= len(prev_text) or len(text) != len(read[0]):
        return None
    rest = read[0][len(prev_text) :]
    step = (x1 - x0) / len(rest)
    boxes = [(round(x0 + k * step), round(x0 + (k + 1) * step)) for k in range(len(rest))]
    return [replace(s, x0=a, x1=b, y0=top, y1=bottom) for s, (a, b) in zip(rest, boxes)], read[1]


#: how a line of text is read until one gives characters: (mode, resolution, margin in
#: points); Tesseract's Chinese model returns nothing for some lines at one size or margin
#: and reads them at another
TEXT_TRIES = (
    ("line", READ_SCALES[0], 3.0),
    ("line", READ_SCALES[0], 6.0),
    ("line", READ_SCALES[1], 3.0),
    ("line", READ_SCALES[0], 1.0),
    ("text", READ_SCALES[0], 6.0),
    ("raw", READ_SCALES[0], 3.0),
)


def _read_text(
    crop: Image.Image, scale: float, bands: list[tuple[int, int]], check: Callable[[], None] = lambda: None
) -> tuple[list, float]:
    """A cell (or the running text of a page) read as Chinese text, line by line (a block read
    of a narrow cell drops whole lines, a page read drops headings); each line tried as in
    :data:`TEXT_TRIES`, never reaching into its neighbours."""
    symbols: list[engine.Symbol] = []
    for k, (y0, y1) in enumerate(bands):
        check()
        above = (bands[k - 1][1] + y0) // 2 if k else 0
        below = (y1 + bands[k + 1][0]) // 2 if k + 1 < len(bands) else crop.height
        for mode, read_scale, margin in TEXT_TRIES:
            m = round(margin / scale)
            top = max(above, y0 - m)
            line = _read(crop.crop((0, top, crop.width, min(below, y1 + m))), scale, mode, top, read_scale)
            if line:
                symbols += line
                break
    return symbols, min((s.confidence for s in symbols), default=0.0)


def _clear_edges(crop: Image.Image, ink: np.ndarray, depth: int) -> tuple[Image.Image, np.ndarray]:
    """The crop with what is left of the cell's ruling lines along its sides made white: a
    column (row) within ``depth`` pixels of a side that is mostly marked, and all between it and
    the side (a sliver of rule read beside a 0 makes it 10).  Marked is anything darker than
    the (whitened) paper: a rule's grey edge is lighter than ink, and Tesseract, which
    thresholds the crop on its own, reads it as a "|" before the number."""
    h, w = ink.shape
    if h == 0 or w == 0:
        return crop, ink
    marked = np.asarray(crop) < 255
    cols, rows = marked.mean(axis=0), marked.mean(axis=1)
    left = max((c + 1 for c in range(min(depth, w)) if cols[c] >= EDGE_INK), default=0)
    right = min((c for c in range(max(0, w - depth), w) if cols[c] >= EDGE_INK), default=w)
    top = max((r + 1 for r in range(min(depth, h)) if rows[r] >= EDGE_INK), default=0)
    bottom = min((r for r in range(max(0, h - depth), h) if rows[r] >= EDGE_INK), default=h)
    # and the rule's blurred edge beside it (a third of a column dark joins a number's two lines)
    while 0 < left < min(depth, w) and cols[left] >= EDGE_FADE:
        left += 1
    while w - depth < right < w and cols[right - 1] >= EDGE_FADE:
        right -= 1
    while 0 < top < min(depth, h) and rows[top] >= EDGE_FADE:
        top += 1
    while h - depth < bottom < h and rows[bottom - 1] >= EDGE_FADE:
        bottom -= 1
    if (left, right, top, bottom) == (0, w, 0, h):
        return crop, ink
    pixels = np.array(crop)
    ink = ink.copy()
    for region in (np.s_[:, :left], np.s_[:, right:], np.s_[:top, :], np.s_[bottom:, :]):
        pixels[region] = 255
        ink[region] = False
    return Image.fromarray(pixels), ink


def read_cell(crop: Image.Image, scale: float, threshold: int) -> tuple[list[engine.Symbol], float] | None:
    """The characters of one cell (boxes in the crop's pixels) and its confidence; None for a
    cell with no ink.

    The cell is cut into its lines (rows of ink) and each line read as a number, then again
    allowing digits only: the two reads must agree.  A cell that does not read as a number is
    text, read as one block with the Chinese model."""
    ink = _ink(crop, threshold)
    crop, ink = _clear_edges(crop, ink, max(1, round(EDGE / scale)))
    if ink.sum() * scale * scale < MIN_INK_AREA:
        return None
    # a number is read from the part with ink in it: Tesseract's Latin model misreads a lone
    # digit in a wide grainy cell (a 7 as 这) and reads it in a tight crop; its Chinese model
    # is the other way round, and reads text from the whole cell
    ys, xs = np.nonzero(ink)
    m = max(1, round(MARGIN / scale))
    x0, y0 = max(0, int(xs.min()) - m), max(0, int(ys.min()) - m)
    x1, y1 = min(crop.width, int(xs.max()) + m + 1), min(crop.height, int(ys.max()) + m + 1)
    tight, ink = crop.crop((x0, y0, x1, y1)), ink[y0:y1, x0:x1]
    bands = _bands(ink, max(1, round(LINE_GAP / scale)))
    if len(bands) <= MAX_NUMBER_LINES:
        read = _read_number(tight, ink, scale, bands)
        if read is not None:
            symbols, confidence = read
            return [replace(s, x0=s.x0 + x0, x1=s.x1 + x0, y0=s.y0 + y0, y1=s.y1 + y0) for s in symbols], confidence
    return _read_text(crop, scale, [(a + y0, b + y0) for a, b in bands])


def _inside(rule: Rule, grid: RuledTable, tol: float = 3.0) -> bool:
    return (
        grid.xs[0] - tol <= rule.x0 and rule.x1 <= grid.xs[-1] + tol
        and grid.ys[0] - tol <= rule.y0 and rule.y1 <= grid.ys[-1] + tol
    )  # fmt: skip


def _average_down(im: Image.Image, scale: float) -> tuple[Image.Image, float]:
    """A page scanned finer than :data:`FINEST_SCALE` averaged down to it, and its new scale."""
    factor = scale / FINEST_SCALE
    size = (max(1, round(im.width * factor)), max(1, round(im.height * factor)))
    return im.resize(size, Image.Resampling.BOX), scale * im.width / size[0]


def read_page(im: Image.Image, scale: float, number: int, check: Callable[[], None] = lambda: None) -> PageContent:
    """Read one page image; ``scale`` is points per pixel; ``check`` is called before each read
    (and raises when the time for the file is up)."""
    if scale < FINEST_SCALE * 0.9:
        im, scale = _average_down(im, scale)
    im = straighten(im)
    pixels = np.asarray(im)
    threshold = ink_threshold(pixels)
    rules = find_rules(pixels < threshold, scale)
    im = whiten(im, threshold)
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
            check()
            read = read_cell(im.crop((x0, y0, x1, y1)), scale, threshold)
            if read is None:
                areas.append((cell.x0, cell.y0, cell.x1, cell.y1, BLANK_CONFIDENCE))
                continue
            symbols, confidence = read
            areas.append((cell.x0, cell.y0, cell.x1, cell.y1, confidence))
            for s in symbols:
                glyphs.append(((s.x0 + x0) * scale, (s.y0 + y0) * scale, (s.x1 + x0) * scale, (s.y1 + y0) * scale, s.text))
    ink = _ink(rest, threshold)
    lines = [(a, b) for a, b in _bands(ink, max(1, round(LINE_GAP / scale))) if (b - a) * scale >= MIN_LINE_HEIGHT]
    symbols, _ = _read_text(rest, scale, lines, check)
    for s in symbols:
        box = (s.x0 * scale, s.y0 * scale, s.x1 * scale, s.y1 * scale)
        glyphs.append((*box, s.text))
        areas.append((*box, s.confidence))
    return PageContent(number, im.width * scale, im.height * scale, glyphs, rules, areas)
