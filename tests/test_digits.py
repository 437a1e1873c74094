"""Digit runs are split only where the split is unique."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

import xxgk
from xxgk.extract.digits import split_runs
from xxgk.templates import GOV2021
from xxgk.testing import random_report, to_text_runs


ROW_TOTAL = [(6, range(6))]  # 表三: 总计 = 自然人 + the five organisation columns


def test_spec_example_is_unique():
    solutions, complete = split_runs(["713000074"], 7, ROW_TOTAL)
    assert complete and solutions == [(71, 3, 0, 0, 0, 0, 74)]


def test_forced_split_needs_no_identity():
    solutions, _ = split_runs(["000"], 3)
    assert solutions == [(0, 0, 0)]


def test_ambiguous_split_is_reported_not_chosen():
    solutions, complete = split_runs(["1215300"], 3)
    assert complete and len(solutions) > 1
    assert (12, 15, 300) in solutions and (1, 215, 300) in solutions


@settings(deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=999), min_size=6, max_size=6))
def test_true_split_is_always_among_solutions(parts):
    values = parts + [sum(parts)]
    run = "".join(map(str, values))
    solutions, complete = split_runs([run], 7, ROW_TOTAL)
    if complete:
        assert tuple(values) in solutions
        assert all(sum(s[:6]) == s[6] for s in solutions)


@given(st.text(alphabet="0123456789", min_size=1, max_size=9), st.integers(min_value=1, max_value=9))
def test_splits_are_exactly_the_valid_cuts(run, n):
    """Against brute force: every cut into n numbers without leading zeros, nothing else."""
    from itertools import combinations

    if n > len(run):
        return
    expected = set()
    for cuts in combinations(range(1, len(run)), n - 1):
        parts = [run[a:b] for a, b in zip((0,) + cuts, cuts + (len(run),))]
        if all(len(x) == 1 or x[0] != "0" for x in parts):
            expected.add(tuple(map(int, parts)))
    solutions, complete = split_runs([run], n)
    if complete:
        assert set(solutions) == expected


def _document_with_runs(t3_runs: dict[str, str]) -> bytes:
    report = random_report(random.Random(1), GOV2021, year=2022, agency="测试县财政局", big=False)
    text = to_text_runs(report, random.Random(1))
    for label, run in t3_runs.items():
        lines = [ln for ln in text.splitlines() if ln.startswith(label)]
        text = text.replace(lines[0], label + run)
    return text.encode()


def test_report_with_run_together_row_is_split_by_row_total():
    data = _document_with_runs({"一、本年新收政府信息公开申请数量": "713000074"})
    report = xxgk.parse(data)
    assert [report[f"t3.new_received.{c}"] for c in ("natural_person", "commercial_enterprise", "total")] == [71, 3, 74]
    assert report.cells["t3.new_received.total"].status is xxgk.CellStatus.SPLIT
    assert report.cells["t3.new_received.total"].raw == "713000074"
    assert any(w.code == "digits.split" for w in report.warnings)


def test_report_with_undecidable_run_leaves_cells_null():
    data = _document_with_runs({"一、本年新收政府信息公开申请数量": "11111111"})  # no split balances
    report = xxgk.parse(data)
    assert report["t3.new_received.total"] is None
    assert any(w.code == "digits.ambiguous" for w in report.warnings)


def test_layout_padding_around_a_run_is_not_a_value():
    """Empty cells from merged labels or trailing tabs do not take positions in a digit run."""
    report = random_report(random.Random(1), GOV2021, year=2022, agency="测试县财政局", big=False)
    text = to_text_runs(report, random.Random(1))
    line = next(ln for ln in text.splitlines() if ln.startswith("一、本年新收"))
    text = text.replace(line, "\t一、本年新收政府信息公开申请数量\t\t713000074\t")
    got = xxgk.parse(text.encode())
    assert [got[f"t3.new_received.{c}"] for c in ("natural_person", "commercial_enterprise", "total")] == [71, 3, 74]


def test_money_split_from_a_run_is_decimal_and_checks_run():
    """A money cell (万元) split from a digit run holds a Decimal like any money cell read as
    written, so the money rules (unit.precision, ...) can check it."""
    from decimal import Decimal

    from xxgk.checks import check_report
    from xxgk.templates import GOV2019
    from xxgk.templates.model import CellKind

    money = {
        t.cell_key(r, c) for t in GOV2019.tables for b in t.blocks for r in b.rows for c in b.columns
        if c.kind is CellKind.MONEY
    }  # fmt: skip
    seen = 0
    for seed in range(4):
        report = random_report(random.Random(seed), GOV2019)
        parsed = xxgk.parse(to_text_runs(report, random.Random(seed)).encode("utf-8"))
        for key, cell in parsed.cells.items():
            if cell.value is not None:
                assert isinstance(cell.value, Decimal) == (key in money), key
                seen += key in money and cell.status.name == "SPLIT"
        check_report(parsed)  # no crash on a split money cell
    assert seen
