"""A table's fragments (one per page) into one :class:`~xxgk.document.Table`.

* a fragment continues the table above it when it opens its page, the other closed its page,
  and their outer edges line up;
* header rows repeated at the top of a continued page are dropped;
* a row split by the page break (the text of its cells running from the bottom of one page to
  the top of the next) is joined back into one row, and so is a merged cell whose text runs
  over the break: text runs over when the last line before the break has no room left for the
  first character after it;
* the fragments are stacked, and each cell's row and column spans are read off the union of all
  cell edges.
"""

from __future__ import annotations

import re

from ...document import Cell, Location, Table
from .grid import Fragment, GridCell, cluster, index_of
from .text import join_lines

EDGE_TOL = 2.5  # points: cell edges this close are the same grid line
ALIGN_TOL = 4.0  # points: outer edges of two fragments of one table
_NUMBER = re.compile(r"[\d.,%+\-]+")
#: text that opens with an enumerator ("一、", "（三）", "2.") starts an item of its own
_ENUMERATED = re.compile(r"\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d))")


def continues(above: Fragment, below: Fragment) -> bool:
    """Whether ``below`` (first on its page) can continue ``above`` (last on the previous page)."""
    if below.page != above.page + 1:
        return False
    if above.ruled and below.ruled:
        return abs(above.x0 - below.x0) <= ALIGN_TOL and abs(above.x1 - below.x1) <= ALIGN_TOL
    overlap = min(above.x1, below.x1) - max(above.x0, below.x0)
    return overlap >= 0.8 * max(above.x1 - above.x0, below.x1 - below.x0)


def _row_edges(frag: Fragment) -> list[float]:
    return cluster([c.y0 for c in frag.cells] + [c.y1 for c in frag.cells], EDGE_TOL)


def _drop_repeated_header(first: Fragment, frag: Fragment) -> None:
    """Remove the rows at the top of ``frag`` that repeat the first rows of the table."""
    edges0, edges = _row_edges(first), _row_edges(frag)
    keep = 0
    for k in range(1, min(len(edges0), len(edges)) - 1):
        band0 = _band(first, edges0[0], edges0[k])
        band = _band(frag, edges[0], edges[k])
        if band0 is None or band is None or abs((edges0[k] - edges0[0]) - (edges[k] - edges[0])) > EDGE_TOL:
            continue
        a = sorted((round(c.x0), round(c.x1), c.text) for c in band0)
        b = sorted((round(c.x0), round(c.x1), c.text) for c in band)
        if len(a) == len(b) and any(t for *_, t in a) and all(
            abs(p[0] - q[0]) <= ALIGN_TOL and abs(p[1] - q[1]) <= ALIGN_TOL and p[2] == q[2] for p, q in zip(a, b)
        ):
            keep = k
    if keep:
        top = edges[keep]
        frag.cells = [c for c in frag.cells if c.y0 >= top - EDGE_TOL]
        frag.y0 = top


def _band(frag: Fragment, top: float, bottom: float) -> list[GridCell] | None:
    """The cells lying between two row edges, or None if a cell crosses the lower one."""
    cells = [c for c in frag.cells if c.y0 < bottom - EDGE_TOL]
    if any(c.y1 > bottom + EDGE_TOL for c in cells):
        return None
    return cells


def _padding(frag: Fragment) -> tuple[float, float]:
    """The cells' inner margins: the smallest gap between text and cell sides (x, y)."""
    px = py = None
    for c in frag.cells:
        if not c.lines:
            continue
        gx = min(min(line.x0 for line in c.lines) - c.x0, c.x1 - max(line.x1 for line in c.lines))
        gy = min(c.lines[0].y0 - c.y0, c.y1 - c.lines[-1].y1)
        px = gx if px is None else min(px, gx)
        py = gy if py is None else min(py, gy)
    return max(px or 0.0, 0.0), max(py or 0.0, 0.0)


#: characters that may not start a line: the one before them moves to the next line with them
_NO_LINE_START = frozenset("，。、；：？！）》」』”’〉】,.;:?!)%")


def _touches_top(t: GridCell, pads, height: float) -> bool:
    """Whether the text of ``t`` starts at the top of the cell (within 0.4 of the row's line height)."""
    return t.lines[0].y0 - t.y0 <= pads[1] + 0.4 * height


def _runs_over(b: GridCell, t: GridCell, pads_b, height: float) -> bool:
    """Whether the text of ``b`` (bottom of a page) may run on into ``t`` (top of the next): the
    last line of ``b`` has no room left for what starts ``t`` (its first character, with the
    punctuation that may not start a line), the text reaches the bottom of ``b``, both parts
    are numbers or neither is, and ``t`` does not open with an enumerator ("一、", "（三）")."""
    if _ENUMERATED.match(t.text):  # a new item, not the rest of the text above
        return False
    last = b.lines[-1]
    head = t.lines[0].glyphs
    need = head[0][2] - head[0][0]
    if len(head) > 1 and head[1][4] in _NO_LINE_START:
        need += head[1][2] - head[1][0]
    room = (b.x1 - b.x0) - 2 * pads_b[0] - (last.x1 - last.x0)
    touches_bottom = b.y1 - last.y1 <= pads_b[1] + 0.8 * height
    # a label does not run on into a number, nor a number into a label
    same_kind = bool(_NUMBER.fullmatch(b.text)) == bool(_NUMBER.fullmatch(t.text))
    return room < need + 1.0 and touches_bottom and same_kind


