"""The rule engine: each rule fires on a bad report, stays silent on a good one, and never alters a number.

Bad reports are minimal edits of a valid report: a random report from ``xxgk.testing`` (every
identity holds, the prose satisfies the prose rules, ``check_report`` finds nothing) or the text
of seed 004 (a clean published report) with one line changed and parsed again, so the
structure and label rules see the deviations the reader records.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xxgk
from xxgk.checks import RULES, CheckConfig, Finding, Severity, check_report, check_reports, has_errors, load_config
from xxgk.checks.config import find_config
from xxgk.report.model import CellStatus, CellValue, Report
from xxgk.templates import GOV2019, GOV2021, TEMPLATES
from xxgk.templates.model import CellKind
from xxgk.testing import build_report, random_report

from .conftest import SEEDS

SEED = {p.name[:3]: p for p in SEEDS.glob("*.txt")}
CLEAN_TEXT = SEED["004"].read_text(encoding="utf-8")  # 海州区工业和信息化局 2022: no error, no deviation

DEPARTMENT = "封丘县财政局"
GOVERNMENT = "封丘县人民政府"


# ---------------------------------------------------------------------------------------------
# building blocks


def fired(findings: list[Finding], rule_id: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule_id]


def parse_text(text: str) -> Report:
    return xxgk.parse(text.encode("utf-8"))


def edit(old: str, new: str, text: str = CLEAN_TEXT) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def with_cells(report: Report, changes: dict[str, int | Decimal | None]) -> Report:
    cells = dict(report.cells)
    for key, value in changes.items():
        assert key in cells, key
        cells[key] = CellValue(key, value, CellStatus.GIVEN if value is not None else CellStatus.BLANK)
    return replace(report, cells=cells)


def with_section(report: Report, key: str, text: str, *, append: bool = False) -> Report:
    assert report.section(key) is not None
    sections = tuple(replace(s, text=(s.text + text) if append else text) if s.key == key else s for s in report.sections)
    return replace(report, sections=sections)


def valid(spec=GOV2021, *, year: int = 2022, agency: str = DEPARTMENT, seed: int = 0, big: bool = False, where=None) -> Report:
    """A valid random report (the first from ``seed`` on that satisfies ``where``)."""
    for s in range(seed, seed + 500):
        report = random_report(random.Random(s), spec, year=year, agency=agency, big=big)
        if where is None or where(report):
            return report
    raise AssertionError("no random report satisfies the condition")


def busy(spec=GOV2021, **kw) -> Report:
    """A valid report in which every count the prose talks about is non-zero."""
    keys = (
        "t3.new_received.total", "t3.carried_over.total", "t3.carried_forward.total",
        "t4.review.total", "t4.review.upheld", "t4.lit_direct.total", "t4.lit_after_review.total",
    )  # fmt: skip
    return valid(spec, where=lambda r: all(r[k] for k in keys), **kw)


def quiet(spec=GOV2021, *, year: int = 2022, agency: str = DEPARTMENT) -> Report:
    """A valid report with every number 0: no applications, no reviews, no lawsuits."""
    base = valid(spec, year=year, agency=agency)
    zero = {k: Decimal(0) if spec.cell_spec[k][3].kind is CellKind.MONEY else 0 for k in spec.cell_keys}
    return with_cells(base, zero)


def only_natural_persons(report: Report) -> Report:
    """The same report with every 法人或其他组织 column of 表三 at 0 (identities still hold)."""
    t3 = report.spec.table_by_key["t3"]
    changes: dict[str, int | Decimal | None] = {}
    for row in t3.blocks[0].rows:
        for col in t3.blocks[0].columns:
            if col.key not in ("natural_person", "total"):
                changes[t3.cell_key(row, col)] = 0
        changes[t3.cell_key(row, t3.blocks[0].columns[-1])] = report[f"t3.{row.key}.natural_person"]
    return with_cells(report, changes)


PREVIOUS_PROSE = {
    "s1": "上一年度，本单位按照上级部署，围绕重点领域信息公开、政策文件发布和解读回应开展工作，"
    "及时更新门户网站栏目，规范依申请办理流程，完善保密审查与考核机制。",
    "s5": "主要问题：栏目内容更新不及时，个别文件解读滞后。改进措施：建立栏目更新台账，"
    "明确责任人员，每季度开展自查并通报结果。",
    "s6": "全年未向申请人收取任何费用。",
}


def previous_of(report: Report) -> Report:
    """The same agency's report for the year before, agreeing with ``report`` on every cross-year rule."""
    spec = report.spec
    assert report.year is not None
    prev = random_report(random.Random(report.year), spec, year=report.year - 1, agency=report.agency, big=False)
    values = prev.values()
    for col in spec.table_by_key["t3"].blocks[0].columns:
        values[f"t3.carried_forward.{col.key}"] = report[f"t3.carried_over.{col.key}"]
    if spec.key == "gov2021":
        for row in ("regulations", "normative_docs"):
            values[f"t2.{row}.in_force"] = (
                report[f"t2.{row}.in_force"] - report[f"t2.{row}.issued"] + report[f"t2.{row}.repealed"]  # type: ignore[operator]
            )
    else:
        for key in spec.cell_keys:
            if key.endswith(".prev_year_items"):
                delta = key.replace("prev_year_items", "delta_items")
                values[key] = report[key] - values[delta]  # type: ignore[operator]
    return build_report(spec, values, year=report.year - 1, agency=report.agency, sections=PREVIOUS_PROSE)


