"""Row, column and heading labels that deviate from the official text (templates.md §3)."""

from __future__ import annotations

from ..describe import row_at
from ..model import CheckContext, Rule, Severity, rule

_KINDS = {"wording": "措辞不同", "variant": "使用了非标准写法", "traditional": "使用了繁体字", "format": "格式不同"}


def _where(ctx: CheckContext, d) -> str:
    if d.section:
        return "章节标题"
    table = ctx.report.spec.table_by_key[d.table]
    return f"{table.title}{'栏目' if d.column else '行'}标题"


@rule("label.nonstandard", Severity.INFO, "标题与规定格式不一致")
def nonstandard(ctx: CheckContext, r: Rule):
    for d in ctx.report.deviations:
        if d.kind in _KINDS and d.found:
            yield r.finding(
                f"{_where(ctx, d)}“{d.found}”{_KINDS[d.kind]}，规定为“{d.official}”",
                table=d.table,
                row=d.row,
                column=d.column,
                section=d.section,
            )


@rule("label.numbering", Severity.INFO, "行标题编号不规范")
def numbering(ctx: CheckContext, r: Rule):
    for d in ctx.report.deviations:
        if d.kind == "numbering" and d.section is None and d.found:
            yield r.finding(
                f"{_where(ctx, d)}“{d.found}”编号写法不规范，规定为“{d.official}”",
                table=d.table,
                row=d.row,
                column=d.column,
            )


@rule("label.unrecognised", Severity.WARNING, "行标题无法识别，按位置读取")
def unrecognised(ctx: CheckContext, r: Rule):
    for w in ctx.report.warnings:
        if w.code == "label.positional":
            table, row, keys = row_at(ctx.report, w.loc)
            yield r.finding(f"{w.message}，请核对该行数字是否属于此行", table=table, row=row, cells=keys)
