"""Writing a report the many ways real reports are published, to test the readers.

Each writer takes a :class:`~xxgk.report.Report` and a random generator and produces one of the
layouts seen in the wild: text from Word converters (one cell per line, or tab-separated rows
with ragged tabs, vertical labels, bookmark debris), crawler text with numbers run together,
CMS web pages (merged cells, blanks, Word-pasted markup, navigation around the report, GBK),
and Word files (merged cells, nested layout tables, text boxes).  The tables are drawn from the
template's official layout (:func:`~xxgk.templates.layout.table_layout`).
"""

from __future__ import annotations

import html
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ..report.model import Report
from ..templates.layout import LayoutCell, table_layout
from ..templates.model import CellKind, TemplateSpec

BLANKS_TEXT = ("", "/", "—", "-", "无")


@dataclass
class GridCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    role: str = "value"
    value_key: str | None = None


_S2T = None


def damage_label(text: str, rng: random.Random) -> str:
    """A label as publication damages it: width, spaces inside words, 1、 for 1., traditional
    characters, a dropped character.  The official text stays recognisable."""
    global _S2T
    r = rng.random()
    if r < 0.55 or not text:
        return text
    if r < 0.65:
        return text.replace("（", "(").replace("）", ")").replace("，", ",")
    if r < 0.75 and len(text) > 3:
        cut = rng.randint(1, len(text) - 1)
        return text[:cut] + rng.choice((" ", "  ", "\u3000")) + text[cut:]
    if r < 0.83:
        return text.replace("1.", "1、").replace("2.", "2、").replace("3.", "3、") if text[:1].isdigit() else text
    if r < 0.93:
        if _S2T is None:
            from opencc import OpenCC

            _S2T = OpenCC("s2t")
        return _S2T.convert(text)
    # a typo: one character dropped from the middle of a long label
    if len(text) >= 9:
        cut = rng.randint(3, len(text) - 2)
        return text[:cut] + text[cut + 1 :]
    return text


def format_value(report: Report, key: str, rng: random.Random, *, blanks=BLANKS_TEXT, units: bool = True) -> str:
    value = report.cells[key].value
    if value is None:
        return rng.choice(blanks)
    _, _, _, col = report.spec.cell_spec[key]
    if col.kind is CellKind.MONEY:
        assert isinstance(value, Decimal)
        r = rng.random() if units else 1.0
        if r < 0.15:
            return f"{format(value, 'f')}万元"
        if r < 0.25:
            yuan = (value * 10000).normalize()
            return f"{format(yuan, 'f')}元"
        return format(value, "f")
    if units and rng.random() < 0.03:
        return f"{value}件"
    if units and rng.random() < 0.02:
        return f"{value}（其中新增{rng.randint(0, 3)}件）"
    return str(value)


def table_grids(
    report: Report, rng: random.Random, damage: bool = True, **fmt
) -> list[tuple[str, list[list[GridCell | None]]]]:
    """(table key, grid) for each template table; a grid row lists the cells starting in it,
    with None where a vertically merged cell continues from above (as Word converters see it)."""
    out = []
    for table in report.spec.tables:
        layout = table_layout(table)
        covered: dict[tuple[int, int], LayoutCell] = {}
        rows: list[list[GridCell | None]] = []
        for r, cells in enumerate(layout.rows()):
            line: list[GridCell | None] = []
            starts = {c.col: c for c in cells}
            col = 0
            while col < layout.width:
                if (r, col) in covered:
                    origin = covered[(r, col)]
                    line.append(None)
                    col += origin.colspan
                    continue
                cell = starts.get(col)
                if cell is None:  # not reached with a complete layout
                    col += 1
                    continue
                for dr in range(1, cell.rowspan):
                    covered[(r + dr, col)] = cell
                if cell.role == "value":
                    text = format_value(report, cell.key, rng, **fmt)
                else:
                    text = damage_label(cell.text, rng) if damage else cell.text
                line.append(GridCell(text, cell.rowspan, cell.colspan, cell.role, cell.key))
                col += cell.colspan
            rows.append(line)
        out.append((table.key, rows))
    return out


