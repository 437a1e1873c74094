"""The 信息处理费 statement (templates.md §5, §7): from 2021, 六 states what was charged or that nothing was."""

from __future__ import annotations

import re

from ..model import CheckContext, Rule, Severity, rule

FEE_WORDS = re.compile(r"信息处理费|处理费|收费|收取[^。；;]{0,10}费|费用")
FIRST_YEAR = 2021


@rule("fee.statement_missing", Severity.WARNING, "未说明信息处理费收取情况")
def statement_missing(ctx: CheckContext, r: Rule):
    report = ctx.report
    if report.year is None or report.year < FIRST_YEAR:
        return
    s6 = report.section("s6")
    text = s6.text if s6 is not None else "\n".join(s.text for s in report.sections)
    if FEE_WORDS.search(text):
        return
    yield r.finding(
        "“六、其他需要报告的事项”没有说明信息处理费的收取情况（按国办函〔2020〕109号，未收费的也应写明“未收取信息处理费”）",
        section="s6",
    )


@rule("fee.unit", Severity.INFO, "信息处理费金额单位")
def fee_unit(ctx: CheckContext, r: Rule):
    s6 = ctx.report.section("s6")
    if s6 is None:
        return
    m = re.search(r"(?:信息)?处理费[^。；;]{0,20}?\d+(?:\.\d+)?\s*万元", s6.text)
    if m:
        yield r.finding(f"六中写“{m.group(0)}”：信息处理费一般以元为单位报告", section="s6")
