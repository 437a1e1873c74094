"""The document model every reader produces: paragraphs and table grids, with provenance.

Readers know nothing about report templates; they only turn a file into an ordered sequence of
blocks.  A :class:`Table` keeps the cells as published (with their row and column spans), and
every paragraph and cell carries a :class:`Location` saying where in the source it was read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


#: ``new_tuple(Cell, (text, loc, rowspan, colspan, confidence))`` builds a named tuple from all its
#: fields without the Python-level ``__new__`` that named tuple classes have.  Readers and the
#: extractor build one or two per cell, and that call costs more than the tuple itself.
new_tuple = tuple.__new__


class Location(NamedTuple):
    """Where a piece of text was read: line (text, HTML), page (PDF), table/row/column (grids).

    A named tuple rather than a frozen dataclass: readers make one per cell, and a tuple is
    built several times faster.
    """

    line: int | None = None
    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None

    def to_dict(self) -> dict[str, int]:
        return {k: v for k in ("line", "page", "table", "row", "col") if (v := getattr(self, k)) is not None}

    def __str__(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        if self.table is not None:
            parts.append(f"表格{self.table + 1}")
        if self.row is not None:
            parts.append(f"行{self.row + 1}")
        if self.col is not None:
            parts.append(f"列{self.col + 1}")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    loc: Location = field(default_factory=Location)
    style: str | None = None  # "heading", "title" when the source says so
    # confidence in [0, 1] for text that was recognised rather than read (OCR): the lowest of
    # its characters'; None = exact
    confidence: float | None = None


class Cell(NamedTuple):
    """One published cell (a named tuple, like :class:`Location`: readers make one per cell)."""

    text: str
    loc: Location = Location()
    rowspan: int = 1
    colspan: int = 1
    # confidence in [0, 1] for text that was recognised rather than read (OCR); None = exact
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """A table as published: ``rows`` holds the cells that start in each row, in order.

    ``rows`` may be ragged (text converters drop trailing empty cells).  :meth:`grid` expands
    spans into a rectangular matrix when the source gave spans.
    """

    rows: tuple[tuple[Cell, ...], ...]
    index: int = 0
    loc: Location = field(default_factory=Location)

    def grid(self) -> list[list[Cell | None]]:
        """A rectangular matrix in which a spanned cell fills every slot it covers."""
        out: list[list[Cell | None]] = []
        pending: dict[tuple[int, int], Cell] = {}
        for r, row in enumerate(self.rows):
            line: list[Cell | None] = []
            c = 0
            for cell in row:
                while (r, c) in pending:
                    line.append(pending.pop((r, c)))
                    c += 1
                for dc in range(cell.colspan):
                    line.append(cell)
                    for dr in range(1, cell.rowspan):
                        pending[(r + dr, c + dc)] = cell
                c += cell.colspan
            while (r, c) in pending:
                line.append(pending.pop((r, c)))
                c += 1
            out.append(line)
        width = max((len(r) for r in out), default=0)
        for line in out:
            line.extend([None] * (width - len(line)))
        return out


Block = Paragraph | Table


@dataclass(frozen=True, slots=True)
class Document:
    blocks: tuple[Block, ...]
    name: str | None = None  # file name as given
    format: str = "text"  # text, html, docx, pdf, ...
    title: str | None = None  # metadata title (HTML <title>, DOCX core properties)
    meta: tuple[tuple[str, str], ...] = ()  # other metadata the source carries

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Paragraph))

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))