def _doc_parts(report: Report) -> list[tuple[str, str]]:
    """("heading"|"para"|"table:t2"…, text) in document order."""
    parts: list[tuple[str, str]] = []
    title = report.title or f"{report.agency}{report.year}年政府信息公开工作年度报告"
    parts.append(("title", title))
    for s in report.spec.sections:
        sec = report.section(s.key)
        parts.append(("heading", f"{s.number}、{s.heading}"))
        if s.table:
            parts.append(("table", s.table))
        text = sec.text if sec else ""
        for para in text.split("\n"):
            if para.strip():
                parts.append(("para", para))
    if report.agency:
        parts.append(("para", report.agency))
    return parts


def _vertical(text: str) -> str:
    return "\n".join(text)


# text ----------------------------------------------------------------------------------------
def to_text_cell_per_line(report: Report, rng: random.Random) -> str:
    """Word → text: every cell on its own tab-indented line, blank lines between rows."""
    grids = dict(table_grids(report, rng))
    vertical = rng.random() < 0.5
    lines: list[str] = []
    for kind, text in _doc_parts(report):
        if kind == "table":
            for row in grids[text]:
                for cell in row:
                    t = "" if cell is None else cell.text
                    if cell is not None and vertical and cell.role in ("group", "header") and cell.rowspan > 1 and len(t) <= 12:
                        t = _vertical(t)
                    lines.append("\t" + t)
                lines.append("")
            lines.append("")
        else:
            if rng.random() < 0.1:
                text = "[bookmark: _GoBack]" + text
            lines.append(text)
    return "\n".join(lines) + "\n"


def to_text_row_per_line(report: Report, rng: random.Random) -> str:
    """Word → text: one row per line, tab-separated, with ragged leading and trailing tabs."""
    grids = dict(table_grids(report, rng))
    lines: list[str] = []
    for kind, text in _doc_parts(report):
        if kind == "table":
            for row in grids[text]:
                cells = ["" if c is None else c.text.replace("\n", "") for c in row]
                # converters drop the empty cells of vertical merges at the start of a row
                if rng.random() < 0.3:
                    while cells and cells[0] == "" and row[0] is None:
                        cells.pop(0)
                        row = row[1:]
                cells += [""] * rng.choice((0, 0, 1, 2))
                line = "\t".join(cells)
                if "\t" not in line:
                    line += "\t"
                lines.append(line)
            lines.append("")
        else:
            lines.append(text)
            lines.append("")
    return "\n".join(lines)


def to_text_runs(report: Report, rng: random.Random) -> str:
    """Crawler text: each table row on a line, label and numbers run together with no separator."""
    lines: list[str] = []
    for kind, text in _doc_parts(report):
        if kind == "table":
            table = report.spec.table_by_key[text]
            for block in table.blocks:
                for row in block.rows:
                    nums = []
                    for col in block.columns:
                        v = report.cells[table.cell_key(row, col)].value
                        nums.append("" if v is None else (format(v, "f") if isinstance(v, Decimal) else str(v)))
                    lines.append(row.label + "".join(nums))
        else:
            lines.append(text)
    return "\n".join(lines) + "\n"


# HTML ----------------------------------------------------------------------------------------
_NAV = """<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/ndbg">政府信息公开年报</a></li></ul></div>
<table class="links"><tr><td><a href="#">{prev}年政府信息公开工作年度报告</a></td><td>2019-01-30</td></tr>
<tr><td><a href="#">关于开展政务公开培训的通知</a></td><td>2020-03-01</td></tr></table>"""
_FOOTER = """<div class="footer"><table><tr><td>主办单位：{agency}</td><td>网站标识码：3201000001</td></tr>
<tr><td>备案号：苏ICP备12345678号</td><td>联系电话：0517-12345678</td></tr></table></div>"""


