"""Ruling lines found in a page image.

A ruling line is a long straight run of ink: pixels in one row (or column) that are dark over a
length no character stroke reaches.  Gaps of a pixel or two (noise, a faint scan) are closed
first; runs in neighbouring pixel rows are one line.  The lines are returned as
:class:`~xxgk.readers.pages.Rule` boxes in points, as a PDF's drawn lines are, so that the same
table builder (:mod:`xxgk.readers.pages.ruled`) reads both.
"""

from __future__ import annotations

import numpy as np

from ..pages import Rule
from ..pages.ruled import merge_segments

#: a horizontal run of ink at least this long (points) is a ruling line: longer than any stroke
#: of a character in body text, shorter than the narrowest column of a report's table
MIN_H = 18.0
#: a vertical run at least this long (points): shorter than the lowest row of a table
MIN_V = 12.0
#: gaps (pixels) closed inside a run
GAP = 2


def _close(ink: np.ndarray) -> np.ndarray:
    """Ink with gaps of up to :data:`GAP` pixels along axis 1 filled."""
    out = ink.copy()
    for a in range(1, GAP + 1):
        for b in range(1, GAP + 2 - a):
            left = np.zeros_like(ink)
            right = np.zeros_like(ink)
            left[:, a:] = ink[:, :-a]
            right[:, :-b] = ink[:, b:]
            out |= left & right
    return out


def _runs(ink: np.ndarray, min_len: int) -> list[tuple[float, float, float]]:
    """Runs of ink along axis 1 at least ``min_len`` long, as (row, start, end) in pixels."""
    padded = np.zeros((ink.shape[0], ink.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = ink
    step = np.diff(padded, axis=1)
    rows, starts = np.nonzero(step == 1)
    _, ends = np.nonzero(step == -1)
    keep = ends - starts >= min_len
    return list(zip(rows[keep].astype(float), starts[keep].astype(float), ends[keep].astype(float)))


def find_rules(ink: np.ndarray, scale: float) -> list[Rule]:
    """Ruling lines in a page's ink mask (True = ink); ``scale`` is points per pixel."""
    out: list[Rule] = []
    h_runs = _runs(_close(ink), max(2, round(MIN_H / scale)))
    for y, x0, x1 in merge_segments(h_runs, 1.5):
        out.append(Rule(x0 * scale, y * scale, x1 * scale, (y + 1) * scale))
    v_runs = _runs(_close(ink.T), max(2, round(MIN_V / scale)))
    for x, y0, y1 in merge_segments(v_runs, 1.5):
        out.append(Rule(x * scale, y0 * scale, (x + 1) * scale, y1 * scale))
    return out
