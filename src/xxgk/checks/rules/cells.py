"""Blank and unreadable number cells (templates.md §3, §5: publish 0, never leave blank)."""

from __future__ import annotations

from itertools import groupby

from ...report.model import CellStatus
from ..describe import cell_name, column_label, row_label
from ..model import CheckContext, Rule, Severity, rule


def _by_row(ctx: CheckContext, status: CellStatus):
    spec = ctx.report.spec
    keys = [k for k in spec.cell_keys if ctx.report.cells[k].status is status]
    return groupby(keys, key=lambda k: (spec.cell_spec[k][0].key, spec.cell_spec[k][2].key))


@rule("cell.blank", Severity.WARNING, "数字单元格为空")
def blank(ctx: CheckContext, r: Rule):
    spec = ctx.report.spec
    for (table_key, row_key), keys in _by_row(ctx, CellStatus.BLANK):
        keys = tuple(keys)
        table = spec.table_by_key[table_key]
        name = row_label(table, row_key)
        where = f"{table.title}“{name}”行" if name else table.title
        cols = "、".join(f"“{column_label(table, spec.cell_spec[k][3].key)}”" for k in keys)
        yield r.finding(
            f"{where}{len(keys)}个单元格为空（{cols}），没有数量的应填 0",
            table=table_key,
            row=row_key or None,
            column=spec.cell_spec[keys[0]][3].key if len(keys) == 1 else None,
            cells=keys,
        )


@rule("cell.unreadable", Severity.ERROR, "数字无法读取")
def unreadable(ctx: CheckContext, r: Rule):
    spec = ctx.report.spec
    for key in spec.cell_keys:
        cell = ctx.report.cells[key]
        if cell.status is not CellStatus.UNREADABLE:
            continue
        table, _, row, col = spec.cell_spec[key]
        yield r.finding(
            f"{cell_name(spec, key)}的内容“{cell.raw}”无法读成数字，请核实",
            table=table.key,
            row=row.key or None,
            column=col.key,
            cells=(key,),
        )


@rule("cell.split_digits", Severity.INFO, "连写数字按勾稽关系拆分")
def split_digits(ctx: CheckContext, r: Rule):
    for w in ctx.report.warnings:
        if w.code == "digits.split":
            yield r.finding(w.message)
