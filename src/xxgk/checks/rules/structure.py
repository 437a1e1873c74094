"""Sections present, ordered and numbered; tables, rows and columns present (templates.md §1, §5)."""

from __future__ import annotations

from ..describe import column_label, row_label
from ..model import CheckContext, Rule, Severity, rule

_CN = "一二三四五六"


def _devs(ctx: CheckContext, *kinds: str):
    return [d for d in ctx.report.deviations if d.kind in kinds]


@rule("structure.missing_section", Severity.ERROR, "缺少规定的章节")
def missing_section(ctx: CheckContext, r: Rule):
    for d in _devs(ctx, "missing_section"):
        yield r.finding(f"缺少第{_CN[int(d.section[1]) - 1]}部分“{d.official}”", section=d.section)


@rule("structure.section_order", Severity.ERROR, "章节顺序不符")
def section_order(ctx: CheckContext, r: Rule):
    for d in _devs(ctx, "section_order"):
        yield r.finding("六个部分的顺序与规定格式不一致：应依次为总体情况、主动公开、依申请公开、复议诉讼、存在问题、其他事项")


@rule("structure.section_numbering", Severity.WARNING, "章节编号不规范")
def section_numbering(ctx: CheckContext, r: Rule):
    for d in _devs(ctx, "numbering"):
        if d.section is None:
            continue
        yield r.finding(
            f"第{_CN[int(d.section[1]) - 1]}部分标题编号不规范：写作“{d.found}”，应为“{d.official}”", section=d.section
        )


@rule("structure.missing_table", Severity.ERROR, "缺少统计表")
def missing_table(ctx: CheckContext, r: Rule):
    for d in _devs(ctx, "missing_table"):
        yield r.finding(f"没有找到{d.official}", table=d.table)


@rule("structure.missing_row", Severity.ERROR, "统计表缺少行")
def missing_row(ctx: CheckContext, r: Rule):
    tables_missing = {d.table for d in _devs(ctx, "missing_table")}
    spec = ctx.report.spec
    for d in _devs(ctx, "missing_row"):
        if d.table in tables_missing:
            continue
        table = spec.table_by_key[d.table]
        label = row_label(table, d.row) or "数据行"
        keys = tuple(k for k in spec.cell_keys if spec.cell_spec[k][0].key == d.table and spec.cell_spec[k][2].key == d.row)
        yield r.finding(f"{table.title}缺少“{label}”一行", table=d.table, row=d.row, cells=keys)


@rule("structure.missing_column", Severity.WARNING, "统计表缺少栏目标题")
def missing_column(ctx: CheckContext, r: Rule):
    spec = ctx.report.spec
    tables_missing = {d.table for d in _devs(ctx, "missing_table")}
    for d in _devs(ctx, "missing_column", "missing_column_group", "missing_block"):
        if d.table in tables_missing:
            continue
        table = spec.table_by_key[d.table]
        what = {"missing_column": "栏目", "missing_column_group": "栏目分组", "missing_block": "分项标题"}[d.kind]
        name = column_label(table, d.column) if d.column else d.official
        band = d.block if d.block and d.kind != "missing_block" else ""
        yield r.finding(
            f"{table.title}{band}缺少{what}“{name}”（标题单元格为空或与规定不符）", table=d.table, column=d.column
        )


_TOPICS = {
    "主动公开": ("主动公开",),
    "依申请公开": ("依申请", "申请公开"),
    "政府信息管理": ("信息管理", "政府信息管理"),
    "政府信息公开平台建设": ("平台",),
    "监督保障": ("监督", "保障"),
}


@rule("structure.overview_topics", Severity.INFO, "总体情况未涵盖规定内容")
def overview_topics(ctx: CheckContext, r: Rule):
    s1 = ctx.report.section("s1")
    if s1 is None:
        return
    missing = [topic for topic, words in _TOPICS.items() if not any(w in s1.text for w in words)]
    if missing:
        yield r.finding(f"“一、总体情况”未涉及：{'、'.join(missing)}", section="s1")


@rule("structure.problems_thin", Severity.WARNING, "存在问题及改进情况过于简略")
def problems_thin(ctx: CheckContext, r: Rule):
    s5 = ctx.report.section("s5")
    if s5 is None:
        return
    text = s5.text.strip()
    if len(text) < 60 or len([x for x in text.split("\n") if x.strip()]) < 1:
        yield r.finding(
            f"“五、存在的主要问题及改进情况”只有{len(text)}个字，应写明具体问题和改进措施", section="s5"
        )