# ---------------------------------------------------------------------------------------------
# the catalogue of cases: rule id -> reports on which it must fire / must stay silent


@dataclass
class Case:
    report: Report
    previous: Report | None = None
    config: CheckConfig | None = None
    check: Callable[[list[Finding]], None] | None = field(default=None, repr=False)  # more about the hits


BAD: dict[str, list[Callable[[], Case]]] = {}
GOOD: dict[str, list[Callable[[], Case]]] = {}


def bad(*rule_ids: str):
    def register(factory):
        for rule_id in rule_ids:
            BAD.setdefault(rule_id, []).append(factory)
        return factory

    return register


def good(*rule_ids: str):
    def register(factory):
        for rule_id in rule_ids:
            GOOD.setdefault(rule_id, []).append(factory)
        return factory

    return register


def run(case: Case) -> list[Finding]:
    return check_report(case.report, case.previous, case.config)


# --- cells ------------------------------------------------------------------------------------


@bad("cell.blank")
def blank_cell():
    report = valid()
    key = "t3.result.denied.process_info.social_welfare_org"

    def check(hits):
        assert [f.cells for f in hits] == [(key,)]
        assert hits[0].location == {"table": "t3", "row": "result.denied.process_info", "column": "social_welfare_org"}
        assert "社会公益组织" in hits[0].message and "应填 0" in hits[0].message

    return Case(with_cells(report, {key: None}), check=check)


@good("cell.blank")
def zero_is_not_blank():
    report = valid()
    return Case(with_cells(report, {"t4.review.other": 0, "t4.review.total": report["t4.review.total"] - report["t4.review.other"]}))


def _with_confidence(report, values: dict[str, float]):
    """The report as if OCR had read the given cells with these confidences."""
    cells = dict(report.cells)
    for key, conf in values.items():
        cells[key] = cells[key]._replace(confidence=conf)
    return replace(report, cells=cells)


@bad("ocr.low_confidence")
def ocr_cell_no_identity_confirms():
    key = "t2.admin_fees.amount"  # in no identity

    def check(hits):
        assert [f.cells for f in hits] == [(key,)]
        assert hits[0].location == {"table": "t2", "row": "admin_fees", "column": "amount"}
        assert "40%" in hits[0].message and "核对" in hits[0].message

    return Case(_with_confidence(valid(), {key: 0.4, "t3.new_received.total": 0.5}), check=check)


@good("ocr.low_confidence")
def ocr_cell_confirmed_by_balanced_identities():
    return Case(_with_confidence(valid(), {"t3.new_received.total": 0.5, "t4.review.upheld": 0.2}))


@bad("cell.unreadable")
def count_with_decimals():
    def check(hits):
        assert hits[0].location == {"table": "t2", "row": "admin_license", "column": "decisions"}
        assert "1.5" in hits[0].message and "小数" in hits[0].message

    return Case(parse_text(edit("行政许可\t0", "行政许可\t1.5")), check=check)


@bad("cell.unreadable")
def digit_run_no_identity_splits():
    row = "一、本年新收政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0\t"

    def check(hits):
        assert len(hits) == 1  # one finding for the row, not one per cell
        assert hits[0].location == {"table": "t3", "row": "new_received"}
        assert len(hits[0].cells) == 7 and "11111111" in hits[0].message

    # no split of 11111111 into seven numbers has the six first summing to the last
    return Case(parse_text(edit(row, "一、本年新收政府信息公开申请数量\t\t11111111")), check=check)


@good("cell.unreadable", "cell.split_digits")
def readable_numbers():
    return Case(parse_text(edit("行政许可\t0", "行政许可\t12")))


@bad("cell.split_digits")
def digit_run_split_by_identity():
    row = "一、本年新收政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0\t"
    report = parse_text(edit(row, "一、本年新收政府信息公开申请数量\t0000000"))
    assert report.cells["t3.new_received.total"].status is CellStatus.SPLIT

    def check(hits):
        assert hits[0].location == {"table": "t3", "row": "new_received"}
        assert len(hits[0].cells) == 7

    return Case(report, check=check)


# --- cross-year -------------------------------------------------------------------------------


@bad("crossyear.carried_over")
def carried_forward_differs_from_carried_over():
    report = busy()
    prev = previous_of(report)
    key = "t3.carried_forward.natural_person"
    prev = with_cells(prev, {key: prev[key] + 3})

    def check(hits):
        assert [(f.row, f.column) for f in hits] == [("carried_over", "natural_person")]
        assert (hits[0].expected, hits[0].actual) == (prev[key], report["t3.carried_over.natural_person"])
        assert "2021年度报告" in hits[0].message

    return Case(report, prev, check=check)


@bad("crossyear.in_force")
def in_force_does_not_follow():
    report = valid()
    prev = previous_of(report)
    key = "t2.normative_docs.in_force"
    prev = with_cells(prev, {key: prev[key] + 2})

    def check(hits):
        assert [(f.row, f.column) for f in hits] == [("normative_docs", "in_force")]
        assert hits[0].expected - hits[0].actual == 2
        assert "行政规范性文件" in hits[0].message

    return Case(report, prev, check=check)


@bad("crossyear.prev_year_items")
def prev_year_items_do_not_follow():
    report = valid(GOV2019, year=2020)
    prev = previous_of(report)
    key = "t2.admin_license.delta_items"
    prev = with_cells(prev, {key: prev[key] + 1})

    def check(hits):
        assert [(f.row, f.column) for f in hits] == [("admin_license", "prev_year_items")]
        assert hits[0].expected - hits[0].actual == 1

    return Case(report, prev, check=check)


