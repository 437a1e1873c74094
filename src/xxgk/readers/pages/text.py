"""Glyphs into text lines, and lines into the text of a cell or a paragraph.

Chinese is written without spaces: two wide characters are never separated, and lines are
joined without a space (a label wrapped in a narrow cell, a merged cell written one character
per line, a number wrapped in a narrow column all read as one string).  Only between narrow
characters (Latin letters, digits) a gap wider than a fraction of the font size is a space.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from .model import Glyph

#: a gap wider than this many ems between narrow characters is a space
SPACE_GAP = 0.25
#: a gap wider than this many ems splits a line into fragments (cells of a table without lines)
FRAGMENT_GAP = 0.9


def is_wide(ch: str) -> bool:
    """CJK characters, full-width forms and the general punctuation Chinese text uses."""
    return ch >= "\u2000"


@dataclass(slots=True)
class Line:
    """Glyphs on one baseline, left to right."""

    glyphs: list[Glyph]
    x0: float
    y0: float
    x1: float
    y1: float
    em: float  # the font size, from the width of wide glyphs or the height of narrow ones

    @property
    def text(self) -> str:
        return line_text(self.glyphs, self.em)

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2


def make_line(glyphs: list[Glyph]) -> Line:
    if len(glyphs) == 1:
        g = glyphs[0]
        em = g[2] - g[0] if is_wide(g[4]) else 0.7 * (g[3] - g[1])
        return Line(glyphs, g[0], g[1], g[2], g[3], max(em, 1.0))
    glyphs.sort()
    # a wide (CJK) glyph's box is one em wide; narrow glyphs' boxes are about 1.4 ems tall
    wide = [g[2] - g[0] for g in glyphs if is_wide(g[4])]
    em = median(wide) if wide else 0.7 * median([g[3] - g[1] for g in glyphs])
    _, tops, rights, bottoms, _ = zip(*glyphs)
    return Line(glyphs, glyphs[0][0], min(tops), max(rights), max(bottoms), max(em, 1.0))


def group_lines(glyphs: list[Glyph]) -> list[Line]:
    """Glyphs grouped by baseline (vertical centre), top to bottom, each line left to right."""
    if not glyphs:
        return []
    order = sorted(glyphs, key=lambda g: g[1] + g[3])
    lines: list[list[Glyph]] = []
    current: list[Glyph] = []
    centre = height = 0.0
    for g in order:
        c = (g[1] + g[3]) / 2
        h = g[3] - g[1]
        if current and c - centre <= 0.4 * min(h, height):
            current.append(g)
            continue
        if current:
            lines.append(current)
        current, centre, height = [g], c, h
    lines.append(current)
    return [make_line(line) for line in lines]


def line_text(glyphs: list[Glyph], em: float) -> str:
    """The text of glyphs on one line (sorted left to right)."""
    out: list[str] = []
    prev = None
    limit = SPACE_GAP * em
    for g in glyphs:
        ch = g[4]
        if prev is not None and g[0] - prev[2] > limit and not (is_wide(prev[4][-1]) or is_wide(ch[0])):
            out.append(" ")
        out.append(ch)
        prev = g
    return "".join(out)


def join_lines(texts: list[str]) -> str:
    """Lines of one cell or paragraph as one string: no space except between two Latin words."""
    out = ""
    for t in texts:
        t = t.strip()
        if not t:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and t[0].isascii() and t[0].isalpha():
            out += " "
        out += t
    return out


def fragments(line: Line) -> list[Line]:
    """A line cut where a gap wider than :data:`FRAGMENT_GAP` ems separates its glyphs."""
    limit = FRAGMENT_GAP * line.em
    parts: list[list[Glyph]] = [[line.glyphs[0]]]
    right = line.glyphs[0][2]
    for g in line.glyphs[1:]:
        if g[0] - right > limit:
            parts.append([g])
        else:
            parts[-1].append(g)
        right = max(right, g[2])
    if len(parts) == 1:
        return [line]
    return [make_line(p) for p in parts]


def glyphs_text(glyphs: list[Glyph]) -> str:
    """The text of glyphs that belong together (one cell): lines top to bottom, joined."""
    return join_lines([line.text for line in group_lines(glyphs)])
