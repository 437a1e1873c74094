"""What every renderer writes, in order: title, the six sections with their prose and tables, signature."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..report.model import Number, Report
from ..templates.layout import TableLayout, table_layout
from ..templates.model import TableSpec


@dataclass(frozen=True)
class Part:
    kind: str  # title | heading | para | table | signature | date
    text: str = ""
    table: TableSpec | None = None


def title_of(report: Report) -> str:
    if report.title:
        return report.title
    year = f"{report.year}年" if report.year is not None else ""
    return f"{report.agency or ''}{year}政府信息公开工作年度报告"


def date_text(report: Report) -> str | None:
    d = report.published
    return f"{d.year}年{d.month}月{d.day}日" if d else None


def format_number(value: Number | None) -> str:
    """A cell value as published: integers plainly, money with its exact digits, null as empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return "0" if text in ("-0", "0E-0") else text
    return str(value)


def cell_text(report: Report, key: str | None) -> str:
    return format_number(report.cells[key].value) if key else ""


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def parts(report: Report) -> list[Part]:
    out = [Part("title", title_of(report))]
    for s in report.spec.sections:
        out.append(Part("heading", f"{s.number}、{s.heading}"))
        sec = report.section(s.key)
        text = paragraphs(sec.text) if sec else []
        if s.table:
            out.append(Part("table", table=report.spec.table_by_key[s.table]))
        out.extend(Part("para", p) for p in text)
    if report.agency:
        out.append(Part("signature", report.agency))
    when = date_text(report)
    if when:
        out.append(Part("date", when))
    return out


def layout(table: TableSpec) -> TableLayout:
    return table_layout(table)