@bad("crossyear.similar_text")
def prose_copied_from_last_year():
    report = valid()
    prev = replace(previous_of(report), sections=report.sections)  # last year's text, word for word

    def check(hits):
        assert [f.actual for f in hits] == [100]
        assert "2021年度报告" in hits[0].message and "100%" in hits[0].message

    return Case(report, prev, check=check)


@bad("crossyear.similar_text")
def boilerplate_with_only_year_and_agency_changed():
    report = valid()
    prev = random_report(random.Random(99), GOV2021, year=2021, agency="封丘县教育局")  # the same template prose
    return Case(report, prev, check=lambda hits: hits[0].actual >= 90)


@good("crossyear.carried_over", "crossyear.in_force", "crossyear.prev_year_items", "crossyear.similar_text")
def previous_report_agrees():
    report = busy()
    return Case(report, previous_of(report))


@good("crossyear.prev_year_items", "crossyear.carried_over", "crossyear.similar_text")
def previous_report_agrees_gov2019():
    report = valid(GOV2019, year=2020)
    return Case(report, previous_of(report))


@good(*(r for r in RULES if r.startswith("crossyear.")))
def previous_report_of_another_year_is_ignored():
    report = busy()
    prev = random_report(random.Random(99), GOV2021, year=2020, agency=report.agency)  # not the year before
    return Case(report, prev)


# --- deadlines --------------------------------------------------------------------------------


@bad("deadline.late")
def department_published_in_february():
    report = replace(valid(), published=date(2023, 2, 1))

    def check(hits):
        assert "2023-01-31" in hits[0].message and "2023-02-01" in hits[0].message

    return Case(report, check=check)


@bad("deadline.late")
def government_published_in_april():
    return Case(replace(valid(agency=GOVERNMENT), published=date(2023, 4, 1)))


@good("deadline.late")
def government_published_on_15_march():
    return Case(replace(valid(agency=GOVERNMENT), published=date(2023, 3, 15)))


@good("deadline.late", "deadline.too_early")
def department_published_on_31_january():
    return Case(replace(valid(), published=date(2023, 1, 31)))


@bad("deadline.too_early")
def signed_before_the_year_ended():
    return Case(replace(valid(), published=date(2022, 6, 30)))


# --- fees -------------------------------------------------------------------------------------


@bad("fee.statement_missing")
def s6_without_fee_statement():
    report = with_section(valid(), "s6", "无其他需要报告的事项。")
    return Case(report, check=lambda hits: hits[0].location == {"section": "s6"})


@good("fee.statement_missing")
def no_fee_statement_needed_before_2021():
    return Case(with_section(valid(GOV2019, year=2020), "s6", "无其他需要报告的事项。"))


@bad("fee.unit")
def fee_in_wan_yuan():
    return Case(with_section(valid(), "s6", "本年度收取信息处理费0.03万元。"))


@good("fee.unit", "fee.statement_missing")
def fee_in_yuan():
    return Case(with_section(valid(), "s6", "本年度按件收取信息处理费300元，无其他需要报告的事项。"))


# --- identities -------------------------------------------------------------------------------


@bad("identity.balance")
def balance_broken():
    report = valid()
    # 本年新收 one more for 自然人 in the row and in its 总计: only the balance breaks
    changes = {k: report[k] + 1 for k in ("t3.new_received.natural_person", "t3.new_received.total")}

    def check(hits):
        assert {f.column for f in hits} == {"natural_person", "total"}
        for f in hits:
            assert f.row == "result.total" and f.expected - f.actual == 1

    return Case(with_cells(report, changes), check=check)


@bad("identity.results_total")
def results_total_broken():
    report = valid()
    key = "t3.result.total.research_institution"
    return Case(with_cells(report, {key: report[key] + 5}))


@bad("identity.row_total")
def row_total_broken():
    report = valid()
    key = "t3.carried_forward.total"

    def check(hits):
        assert [(f.row, f.column, f.actual - f.expected) for f in hits] == [("carried_forward", "total", -1)]

    return Case(with_cells(report, {key: report[key] - 1}), check=check)


@bad("identity.t4_total")
def t4_total_broken():
    # a 2023 district report published 复议 结果维持 10, 结果纠正 1, 总计 0 (templates.md §4)
    report = with_cells(valid(), {"t4.review.upheld": 10, "t4.review.corrected": 1, "t4.review.other": 0, "t4.review.pending": 0, "t4.review.total": 0})

    def check(hits):
        assert [(f.column, f.expected, f.actual) for f in hits] == [("review.total", 11, 0)]
        assert "11" in hits[0].message and "0" in hits[0].message

    return Case(report, check=check)


@good("identity.balance", "identity.results_total", "identity.row_total", "identity.t4_total")
def identities_hold():
    return Case(busy())


@good("identity.balance", "identity.results_total", "identity.row_total", "identity.t4_total")
def identities_hold_gov2019():
    return Case(busy(GOV2019, year=2020))


# --- labels (deviations recorded by the reader) -----------------------------------------------


@bad("label.nonstandard")
def traditional_row_label():
    report = parse_text(edit("行政规范性文件\t0", "行政規範性檔案\t0"))  # 檔案 is 文件 in traditional usage

    def check(hits):
        assert hits[0].location == {"table": "t2", "row": "normative_docs"}
        assert "繁体" in hits[0].message and "行政规范性文件" in hits[0].message

    return Case(report, check=check)


