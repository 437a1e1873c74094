"""Prose against tables: what the text says must agree with 表三 and 表四 (templates.md §5)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..describe import fmt
from ..model import CheckContext, Rule, Severity, rule

_STOP = r"[^。；;！!？?\n]"  # within one clause or sentence
_PHRASE = r"[^。；;！!？?\n，,]"  # within one phrase (no comma either)
# a count: "3件", "12个" — not "20个工作日", "3个月", and never the tail of a longer number
_NUM = r"(?<![\d.])(\d+)\s*(?:件|个(?!工作日|自然日|月|小时|百分点)|条|宗|起|次)"

NO_APPLICATION = [
    re.compile(rf"(?:未|没有|无)(?:收到|受理|接到|接收|发生){_STOP}{{0,15}}?(?:依申请|信息公开申请|公开申请|申请公开)"),
    re.compile(r"依申请公开[^。；;！!？?\n\d]{0,12}?(?:为零|为\s*0(?![\d.])|(?<![\d.])0\s*件|零件)"),
    re.compile(r"依申请公开(?:事项|申请|情况)?\s*[:：]?\s*无(?=[。；;，,\s]|$)"),
]
#: a "no application" phrase that is about something else: the cause of a review or complaint
#: ("未发生因政府信息公开申请引起的行政复议"), or one kind of applicant only ("未收到法人或其他组织的申请")
_NOT_ABOUT_ALL = re.compile(r"因|涉及|关于|针对|引起|导致|自然人|法人|组织|企业|机构")
_ABOUT_OTHER = re.compile(r"复议|诉讼|投诉|举报")
RECEIVED = re.compile(rf"(?:收到|受理|新收|接收|接到){_STOP}{{0,20}}?申请{_STOP}{{0,6}}?(?:共|合计|计)?\s*{_NUM}")
CARRIED_OVER = re.compile(rf"上一?年(?:度)?结转{_STOP}{{0,12}}?{_NUM}")
CARRIED_FORWARD = re.compile(rf"结转(?:至|到)?下一?(?:个)?年(?:度)?{_STOP}{{0,12}}?{_NUM}")
REVIEW = re.compile(rf"行政复议{_STOP}{{0,10}}?{_NUM}")
LITIGATION = re.compile(rf"行政诉讼{_STOP}{{0,10}}?{_NUM}")
#: words that make a count one kind of applicant's, or one outcome's, not the total
_APPLICANT_WORDS = re.compile(r"自然人|法人|组织|企业|机构")
_OUTCOME_WORDS = re.compile(r"维持|纠正|其他结果|审结|撤回|驳回|终止|结果")
_BOTH = re.compile(r"各|均|分别|共|合计|总")
# "未经复议直接起诉" and "尚未审结" do not deny that there were cases
NO_REVIEW = re.compile(rf"(?:未(?!经|审结|结)|没有|无)(?:发生|出现|收到|被申请|被提起)?{_PHRASE}{{0,16}}?行政复议")
NO_LITIGATION = re.compile(rf"(?:未(?!经|审结|结)|没有|无)(?:发生|出现|收到|被申请|被提起)?{_PHRASE}{{0,20}}?行政诉讼")


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


_ALL_APPLICANTS = re.compile(r"公民[、，,]?法人(?:或|和|及|或者)其他组织")


def _partial(text: str) -> bool:
    """True when a phrase names one kind of applicant ("自然人", "法人或其他组织"), not all of them."""
    return bool(_APPLICANT_WORDS.search(_ALL_APPLICANTS.sub("", text)))


def _claims(ctx: CheckContext, pattern: re.Pattern) -> Iterator[tuple[str, int, str, re.Match]]:
    for key, text in _prose(ctx):
        for m in pattern.finditer(text):
            yield key, int(m.group(1)), clause(text, m), m


def _phrase_after(text: str, m: re.Match) -> str:
    """The rest of the phrase after a match, up to the next comma or clause end."""
    rest = text[m.end() :]
    cut = min((i for ch in _CLAUSE_END + "，," if (i := rest.find(ch)) >= 0), default=len(rest))
    return rest[:cut]


def _denies_applications(text: str, m: re.Match) -> bool:
    """A match of NO_APPLICATION that really says no application at all was received."""
    if _NOT_ABOUT_ALL.search(_ALL_APPLICANTS.sub("", m.group(0))):
        return False
    return not _ABOUT_OTHER.search(_phrase_after(text, m))


@rule("narrative.no_application", Severity.ERROR, "文字称未收到申请，但表三有申请")
def no_application(ctx: CheckContext, r: Rule):
    received = ctx.report["t3.new_received.total"]
    if not received:
        return
    for key, text in _prose(ctx):
        for pattern in NO_APPLICATION:
            m = next((m for m in pattern.finditer(text) if _denies_applications(text, m)), None)
            if m:
                yield r.finding(
                    f"正文写“{clause(text, m)}”，但表三“一、本年新收政府信息公开申请数量”总计为{fmt(received)}件，"
                    "文字与表格矛盾，请核实后改正其一",
                    table="t3",
                    row="new_received",
                    column="total",
                    section=key,
                    expected=received,
                    actual=0,
                    cells=("t3.new_received.total",),
                )
                return


def _count_rule(
    ctx: CheckContext,
    r: Rule,
    pattern: re.Pattern,
    keys: tuple[str, ...],
    what: str,
    *,
    table: str,
    row: str | None = None,
    column: str | None = None,
    accept=lambda match: (),
    skip=None,
):
    """Compare each "…N件" claim of the prose with the sum of ``keys``; report the first mismatch.

    ``accept(match)`` gives further numbers the claim may rightly state (a subtotal it names);
    a claim for which ``skip(match)`` is true is about something else and is not compared.
    """
    values = [ctx.report[k] for k in keys]
    if any(v is None for v in values):
        return
    actual_table = sum(values)  # type: ignore[arg-type]
    for section, number, text, m in _claims(ctx, pattern):
        if skip is not None and skip(m):
            continue
        if number == actual_table or number in accept(m):
            continue
        yield r.finding(
            f"正文写“{text}”，但{what}为{fmt(actual_table)}件，文字与表格不一致，请核实后改正其一",
            table=table,
            row=row,
            column=column,
            section=section,
            expected=actual_table,
            actual=number,
            cells=keys,
        )
        return


def _row_values(ctx: CheckContext, row: str) -> tuple:
    table = ctx.report.spec.table_by_key["t3"]
    return tuple(ctx.report[f"t3.{row}.{c.key}"] for c in table.blocks[0].columns)


@rule("narrative.received_count", Severity.WARNING, "文字中的申请数量与表三不符")
def received_count(ctx: CheckContext, r: Rule):
    def accept(m: re.Match) -> tuple:
        out: tuple = ()
        new, over = ctx.report["t3.new_received.total"], ctx.report["t3.carried_over.total"]
        if new is not None and over is not None:
            out += (new + over,)  # "共受理申请N件" often counts the carried-over ones too
        if _partial(m.group(0)):  # "收到自然人申请N件": one column of the row
            out += _row_values(ctx, "new_received")
        return out

    yield from _count_rule(
        ctx, r, RECEIVED, ("t3.new_received.total",), "表三“一、本年新收政府信息公开申请数量”总计",
        table="t3", row="new_received", column="total", accept=accept,
    )


@rule("narrative.carried_over", Severity.WARNING, "文字中的上年结转数与表三不符")
def carried_over(ctx: CheckContext, r: Rule):
    yield from _count_rule(
        ctx, r, CARRIED_OVER, ("t3.carried_over.total",), "表三“二、上年结转政府信息公开申请数量”总计",
        table="t3", row="carried_over", column="total",
        accept=lambda m: _row_values(ctx, "carried_over") if _partial(m.group(0)) else (),
    )


@rule("narrative.carried_forward", Severity.WARNING, "文字中的结转下年度数与表三不符")
def carried_forward(ctx: CheckContext, r: Rule):
    yield from _count_rule(
        ctx, r, CARRIED_FORWARD, ("t3.carried_forward.total",), "表三“四、结转下年度继续办理”总计",
        table="t3", row="carried_forward", column="total",
        accept=lambda m: _row_values(ctx, "carried_forward") if _partial(m.group(0)) else (),
    )


_LITIGATION_KEYS = ("t4.lit_direct.total", "t4.lit_after_review.total")


@rule("narrative.review_count", Severity.WARNING, "文字中的行政复议数与表四不符")
def review_count(ctx: CheckContext, r: Rule):
    def accept(m: re.Match) -> tuple:
        # "行政复议和行政诉讼共N件"
        values = [ctx.report[k] for k in ("t4.review.total",) + _LITIGATION_KEYS]
        return (sum(values),) if "诉讼" in m.group(0) and None not in values else ()  # type: ignore[arg-type]

    def skip(m: re.Match) -> bool:
        words = m.group(0)
        if _OUTCOME_WORDS.search(words):  # "行政复议结果维持N件": one outcome
            return True
        # "未被申请行政复议，被提起行政诉讼N件": the number is the litigation's, unless both are counted
        return "诉讼" in words and not _BOTH.search(words)

    yield from _count_rule(
        ctx, r, REVIEW, ("t4.review.total",), "表四行政复议总计",
        table="t4", column="review.total", accept=accept, skip=skip,
    )
    total = ctx.report["t4.review.total"]
    if total:
        for section, text in _prose(ctx):
            m = NO_REVIEW.search(text)
            if m:
                yield r.finding(
                    f"正文写“{clause(text, m)}”，但表四行政复议总计为{fmt(total)}件，文字与表格矛盾，请核实后改正其一",
                    table="t4", column="review.total", section=section,
                    expected=total, actual=0, cells=("t4.review.total",),
                )
                return


@rule("narrative.litigation_count", Severity.WARNING, "文字中的行政诉讼数与表四不符")
def litigation_count(ctx: CheckContext, r: Rule):
    values = [ctx.report[k] for k in _LITIGATION_KEYS]
    # "未经复议直接提起行政诉讼N件" / "复议后起诉N件" state one of the two groups
    parts = tuple(v for v in values if v is not None)
    yield from _count_rule(
        ctx, r, LITIGATION, _LITIGATION_KEYS, "表四行政诉讼总计（未经复议直接起诉与复议后起诉之和）",
        table="t4", accept=lambda m: parts, skip=lambda m: bool(_OUTCOME_WORDS.search(m.group(0))),
    )
    if None in values or not sum(values):  # type: ignore[arg-type]
        return
    total = sum(values)  # type: ignore[arg-type]
    for section, text in _prose(ctx):
        m = NO_LITIGATION.search(text)
        if m:
            yield r.finding(
                f"正文写“{clause(text, m)}”，但表四行政诉讼总计为{fmt(total)}件，文字与表格矛盾，请核实后改正其一",
                table="t4", section=section, expected=total, actual=0, cells=_LITIGATION_KEYS,
            )
            return
