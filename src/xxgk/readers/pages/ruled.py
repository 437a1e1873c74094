"""Tables drawn with ruling lines.

Horizontal and vertical rules are merged into segments; segments that touch form one table.
The distinct positions of a table's rules cut it into slots; neighbouring slots with no rule
between them belong to the same (merged) cell, so a cell's row and column spans come from the
drawing itself.  Each glyph goes to the cell its centre falls in: the cell box decides, whatever
line of a wrapped label a number sits on.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from ... import limits
from ..layout import LAYOUT_CELL_TEXT
from .grid import Fragment, GridCell, cluster
from .model import Glyph, Rule

#: rules closer than this (points) are the same line
TOL = 2.0
#: rows or columns narrower than this (points) are double lines, not cells
MIN_BAND = 4.0
#: a rule must cover this share of a slot's side to separate two slots
COVER = 0.5
#: most segments of one kind considered on a page (a real page has a few hundred)
MAX_SEGMENTS = 4000

Segment = tuple[float, float, float]  # (position across, start along, end along)


def merge_segments(segments: list[Segment], tol: float = TOL) -> list[Segment]:
    """Collinear segments (closer than ``tol`` across) that overlap or nearly touch merged into one."""
    out: list[Segment] = []
    segments.sort()
    groups: list[list[Segment]] = []
    for s in segments:
        if groups and s[0] - groups[-1][-1][0] <= tol:
            groups[-1].append(s)
        else:
            groups.append([s])
    for group in groups:
        pos = sum(s[0] for s in group) / len(group)
        spans = sorted((s[1], s[2]) for s in group)
        a, b = spans[0]
        for c, d in spans[1:]:
            if c <= b + tol:
                b = max(b, d)
            else:
                out.append((pos, a, b))
                a, b = c, d
        out.append((pos, a, b))
    return out


def _segments(rules: list[Rule]) -> tuple[list[Segment], list[Segment]]:
    hs: list[Segment] = []
    vs: list[Segment] = []
    for r in rules:
        if r.horizontal:
            if r.x1 - r.x0 >= MIN_BAND:
                hs.append(((r.y0 + r.y1) / 2, r.x0, r.x1))
        elif r.y1 - r.y0 >= MIN_BAND:
            vs.append(((r.x0 + r.x1) / 2, r.y0, r.y1))
    return merge_segments(hs[:MAX_SEGMENTS]), merge_segments(vs[:MAX_SEGMENTS])


class _Union:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        parent = self.parent
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _components(hs: list[Segment], vs: list[Segment]) -> list[tuple[list[Segment], list[Segment]]]:
    """Groups of horizontal and vertical segments that touch each other."""
    n = len(hs)
    uf = _Union(n + len(vs))
    vs_sorted = sorted(range(len(vs)), key=lambda k: vs[k][0])
    vx = [vs[k][0] for k in vs_sorted]
    for i, (y, x0, x1) in enumerate(hs):
        for k in vs_sorted[bisect_left(vx, x0 - TOL) : bisect_right(vx, x1 + TOL)]:
            _, y0, y1 = vs[k]
            if y0 - TOL <= y <= y1 + TOL:
                uf.union(i, n + k)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(uf.find(i), ([], []))[0].append(h)
    for k, v in enumerate(vs):
        groups.setdefault(uf.find(n + k), ([], []))[1].append(v)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _edges(values: list[float]) -> list[float]:
    edges = cluster(values, TOL)
    out: list[float] = []
    for e in edges:  # a band narrower than MIN_BAND is a double line: keep one edge
        if out and e - out[-1] < MIN_BAND:
            out[-1] = (out[-1] + e) / 2
        else:
            out.append(e)
    return out


def _covered(spans: list[tuple[float, float]], a: float, b: float) -> bool:
    need = COVER * (b - a)
    got = 0.0
    for s, e in spans:
        lo, hi = max(s, a), min(e, b)
        if hi > lo:
            got += hi - lo
            if got >= need:
                return True
    return False


class RuledTable:
    """One table's grid on a page: row and column edges, and the cell owning each slot."""

    def __init__(self, hs: list[Segment], vs: list[Segment], page: int):
        xs = _edges([v[0] for v in vs] + [min(h[1] for h in hs), max(h[2] for h in hs)])
        ys = _edges([h[0] for h in hs] + [min(v[1] for v in vs), max(v[2] for v in vs)])
        self.xs, self.ys, self.page = xs, ys, page
        nr, nc = len(ys) - 1, len(xs) - 1
        self.ok = nr >= 1 and nc >= 1 and nr * nc <= limits.MAX_TABLE_CELLS
        if not self.ok:
            return
        v_at: dict[int, list[tuple[float, float]]] = {}
        for x, y0, y1 in vs:
            v_at.setdefault(_nearest(xs, x), []).append((y0, y1))
        h_at: dict[int, list[tuple[float, float]]] = {}
        for y, x0, x1 in hs:
            h_at.setdefault(_nearest(ys, y), []).append((x0, x1))
        uf = _Union(nr * nc)
        for i in range(nr):
            for j in range(1, nc):  # the border between slot (i, j-1) and (i, j)
                if not _covered(v_at.get(j, []), ys[i], ys[i + 1]):
                    uf.union(i * nc + j - 1, i * nc + j)
        for i in range(1, nr):
            for j in range(nc):
                if not _covered(h_at.get(i, []), xs[j], xs[j + 1]):
                    uf.union((i - 1) * nc + j, i * nc + j)
        groups: dict[int, list[int]] = {}
        for s in range(nr * nc):
            groups.setdefault(uf.find(s), []).append(s)
        self.owner = [0] * (nr * nc)
        self.cells: list[GridCell] = []
        for slots in groups.values():
            rows = [s // nc for s in slots]
            cols = [s % nc for s in slots]
            r0, r1, c0, c1 = min(rows), max(rows) + 1, min(cols), max(cols) + 1
            if (r1 - r0) * (c1 - c0) == len(slots):
                pieces = [slots]
            else:  # not a rectangle (a rule missing in the drawing): one cell per row of it
                by_row: dict[int, list[int]] = {}
                for s in slots:
                    by_row.setdefault(s // nc, []).append(s)
                pieces = list(by_row.values())
            for piece in pieces:
                rs = [s // nc for s in piece]
                cs = [s % nc for s in piece]
                cell = GridCell(xs[min(cs)], ys[min(rs)], xs[max(cs) + 1], ys[max(rs) + 1], page)
                for s in piece:
                    self.owner[s] = len(self.cells)
                self.cells.append(cell)
        self.nc = nc

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]

    def cell_at(self, x: float, y: float) -> GridCell:
        i = min(max(bisect_right(self.ys, y) - 1, 0), len(self.ys) - 2)
        j = min(max(bisect_right(self.xs, x) - 1, 0), len(self.xs) - 2)
        return self.cells[self.owner[i * self.nc + j]]

    def fragment(self) -> Fragment:
        return Fragment(self.page, self.cells, self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])


def _nearest(edges: list[float], v: float) -> int:
    i = bisect_left(edges, v)
    if i > 0 and (i == len(edges) or v - edges[i - 1] < edges[i] - v):
        return i - 1
    return i


def find_grids(rules: list[Rule], page: int) -> list[RuledTable]:
    """The grids the page's ruling lines draw (before any text is placed in them)."""
    hs, vs = _segments(rules)
    return [t for h, v in _components(hs, vs) if (t := RuledTable(h, v, page)).ok and len(t.cells) >= 2]


def ruled_tables(rules: list[Rule], glyphs: list[Glyph], page: int) -> tuple[list[Fragment], list[Glyph]]:
    """The page's ruled tables, and the glyphs that are not in any of them."""
    tables = find_grids(rules, page)
    if not tables:
        return [], glyphs
    # a glyph inside a table nested in a frame belongs to the inner table
    tables.sort(key=lambda t: (t.xs[-1] - t.xs[0]) * (t.ys[-1] - t.ys[0]))
    free: list[Glyph] = []
    boxes = [(t.xs[0], t.ys[0], t.xs[-1], t.ys[-1], t) for t in tables]
    for g in glyphs:
        x, y = (g[0] + g[2]) / 2, (g[1] + g[3]) / 2
        for x0, y0, x1, y1, t in boxes:
            if x0 <= x <= x1 and y0 <= y <= y1:
                t.cell_at(x, y).glyphs.append(g)
                break
        else:
            free.append(g)
    out: list[Fragment] = []
    for t in tables:
        if any(len(c.glyphs) > LAYOUT_CELL_TEXT for c in t.cells):
            # a frame around running text, not a data table: its text is read as paragraphs
            free.extend(g for c in t.cells for g in c.glyphs)
            continue
        for c in t.cells:
            c.finish()
        out.append(t.fragment())
    return out, free