@bad("label.nonstandard")
def traditional_row_label_in_table_three():
    report = parse_text(edit("2. 其他法律行政法规禁止公开", "2. 其他法律行政法規禁止公開"))

    def check(hits):
        assert hits[0].location == {"table": "t3", "row": "result.denied.law_prohibited"}
        assert "繁体" in hits[0].message

    return Case(report, check=check)


@bad("label.nonstandard")
def typo_in_row_label():
    report = parse_text(edit("2. 其他法律行政法规禁止公开", "2. 其他法律行政止公开"))
    return Case(report, check=lambda hits: hits[0].location == {"table": "t3", "row": "result.denied.law_prohibited"})


@bad("label.nonstandard")
def heading_variant():
    report = parse_text(edit("五、存在的主要问题及改进情况", "五、存在的主要问题和改进措施"))
    return Case(report, check=lambda hits: hits[0].location == {"section": "s5"})


@bad("label.numbering")
def row_numbered_with_comma():
    report = parse_text(edit("1. 属于国家秘密", "1、属于国家秘密"))
    return Case(report, check=lambda hits: hits[0].location == {"table": "t3", "row": "result.denied.state_secret"})


@bad("label.unrecognised")
def row_label_beyond_recognition():
    report = parse_text(edit("4. 保护第三方合法权益", "4. 第三人权利"))

    def check(hits):
        assert hits[0].location == {"table": "t3", "row": "result.denied.third_party_rights"}
        assert "第三人权利" in hits[0].message

    return Case(report, check=check)


@good(*sorted({r for r in RULES if r.startswith(("label.", "structure."))} - {"structure.overview_topics"}))
def clean_published_report():
    return Case(parse_text(CLEAN_TEXT))


@good("label.nonstandard", "label.numbering", "label.unrecognised")
def label_damaged_only_in_width_and_spaces():
    return Case(parse_text(edit("行政许可\t0", "行政 许可\t0")))


# --- narrative --------------------------------------------------------------------------------


def say(report: Report, text: str) -> Report:
    return with_section(report, "s1", text, append=True)


@bad("narrative.no_application")
def says_no_application_but_table_counts_some():
    report = busy()
    received = report["t3.new_received.total"]

    def check(hits):
        f = hits[0]
        assert (f.expected, f.actual, f.section) == (received, 0, "s1")
        assert f.location == {"table": "t3", "row": "new_received", "column": "total", "section": "s1"}
        assert "我局未收到政府信息公开申请" in f.message and str(received) in f.message

    return Case(say(report, "2022年，我局未收到政府信息公开申请。"), check=check)


@bad("narrative.no_application")
def says_zero_applications_for_all_applicants():
    return Case(say(busy(), "本年度未收到公民、法人和其他组织提出的政府信息公开申请。"))


@bad("narrative.no_application")
def says_on_request_disclosure_was_nil():
    return Case(say(busy(), "依申请公开：无。"))


@good("narrative.no_application")
def no_application_and_none_counted():
    return Case(say(quiet(), "2022年，我局未收到政府信息公开申请，依申请公开为0件。"))


@good("narrative.no_application")
def sentences_that_only_look_like_no_application():
    report = busy()
    return Case(
        say(
            report,
            f"本年度共办理依申请公开{report['t3.new_received.total']}件。依申请公开办理及时，无超期答复情况。"
            "未收到涉及依申请公开的投诉举报。",
        )
    )


@good("narrative.no_application")
def no_application_from_organisations_only():
    return Case(say(only_natural_persons(busy()), "本年度未收到法人或其他组织的政府信息公开申请。"))


@bad("narrative.received_count")
def wrong_number_of_applications():
    report = busy()
    n = report["t3.new_received.total"]

    def check(hits):
        assert (hits[0].expected, hits[0].actual) == (n, n + 1)
        assert f"共收到政府信息公开申请{n + 1}件" in hits[0].message

    return Case(say(report, f"本年度共收到政府信息公开申请{n + 1}件。"), check=check)


@good("narrative.received_count")
def right_number_of_applications():
    report = busy()
    n, over = report["t3.new_received.total"], report["t3.carried_over.total"]
    natural = report["t3.new_received.natural_person"]
    return Case(
        say(
            report,
            f"本年度共收到政府信息公开申请{n}件，其中收到自然人申请{natural}件；连同上年结转，共受理申请{n + over}件。"
            "对收到的政府信息公开申请，均在20个工作日内予以答复；受理申请后3个月内完成回访。",
        )
    )


@bad("narrative.carried_over")
def wrong_carried_over():
    report = busy()
    return Case(say(report, f"上年结转政府信息公开申请{report['t3.carried_over.total'] + 2}件。"))


@good("narrative.carried_over")
def right_carried_over():
    report = busy()
    return Case(say(report, f"上年结转政府信息公开申请{report['t3.carried_over.total']}件。"))


@bad("narrative.carried_forward")
def wrong_carried_forward():
    report = busy()
    return Case(say(report, f"结转下年度继续办理{report['t3.carried_forward.total'] + 2}件。"))


@good("narrative.carried_forward")
def right_carried_forward():
    report = busy()
    return Case(say(report, f"结转下年度继续办理{report['t3.carried_forward.total']}件。"))


@bad("narrative.review_count")
def wrong_number_of_reviews():
    report = busy()
    v = report["t4.review.total"]

    def check(hits):
        assert (hits[0].expected, hits[0].actual) == (v, v + 1)
        assert hits[0].location == {"table": "t4", "column": "review.total", "section": "s1"}

    return Case(say(report, f"本年度被申请行政复议{v + 1}件。"), check=check)


