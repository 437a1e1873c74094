"""A table as found on one page: cells as boxes on a grid of row and column edges.

Both table builders (:mod:`.ruled`, :mod:`.aligned`) produce :class:`Fragment` objects; :mod:`.flow`
joins the fragments of a table continued over several pages and turns them into a
:class:`~xxgk.document.Table`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from .model import Glyph
from .text import Line, group_lines, join_lines


@dataclass(slots=True)
class GridCell:
    x0: float
    y0: float
    x1: float
    y1: float
    page: int
    glyphs: list[Glyph] = field(default_factory=list)
    text: str = ""
    lines: list[Line] = field(default_factory=list)
    confidence: float | None = None  # how sure the OCR reading of the text is (None: exact)

    def finish(self) -> None:
        self.lines = group_lines(self.glyphs)
        self.text = join_lines([line.text for line in self.lines])


@dataclass(slots=True)
class Fragment:
    """The part of a table on one page."""

    page: int
    cells: list[GridCell]
    x0: float
    y0: float
    x1: float
    y1: float
    ruled: bool = True

    @property
    def top(self) -> float:
        return self.y0


def set_confidence(cells: list[GridCell], areas: list[tuple[float, float, float, float, float]]) -> None:
    """Each cell's confidence: :func:`area_confidence` of its box."""
    for c in cells:
        c.confidence = area_confidence(c, areas)


def area_confidence(box: Line | GridCell, areas: list[tuple[float, float, float, float, float]]) -> float:
    """A box's confidence: the lowest of the OCR areas whose centre lies in it (1.0 if none)."""
    return min(
        (
            conf
            for x0, y0, x1, y1, conf in areas
            if box.x0 <= (x0 + x1) / 2 <= box.x1 and box.y0 <= (y0 + y1) / 2 <= box.y1
        ),
        default=1.0,
    )


def cluster(values: list[float], tol: float) -> list[float]:
    """Sorted values with those closer than ``tol`` merged (into their mean)."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def index_of(edges: list[float], v: float) -> int:
    """Index of the edge nearest to ``v``."""
    i = bisect_right(edges, v)
    if i == 0:
        return 0
    if i == len(edges):
        return len(edges) - 1
    return i if edges[i] - v < v - edges[i - 1] else i - 1
