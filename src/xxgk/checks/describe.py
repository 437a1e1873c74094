"""Naming cells, rows and columns in Chinese the way the official tables label them."""

from __future__ import annotations

from decimal import Decimal

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
    table, block, row, col = spec.cell_spec[key]
    parts = [table.title]
    if row.label:
        parts.append(f"“{row_label(table, row.key)}”行")
    parts.append(f"“{column_label(table, col.key)}”")
    return "".join(parts[:1]) + "、".join(parts[1:]) if len(parts) > 2 else "".join(parts)


def fmt(value) -> str:
    if value is None:
        return "空"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