@bad("narrative.review_count")
def says_no_review_but_table_counts_some():
    return Case(say(busy(), "本年度未发生因政府信息公开申请引起的行政复议。"))


@good("narrative.review_count")
def right_number_of_reviews():
    report = busy()
    v, upheld = report["t4.review.total"], report["t4.review.upheld"]
    both = v + report["t4.lit_direct.total"] + report["t4.lit_after_review.total"]
    return Case(
        say(
            report,
            f"本年度被申请行政复议{v}件，其中行政复议结果维持{upheld}件；行政复议和行政诉讼共{both}件。"
            "尚未审结的行政复议案件正在办理中。",
        )
    )


@good("narrative.review_count", "narrative.litigation_count")
def no_reviews_said_and_none_counted():
    return Case(say(quiet(), "本年度未发生政府信息公开行政复议、行政诉讼案件，行政复议和行政诉讼均为0件。"))


@bad("narrative.litigation_count")
def wrong_number_of_lawsuits():
    report = busy()
    total = report["t4.lit_direct.total"] + report["t4.lit_after_review.total"]
    return Case(say(report, f"本年度被提起行政诉讼{total + 1}件。"), check=lambda hits: hits[0].expected == total)


@bad("narrative.litigation_count")
def says_no_lawsuit_but_table_counts_some():
    return Case(say(busy(), "本年度未被提起政府信息公开行政诉讼。"))


@good("narrative.litigation_count")
def right_number_of_lawsuits():
    report = busy()
    direct, after = report["t4.lit_direct.total"], report["t4.lit_after_review.total"]
    return Case(
        say(
            report,
            f"本年度被提起行政诉讼{direct + after}件，其中未经复议直接提起行政诉讼{direct}件，复议后提起行政诉讼{after}件。",
        )
    )


# --- structure (deviations recorded by the reader) --------------------------------------------


@bad("structure.missing_section")
def section_five_heading_removed():
    report = parse_text(edit("五、存在的主要问题及改进情况\n", ""))
    return Case(report, check=lambda hits: [f.section for f in hits] == ["s5"])


def _lines_between(first: str, last: str | None) -> tuple[list[str], int, int]:
    lines = CLEAN_TEXT.split("\n")
    return lines, lines.index(first), lines.index(last) if last else len(lines)


@bad("structure.section_order")
def sections_five_and_six_swapped():
    lines, i5, i6 = _lines_between("五、存在的主要问题及改进情况", "六、其他需要报告的事项")
    return Case(parse_text("\n".join(lines[:i5] + lines[i6:] + lines[i5:i6])))


@bad("structure.section_numbering")
def section_four_numbered_arabic():
    report = parse_text(edit("四、政府信息公开行政复议", "4、政府信息公开行政复议"))

    def check(hits):
        assert [f.section for f in hits] == ["s4"]
        assert "4、" in hits[0].message and "四、" in hits[0].message

    return Case(report, check=check)


@bad("structure.missing_table")
def table_four_replaced_by_a_sentence():
    lines, i4, i5 = _lines_between("四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况")
    text = "\n".join(lines[: i4 + 1] + ["", "本年度未发生政府信息公开行政复议、行政诉讼。", ""] + lines[i5:])
    return Case(parse_text(text), check=lambda hits: [f.table for f in hits] == ["t4"])


@bad("structure.missing_row")
def row_deleted():
    report = parse_text(edit("\t\t8. 属于行政查询事项\t0\t0\t0\t0\t0\t0\t0\n", ""))

    def check(hits):
        assert [(f.table, f.row) for f in hits] == [("t3", "result.denied.admin_query")]
        assert len(hits[0].cells) == 7 and "属于行政查询事项" in hits[0].message

    return Case(report, check=check)


