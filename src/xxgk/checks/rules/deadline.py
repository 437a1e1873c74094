"""Published on time (条例第四十九条): departments by 31 January, governments by 31 March."""

from __future__ import annotations

import re
from datetime import date

from ..model import CheckContext, Rule, Severity, rule

DEFAULT_DEADLINES = {"department": (1, 31), "government": (3, 31)}
_GOVERNMENT = re.compile(r"(人民政府|政府)$")


def agency_kind(agency: str | None) -> str:
    return "government" if agency and _GOVERNMENT.search(agency) else "department"


@rule("deadline.late", Severity.WARNING, "发布晚于规定期限")
def late(ctx: CheckContext, r: Rule):
    report = ctx.report
    if report.published is None or report.year is None:
        return
    kind = agency_kind(report.agency)
    month, day = {**DEFAULT_DEADLINES, **ctx.deadlines}[kind]
    try:
        due = date(report.year + 1, month, day)
    except ValueError:
        return
    if report.published > due:
        who = "本级人民政府" if kind == "government" else "政府部门"
        basis = "本地规定" if kind in ctx.deadlines else "《政府信息公开条例》第四十九条规定"
        yield r.finding(
            f"报告落款日期为{report.published.isoformat()}，晚于{basis}的{who}年度报告公布期限{due.isoformat()}"
            f"（晚{(report.published - due).days}天）",
        )


@rule("deadline.too_early", Severity.INFO, "落款日期早于报告年度结束")
def too_early(ctx: CheckContext, r: Rule):
    report = ctx.report
    if report.published is not None and report.year is not None and report.published.year <= report.year:
        if report.published < date(report.year, 12, 1):
            yield r.finding(f"报告落款日期{report.published.isoformat()}早于{report.year}年度结束，请核实年度或日期")