def _html_cell_text(text: str, rng: random.Random, style: str, is_value: bool) -> str:
    if text == "" or text in BLANKS_TEXT:
        blank = rng.choice(("&nbsp;", "", "<o:p>&nbsp;</o:p>", " ")) if text == "" else html.escape(text)
        return blank if style == "plain" else f"<p>{blank}</p>"
    if "\n" in text:
        text_html = "<br>".join(html.escape(x) for x in text.split("\n"))
    elif not is_value and len(text) > 6 and rng.random() < 0.3:
        cut = rng.randint(2, len(text) - 2)
        text_html = html.escape(text[:cut]) + rng.choice(("<br>", "<br/>", "</p><p>")) + html.escape(text[cut:])
        if "</p><p>" in text_html:
            return f"<p>{text_html}</p>"
    elif is_value and len(text) >= 2 and rng.random() < 0.3:
        cut = rng.randint(1, len(text) - 1)  # one number over two runs: "2" + "0" is 20
        text_html = f'<span>{html.escape(text[:cut])}</span><span lang="EN-US">{html.escape(text[cut:])}</span>'
    else:
        text_html = html.escape(text)
    if style == "plain":
        return text_html
    if style == "word":
        return (
            f'<p class="MsoNormal" align="center" style="text-align:center"><span lang="EN-US" '
            f'style="font-size:10.5pt;font-family:仿宋_GB2312">{text_html}<o:p></o:p></span></p>'
        )
    return f"<p><span style=\"font-size:14px\"><font face=\"宋体\">{text_html}</font></span></p>"


def to_html(report: Report, rng: random.Random) -> bytes:
    grids = dict(table_grids(report, rng))
    style = rng.choice(("plain", "word", "spans"))
    gbk = rng.random() < 0.4
    wrapped = rng.random() < 0.6
    layout_table = rng.random() < 0.3
    body: list[str] = []
    for kind, text in _doc_parts(report):
        if kind == "title":
            body.append(f'<h1 style="text-align:center">{html.escape(text)}</h1>' if rng.random() < 0.5 else f"<p><strong>{html.escape(text)}</strong></p>")
        elif kind == "heading":
            body.append(rng.choice((f"<h3>{html.escape(text)}</h3>", f"<p><strong>{html.escape(text)}</strong></p>", f"<p>{html.escape(text)}</p>")))
        elif kind == "para":
            body.append(f"<p style=\"text-indent:2em\">{html.escape(text)}</p>")
        else:
            head = rng.random() < 0.3
            rows_html = []
            for r, row in enumerate(grids[text]):
                cells = []
                for cell in row:
                    if cell is None:
                        continue
                    tag = "th" if head and cell.role in ("header", "group", "corner") else "td"
                    attrs = ""
                    if cell.rowspan > 1:
                        attrs += f' rowspan="{cell.rowspan}"'
                    if cell.colspan > 1:
                        attrs += f' colspan="{cell.colspan}"'
                    cells.append(f"<{tag}{attrs}>{_html_cell_text(cell.text, rng, style, cell.role == 'value')}</{tag}>")
                rows_html.append("<tr>" + "".join(cells) + "</tr>")
            if rng.random() < 0.3:
                width = max(sum(c.colspan for c in row if c is not None) for row in grids[text])
                rows_html.append("<tr>" + "<td>&nbsp;</td>" * width + "</tr>")
            border = rng.choice(('border="1" cellspacing="0"', 'class="MsoNormalTable" border="0"', ""))
            body.append(f"<table {border}><tbody>{''.join(rows_html)}</tbody></table>")
    content = "\n".join(body)
    if style == "word":
        content = "<!--[if gte mso 9]><xml><w:WordDocument></w:WordDocument></xml><![endif]-->\n" + content
    if layout_table:
        content = f'<table width="100%"><tr><td class="content">{content}</td></tr></table>'
    charset = "gb2312" if gbk else "utf-8"
    page_title = f"{report.title or ''}_{report.agency or ''}"
    if wrapped:
        page = (
            f'<div class="header"><h2>{html.escape(report.agency or "")}门户网站</h2></div>'
            + _NAV.format(prev=(report.year or 2020) - 1)
            + f'<div class="article"><div class="info">发布时间：{report.year or 2022}-01-20 来源：本网</div>'
            + f'<div class="TRS_Editor" id="zoom">{content}</div></div>'
            + _FOOTER.format(agency=html.escape(report.agency or ""))
        )
    else:
        page = content
    doc = (
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"<title>{html.escape(page_title)}</title></head><body>{page}</body></html>"
    )
    return doc.encode("gb18030" if gbk else "utf-8")