@bad("structure.missing_column")
def column_header_blank():
    report = parse_text(edit("信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "信息内容\t本年制发件数\t\t现行有效件数"))

    def check(hits):
        assert [(f.table, f.column) for f in hits] == [("t2", "repealed")]
        assert "本年废止件数" in hits[0].message

    return Case(report, check=check)


@bad("structure.overview_topics")
def overview_names_no_topic():
    report = with_section(valid(), "s1", "2022年，我局认真做好各项工作，取得了较好成效。")
    return Case(report, check=lambda hits: "主动公开" in hits[0].message and "监督保障" in hits[0].message)


@good("structure.overview_topics", "structure.problems_thin")
def prose_covers_the_required_topics():
    return Case(valid())


@bad("structure.problems_thin")
def problems_in_one_word():
    return Case(with_section(valid(), "s5", "无。"), check=lambda hits: hits[0].section == "s5")


# --- template ---------------------------------------------------------------------------------


@bad("template.year_mismatch")
def gov2019_tables_for_2021():
    report = valid(GOV2019, year=2021)
    return Case(report, check=lambda hits: "2021年度报告应使用" in hits[0].message)


@bad("template.year_mismatch")
def gov2021_tables_for_2020():
    return Case(parse_text(edit("2022 年政府信息公开", "2020 年政府信息公开")))


@good("template.year_mismatch")
def template_fits_year():
    return Case(valid(GOV2019, year=2020))


@good("template.year_mismatch")
def template_fits_year_2021():
    return Case(valid(GOV2021, year=2021))


# --- units ------------------------------------------------------------------------------------

FEE = "t2.admin_fees.amount"


@bad("unit.looks_like_yuan")
def fee_of_251000_wan_yuan():
    report = with_cells(valid(), {FEE: Decimal(251000)})

    def check(hits):
        assert hits[0].location == {"table": "t2", "row": "admin_fees", "column": "amount"}
        assert hits[0].actual == Decimal(251000) and "251000" in hits[0].message

    return Case(report, check=check)


@good("unit.looks_like_yuan", "unit.precision")
def plausible_fee():
    return Case(with_cells(valid(), {FEE: Decimal("1.77")}))


@good("unit.looks_like_yuan", "unit.precision")
def plausible_procurement_total():
    return Case(with_cells(valid(GOV2019, year=2020), {"t2.gov_procurement.total_amount": Decimal("2515.1234")}))


@bad("unit.precision")
def fee_with_six_decimals():
    report = with_cells(valid(), {FEE: Decimal("1.123456")})
    return Case(report, check=lambda hits: "6位小数" in hits[0].message)


@bad("unit.converted")
def fee_written_in_yuan_inside_the_cell():
    report = parse_text(edit("行政事业性收费\t0", "行政事业性收费\t251000元"))
    assert report[FEE] == Decimal("25.1")

    def check(hits):
        assert hits[0].location == {"table": "t2", "row": "admin_fees", "column": "amount"}
        assert "251000元" in hits[0].message

    return Case(report, check=check)


@good("unit.converted", "unit.looks_like_yuan")
def fee_written_in_wan_yuan_inside_the_cell():
    return Case(parse_text(edit("行政事业性收费\t0", "行政事业性收费\t1.77万元")))


# ---------------------------------------------------------------------------------------------
# every rule: fires on a bad report, silent on a good one


def _factory_id(factory) -> str:
    return factory.__name__


def test_catalogue_has_no_stale_case():
    assert set(BAD) <= set(RULES)
    assert set(GOOD) <= set(RULES)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_fires_on_bad_report(rule_id):
    factories = BAD.get(rule_id)
    if not factories:
        pytest.fail(f"rule {rule_id} has no bad-case factory in tests/test_checks.py")
    for factory in factories:
        case = factory()
        hits = fired(run(case), rule_id)
        assert hits, f"{rule_id} silent on {factory.__name__}"
        for f in hits:
            assert f.severity is RULES[rule_id].severity
            assert re.search(r"[\u4e00-\u9fff]", f.message), f.message
            assert "\n" not in f.message
        if case.check is not None:
            assert case.check(hits) is not False, f"{rule_id} on {factory.__name__}: {[f.to_dict() for f in hits]}"


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_silent_on_good_report(rule_id):
    factories = GOOD.get(rule_id)
    if not factories:
        pytest.fail(f"rule {rule_id} has no good-case factory in tests/test_checks.py")
    for factory in factories:
        hits = fired(run(factory()), rule_id)
        assert not hits, f"{rule_id} fired on {factory.__name__}: {[f.message for f in hits]}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), template=st.sampled_from(sorted(TEMPLATES)), big=st.booleans())
def test_valid_random_reports_have_no_finding(seed, template, big):
    report = random_report(random.Random(seed), TEMPLATES[template], big=big)
    assert check_report(report) == []
    assert check_report(report, previous_of(report)) == []


# ---------------------------------------------------------------------------------------------
# the user's seeds


def check_seed(name: str) -> list[Finding]:
    return check_report(xxgk.parse(SEED[name]))


def test_seed_000_template_does_not_fit_year():
    hits = fired(check_seed("000"), "template.year_mismatch")
    assert len(hits) == 1
    assert hits[0].severity is Severity.ERROR
    assert "2021年度报告" in hits[0].message and "2019" in hits[0].message


def test_seed_001_section_four_numbering_and_blank_delta_headers():
    findings = check_seed("001")
    numbering = fired(findings, "structure.section_numbering")
    assert [f.section for f in numbering] == ["s4"]
    assert "4、" in numbering[0].message
    missing = fired(findings, "structure.missing_column")
    assert len(missing) == 2
    assert all(f.location == {"table": "t2", "column": "delta_items"} for f in missing)
    assert any("（五）" in f.message for f in missing) and any("（六）" in f.message for f in missing)
    assert all("本年增/减" in f.message for f in missing)


def test_seed_002_blank_rows_of_other_processing():
    hits = fired(check_seed("002"), "cell.blank")
    assert {f.row for f in hits} == {"result.other.unpaid_fee", "result.other.other"}
    spec = GOV2021
    for f in hits:
        assert f.table == "t3"
        row_keys = tuple(k for k in spec.cell_keys if spec.cell_spec[k][2].key == f.row and k.startswith("t3."))
        assert f.cells == row_keys  # all seven cells of the row, listed for highlighting
        assert "7个单元格为空" in f.message


def test_seed_003_says_no_application_but_counts_one():
    hits = fired(check_seed("003"), "narrative.no_application")
    assert len(hits) == 1
    assert hits[0].severity is Severity.ERROR
    assert (hits[0].expected, hits[0].actual) == (1, 0)
    assert "未收到依申请公开事项" in hits[0].message


def test_seed_004_has_no_error():
    findings = check_seed("004")
    assert not has_errors(findings)
    assert [f for f in findings if f.severity is Severity.ERROR] == []


def test_findings_are_sorted_most_severe_first():
    findings = check_seed("001")
    ranks = [f.severity.rank for f in findings]
    assert ranks == sorted(ranks)


# ---------------------------------------------------------------------------------------------
# identities: exactly the identities a broken cell belongs to, numbers never altered


def _identity_findings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule.startswith("identity.")]


def _break(report: Report, key: str, delta: int) -> Report:
    return replace(report, cells={**report.cells, key: CellValue(key, report[key] + delta, CellStatus.GIVEN)})


IDENTITY_KEYS = {name: sorted({k for i in spec.identities for k in i.keys}) for name, spec in TEMPLATES.items()}
FREE_KEYS = {name: [k for k in spec.cell_keys if k not in set(IDENTITY_KEYS[name])] for name, spec in TEMPLATES.items()}
DELTA = st.integers(-500, 500).filter(bool)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), template=st.sampled_from(sorted(TEMPLATES)), data=st.data(), delta=DELTA)
def test_one_broken_cell_breaks_exactly_its_identities(seed, template, data, delta):
    spec = TEMPLATES[template]
    report = random_report(random.Random(seed), spec)
    key = data.draw(st.sampled_from(IDENTITY_KEYS[template]), label="key")
    broken = _break(report, key, delta)
    before = broken.values()

    findings = _identity_findings(check_report(broken))

    expected = sorted((i.rule, i.keys) for i in spec.identities if key in i.keys)
    assert expected  # the key belongs to at least one identity
    assert sorted((f.rule, f.cells) for f in findings) == expected
    for f in findings:
        assert f.severity is Severity.ERROR
        assert f.expected - f.actual in (delta, -delta), (f.rule, f.expected, f.actual, delta)
        assert f.table == spec.cell_spec[key][0].key
    # the published number stands as published: reported, never "fixed"
    assert broken.values() == before
    assert broken[key] == report[key] + delta
    assert broken.cells[key].status is CellStatus.GIVEN


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), template=st.sampled_from(sorted(TEMPLATES)), data=st.data(), delta=DELTA)
def test_breaking_a_cell_outside_every_identity_breaks_none(seed, template, data, delta):
    spec = TEMPLATES[template]
    report = random_report(random.Random(seed), spec)
    key = data.draw(st.sampled_from(FREE_KEYS[template]), label="key")
    assert key.startswith("t2.")
    assert _identity_findings(check_report(_break(report, key, delta))) == []


