"""I-1 … I-4: the 勾稽 identities, derived from the template layout (templates.md §4).

A published report that breaks an identity is reported with both sides; nothing is altered.
Identities with a blank cell are not checked here (``cell.blank`` reports the blank).
"""

from __future__ import annotations

from ...templates.model import Identity
from ..describe import cell_name, column_label, fmt, row_label
from ..model import CheckContext, Finding, Rule, Severity, rule

TITLES = {
    "identity.balance": "表三：第一项加第二项之和等于第三项加第四项之和",
    "identity.results_total": "表三：（七）总计等于各项办理结果之和",
    "identity.row_total": "表三：总计列等于自然人与各类法人或其他组织之和",
    "identity.t4_total": "表四：总计等于结果维持、结果纠正、其他结果、尚未审结之和",
}


def _check(ctx: CheckContext, r: Rule):
    report = ctx.report
    spec = report.spec
    for ident in spec.identities:
        if ident.rule != r.id:
            continue
        values = [report[k] for k in ident.keys]
        if any(v is None for v in values):
            continue
        lhs = sum(report[k] for k in ident.lhs)  # type: ignore[misc]
        rhs = sum(report[k] for k in ident.rhs)  # type: ignore[misc]
        if lhs == rhs:
            continue
        yield _finding(ctx, r, ident, lhs, rhs)


def _finding(ctx: CheckContext, r: Rule, ident: Identity, lhs, rhs) -> Finding:
    spec = ctx.report.spec
    table = spec.table_by_key[ident.table]
    if r.id == "identity.balance":
        # 一 + 二 = 三 + 四: report at （七）总计, which should be 一 + 二 − 四
        total_key, forward_key = ident.rhs
        actual = ctx.report[total_key]
        expected = lhs - ctx.report[forward_key]
        col = column_label(table, ident.column)
        message = (
            f"表三“{col}”列不平衡：第一项（本年新收）加第二项（上年结转）为{fmt(lhs)}，"
            f"第三项（本年度办理结果总计）加第四项（结转下年度）为{fmt(rhs)}，两者应相等；"
            f"按第一、二、四项，（七）总计应为{fmt(expected)}，实际填报{fmt(actual)}"
        )
        row = "result.total"
    else:
        total_key = ident.lhs[0]
        actual, expected = lhs, rhs
        row = ident.row
        name = cell_name(spec, total_key)
        parts = "、".join(
            (row_label(table, spec.cell_spec[k][2].key) if r.id == "identity.results_total" else column_label(table, spec.cell_spec[k][3].key))
            for k in ident.rhs
            if ctx.report[k]
        )
        detail = f"（{parts}之和）" if parts and r.id != "identity.results_total" else "（各项办理结果之和）" if r.id == "identity.results_total" else ""
        message = f"{name}应为{fmt(expected)}{detail}，实际填报{fmt(actual)}，相差{fmt(actual - expected)}"
    return r.finding(
        message,
        table=ident.table,
        row=row,
        column=ident.column,
        expected=expected,
        actual=actual,
        cells=ident.keys,
    )


for _rid, _title in TITLES.items():
    rule(_rid, Severity.ERROR, _title)(_check)
