"""The report as one standalone, accessible web page, fit to paste into a government CMS.

``lang="zh-CN"``; one ``<caption>`` per table; header cells are ``<th>`` with ``scope`` (col,
colgroup, row, rowgroup) and the official merges as ``rowspan``/``colspan`` from
:func:`~xxgk.templates.layout.table_layout`; inline ``style`` attributes only (no stylesheet,
no script); every text is escaped with :func:`html.escape`.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ..report.model import Report
from ..templates.layout import LayoutCell
from .common import cell_text, layout, parts, title_of

PAGE = "max-width:900px;margin:0 auto;padding:24px;font-family:'仿宋_GB2312','FangSong','仿宋','STFangsong','Noto Serif CJK SC','Source Han Serif SC',serif;font-size:16pt;line-height:1.75;color:#000;background:#fff"
TITLE = "text-align:center;font-family:'方正小标宋简体','FZXiaoBiaoSong-B05S','STZhongsong','华文中宋','SimSun','Noto Serif CJK SC',serif;font-size:22pt;font-weight:normal;line-height:1.5;margin:0 0 24px"
HEADING = "font-family:'黑体','SimHei','Heiti SC','Noto Sans CJK SC','Source Han Sans SC',sans-serif;font-size:16pt;font-weight:normal;margin:16px 0 8px;text-indent:2em"
PARA = "text-indent:2em;margin:0"
RIGHT = "text-align:right;margin:0"
TABLE = "border-collapse:collapse;width:100%;margin:12px 0 20px;font-size:10.5pt;line-height:1.4"
CAPTION = "font-weight:bold;padding:4px 0;text-align:center"
CELL = "border:1px solid #000;padding:4px 6px;text-align:center;vertical-align:middle"
HEAD_CELL = CELL + ";font-weight:normal;background:#f5f5f5"

_SCOPE = {"corner": "col", "stub_header": "col", "header": "col", "block": "colgroup"}


def _attrs(cell: LayoutCell) -> str:
    out = ""
    if cell.rowspan > 1:
        out += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        out += f' colspan="{cell.colspan}"'
    return out


def _scope(cell: LayoutCell, corner: LayoutCell | None) -> str:
    if cell.role == "group":
        # a row group sits in the stub below the corner; a column group in the header above the values
        stub = corner is not None and cell.col < corner.colspan and cell.row >= corner.row + corner.rowspan
        return "rowgroup" if stub else "colgroup"
    if cell.role == "stub":
        return "row"
    return _SCOPE.get(cell.role, "col")


def _text(text: str) -> str:
    return "<br>".join(escape(line) for line in text.split("\n"))


def table_html(
    report: Report | None,
    table_spec,
    heading: str = "",
    *,
    value: Callable[[LayoutCell], str] | None = None,
    attrs: Callable[[LayoutCell], dict[str, str]] | None = None,
    styled: bool = True,
) -> str:
    """One table in the official layout.  ``value`` gives the (already escaped) content of a value
    cell (default: the report's number); ``attrs`` extra attributes of a value cell (escaped
    here); ``styled=False`` leaves out the inline styles (a page with its own stylesheet)."""
    grid = layout(table_spec)
    corner = next((c for c in grid.cells if c.role == "corner"), None)
    cell_style = f' style="{CELL}"' if styled else ""
    head_style = f' style="{HEAD_CELL}"' if styled else ""
    rows = []
    for cells in grid.rows():
        out = []
        for cell in cells:
            if cell.role == "corner":  # the table's note, not a header of any cell
                out.append(f'<td{_attrs(cell)} class="corner"{head_style}>{_text(cell.text)}</td>')
            elif cell.role == "value":
                content = value(cell) if value else escape(cell_text(report, cell.key))
                extra = "".join(f' {k}="{escape(v)}"' for k, v in (attrs(cell) if attrs else {}).items())
                out.append(f"<td{_attrs(cell)}{extra}{cell_style}>{content}</td>")
            else:
                scope = _scope(cell, corner)
                out.append(f'<th scope="{scope}"{_attrs(cell)}{head_style}>{_text(cell.text)}</th>')
        rows.append("<tr>" + "".join(out) + "</tr>")
    cap = f"{table_spec.title}　{heading}" if heading else table_spec.title
    table_style = f' style="{TABLE}"' if styled else ""
    caption_style = f' style="{CAPTION}"' if styled else ""
    return (
        f'<table{table_style} data-table="{escape(table_spec.key)}"><caption{caption_style}>{escape(cap)}</caption>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _table(report: Report, table_spec, heading: str) -> str:
    return table_html(report, table_spec, heading)


def render_html(report: Report) -> bytes:
    body: list[str] = []
    headings = {s.table: s.heading for s in report.spec.sections if s.table}
    for part in parts(report):
        if part.kind == "title":
            body.append(f'<h1 style="{TITLE}">{escape(part.text)}</h1>')
        elif part.kind == "heading":
            body.append(f'<h2 style="{HEADING}">{escape(part.text)}</h2>')
        elif part.kind == "para":
            body.append(f'<p style="{PARA}">{escape(part.text)}</p>')
        elif part.kind == "table":
            body.append(_table(report, part.table, headings.get(part.table.key, "")))
        elif part.kind == "signature":
            body.append(f'<p style="{RIGHT};margin-top:2em">{escape(part.text)}</p>')
        elif part.kind == "date":
            body.append(f'<p style="{RIGHT}">{escape(part.text)}</p>')
    page = (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title_of(report))}</title>\n</head>\n<body>\n"
        f'<article style="{PAGE}">\n' + "\n".join(body) + "\n</article>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")
