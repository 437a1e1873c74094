"""Blank and unreadable number cells (templates.md §3, §5: publish 0, never leave blank)."""

from __future__ import annotations

from itertools import groupby

from ...report.model import CellStatus
from ..describe import cell_name, column_label, row_at, row_label
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


def _reason(ctx: CheckContext, key: str) -> str:
    """Why the reader could not take the cell's text as a number ("件数不应有小数")."""
    for w in ctx.report.warnings:
        if w.code == "cell.unreadable" and w.key == key:
            reason = w.message.split("：")[1] if w.message.count("：") >= 2 else ""
            return f"（{reason}）" if reason else ""
    return ""


@rule("cell.unreadable", Severity.ERROR, "数字无法读取")
def unreadable(ctx: CheckContext, r: Rule):
    spec = ctx.report.spec
    for (table_key, row_key), keys in _by_row(ctx, CellStatus.UNREADABLE):
        keys = tuple(keys)
        raws = {ctx.report.cells[k].raw for k in keys}
        table = spec.table_by_key[table_key]
        if len(keys) > 1 and len(raws) == 1:
            # a whole row read as one run of digits (or with too many/few numbers): one finding for the row
            name = row_label(table, row_key)
            where = f"{table.title}“{name}”行" if name else f"{table.title}数据行"
            yield r.finding(
                f"{where}的内容“{(raws.pop() or '').strip()}”无法确定对应到{len(keys)}个栏目的数字，该行未读取，请核对原表并分栏填写",
                table=table_key,
                row=row_key or None,
                cells=keys,
            )
            continue
        for key in keys:
            cell = ctx.report.cells[key]
            yield r.finding(
                f"{cell_name(spec, key)}的内容“{cell.raw}”无法读成数字{_reason(ctx, key)}，请核实",
                table=table_key,
                row=row_key or None,
                column=spec.cell_spec[key][3].key,
                cells=(key,),
            )


@rule("cell.split_digits", Severity.INFO, "连写数字按勾稽关系拆分")
def split_digits(ctx: CheckContext, r: Rule):
    for w in ctx.report.warnings:
        if w.code == "digits.split":
            table, row, keys = row_at(ctx.report, w.loc, CellStatus.SPLIT)
            yield r.finding(f"{w.message}，请核对原表", table=table, row=row, cells=keys)
