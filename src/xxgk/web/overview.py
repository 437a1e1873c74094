"""The overview of a region and year: which agencies reported, which are missing, which fail;
the sums across departments in the official tables (with the 勾稽 identities re-checked on the
sums); charts over the years.  Built on :mod:`xxgk.store.queries` and filtered by the user's
scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.engine import Engine

from ..checks import RULES, CheckConfig, check_report
from ..report.model import CellStatus, CellValue, Report
from ..store import queries
from ..templates import get_template
from ..templates.model import CellKind
from . import charts
from .accounts import User
from .views import ReportRow, visible_reports

#: the outcome categories of 表三 (the groups under 三、本年度办理结果)
OUTCOMES = (
    ("granted", "予以公开"),
    ("partially_granted", "部分公开"),
    ("denied", "不予公开"),
    ("unable", "无法提供"),
    ("not_processed", "不予处理"),
    ("other", "其他处理"),
)
#: 表四's kinds of case
CASES = (("review", "行政复议"), ("lit_direct", "未经复议直接起诉"), ("lit_after_review", "复议后起诉"))


@dataclass
class Sums:
    template: str
    reports: int
    report: Report  # the sums as a report (a cell is blank when any report left it blank)
    incomplete: dict[str, int]  # cell key -> reports whose cell is blank
    findings: list = field(default_factory=list)  # identity findings on the sums


@dataclass
class Overview:
    region: str | None
    year: int | None
    years: list[int]
    regions: list[str]
    reported: list[ReportRow]
    missing: list[dict[str, Any]]
    failing: list[ReportRow]
    sums: list[Sums]
    charts: dict[str, str]


def _number(value: Decimal, spec, key: str):
    return value if spec.cell_spec[key][3].kind is CellKind.MONEY else int(value)


def _sum_rows(df, agencies: set[str], years: set[int] | None):
    """{(year, template): (reports, {key: (sum or None, blanks)})} over the chosen agencies."""
    out: dict[tuple, list] = {}
    if not len(df):
        return out
    df = df[df["agency"].isin(agencies)]
    if years is not None:
        df = df[df["year"].isin(years)]
    counts = df.drop_duplicates(["agency", "year", "template"]).groupby(["year", "template"]).size()
    for (year, template), n in counts.items():
        out[(int(year), template)] = [int(n), {}]
    for row in df.itertuples(index=False):
        entry = out[(int(row.year), row.template)][1]
        total, blanks = entry.get(row.key, (None, 0))
        if row.value is not None and row.value == row.value:  # not NaN
            total = (total or Decimal(0)) + row.value
        entry[row.key] = (total, blanks + int(row.blank))
    return out


def _identities_only() -> CheckConfig:
    return CheckConfig(disabled=tuple(r for r in RULES if not r.startswith("identity.")))


def _sums(template: str, count: int, keys: dict[str, tuple], year: int, region: str | None) -> Sums:
    spec = get_template(template)
    cells = {}
    incomplete = {}
    for key in spec.cell_keys:
        total, blanks = keys.get(key, (None, count))
        if blanks:
            incomplete[key] = blanks
        value = _number(total, spec, key) if total is not None else None
        cells[key] = CellValue(key, value, CellStatus.GIVEN if value is not None else CellStatus.BLANK)
    report = Report(template, year, region, cells)
    checked = Report(template, year, region, {
        k: (c if k not in incomplete else CellValue(k, None, CellStatus.BLANK)) for k, c in cells.items()
    })  # fmt: skip
    return Sums(template, count, report, incomplete, list(check_report(checked, None, _identities_only())))


def _value(keys: dict[str, tuple], key: str) -> float:
    total = keys.get(key, (None, 0))[0]
    return float(total) if total is not None else 0.0


def build(engine: Engine, user: User, region: str | None, year: int | None) -> Overview:
    everything = visible_reports(engine, user)
    regions = sorted({r.region for r in everything if r.region})
    years = sorted({r.year for r in everything if r.year}, reverse=True)
    if year is None and years:
        year = years[0]
    in_region = [r for r in everything if not region or (r.region and r.region.startswith(region))]
    reported = [r for r in in_region if r.year == year]
    failing = [r for r in reported if r.status == "errors"]
    missing = []
    if year is not None:
        df = queries.missing(engine, years=[year])
        for m in df.to_dict("records"):
            reg = m["region"] if isinstance(m["region"], str) else None
            if not user.may_see(m["agency"], reg):
                continue
            if region and not (reg and reg.startswith(region)):
                continue
            missing.append(m)
    agencies = {r.agency_normalized for r in in_region if r.agency_normalized}
    per_group = _sum_rows(queries.totals(engine, by=("agency", "year")), agencies, None)
    sums = [
        _sums(template, n, keys, y, region)
        for (y, template), (n, keys) in sorted(per_group.items())
        if y == year
    ]
    return Overview(region, year, years, regions, reported, missing, failing, sums, _charts(per_group, year, region))


def _charts(per_group: dict, year: int | None, region: str | None) -> dict[str, str]:
    if not per_group:
        return {}
    where = region or "全部地区"
    by_year: dict[int, dict[str, tuple]] = defaultdict(dict)
    for (y, _template), (_n, keys) in per_group.items():
        for k, v in keys.items():
            old = by_year[y].get(k, (None, 0))
            total = v[0] if old[0] is None else (old[0] + (v[0] or 0))
            by_year[y][k] = (total, old[1] + v[1])
    years = sorted(by_year)
    out = {}
    out["applications"] = charts.bars_by_year(
        f"{where}：本年新收政府信息公开申请（按年度）", years, [_value(by_year[y], "t3.new_received.total") for y in years]
    )
    if year in by_year:
        keys = by_year[year]
        values = []
        for cat, _label in OUTCOMES:
            values.append(sum(_value(keys, k) for k in keys if k.startswith(f"t3.result.{cat}.") and k.endswith(".total")))
        out["outcomes"] = charts.horizontal_bars(f"{where} {year}年：申请办理结果", [lbl for _, lbl in OUTCOMES], values)
    series = {}
    for kind, label in CASES:
        cases = [_value(by_year[y], f"t4.{kind}.total") for y in years]
        rates = []
        for y, n in zip(years, cases):
            done = n - _value(by_year[y], f"t4.{kind}.pending")
            rates.append(round(100 * _value(by_year[y], f"t4.{kind}.corrected") / done, 1) if done > 0 else None)
        series[label] = (cases, rates)
    out["cases"] = charts.cases_and_rates(f"{where}：行政复议、行政诉讼及纠错率", years, series)
    return out
