"""Reading one published cell into a number, exactly.

* blank, "/", "—", "-", "无" … mean *not reported*: the value is ``None`` (never 0) and the raw
  text is kept;
* counts are integers, money is an exact :class:`~decimal.Decimal`;
* units written in the cell are normalised to the column's unit ("251000元" → 25.1 万元);
* text after the number is kept as a note ("22（其中修订16件）" → 22, note "（其中修订16件）").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final
from decimal import Decimal, InvalidOperation

from ..memo import memo_text, memo_text_args
from ..nfkc import nfkc
from ..templates.model import CellKind

BLANK_MARKS: Final = {"", "/", "／", "\\", "-", "—", "——", "–", "－", "―", "─", "无", "空", "暂无", "N/A", "n/a", "NA", "×", "x", "X"}

_MONEY_UNITS: Final = {"万元": Decimal(1), "元": Decimal("0.0001"), "亿元": Decimal(10000), "千元": Decimal("0.1"), "万": Decimal(1)}
_COUNT_UNITS = ("件", "个", "项", "条", "次", "宗", "人", "份", "起", "家")
_UNIT_ALT = "|".join(sorted(list(_MONEY_UNITS) + list(_COUNT_UNITS), key=len, reverse=True))
_NUMBER: Final = re.compile(
    rf"""^(?P<sign>[+\-−＋－]?)\s*(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<frac>\.\d+)?\s*(?P<unit>{_UNIT_ALT})?(?P<rest>.*)$""",
    re.S,
)
# what may follow a number in a value cell: a bracketed or "其中…" note (never "、…": "1、属于…" is a label)
_NOTE_OK: Final = re.compile(r"^\s*([(（\[【].*|[;；].*|其中.*|含.*|\*+.*)?$", re.S)
_WS: Final = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


@dataclass(frozen=True, slots=True)
class ParsedValue:
    value: int | Decimal | None
    note: str | None = None
    unit: str | None = None  # unit written in the cell, if any
    problem: str | None = None  # why a non-blank cell gave no value


def _original_tail(raw: str, cleaned: str, start: int) -> str | None:
    """The note as published (full-width brackets kept): the part of ``raw`` after the number."""
    consumed = 0
    src = _WS.sub(" ", raw).strip()
    for i, ch in enumerate(src):
        if consumed >= start:
            return src[i:].strip() or None
        consumed += len(nfkc(ch))
    return cleaned[start:].strip() or None


# The functions below are pure and see the same few cell texts ("0", "—", "12") over and over:
# they are memoised.  ParsedValue is frozen and Decimal immutable, so sharing results is safe.
# Each is bound as a Final name (see xxgk.memo) to its memoised wrapper.
def _clean(raw: str) -> str:
    return _WS.sub(" ", nfkc(raw)).strip()


clean: Final = memo_text(_clean)


def _is_blank(raw: str) -> bool:
    return clean(raw).replace(" ", "") in BLANK_MARKS


is_blank: Final = memo_text(_is_blank)


def _looks_numeric(raw: str) -> bool:
    """True when a cell holds a value (a number with optional unit and note), not a label."""
    text = clean(raw)
    m = _NUMBER.match(text)
    return m is not None and _NOTE_OK.match(m.group("rest")) is not None


looks_numeric: Final = memo_text(_looks_numeric)


def _parse_value(raw: str, kind: CellKind, unit: str | None = None) -> ParsedValue:
    text = clean(raw)
    if text.replace(" ", "") in BLANK_MARKS:
        return ParsedValue(None)
    m = _NUMBER.match(text)
    if not m or not _NOTE_OK.match(m.group("rest")):
        return ParsedValue(None, problem=f"不是数字：{text!r}")
    digits = m.group("num").replace(",", "")
    note = _original_tail(raw, text, m.start("rest")) if m.group("rest").strip() else None
    cell_unit = m.group("unit")
    negative = m.group("sign") in ("-", "−", "－")
    try:
        number = Decimal(digits + (m.group("frac") or ""))
    except InvalidOperation:
        return ParsedValue(None, problem=f"不是数字：{text!r}")
    if negative:
        number = -number
    if negative and kind is not CellKind.SIGNED:
        return ParsedValue(None, note, cell_unit, problem=f"负数不能出现在此栏：{text!r}")
    if kind is CellKind.MONEY:
        if cell_unit in _MONEY_UNITS and unit == "万元":
            factor = _MONEY_UNITS[cell_unit]
            if factor != 1:
                number = number * factor
        elif cell_unit and cell_unit not in _MONEY_UNITS:
            note = f"{cell_unit}{note or ''}"
        return ParsedValue(number, note, cell_unit)
    if m.group("frac") and number != number.to_integral_value():
        return ParsedValue(None, note, cell_unit, problem=f"件数不应有小数：{text!r}")
    if cell_unit in _MONEY_UNITS:
        return ParsedValue(None, note, cell_unit, problem=f"件数栏出现金额单位：{text!r}")
    return ParsedValue(int(number), note, cell_unit)


parse_value: Final = memo_text_args(_parse_value)
