"""Random valid reports: every identity of the template holds (unless blanks are asked for).

Used by the tests (round trips through every reader and writer) and by the benchmarks.
The agencies and numbers are synthetic; nothing here is a real report.
"""

from __future__ import annotations

import random
from decimal import Decimal

from ..checks.rules.units import YUAN_LOOKING
from ..report.model import CellStatus, CellValue, Report, Section
from ..templates import TemplateSpec
from ..templates.model import CellKind

REGIONS = ("海州区", "封丘县", "上饶市", "淮安市", "方正县", "浉河区", "城关镇", "高新区", "武侯区", "余杭区")
DEPARTMENTS = (
    "工业和信息化局", "财政局", "教育局", "人民政府办公室", "自然资源和规划局", "卫生健康委员会",
    "市场监督管理局", "交通运输局", "住房和城乡建设局", "人民政府", "生态环境局", "司法局",
)  # fmt: skip


def random_agency(rng: random.Random) -> str:
    return rng.choice(REGIONS) + rng.choice(DEPARTMENTS)


def _count(rng: random.Random, big: bool) -> int:
    r = rng.random()
    if r < 0.55:
        return 0
    if r < 0.85:
        return rng.randint(1, 9)
    if r < 0.97 or not big:
        return rng.randint(10, 999)
    return rng.randint(1000, 5_000_000)


def _money(rng: random.Random) -> Decimal:
    r = rng.random()
    if r < 0.4:
        return Decimal(0)
    places = rng.choice((0, 1, 2, 4))
    # whole amounts stay below 10000 万元: round amounts above that look like yuan (unit.looks_like_yuan),
    # and so do amounts written with decimals that are all zero ("75300.0"): those get a last digit 1
    units = rng.randint(1, 9999 if places == 0 else 10**6)
    amount = Decimal(units).scaleb(-places)
    if amount >= YUAN_LOOKING and amount == amount.to_integral_value():
        amount += Decimal(1).scaleb(-places)
    return amount


def random_values(
    rng: random.Random, spec: TemplateSpec, *, blank_rate: float = 0.0, big: bool = True
) -> dict[str, int | Decimal | None]:
    """Values for every cell of ``spec``; identities hold before blanks are punched."""
    values: dict[str, int | Decimal | None] = {}
    t2 = spec.table_by_key["t2"]
    for key, _, _, col in t2.cells:
        if col.kind is CellKind.MONEY:
            values[key] = _money(rng)
        elif col.kind is CellKind.SIGNED:
            values[key] = rng.choice((0, 0, 0, rng.randint(-30, 30)))
        else:
            values[key] = _count(rng, big)

    t3 = spec.table_by_key["t3"]
    block = t3.blocks[0]
    cols = [c for c in block.columns if not c.total_rule]
    total_col = next(c for c in block.columns if c.total_rule)
    rows = {r.key: r for r in block.rows}
    total_row = next(r for r in block.rows if r.total_rule)
    leaves = [r for r in block.rows if r.groups and r is not total_row]
    for c in cols:
        s = 0
        for r in leaves:
            v = _count(rng, big) if rng.random() < 0.5 else 0
            values[t3.cell_key(r, c)] = v
            s += v
        values[t3.cell_key(total_row, c)] = s
        fwd = _count(rng, False)
        over = rng.randint(0, s + fwd)
        values[t3.cell_key(rows["carried_forward"], c)] = fwd
        values[t3.cell_key(rows["carried_over"], c)] = over
        values[t3.cell_key(rows["new_received"], c)] = s + fwd - over
    for r in block.rows:
        values[t3.cell_key(r, total_col)] = sum(values[t3.cell_key(r, c)] for c in cols)  # type: ignore[misc]

    t4 = spec.table_by_key["t4"]
    for ident in t4.identities:
        s = 0
        for key in ident.rhs:
            v = _count(rng, False)
            values[key] = v
            s += v
        values[ident.lhs[0]] = s

    if blank_rate:
        for key in list(values):
            if rng.random() < blank_rate:
                values[key] = None
    return values


def build_report(
    spec: TemplateSpec,
    values: dict[str, int | Decimal | None],
    *,
    year: int | None,
    agency: str | None,
    sections: dict[str, str] | None = None,
) -> Report:
    cells = {
        k: CellValue(k, v, CellStatus.GIVEN if v is not None else CellStatus.BLANK) for k, v in values.items()
    }
    secs = tuple(
        Section(s.key, f"{s.number}、{s.heading}", (sections or {}).get(s.key, ""), None, i)
        for i, s in enumerate(spec.sections)
    )
    title = f"{agency or ''}{year}年政府信息公开工作年度报告" if year else None
    return Report(spec.key, year, agency, cells, sections=secs, title=title)


PROSE = {
    "s1": "{year}年，{agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "扎实做好主动公开、依申请公开、政府信息管理、政府信息公开平台建设和监督保障等工作。",
    "s5": "{year}年，我单位政府信息公开工作取得一定成效，但也存在公开内容不够丰富、政策解读形式单一等问题。"
    "下一步将加强业务培训，丰富解读形式，提升公开质量。",
    "s6": "本年度未收取信息处理费。无其他需要报告的事项。",
}


def random_report(
    rng: random.Random,
    template: TemplateSpec,
    *,
    year: int | None = None,
    agency: str | None = None,
    blank_rate: float = 0.0,
    big: bool = True,
) -> Report:
    year = year or rng.randint(template.first_year, (template.last_year or 2025))
    agency = agency or random_agency(rng)
    values = random_values(rng, template, blank_rate=blank_rate, big=big)
    prose = {k: v.format(year=year, agency=agency) for k, v in PROSE.items()}
    return build_report(template, values, year=year, agency=agency, sections=prose)
