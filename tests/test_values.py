"""Reading one cell: null is not zero, units normalised, notes kept, nothing invented."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk.templates.model import CellKind
from xxgk.values.parse import looks_numeric, parse_value


@pytest.mark.parametrize("raw", ["", " ", "\u00a0", "\u3000", "/", "／", "—", "——", "-", "无", "–"])
def test_blank_marks_are_null(raw):
    parsed = parse_value(raw, CellKind.COUNT)
    assert parsed.value is None and parsed.problem is None


@pytest.mark.parametrize(
    "raw,value,note",
    [
        ("0", 0, None),
        ("１２", 12, None),  # full-width digits
        ("3,985,758", 3985758, None),
        ("22（其中修订16件）", 22, "（其中修订16件）"),
        ("12件（含自然失效29件）", 12, "（含自然失效29件）"),
        ("7件", 7, None),
    ],
)
def test_counts(raw, value, note):
    parsed = parse_value(raw, CellKind.COUNT)
    assert parsed.value == value and isinstance(parsed.value, int)
    assert parsed.note == note


@pytest.mark.parametrize(
    "raw,value",
    [
        ("1.77万元", Decimal("1.77")),
        ("251000元", Decimal("25.1")),
        ("24252.311082", Decimal("24252.311082")),
        ("96171.6", Decimal("96171.6")),
        ("0", Decimal("0")),
        ("3亿元", Decimal("30000")),
    ],
)
def test_money_is_exact_in_wan_yuan(raw, value):
    parsed = parse_value(raw, CellKind.MONEY, "万元")
    assert isinstance(parsed.value, Decimal) and parsed.value == value


def test_signed_counts_only_where_declared():
    assert parse_value("-2", CellKind.SIGNED).value == -2
    assert parse_value("+3", CellKind.SIGNED).value == 3
    bad = parse_value("-2", CellKind.COUNT)
    assert bad.value is None and bad.problem


@pytest.mark.parametrize("raw", ["1.5", "12万元", "见附件", "约10"])
def test_unreadable_counts_are_null_with_a_reason(raw):
    parsed = parse_value(raw, CellKind.COUNT)
    assert parsed.value is None and parsed.problem


@pytest.mark.parametrize("label", ["1.属于国家秘密", "2.重复申请", "3.其他", "第二十条第（一）项", "（七）总计"])
def test_labels_are_not_numbers(label):
    assert not looks_numeric(label)


@given(st.integers(min_value=0, max_value=10**12))
def test_any_count_round_trips(n):
    assert parse_value(str(n), CellKind.COUNT).value == n
    assert parse_value(f"{n:,}", CellKind.COUNT).value == n


@given(st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False, allow_infinity=False))
def test_any_money_round_trips_exactly(d):
    assert parse_value(format(d, "f"), CellKind.MONEY, "万元").value == d
    assert parse_value(format(d * 10000, "f") + "元", CellKind.MONEY, "万元").value == d


@settings(max_examples=1500, deadline=None)
@given(st.text(st.sampled_from("0123456789１２３①٣ ,.，。-—/（）()其中新增件万元規章行政许可\u3000\u200b\t\n"), max_size=16))
def test_a_text_is_a_value_exactly_when_it_is_blank_a_number_or_numbers(text):
    """is_value_text's shortcut (no digit after cleaning: a label) changes no answer."""
    from xxgk.extract.rows import _SPACE_SPLIT, is_value_text
    from xxgk.values.parse import clean, is_blank, looks_numeric

    parts = _SPACE_SPLIT.split(clean(text))
    plain = is_blank(text) or looks_numeric(text) or (len(parts) > 1 and all(looks_numeric(p) for p in parts))
    assert is_value_text(text) == plain
