"""A readable terminal view of a report's three tables, laid out from the template declaration."""

from __future__ import annotations

from decimal import Decimal
from itertools import groupby

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ..templates.model import BlockSpec, TableSpec
from .model import CellStatus, Report

_STATUS_STYLE = {
    CellStatus.BLANK: "yellow",
    CellStatus.MISSING: "red",
    CellStatus.UNREADABLE: "bold red",
    CellStatus.SPLIT: "cyan",
}


def _fmt(report: Report, key: str) -> Text:
    cell = report.cells[key]
    if cell.value is None:
        mark = {CellStatus.BLANK: "空", CellStatus.MISSING: "缺", CellStatus.UNREADABLE: "？"}.get(cell.status, "—")
        return Text(mark, style=_STATUS_STYLE.get(cell.status, ""))
    value = cell.value
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return Text(text, style=_STATUS_STYLE.get(cell.status, ""))


def _short(label: str, groups: tuple[str, ...]) -> str:
    return " / ".join(g for g in groups[1:]) + (" / " if len(groups) > 1 else "") + label


def _block_table(report: Report, table: TableSpec, block: BlockSpec) -> Table:
    title = f"{table.title} {block.label}" if block.label else table.title
    t = Table(title=title, box=box.SIMPLE_HEAVY, title_justify="left", show_lines=False)
    t.add_column(block.stub_label or "", overflow="ellipsis", no_wrap=True, min_width=16, max_width=34)
    for col in block.columns:
        head = col.label if not col.groups or table.key == "t3" else f"{col.groups[-1]}\n{col.label}"
        t.add_column(head, justify="right")
    for row in block.rows:
        t.add_row(_short(row.label, row.groups) if row.label else "件数", *(_fmt(report, table.cell_key(row, c)) for c in block.columns))
    return t


def render_text(report: Report) -> Group:
    parts: list = []
    head = Text()
    head.append(report.agency or "（未注明机关）", style="bold")
    head.append(f"  {report.year or '（年度不明）'}年度  模板 {report.template}")
    if report.published:
        head.append(f"  成文日期 {report.published.isoformat()}")
    parts.append(head)
    for table in report.spec.tables:
        block = table.blocks[0]
        if len(table.blocks) == 1 and len(block.rows) == 1:
            # one data row under grouped columns (表四): one line per column group
            groups = [list(g) for _, g in groupby(block.columns, key=lambda c: c.groups)]
            t = Table(title=table.title, box=box.SIMPLE_HEAVY, title_justify="left")
            t.add_column("")
            for col in groups[0]:
                t.add_column(col.label, justify="right")
            for cols in groups:
                t.add_row(" · ".join(cols[0].groups), *(_fmt(report, table.cell_key(block.rows[0], c)) for c in cols))
            parts.append(t)
            continue
        for block in table.blocks:
            parts.append(_block_table(report, table, block))
    notes = [w.message for w in report.warnings]
    if notes:
        parts.append(Text("读取提示：", style="bold yellow"))
        parts.extend(Text(f"  · {m}") for m in notes)
    parts.append(Text("空 = 单元格为空（不是 0）；缺 = 未找到该行或该栏；？ = 无法读取；青色 = 按勾稽关系拆分的连写数字", style="dim"))
    return Group(*parts)


def print_text(report: Report, console: Console | None = None) -> None:
    (console or Console()).print(render_text(report))
