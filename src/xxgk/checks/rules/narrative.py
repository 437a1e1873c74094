"""Prose against tables: what the text says must agree with 表三 and 表四 (templates.md §5)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..describe import fmt
from ..model import CheckContext, Rule, Severity, rule

_STOP = r"[^。；;！!？?\n]"  # within one clause or sentence
_NUM = r"(\d+)\s*(?:件|个|条|宗|起|次)"

NO_APPLICATION = [
    re.compile(rf"(?:未|没有|无)(?:收到|受理|接到|接收|发生){_STOP}{{0,15}}?(?:依申请|信息公开申请|公开申请|申请公开)"),
    re.compile(rf"依申请公开{_STOP}{{0,12}}?(?:为零|为0件|为0|0件|零件|无)"),
]
RECEIVED = re.compile(rf"(?:收到|受理|新收|接收|接到){_STOP}{{0,20}}?申请{_STOP}{{0,6}}?(?:共|合计|计)?\s*{_NUM}")
CARRIED_OVER = re.compile(rf"上一?年(?:度)?结转{_STOP}{{0,12}}?{_NUM}")
CARRIED_FORWARD = re.compile(rf"结转(?:至|到)?下一?(?:个)?年(?:度)?{_STOP}{{0,12}}?{_NUM}")
REVIEW = re.compile(rf"行政复议{_STOP}{{0,10}}?{_NUM}")
LITIGATION = re.compile(rf"行政诉讼{_STOP}{{0,10}}?{_NUM}")
NO_REVIEW = re.compile(rf"(?:未|没有|无)(?:发生|出现|收到|被申请|被提起)?{_STOP}{{0,16}}?行政复议")
NO_LITIGATION = re.compile(rf"(?:未|没有|无)(?:发生|出现|收到|被申请|被提起)?{_STOP}{{0,20}}?行政诉讼")


_CLAUSE_END = "。；;！!？?\n"


def clause(text: str, m: re.Match) -> str:
    """The sentence around a match, as the report wrote it (for quoting in a finding)."""
    start = max((text.rfind(ch, 0, m.start()) for ch in _CLAUSE_END), default=-1) + 1
    ends = [i for ch in _CLAUSE_END if (i := text.find(ch, m.end())) >= 0]
    end = min(ends) if ends else len(text)
    quoted = text[start:end].strip()
    return quoted if len(quoted) <= 80 else m.group(0)


def _prose(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    """(section key, text) for the prose sections; tables are not prose."""
    for s in ctx.report.sections:
        if s.key in ("s1", "s3", "s4", "s5", "s6"):
            yield s.key, s.text


def _claims(ctx: CheckContext, pattern: re.Pattern) -> Iterator[tuple[str, int, str]]:
    for key, text in _prose(ctx):
        for m in pattern.finditer(text):
            yield key, int(m.group(1)), clause(text, m)


@rule("narrative.no_application", Severity.ERROR, "文字称未收到申请，但表三有申请")
def no_application(ctx: CheckContext, r: Rule):
    received = ctx.report["t3.new_received.total"]
    if not received:
        return
    for key, text in _prose(ctx):
        for pattern in NO_APPLICATION:
            m = pattern.search(text)
            if m:
                yield r.finding(
                    f"正文写“{clause(text, m)}”，但表三“一、本年新收政府信息公开申请数量”总计为{fmt(received)}件，文字与表格矛盾",
                    table="t3",
                    row="new_received",
                    column="total",
                    section=key,
                    expected=received,
                    actual=0,
                    cells=("t3.new_received.total",),
                )
                return


def _count_rule(ctx: CheckContext, r: Rule, pattern: re.Pattern, keys: tuple[str, ...], what: str, row: str, table: str, accept=()):
    values = [ctx.report[k] for k in keys]
    if any(v is None for v in values):
        return
    actual_table = sum(values)  # type: ignore[arg-type]
    for section, number, text in _claims(ctx, pattern):
        if number == actual_table or number in accept:
            continue
        yield r.finding(
            f"正文写“{text}”，但{what}为{fmt(actual_table)}件，文字与表格不一致",
            table=table,
            row=row,
            column="total" if table == "t3" else None,
            section=section,
            expected=actual_table,
            actual=number,
            cells=keys,
        )
        return


@rule("narrative.received_count", Severity.WARNING, "文字中的申请数量与表三不符")
def received_count(ctx: CheckContext, r: Rule):
    total_with_carried = None
    new, over = ctx.report["t3.new_received.total"], ctx.report["t3.carried_over.total"]
    if new is not None and over is not None:
        total_with_carried = new + over  # "共受理申请N件" often counts the carried-over ones too
    yield from _count_rule(
        ctx, r, RECEIVED, ("t3.new_received.total",), "表三“本年新收政府信息公开申请数量”", "new_received", "t3",
        accept=(total_with_carried,) if total_with_carried is not None else (),
    )


@rule("narrative.carried_over", Severity.WARNING, "文字中的上年结转数与表三不符")
def carried_over(ctx: CheckContext, r: Rule):
    yield from _count_rule(ctx, r, CARRIED_OVER, ("t3.carried_over.total",), "表三“上年结转政府信息公开申请数量”", "carried_over", "t3")


@rule("narrative.carried_forward", Severity.WARNING, "文字中的结转下年度数与表三不符")
def carried_forward(ctx: CheckContext, r: Rule):
    yield from _count_rule(ctx, r, CARRIED_FORWARD, ("t3.carried_forward.total",), "表三“结转下年度继续办理”", "carried_forward", "t3")


@rule("narrative.review_count", Severity.WARNING, "文字中的行政复议数与表四不符")
def review_count(ctx: CheckContext, r: Rule):
    yield from _count_rule(ctx, r, REVIEW, ("t4.review.total",), "表四行政复议总计", "", "t4")
    total = ctx.report["t4.review.total"]
    if total:
        for section, text in _prose(ctx):
            m = NO_REVIEW.search(text)
            if m:
                yield r.finding(
                    f"正文写“{clause(text, m)}”，但表四行政复议总计为{fmt(total)}件", table="t4", section=section,
                    expected=total, actual=0, cells=("t4.review.total",),
                )
                return


@rule("narrative.litigation_count", Severity.WARNING, "文字中的行政诉讼数与表四不符")
def litigation_count(ctx: CheckContext, r: Rule):
    keys = ("t4.lit_direct.total", "t4.lit_after_review.total")
    yield from _count_rule(ctx, r, LITIGATION, keys, "表四行政诉讼总计", "", "t4")
    values = [ctx.report[k] for k in keys]
    if None in values or not sum(values):  # type: ignore[arg-type]
        return
    for section, text in _prose(ctx):
        m = NO_LITIGATION.search(text)
        if m:
            yield r.finding(
                f"正文写“{clause(text, m)}”，但表四行政诉讼总计为{fmt(sum(values))}件", table="t4", section=section,  # type: ignore[arg-type]
                expected=sum(values), actual=0, cells=keys,  # type: ignore[arg-type]
            )
            return
