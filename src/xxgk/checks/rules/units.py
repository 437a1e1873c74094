"""Unit and magnitude sanity for money (templates.md §5: 表二 fees are in 万元)."""

from __future__ import annotations

from decimal import Decimal

from ...templates.model import CellKind
from ..describe import cell_name, fmt
from ..model import CheckContext, Finding, Rule, Severity, rule

#: a 万元 amount this large and round looks like yuan written in a 万元 column
YUAN_LOOKING = Decimal(10000)
MAX_PLACES = 4


def _money(ctx: CheckContext):
    spec = ctx.report.spec
    for key in spec.cell_keys:
        table, _, row, col = spec.cell_spec[key]
        if col.kind is CellKind.MONEY:
            yield key, table, row, col, ctx.report.cells[key]


def _at(r: Rule, ctx: CheckContext, key: str, message: str, value) -> Finding:
    """A finding about one money cell, located by its key."""
    table, _, row, col = ctx.report.spec.cell_spec[key]
    return r.finding(message, table=table.key, row=row.key, column=col.key, actual=value, cells=(key,))


@rule("unit.looks_like_yuan", Severity.WARNING, "金额疑似以元为单位填报")
def looks_like_yuan(ctx: CheckContext, r: Rule):
    for key, table, row, col, cell in _money(ctx):
        v = cell.value
        if v is None or cell.note or (cell.raw and "元" in cell.raw):
            continue
        if v >= YUAN_LOOKING and v == v.to_integral_value() and int(v) % 100 == 0:
            yield _at(
                r,
                ctx,
                key,
                f"{cell_name(ctx.report.spec, key)}为{fmt(v)}万元（即{fmt(v / 10000)}亿元），数值为整百，疑似按“元”填报；"
                f"该栏单位为{col.unit}",
                v,
            )


@rule("unit.precision", Severity.INFO, "金额小数位数过多")
def precision(ctx: CheckContext, r: Rule):
    for key, table, row, col, cell in _money(ctx):
        v = cell.value
        if v is None:
            continue
        places = -v.normalize().as_tuple().exponent
        if places > MAX_PLACES:
            yield _at(r, ctx, key, f"{cell_name(ctx.report.spec, key)}“{cell.raw}”有{places}位小数，金额以万元计一般保留4位小数", v)


@rule("unit.converted", Severity.INFO, "单元格内写明了单位")
def converted(ctx: CheckContext, r: Rule):
    for key, table, row, col, cell in _money(ctx):
        raw = (cell.raw or "").strip()
        if cell.value is None or not raw or raw[-1:] != "元" or raw.endswith(col.unit or "万元"):
            continue
        yield _at(
            r, ctx, key, f"{cell_name(ctx.report.spec, key)}填写为“{raw}”，已按{col.unit}读作{fmt(cell.value)}；表内应只填数字", cell.value
        )