def test_identity_message_names_both_sides():
    report = valid()
    key = "t3.result.granted.natural_person"
    broken = _break(report, key, 2)
    hits = fired(check_report(broken), "identity.results_total")
    assert len(hits) == 1
    f = hits[0]
    assert (f.row, f.column) == ("result.total", "natural_person")
    assert (f.expected, f.actual) == (report["t3.result.total.natural_person"] + 2, report["t3.result.total.natural_person"])
    assert f"应为{f.expected}" in f.message and f"实际填报{f.actual}" in f.message


def test_blank_cell_suspends_its_identities():
    report = valid()
    findings = check_report(with_cells(report, {"t3.result.granted.natural_person": None}))
    assert _identity_findings(findings) == []
    assert [f.cells for f in fired(findings, "cell.blank")] == [("t3.result.granted.natural_person",)]


# ---------------------------------------------------------------------------------------------
# several reports: the previous year is found among them


def test_check_reports_pairs_the_previous_year_of_the_same_agency():
    report = busy()
    prev = previous_of(report)
    prev = with_cells(prev, {"t3.carried_forward.total": prev["t3.carried_forward.total"] + 1})
    other = valid(agency="淮安市教育局", seed=7)
    results = check_reports([report, other, prev])
    assert [f.row for f in fired(results[0], "crossyear.carried_over")] == ["carried_over"]
    assert not [f for f in results[1] + results[2] if f.rule.startswith("crossyear.")]


# ---------------------------------------------------------------------------------------------
# configuration: xxgk.toml


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_config_found_in_the_nearest_folder_above(tmp_path):
    top = _write(tmp_path / "xxgk.toml", '[rules]\ndisable = ["cell.blank"]\n')
    mid = _write(tmp_path / "a" / "xxgk.toml", '[rules]\ndisable = ["deadline.late"]\n')
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    assert find_config(deep) == mid
    config = load_config(start=deep)
    assert config.path == mid
    assert not config.enabled("deadline.late") and config.enabled("cell.blank")
    sibling = tmp_path / "z"
    sibling.mkdir()
    assert load_config(start=sibling).path == top


def test_no_config_file_means_defaults(tmp_path):
    if find_config(tmp_path) is not None:
        pytest.skip("an xxgk.toml above the temporary folder")
    config = load_config(start=tmp_path)
    assert config == CheckConfig()
    assert all(config.enabled(r) for r in RULES)


def test_config_disables_rules_by_id_and_glob(tmp_path):
    path = _write(tmp_path / "xxgk.toml", '[rules]\ndisable = ["label.*", "cell.blank"]\n')
    config = load_config(start=tmp_path)
    assert config.path == path
    text = edit("行政规范性文件\t0", "行政規範性文件\t0", edit("1. 属于国家秘密", "1、属于国家秘密"))
    text = edit("四、政府信息公开行政复议", "4、政府信息公开行政复议", text)
    text = edit("行政许可\t0", "行政许可\t/", text)  # a blank cell
    report = parse_text(text)
    default = check_report(report)
    assert fired(default, "label.nonstandard") and fired(default, "label.numbering") and fired(default, "cell.blank")
    configured = check_report(report, config=config)
    assert not [f for f in configured if f.rule.startswith("label.") or f.rule == "cell.blank"]
    assert fired(configured, "structure.section_numbering")  # other rules still run