# DOCX ----------------------------------------------------------------------------------------
def to_docx(report: Report, rng: random.Random) -> bytes:
    def value_runs(key: str, units: bool, split: bool) -> list[str]:
        text = format_value(report, key, rng, units=units)
        if split and len(text) >= 2:
            cut = rng.randint(1, len(text) - 1)
            return [text[:cut], text[cut:]]
        return [text]

    return render_docx(report.spec, _doc_parts(report), rng, value_runs)


def render_docx(
    spec: TemplateSpec,
    parts: list[tuple[str, str]],
    rng: random.Random,
    value_runs: Callable[[str, bool, bool], list[str]],
) -> bytes:
    """A Word file of ``parts`` (:func:`_doc_parts`) with the template's tables; the runs of each
    value cell come from ``value_runs(key, units, split)`` (split: in two runs, when it can)."""
    from docx import Document as NewDocument
    from docx.oxml import parse_xml

    units = rng.random() < 0.5
    nested = rng.random() < 0.3
    textbox_title = rng.random() < 0.3
    split_runs = rng.random() < 0.4
    doc = NewDocument()
    container = doc
    if nested:
        outer = doc.add_table(rows=1, cols=1)
        container = outer.cell(0, 0)
    for kind, text in parts:
        if kind == "title" and textbox_title:
            p = container.add_paragraph()
            xml = (
                '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:400pt;height:40pt">'
                f"<v:textbox><w:txbxContent><w:p><w:r><w:t>{html.escape(text)}</w:t></w:r></w:p></w:txbxContent>"
                "</v:textbox></v:shape></w:pict></w:r>"
            )
            p._p.append(parse_xml(xml))
        elif kind in ("title", "heading", "para"):
            container.add_paragraph(text)
        else:
            layout = table_layout(spec.table_by_key[text])
            table = container.add_table(rows=layout.height, cols=layout.width)
            if not nested:
                table.style = "Table Grid"
            grid = table._cells  # one pass over the XML; Table.cell() walks it on every call
            w = layout.width
            for cell in layout.cells:
                target = grid[cell.row * w + cell.col]
                para = target.paragraphs[0]
                if cell.role == "value":
                    for run in value_runs(cell.key, units, split_runs):
                        para.add_run(run)
                    continue
                for k, line in enumerate(damage_label(cell.text, rng).split("\n")):
                    if k:
                        para = target.add_paragraph()
                    para.add_run(line)
            # merge right to left so the cells still to merge keep their place in the grid
            for cell in sorted(layout.cells, key=lambda c: (-c.col, -c.row)):
                if cell.rowspan > 1 or cell.colspan > 1:
                    end = grid[(cell.row + cell.rowspan - 1) * w + cell.col + cell.colspan - 1]
                    grid[cell.row * w + cell.col].merge(end)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


WRITERS = {
    "text-cells": to_text_cell_per_line,
    "text-rows": to_text_row_per_line,
    "html": to_html,
    "docx": to_docx,
}
