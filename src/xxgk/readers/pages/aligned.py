"""Tables without ruling lines, found from the alignment of their text.

A run of lines that break into several fragments (text separated by wide gaps), with at most
short lines (wrapped labels, merged cells written one character per line) between them, is a
table.  Its columns are the gaps shared by the lines with the most fragments; its rows are the
lines that carry numbers.  Text in a column joins the text above it when that line is full (a
wrapped label), and a label goes to the row whose numbers lie within its height, whichever of
its lines they sit on; a column of single characters spanning several rows is a merged cell.
Text with no numbers beside it makes header rows of its own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from statistics import median

from .grid import Fragment, GridCell
from .text import Line, fragments, join_lines

_NUMBER = re.compile(r"[+\-−]?\d[\d,，.]*%?")
#: fewest fragments a line needs to count as a table row
MIN_FRAGMENTS = 2


def _numeric(frag: Line) -> bool:
    return _NUMBER.fullmatch(frag.text) is not None


def aligned_tables(lines: list[Line], page: int) -> tuple[list[Fragment], list[Line]]:
    """Tables found among ``lines`` (top to bottom), and the lines that are not in them."""
    parts = [fragments(line) for line in lines]
    tabular = [len(p) >= MIN_FRAGMENTS and (len(p) >= 3 or any(_numeric(f) for f in p)) for p in parts]
    out: list[Fragment] = []
    rest: list[Line] = []
    i, n = 0, len(lines)
    while i < n:
        if not tabular[i]:
            rest.append(lines[i])
            i += 1
            continue
        em = lines[i].em
        j, last = i + 1, i
        while j < n:
            line = lines[j]
            if line.y0 - lines[j - 1].y1 > 2.5 * em:
                break
            if tabular[j]:
                last = j
            elif not (0.85 <= line.em / em <= 1.18) or len(line.glyphs) > 40:
                break  # a heading or running text ends the table
            j += 1
        if sum(tabular[i : last + 1]) >= 2:
            frag = _table(parts[i : last + 1], page)
            if frag is not None:
                out.append(frag)
                i = last + 1
                continue
        rest.extend(lines[i : last + 1])
        i = last + 1
    return out, rest


def _columns(lines: list[list[Line]]) -> list[float]:
    """Column edges: the gaps shared by the lines with the most fragments (and numbers)."""
    frags = [f for line in lines for f in line]
    with_numbers = [r for r in lines if any(_numeric(f) for f in r)] or lines
    most = max(len(r) for r in with_numbers)
    spans = sorted((f.x0, f.x1) for r in with_numbers if len(r) >= most - 1 for f in r)
    edges = [min(f.x0 for f in frags)]
    right = spans[0][1]
    for a, b in spans[1:]:
        if a > right:
            edges.append((a + right) / 2)
        right = max(right, b)
    edges.append(max(f.x1 for f in frags))
    return edges


def _col(edges: list[float], x: float) -> int:
    return min(max(bisect_right(edges, x) - 1, 0), len(edges) - 2)


def _table(lines: list[list[Line]], page: int) -> Fragment | None:
    edges = _columns(lines)
    frags = [f for line in lines for f in line]
    if len(edges) < 3:
        return None
    em = median(f.em for f in frags)
    placed = []  # (fragment, c0, c1)
    for f in frags:
        # the columns the fragment fills at least half of (or, if none, the one holding most of it)
        cols = [k for k in range(len(edges) - 1) if min(f.x1, edges[k + 1]) - max(f.x0, edges[k]) >= 0.5 * (edges[k + 1] - edges[k])]
        if not cols:
            cols = [_col(edges, (f.x0 + f.x1) / 2)]
        placed.append((f, cols[0], cols[-1] + 1))
    # rows of numbers
    centres = sorted(f.yc for f, _, _ in placed if _numeric(f))
    anchors: list[float] = []
    for c in centres:
        if anchors and c - anchors[-1] <= 0.5 * em:
            continue
        anchors.append(c)
    # text chains per column: a line joins the one above it when that one is full
    widest: dict[int, float] = {}
    for f, c0, c1 in placed:
        widest[c0] = max(widest.get(c0, 0.0), f.x1 - f.x0)
    chains: list[list[tuple[Line, int, int]]] = []
    open_chain: dict[tuple[int, int], list[tuple[Line, int, int]]] = {}
    for item in sorted(placed, key=lambda it: it[0].y0):
        f, c0, c1 = item
        prev = open_chain.get((c0, c1))
        if (
            prev is not None
            and not _numeric(f)
            and not _numeric(prev[-1][0])
            and f.y0 - prev[-1][0].y1 <= 0.6 * em
            and prev[-1][0].x1 - prev[-1][0].x0 >= widest[c0] - 1.2 * em
        ):
            prev.append(item)
            continue
        chain = [item]
        chains.append(chain)
        open_chain[(c0, c1)] = chain

    def nearest(y: float) -> int:
        return min(range(len(anchors)), key=lambda k: abs(anchors[k] - y))

    # each chain: the rows of numbers it covers (a label) or spans (single characters per line)
    cells: list[tuple[list[Line], float, int, int, int, int]] = []  # lines, y, r0, r1 (anchor idx), c0, c1
    headers: list[tuple[list[Line], int, int]] = []
    for chain in chains:
        members = [it[0] for it in chain]
        c0, c1 = chain[0][1], chain[0][2]
        y0, y1 = members[0].y0, members[-1].y1
        covered = [k for k, a in enumerate(anchors) if y0 - 0.2 * em <= a <= y1 + 0.2 * em]
        if not covered:
            near = [k for k, a in enumerate(anchors) if abs(a - (y0 + y1) / 2) <= 0.8 * em]
            if not near:  # text without numbers beside it: a header row of its own
                headers.append((members, c0, c1))
                continue
            covered = near[:1]
        if len(covered) == 1 or all(len(m.glyphs) <= 2 for m in members):
            cells.append((members, y0, covered[0], covered[-1] + 1, c0, c1))
        else:  # a chain that ran over several rows: each line goes to its nearest row
            for m in members:
                k = nearest(m.yc)
                cells.append(([m], m.y0, k, k + 1, c0, c1))
    # rows without numbers (headers, sub-headers): bands of overlapping text between the rows
    bands: list[list[float]] = []
    for members, _, _ in sorted(headers, key=lambda h: h[0][0].y0):
        y0, y1 = members[0].y0, members[-1].y1
        if bands and y0 < bands[-1][1] - 0.2 * em:
            bands[-1][1] = max(bands[-1][1], y1)
        else:
            bands.append([y0, y1])
    # all rows top to bottom: [top, bottom, kind, index]
    rows = sorted([[b[0], b[1], 0, k] for k, b in enumerate(bands)] + [[a - 0.5 * em, a + 0.5 * em, 1, k] for k, a in enumerate(anchors)])
    row_of = {(kind, k): r for r, (_, _, kind, k) in enumerate(rows)}
    grid: dict[tuple[int, int], tuple[list[Line], int, int]] = {}
    for members, c0, c1 in headers:
        k = next(k for k, b in enumerate(bands) if b[0] - 0.2 * em <= members[0].y0 <= b[1])
        _put(grid, (row_of[(0, k)], c0), members, 1, c1 - c0)
    for members, _, r0, r1, c0, c1 in sorted(cells, key=lambda c: c[1]):
        a, b = row_of[(1, r0)], row_of[(1, r1 - 1)]
        _put(grid, (a, c0), members, b - a + 1, c1 - c0)
    tops = [r[0] for r in rows]
    bottoms = [r[1] for r in rows]
    for (r, c), (members, rs, cs) in grid.items():
        tops[r] = min(tops[r], members[0].y0)
        bottoms[r + rs - 1] = max(bottoms[r + rs - 1], members[-1].y1)
    nrows, ncols = len(tops), len(edges) - 1
    ys = [tops[0]] + [(bottoms[k] + tops[k + 1]) / 2 for k in range(nrows - 1)] + [bottoms[-1]]
    covered_slots: set[tuple[int, int]] = set()
    out: list[GridCell] = []
    for (r, c), (members, rs, cs) in sorted(grid.items()):
        rs, cs = min(rs, nrows - r), min(cs, ncols - c)
        if any((r + dr, c + dc) in covered_slots for dr in range(rs) for dc in range(cs)):
            continue
        covered_slots.update((r + dr, c + dc) for dr in range(rs) for dc in range(cs))
        cell = GridCell(edges[c], ys[r], edges[c + cs], ys[r + rs], page)
        cell.lines = members
        cell.text = join_lines([m.text for m in members])
        out.append(cell)
    for r in range(nrows):
        for c in range(ncols):
            if (r, c) not in covered_slots:
                out.append(GridCell(edges[c], ys[r], edges[c + 1], ys[r + 1], page))
    return Fragment(page, out, edges[0], ys[0], edges[-1], ys[-1], ruled=False)


def _put(grid, key, members, rowspan, colspan) -> None:
    old = grid.get(key)
    if old is None:
        grid[key] = (list(members), rowspan, colspan)
    else:  # two pieces of text in one slot: one cell, read top to bottom
        old[0].extend(members)
        grid[key] = (old[0], max(old[1], rowspan), max(old[2], colspan))
