"""Naming cells, rows and columns in Chinese the way the official tables label them."""

from __future__ import annotations

from decimal import Decimal

from ..report.model import CellStatus, Report
from ..templates.model import TableSpec, TemplateSpec


def row_label(table: TableSpec, row_key: str | None) -> str:
    for block in table.blocks:
        for row in block.rows:
            if row.key == row_key:
                if not row.label:
                    return ""
                # sub-rows are named with their group: （三）不予公开 1.属于国家秘密
                group = row.groups[-1] + " " if len(row.groups) > 1 else ""
                return f"{group}{row.label}"
    return row_key or ""


def column_label(table: TableSpec, column_key: str | None) -> str:
    for block in table.blocks:
        for col in block.columns:
            if col.key == column_key:
                groups = [g for g in col.groups if g not in ("申请人情况",)]
                return "·".join(groups[-1:] + [col.label]) if table.key == "t4" else col.label
    return column_key or ""


def cell_name(spec: TemplateSpec, key: str) -> str:
    """表三“一、本年新收政府信息公开申请数量”行“总计”栏; 表四“行政复议·总计”栏."""
    table, block, row, col = spec.cell_spec[key]
    where = f"“{row_label(table, row.key)}”行" if row.label else ""
    return f"{table.title}{where}“{column_label(table, col.key)}”栏"


def fmt(value) -> str:
    if value is None:
        return "空"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _place(loc) -> tuple | None:
    if loc is None:
        return None
    place = (loc.line, loc.page, loc.table, loc.row)
    return place if any(x is not None for x in place) else None


def row_at(report: Report, loc, status: CellStatus | None = None) -> tuple[str | None, str | None, tuple[str, ...]]:
    """(table key, row key, cell keys) of the table row read at ``loc``; Nones when not one row.

    Parse warnings carry only where they were read; this names the row for a finding's location.
    """
    place = _place(loc)
    if place is None:
        return None, None, ()
    spec = report.spec
    keys = tuple(
        k
        for k in spec.cell_keys
        if _place(report.cells[k].loc) == place and (status is None or report.cells[k].status is status)
    )
    rows = {(spec.cell_spec[k][0].key, spec.cell_spec[k][2].key) for k in keys}
    if len(rows) != 1:
        return None, None, ()
    table, row = rows.pop()
    return table, row or None, keys
