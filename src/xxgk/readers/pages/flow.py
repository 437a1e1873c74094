"""Pages into blocks: what is read, in which order, and what belongs together.

On each page the ruled tables are found first; the remaining glyphs form lines.  Page headers,
footers and page numbers (a line in the top or bottom margin that looks like a page number, or
whose text, digits aside, recurs in the margin of other pages) are dropped, so they never cut a
table or a paragraph in two.  Tables without rules are then found among the lines by alignment.
Lines are joined into paragraphs while each line runs to the right margin and the next one is
neither indented nor in another font size, also across a page break (and centred lines of one
size, a title set on two lines, are joined too); a table that opens a page
continues the table that closed the previous one when their columns line up.
"""

from __future__ import annotations

import re
from collections import Counter

from ...document import Block, Location, Paragraph
from .aligned import aligned_tables
from .grid import Fragment, area_confidence, set_confidence
from .joined import build_table, continues
from .model import PageContent
from .ruled import ruled_tables
from .text import Line, group_lines, join_lines

#: share of the page height at the top and bottom where running headers and footers live
MARGIN_ZONE = 0.11
_PAGE_NUMBER = re.compile(
    r"[\s\-—–_~·•]*(第\s*)?(\d{1,4}|[ivxlcIVXLC]{1,6})\s*(页)?\s*([/／]\s*\d{1,4}|[,，]?\s*共\s*\d{1,4}\s*页)?[\s\-—–_~·•]*"
)
_DIGITS = re.compile(r"\d+")


def _in_margin(line: Line, page: PageContent) -> bool:
    return line.y1 <= MARGIN_ZONE * page.height or line.y0 >= (1 - MARGIN_ZONE) * page.height


def _drop_running_lines(pages: list[tuple[PageContent, list[Fragment], list[Line]]]) -> None:
    """Remove page numbers, headers and footers from each page's lines (in place)."""
    seen: Counter[str] = Counter()
    for page, _, lines in pages:
        for key in {_DIGITS.sub("#", line.text) for line in lines if _in_margin(line, page)}:
            seen[key] += 1
    for k, (page, frags, lines) in enumerate(pages):
        kept = []
        for line in lines:
            if _in_margin(line, page):
                text = line.text
                if _PAGE_NUMBER.fullmatch(text) or seen[_DIGITS.sub("#", text)] >= 2:
                    continue
            kept.append(line)
        pages[k] = (page, frags, kept)


class _Body:
    """The left and right edges of the running text (where lines start and end)."""

    def __init__(self, lines: list[Line]):
        starts = Counter(round(line.x0) for line in lines if len(line.glyphs) >= 4)
        ends = sorted(line.x1 for line in lines if len(line.glyphs) >= 4)
        self.left = starts.most_common(1)[0][0] if starts else 0.0
        self.right = ends[int(0.95 * (len(ends) - 1))] if ends else 0.0

    def full(self, line: Line) -> bool:
        return line.x1 >= self.right - 1.5 * line.em

    def indented(self, line: Line) -> bool:
        return line.x0 > self.left + 0.8 * line.em

    def centred(self, line: Line) -> bool:
        return self.indented(line) and abs((line.x0 + line.x1) - (self.left + self.right)) <= 2 * line.em


def _continues(prev: Line, cur: Line, same_page: bool, body: _Body) -> bool:
    if not 0.85 <= cur.em / prev.em <= 1.18:
        return False
    if same_page and not (prev.y1 - 0.3 * prev.em <= cur.y0 <= prev.y1 + 1.2 * cur.em):
        return False
    if body.centred(prev) and body.centred(cur):  # a title set on two centred lines
        return same_page
    return body.full(prev) and not body.indented(cur)


def pages_to_blocks(pages: list[PageContent]) -> list[Block]:
    found: list[tuple[PageContent, list[Fragment], list[Line]]] = []
    for page in pages:
        frags, free = ruled_tables(page.rules, page.glyphs, page.number)
        found.append((page, frags, group_lines(free)))
    _drop_running_lines(found)
    body = _Body([line for _, _, lines in found for line in lines])

    blocks: list[Block] = []
    para: list[Line] = []
    para_areas: list[tuple[Line, PageContent]] = []  # the lines of an OCR page, for their confidence
    para_loc: Location | None = None
    table: list[Fragment] | None = None  # the table being read, while it may continue
    table_open = False  # the last item read was that table's last fragment, closing its page

    def flush_para() -> None:
        nonlocal para, para_areas
        if para:
            text = join_lines([line.text for line in para])
            if text:
                conf = None
                if para_areas:
                    conf = min(area_confidence(line, page.areas or []) for line, page in para_areas)
                blocks.append(Paragraph(text, para_loc or Location(), confidence=conf))
        para = []
        para_areas = []

    def flush_table() -> None:
        nonlocal table
        if table:
            index = sum(1 for b in blocks if not isinstance(b, Paragraph))
            blocks.append(build_table(table, index))
        table = None

    prev_line: Line | None = None
    prev_page = 0
    for page, ruled, lines in found:
        frags, lines = aligned_tables(lines, page.number)
        if page.areas is not None:
            for f in ruled + frags:
                set_confidence(f.cells, page.areas)
        items: list[tuple[float, int, object]] = [(f.y0, 0, f) for f in ruled + frags]
        items += [(line.y0, 1, line) for line in lines]
        items.sort(key=lambda it: (it[0], it[1]))
        line_no = 0
        for k, (_, kind, item) in enumerate(items):
            if kind == 0:
                assert isinstance(item, Fragment)
                flush_para()
                prev_line = None
                if table and table_open and k == 0 and continues(table[-1], item):
                    table.append(item)
                else:
                    flush_table()
                    table = [item]
                table_open = k == len(items) - 1
                continue
            assert isinstance(item, Line)
            line_no += 1
            flush_table()
            table_open = False
            same_page = prev_page == page.number
            if prev_line is not None and para and _continues(prev_line, item, same_page, body):
                if same_page or k == 0:
                    para.append(item)
                    if page.areas is not None:
                        para_areas.append((item, page))
                    prev_line, prev_page = item, page.number
                    continue
            flush_para()
            para = [item]
            if page.areas is not None:
                para_areas.append((item, page))
            para_loc = Location(page=page.number, line=line_no)
            prev_line, prev_page = item, page.number
        if not items:
            table_open = False
    flush_para()
    flush_table()
    return blocks
