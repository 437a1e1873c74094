"""The template must fit the report year (templates.md §0)."""

from __future__ import annotations

from ...templates import template_for_year
from ..model import CheckContext, Rule, Severity, rule


@rule("template.year_mismatch", Severity.ERROR, "表格格式与报告年度不符")
def year_mismatch(ctx: CheckContext, r: Rule):
    report = ctx.report
    if report.year is None or report.spec.fits_year(report.year):
        return
    due = template_for_year(report.year)
    if due is None:
        yield r.finding(f"{report.year}年度报告不适用现行的年度报告格式（{report.spec.name}自{report.spec.first_year}年起使用）")
        return
    spec = report.spec
    years = f"{spec.first_year}—{spec.last_year}年度" if spec.last_year else f"{spec.first_year}年度起"
    yield r.finding(
        f"{report.year}年度报告应使用{due.name}（{due.issued_by}），但表格使用的是{spec.name}"
        f"（{spec.issued_by}，适用于{years}），请按{due.name}重新填报表二至表四",
    )
