"""The vocabulary in which report templates are declared.

A template is data: sections, tables, blocks, rows and columns with their official labels,
the variants seen in published reports, cell keys and types, and the grouping that gives the
official layout its merged cells.  Readers of reports, the rule engine and the renderers all
work from these objects; nothing else in the code base knows what a row of 表三 is called.

The identities (勾稽关系) are derived here from the layout: a column marked ``total`` sums its
sibling columns (same header group), a row marked ``total`` sums the leaf rows of its group,
and a table may state further equalities (表三's note: 一 + 二 = 三 + 四).
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field
from enum import Enum
from functools import cached_property


class CellKind(str, Enum):
    """What a number cell may hold."""

    COUNT = "count"  # non-negative integer
    SIGNED = "signed"  # integer that may be negative (gov2019 本年增/减)
    MONEY = "money"  # exact decimal in the column's unit (万元)


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    _: KW_ONLY  # everything else by name: a positional tuple must never land in ``kind``
    kind: CellKind = CellKind.COUNT
    unit: str | None = None
    variants: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()  # header groups above the label, outermost first
    total_rule: str | None = None  # set on a column that sums its siblings: the rule id


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: str
    variants: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()  # stub groups left of the label, outermost first
    total_rule: str | None = None  # set on a row that sums the leaf rows of its group


@dataclass(frozen=True)
class BlockSpec:
    """A band of a table with its own column header (表二 has one per 第二十条 item)."""

    label: str | None
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...]
    stub_label: str | None = None  # header over the row labels ("信息内容")
    label_variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class StatedIdentity:
    """An equality a table states in words: for every column, sum(lhs rows) == sum(rhs rows)."""

    rule: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Identity:
    """One concrete linear identity over cell keys: sum(lhs) == sum(rhs)."""

    rule: str
    table: str
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    row: str | None = None  # location for messages
    column: str | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return self.lhs + self.rhs


@dataclass(frozen=True)
class TableSpec:
    key: str  # "t2"
    title: str  # "表二"
    section: str  # section key the table lives in
    blocks: tuple[BlockSpec, ...]
    corner: str | None = None  # text of the top-left header cell
    stated: tuple[StatedIdentity, ...] = ()
    caption_variants: tuple[str, ...] = ()

    def cell_key(self, row: RowSpec, column: ColumnSpec) -> str:
        return ".".join(p for p in (self.key, row.key, column.key) if p)

    @cached_property
    def cells(self) -> tuple[tuple[str, BlockSpec, RowSpec, ColumnSpec], ...]:
        out = []
        for block in self.blocks:
            for row in block.rows:
                for col in block.columns:
                    out.append((self.cell_key(row, col), block, row, col))
        return tuple(out)

    @cached_property
    def identities(self) -> tuple[Identity, ...]:
        out: list[Identity] = []
        for block in self.blocks:
            # a total column sums the other columns under its header group
            for col in block.columns:
                if not col.total_rule:
                    continue
                # the columns under the same header group (at any depth)
                depth = len(col.groups)
                siblings = [c for c in block.columns if c is not col and c.groups[:depth] == col.groups]
                for row in block.rows:
                    out.append(
                        Identity(
                            col.total_rule,
                            self.key,
                            (self.cell_key(row, col),),
                            tuple(self.cell_key(row, c) for c in siblings),
                            row=row.key,
                            column=col.key,
                        )
                    )
            # a total row sums the leaf rows of its group
            for row in block.rows:
                if not row.total_rule:
                    continue
                group = row.groups[:1]
                leaves = [
                    r
                    for r in block.rows
                    if r is not row and r.groups[:1] == group and not r.total_rule and len(r.groups) >= 1
                ]
                for col in block.columns:
                    out.append(
                        Identity(
                            row.total_rule,
                            self.key,
                            (self.cell_key(row, col),),
                            tuple(self.cell_key(r, col) for r in leaves),
                            row=row.key,
                            column=col.key,
                        )
                    )
            for stated in self.stated:
                rows = {r.key: r for r in block.rows}
                if not all(k in rows for k in stated.lhs + stated.rhs):
                    continue
                for col in block.columns:
                    out.append(
                        Identity(
                            stated.rule,
                            self.key,
                            tuple(self.cell_key(rows[k], col) for k in stated.lhs),
                            tuple(self.cell_key(rows[k], col) for k in stated.rhs),
                            row=None,
                            column=col.key,
                        )
                    )
        return tuple(out)


@dataclass(frozen=True)
class SectionSpec:
    key: str  # "s1"
    number: str  # "一"
    heading: str  # "总体情况"
    variants: tuple[str, ...] = ()
    table: str | None = None


@dataclass(frozen=True)
class TemplateSpec:
    key: str  # "gov2021"
    name: str
    issued_by: str
    first_year: int
    last_year: int | None
    sections: tuple[SectionSpec, ...]
    tables: tuple[TableSpec, ...]
    notes: tuple[str, ...] = field(default=())

    def fits_year(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    @cached_property
    def table_by_key(self) -> dict[str, TableSpec]:
        return {t.key: t for t in self.tables}

    @cached_property
    def cells(self) -> tuple[tuple[str, TableSpec, BlockSpec, RowSpec, ColumnSpec], ...]:
        return tuple((key, t, b, r, c) for t in self.tables for key, b, r, c in t.cells)

    @cached_property
    def cell_keys(self) -> tuple[str, ...]:
        return tuple(c[0] for c in self.cells)

    @cached_property
    def cell_spec(self) -> dict[str, tuple[TableSpec, BlockSpec, RowSpec, ColumnSpec]]:
        return {key: (t, b, r, c) for key, t, b, r, c in self.cells}

    @cached_property
    def identities(self) -> tuple[Identity, ...]:
        return tuple(i for t in self.tables for i in t.identities)