def test_config_changes_severity(tmp_path):
    _write(tmp_path / "xxgk.toml", '[rules.severity]\n"cell.blank" = "error"\n"narrative.*" = "info"\n')
    config = load_config(start=tmp_path)
    report = with_cells(valid(), {"t2.admin_license.decisions": None})
    report = say(report, f"上年结转政府信息公开申请{report['t3.carried_over.total'] + 1}件。")
    default, configured = check_report(report), check_report(report, config=config)
    assert [f.severity for f in fired(default, "cell.blank")] == [Severity.WARNING]
    assert [f.severity for f in fired(configured, "cell.blank")] == [Severity.ERROR]
    assert not has_errors(default) and has_errors(configured)
    assert [f.severity for f in fired(configured, "narrative.carried_over")] == [Severity.INFO]
    assert configured[0].rule == "cell.blank"  # errors first


def test_config_deadlines(tmp_path):
    department = replace(valid(), published=date(2023, 1, 25))
    government = replace(valid(agency=GOVERNMENT), published=date(2023, 3, 15))
    assert not fired(check_report(department), "deadline.late")
    assert not fired(check_report(government), "deadline.late")
    _write(tmp_path / "xxgk.toml", '[deadlines]\ndepartment = "01-20"\ngovernment = "03-10"\n')
    config = load_config(start=tmp_path)
    assert config.deadlines == {"department": (1, 20), "government": (3, 10)}
    late = fired(check_report(department, config=config), "deadline.late")
    assert len(late) == 1 and "2023-01-20" in late[0].message and "本地规定" in late[0].message
    assert fired(check_report(government, config=config), "deadline.late")
    on_time = replace(department, published=date(2023, 1, 20))
    assert not fired(check_report(on_time, config=config), "deadline.late")


def test_config_similarity_threshold(tmp_path):
    report = valid()
    prev = previous_of(report)
    prev = with_section(prev, "s5", report.section("s5").text)  # one of three parts copied
    assert not fired(check_report(report, prev), "crossyear.similar_text")
    _write(tmp_path / "xxgk.toml", "[similarity]\nthreshold = 0.3\n")
    assert fired(check_report(report, prev, load_config(start=tmp_path)), "crossyear.similar_text")


@pytest.mark.parametrize(
    "text",
    [
        "[rules\ndisable = [",  # not TOML
        '[rules]\ndisable = "label.*"\n',  # not a list
        '[rules.severity]\n"cell.blank" = "fatal"\n',
        '[deadlines]\ndepartment = "1月20日"\n',
        '[deadlines]\ndepartment = "13-01"\n',
        '[deadlines]\nprovince = "01-20"\n',
        "[similarity]\nthreshold = 1.5\n",
    ],
)
def test_malformed_config_is_one_line_error(tmp_path, text):
    path = _write(tmp_path / "xxgk.toml", text)
    with pytest.raises(xxgk.XxgkError) as info:
        load_config(path)
    message = str(info.value)
    assert message and "\n" not in message
    assert str(path) in message
    assert re.search(r"[\u4e00-\u9fff]", message)


def test_missing_config_file_named_explicitly(tmp_path):
    with pytest.raises(xxgk.XxgkError):
        load_config(tmp_path / "nowhere.toml")


# ---------------------------------------------------------------------------------------------
# Finding.to_dict: the interface shape (interface.md, check --format json)


def test_identity_finding_to_dict():
    report = valid()
    broken = _break(report, "t3.carried_over.total", 1)
    f = fired(check_report(broken), "identity.row_total")[0]
    d = f.to_dict()
    assert {"rule", "severity", "message", "location", "expected", "actual"} <= set(d)
    assert set(d) <= {"rule", "severity", "message", "location", "expected", "actual", "cells"}
    assert d["rule"] == "identity.row_total" and d["severity"] == "error"
    assert d["location"] == {"table": "t3", "row": "carried_over", "column": "total"}
    assert d["actual"] - d["expected"] == 1
    assert d["cells"][0] == "t3.carried_over.total"
    json.dumps(d, ensure_ascii=False)


def test_section_finding_to_dict():
    report = with_section(valid(), "s6", "无其他需要报告的事项。")
    d = fired(check_report(report), "fee.statement_missing")[0].to_dict()
    assert d["location"] == {"section": "s6"}
    assert "expected" not in d and "actual" not in d and "cells" not in d
    assert d["severity"] == "warning"


def test_report_level_finding_has_empty_location():
    d = fired(check_report(valid(GOV2019, year=2021)), "template.year_mismatch")[0].to_dict()
    assert d["location"] == {}
    assert set(d) == {"rule", "severity", "message", "location"}


def test_single_value_finding_to_dict():
    d = fired(check_report(with_cells(valid(), {FEE: Decimal(251000)})), "unit.looks_like_yuan")[0].to_dict()
    assert d["actual"] == Decimal(251000)
    assert "expected" not in d  # nothing was compared: no null
    assert d["location"] == {"table": "t2", "row": "admin_fees", "column": "amount"}


def test_rule_ids_and_severities_follow_the_interface():
    families = {r.split(".")[0] for r in RULES}
    assert {"identity", "template", "structure", "label", "cell", "unit", "narrative", "fee", "crossyear"} <= families
    assert {"identity.balance", "identity.results_total", "identity.row_total", "identity.t4_total", "template.year_mismatch", "cell.blank"} <= set(RULES)
    for rule_id, r in RULES.items():
        assert re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", rule_id)
        assert r.severity.value in ("error", "warning", "info")
        assert re.search(r"[\u4e00-\u9fff]", r.title)
