"""The official grid of a template table, with its merged cells, derived from the declaration.

Header levels come from the column groups (表三: 申请人情况 › 法人或其他组织 › 商业企业), the
stub from the row groups (三、本年度办理结果 › （三）不予公开 › 1.属于国家秘密); a label with
fewer levels than its neighbours spans the rest, and consecutive equal groups merge.  Writers
(Word, HTML, PDF, Excel) draw from this; the blank official 2021 Word template has the same merges.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .model import BlockSpec, TableSpec


@dataclass(frozen=True, slots=True)
class LayoutCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    role: str  # block | corner | stub_header | group | header | stub | value
    key: str | None = None  # cell key of a value cell


@dataclass(frozen=True)
class TableLayout:
    table: TableSpec
    width: int
    height: int
    cells: tuple[LayoutCell, ...]

    def rows(self) -> list[list[LayoutCell]]:
        """The cells that start in each grid row, left to right."""
        out: list[list[LayoutCell]] = [[] for _ in range(self.height)]
        for cell in self.cells:
            out[cell.row].append(cell)
        for row in out:
            row.sort(key=lambda c: c.col)
        return out

    @property
    def value_cells(self) -> tuple[LayoutCell, ...]:
        return tuple(c for c in self.cells if c.role == "value")


def _block_width(block: BlockSpec) -> int:
    return _stub_width(block) + len(block.columns)


def _stub_width(block: BlockSpec) -> int:
    if not any(r.label for r in block.rows):
        return 0
    return max(len(r.groups) for r in block.rows) + 1


def _grouped_block(table: TableSpec, block: BlockSpec, top: int, width: int, out: list[LayoutCell]) -> int:
    """A block with grouped column headers (表三, 表四); returns the next free row."""
    stub = _stub_width(block)
    depth = max((len(c.groups) for c in block.columns), default=0) + 1
    if stub:
        out.append(LayoutCell(top, 0, depth, stub, table.corner or block.stub_label or "", "corner"))
    cols = block.columns
    for level in range(depth):
        j = 0
        while j < len(cols):
            c = cols[j]
            if level < len(c.groups):
                prefix = c.groups[: level + 1]
                k = j
                while k < len(cols) and cols[k].groups[: level + 1] == prefix:
                    k += 1
                out.append(LayoutCell(top + level, stub + j, 1, k - j, c.groups[level], "group"))
                j = k
                continue
            if level == len(c.groups):
                out.append(LayoutCell(top + level, stub + j, depth - level, 1, c.label, "header"))
            j += 1
    body = top + depth
    rows = block.rows
    for i, r in enumerate(rows):
        for g in range(len(r.groups)):
            if i > 0 and rows[i - 1].groups[: g + 1] == r.groups[: g + 1]:
                continue
            k = i
            while k < len(rows) and rows[k].groups[: g + 1] == r.groups[: g + 1]:
                k += 1
            out.append(LayoutCell(body + i, g, k - i, 1, r.groups[g], "group"))
        if stub:
            out.append(LayoutCell(body + i, len(r.groups), 1, stub - len(r.groups), r.label, "stub"))
        for j, c in enumerate(cols):
            out.append(LayoutCell(body + i, stub + j, 1, 1, "", "value", table.cell_key(r, c)))
    return body + len(rows)


def _banded_block(table: TableSpec, block: BlockSpec, top: int, width: int, out: list[LayoutCell]) -> int:
    """A block of 表二: a band title row, a header row, data rows; the last column fills the width."""
    row = top
    if block.label:
        out.append(LayoutCell(row, 0, 1, width, block.label, "block"))
        row += 1
    n = len(block.columns)
    spans = [1] * n
    spans[-1] = width - 1 - (n - 1)
    out.append(LayoutCell(row, 0, 1, 1, block.stub_label or "", "stub_header"))
    col = 1
    for c, span in zip(block.columns, spans):
        out.append(LayoutCell(row, col, 1, span, c.label, "header"))
        col += span
    row += 1
    for r in block.rows:
        out.append(LayoutCell(row, 0, 1, 1, r.label, "stub"))
        col = 1
        for c, span in zip(block.columns, spans):
            out.append(LayoutCell(row, col, 1, span, "", "value", table.cell_key(r, c)))
            col += span
        row += 1
    return row


@lru_cache(maxsize=None)
def table_layout(table: TableSpec) -> TableLayout:
    banded = len(table.blocks) > 1 or any(b.label for b in table.blocks)
    width = max(_block_width(b) if not banded else 1 + len(b.columns) for b in table.blocks)
    cells: list[LayoutCell] = []
    row = 0
    for block in table.blocks:
        if banded:
            row = _banded_block(table, block, row, width, cells)
        else:
            row = _grouped_block(table, block, row, width, cells)
    return TableLayout(table, width, row, tuple(cells))
