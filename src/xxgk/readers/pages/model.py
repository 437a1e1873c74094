"""What a page holds for layout analysis: glyphs with boxes and ruling lines.

Coordinates are in points with the origin at the page's top-left corner and y growing downwards,
as the page is seen (after the page's own rotation).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: one character and its box: (x0, y0, x1, y1, text) with x0 <= x1 and y0 (top) <= y1 (bottom);
#: a plain tuple because a page has thousands of them
Glyph = tuple[float, float, float, float, str]


@dataclass(frozen=True, slots=True)
class Rule:
    """A ruling line (a stroked line or a thin filled rectangle), as its box."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.x1 - self.x0 >= self.y1 - self.y0


@dataclass(slots=True)
class PageContent:
    number: int  # 1-based page number
    width: float
    height: float
    glyphs: list[Glyph] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    #: for a page read by OCR: areas of the page, (x0, y0, x1, y1, confidence), each with how
    #: sure the reading of its text is; None for a page whose text was given (a text layer)
    areas: list[tuple[float, float, float, float, float]] | None = None