def _vertical(c: GridCell) -> bool:
    """Text set one or two characters per line (a narrow merged cell)."""
    return all(len(line.glyphs) <= 2 for line in c.lines)


def _join_boundary(above: Fragment, below: Fragment, spanning: set[int]) -> None:
    """Join a row split over the page break, or merged cells whose text runs over it.

    Fragments are already stacked: ``above``'s bottom edge is ``below``'s top edge."""
    bottom = [c for c in above.cells if abs(c.y1 - above.y1) <= EDGE_TOL]
    top = [c for c in below.cells if abs(c.y0 - below.y0) <= EDGE_TOL]
    pairs: list[tuple[GridCell, GridCell]] = []
    for t in top:
        match = next((b for b in bottom if abs(b.x0 - t.x0) <= ALIGN_TOL and abs(b.x1 - t.x1) <= ALIGN_TOL), None)
        if match is not None:
            pairs.append((match, t))
    if not pairs:
        return
    pads_b, pads_t = _padding(above), _padding(below)
    height = max((line.y1 - line.y0 for c in bottom + top for line in c.lines[:1] + c.lines[-1:]), default=0.0)
    both = [(b, t) for b, t in pairs if b.text and t.text]
    runs = {id(t) for b, t in both if _runs_over(b, t, pads_b, height)}
    # a split row: every cell pairs with the one above, and every text that has a part on both
    # pages runs over; and some text ended before the break (its cell is empty after it), or
    # every text after the break starts at the top of its cell (a merged cell centres what is
    # left of its text in what is left of it, so it is not asked).  Otherwise only merged cells
    # (spanning rows, or narrow with text one character per line) are joined.
    split_row = (
        len(pairs) == len(top) == len(bottom)
        and bool(both)
        and len(runs) == len(both)
        and (
            any(b.text and not t.text for b, t in pairs)
            or all(_touches_top(t, pads_t, height) for _, t in pairs if t.text and id(t) not in spanning)
        )
    )
    for b, t in pairs:
        if split_row or (
            id(t) in runs and (id(b) in spanning or id(t) in spanning or (_vertical(b) and _vertical(t)))
        ):
            b.text = join_lines([b.text, t.text])
            if t.confidence is not None:
                b.confidence = min(t.confidence, b.confidence if b.confidence is not None else 1.0)
            b.y1 = t.y1
            below.cells.remove(t)


def _spanning(frag: Fragment) -> set[int]:
    """Cells of a fragment that span more than one of its rows."""
    edges = _row_edges(frag)
    return {id(c) for c in frag.cells if index_of(edges, c.y1) - index_of(edges, c.y0) > 1}


def build_table(fragments: list[Fragment], index: int) -> Table:
    first = fragments[0]
    for frag in fragments[1:]:
        _drop_repeated_header(first, frag)
    spanning: set[int] = set()
    for frag in fragments:
        spanning |= _spanning(frag)
    # stack the fragments: each page's part goes right under the previous one
    offset = 0.0
    for frag in fragments:
        shift = offset - frag.y0
        for c in frag.cells:
            c.y0 += shift
            c.y1 += shift
            for line in c.lines:
                line.y0 += shift
                line.y1 += shift
        frag.y0 += shift
        frag.y1 += shift
        offset = frag.y1
    for above, below in zip(fragments, fragments[1:]):
        if above.ruled and below.ruled:
            _join_boundary(above, below, spanning)
    cells = [c for frag in fragments for c in frag.cells]
    xs = cluster([c.x0 for c in cells] + [c.x1 for c in cells], EDGE_TOL)
    ys = cluster([c.y0 for c in cells] + [c.y1 for c in cells], EDGE_TOL)
    placed: dict[tuple[int, int], tuple[GridCell, int, int]] = {}
    for c in cells:
        r0, r1 = index_of(ys, c.y0), index_of(ys, c.y1)
        c0, c1 = index_of(xs, c.x0), index_of(xs, c.x1)
        if r1 <= r0 or c1 <= c0:
            continue
        old = placed.get((r0, c0))
        if old is None or (not old[0].text and c.text):
            placed[(r0, c0)] = (c, r1 - r0, c1 - c0)
    rows: list[list[Cell]] = [[] for _ in range(max(len(ys) - 1, 0))]
    for (r, col), (c, rowspan, colspan) in sorted(placed.items()):
        rows[r].append(
            Cell(c.text, Location(page=c.page, table=index, row=r, col=col), rowspan, colspan, c.confidence)
        )
    return Table(tuple(tuple(r) for r in rows), index=index, loc=Location(page=first.page, table=index))
