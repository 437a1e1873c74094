"""The report as a Word file in the official layout (GB/T 9704 typography, the template's merges).

Title 方正小标宋简体 二号 centred; body 仿宋_GB2312 三号 with a two-character first-line indent;
section headings 黑体; the three tables drawn from :func:`~xxgk.templates.layout.table_layout`
with the official merged cells, "Table Grid" borders and centred text; rows do not break across
pages.  Null cells stay empty.
Fonts are named in ``w:rFonts`` for every script (``w:eastAsia`` carries the Chinese face), so a
machine without the GB fonts falls back to its own CJK fonts.
"""

from __future__ import annotations

import io

from docx import Document as NewDocument
from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..report.model import Report
from .common import cell_text, layout, parts

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(10.5)  # 五号


def _fonts(rpr_owner, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Name the font for every script on a run or style (``w:eastAsia`` for the Chinese text)."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _run(paragraph, text: str, font: str, size, bold: bool = False, latin: str = LATIN_FONT):
    run = paragraph.add_run(text)
    run.font.size = size
    run.font.name = latin
    if bold:
        run.font.bold = True
    _fonts(run._r, font, latin)
    return run


def _body_paragraph(doc, text: str, *, font: str = BODY_FONT, indent: bool = True, align=None):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 三号
    if align is not None:
        p.alignment = align
    _run(p, text, font, BODY_SIZE)
    return p


TEXT_WIDTH_MM = 210 - 28 - 26


def _column_widths(grid_layout) -> list:
    """Narrow columns for the stub's group labels, a wide one for the row labels, the rest shared."""
    w = grid_layout.width
    stub_cells = [c for c in grid_layout.cells if c.role in ("stub", "stub_header")]
    stub = max((c.col + c.colspan for c in stub_cells), default=0) if stub_cells else 0
    if stub_cells and all(c.col == 0 and c.colspan == 1 for c in stub_cells):  # 表二: one label column
        stub = 1
    widths: list[float] = []
    if stub == 0:
        widths = [TEXT_WIDTH_MM / w] * w
    else:
        groups = stub - 1
        label = 44.0 if groups else 40.0
        rest = (TEXT_WIDTH_MM - groups * 11.0 - label) / (w - stub)
        widths = [11.0] * groups + [label] + [rest] * (w - stub)
    return [Mm(x) for x in widths]


#: left and right cell padding (twips, about 0.7 mm; Word's default is 1.9 mm) so that five-digit
#: numbers fit on one line in 表三's narrow columns
CELL_PADDING_TWIPS = 40


def _narrow_cell_margins(table) -> None:
    tbl_pr = table._tbl.tblPr
    margins = tbl_pr.makeelement(qn("w:tblCellMar"), {})
    for side in ("left", "right"):
        margins.append(tbl_pr.makeelement(qn(f"w:{side}"), {qn("w:w"): str(CELL_PADDING_TWIPS), qn("w:type"): "dxa"}))
    layout_el = tbl_pr.find(qn("w:tblLayout"))  # schema order: ... tblLayout, tblCellMar, tblLook
    if layout_el is not None:
        layout_el.addnext(margins)
    else:
        tbl_pr.append(margins)


def _table(doc, report: Report, table_spec) -> None:
    grid_layout = layout(table_spec)
    w = grid_layout.width
    table = doc.add_table(rows=grid_layout.height, cols=w)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid = table._cells  # one pass over the XML
    table.autofit = False
    _narrow_cell_margins(table)
    for row in table.rows:  # a row never breaks across pages (a label split from its numbers)
        row._tr.get_or_add_trPr().append(row._tr.makeelement(qn("w:cantSplit"), {}))
    for j, width in enumerate(_column_widths(grid_layout)):
        table.columns[j].width = width
        for i in range(grid_layout.height):
            grid[i * w + j].width = width
    for cell in grid_layout.cells:
        target = grid[cell.row * w + cell.col]
        text = cell_text(report, cell.key) if cell.role == "value" else cell.text
        para = target.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.space_after = Pt(0)
        para.paragraph_format.first_line_indent = Pt(0)
        if text:
            font = HEADING_FONT if cell.role in ("block",) else BODY_FONT
            _run(para, text, font, TABLE_SIZE)
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    # merge right to left so the cells still to merge keep their place in the grid
    for cell in sorted(grid_layout.cells, key=lambda c: (-c.col, -c.row)):
        if cell.rowspan > 1 or cell.colspan > 1:
            end = grid[(cell.row + cell.rowspan - 1) * w + cell.col + cell.colspan - 1]
            merged = grid[cell.row * w + cell.col].merge(end)
            # merge() gathers the paragraphs of the merged cells: keep only the first
            for extra in merged.paragraphs[1:]:
                if not extra.text:
                    extra._p.getparent().remove(extra._p)


def render_docx(report: Report) -> bytes:
    doc = NewDocument()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    normal.font.name = LATIN_FONT
    _fonts(normal.element, BODY_FONT)
    doc.core_properties.title = parts(report)[0].text
    doc.core_properties.language = "zh-CN"
    if report.agency:
        doc.core_properties.author = report.agency
    for part in parts(report):
        if part.kind == "title":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(16)
            p.paragraph_format.line_spacing = Pt(36)
            _run(p, part.text, TITLE_FONT, TITLE_SIZE)
        elif part.kind == "heading":
            _body_paragraph(doc, part.text, font=HEADING_FONT)
        elif part.kind == "para":
            _body_paragraph(doc, part.text)
        elif part.kind == "table":
            _table(doc, report, part.table)
            doc.add_paragraph().paragraph_format.space_after = Pt(0)
        elif part.kind in ("signature", "date"):
            if part.kind == "signature":
                _body_paragraph(doc, "", indent=False)  # a blank line before the signature block
            _body_paragraph(doc, part.text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
