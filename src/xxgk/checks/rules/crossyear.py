"""Agreement with the same agency's report for the year before (templates.md §4, §5)."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..describe import column_label, fmt
from ..model import CheckContext, Rule, Severity, rule


def _prev(ctx: CheckContext):
    prev = ctx.previous
    if prev is None or ctx.report.year is None or prev.year != ctx.report.year - 1:
        return None
    return prev


@rule("crossyear.carried_over", Severity.WARNING, "上年结转数与上一年度报告的结转下年度数不符")
def carried_over(ctx: CheckContext, r: Rule):
    prev = _prev(ctx)
    if prev is None:
        return
    table = ctx.report.spec.table_by_key["t3"]
    for col in table.blocks[0].columns:
        cur = ctx.report[f"t3.carried_over.{col.key}"]
        before = prev[f"t3.carried_forward.{col.key}"]
        if cur is None or before is None or cur == before:
            continue
        yield r.finding(
            f"表三“二、上年结转”{column_label(table, col.key)}为{fmt(cur)}件，"
            f"而{prev.year}年度报告“四、结转下年度继续办理”为{fmt(before)}件",
            table="t3",
            row="carried_over",
            column=col.key,
            expected=before,
            actual=cur,
            cells=(f"t3.carried_over.{col.key}",),
        )


@rule("crossyear.in_force", Severity.WARNING, "现行有效件数与上年数及本年增减不符")
def in_force(ctx: CheckContext, r: Rule):
    prev = _prev(ctx)
    if prev is None or ctx.report.template != "gov2021" or prev.template != "gov2021":
        return
    for row, name in (("regulations", "规章"), ("normative_docs", "行政规范性文件")):
        cur, before = ctx.report[f"t2.{row}.in_force"], prev[f"t2.{row}.in_force"]
        issued, repealed = ctx.report[f"t2.{row}.issued"], ctx.report[f"t2.{row}.repealed"]
        if None in (cur, before, issued, repealed):
            continue
        expected = before + issued - repealed
        if cur != expected:
            yield r.finding(
                f"表二{name}现行有效件数为{fmt(cur)}，按上年{fmt(before)}件加本年制发{fmt(issued)}件减废止{fmt(repealed)}件应为{fmt(expected)}件"
                "（如有自然失效等情况请说明）",
                table="t2",
                row=row,
                column="in_force",
                expected=expected,
                actual=cur,
                cells=(f"t2.{row}.in_force",),
            )


@rule("crossyear.prev_year_items", Severity.WARNING, "上一年项目数量与上年报告不符")
def prev_year_items(ctx: CheckContext, r: Rule):
    prev = _prev(ctx)
    if prev is None or ctx.report.template != "gov2019" or prev.template != "gov2019":
        return
    table = ctx.report.spec.table_by_key["t2"]
    for block in table.blocks:
        if not any(c.key == "prev_year_items" for c in block.columns):
            continue
        for row in block.rows:
            cur = ctx.report[f"t2.{row.key}.prev_year_items"]
            before, delta = prev[f"t2.{row.key}.prev_year_items"], prev[f"t2.{row.key}.delta_items"]
            if None in (cur, before, delta):
                continue
            if cur != before + delta:
                yield r.finding(
                    f"表二{row.label}“上一年项目数量”为{fmt(cur)}，按{prev.year}年度报告应为{fmt(before)}{delta:+d}={fmt(before + delta)}",
                    table="t2",
                    row=row.key,
                    column="prev_year_items",
                    expected=before + delta,
                    actual=cur,
                    cells=(f"t2.{row.key}.prev_year_items",),
                )


_MASK = re.compile(r"\d+")


def prose_of(report) -> str:
    text = "\n".join(s.text for s in report.sections if s.key in ("s1", "s5", "s6"))
    return _MASK.sub("#", re.sub(r"\s+", "", text))


@rule("crossyear.similar_text", Severity.WARNING, "内容与上一年度报告雷同")
def similar_text(ctx: CheckContext, r: Rule):
    prev = _prev(ctx)
    if prev is None:
        return
    a, b = prose_of(ctx.report), prose_of(prev)
    if len(a) < 100 or len(b) < 100:
        return
    score = fuzz.ratio(a, b) / 100
    if score >= ctx.similarity_threshold:
        yield r.finding(
            f"正文（总体情况、存在问题、其他事项）与{prev.year}年度报告的相似度为{score:.0%}，内容雷同，应如实反映本年度工作",
            actual=round(score * 100),
        )
