"""Excel workbooks: the fill-in sheet a clerk types numbers into, and the data workbook of a report.

Both are drawn from the template declaration (:func:`xxgk.templates.layout.table_layout`): one
sheet per table with the official merged cells, a sheet 基本信息 for agency, year and the six
sections' prose, and a hidden sheet ``_meta`` recording the template, the year and where every
cell key lives (``t3.new_received.total`` → ``表三!I5``), so reading a workbook back is exact.

In the fill-in sheet the total cells are formulas (表三's 总计 column and （七）总计 row, 表四's
总计) and the other identities appear as check cells (平衡 / 不平衡).  openpyxl cannot evaluate
formulas: a formula cell saved by Excel or LibreOffice carries a cached value, which is used; a
formula cell without one (a workbook filled by a script) is recomputed from the identity it
implements and marked as computed.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from .. import limits
from ..errors import UnreadableInput
from ..report.model import CellStatus, CellValue, ParseWarning, Report, Section, SourceInfo
from ..templates import TemplateSpec, get_template
from ..templates.layout import TableLayout, table_layout
from ..templates.model import CellKind, Identity, TableSpec

META_SHEET = "_meta"
INFO_SHEET = "基本信息"
HELP_SHEET = "填报说明"
LONG_SHEET = "数据"
FILL_IN = "xxgk-fill-in"
DATA = "xxgk-data"
FORMAT_VERSION = "1"
#: a cell whose value was computed from its formula's identity (no cached value in the file)
COMPUTED_NOTE = "由公式计算 (computed from the formula: no cached value)"

_TITLE_ROWS = 1  # the table title above each grid


# --------------------------------------------------------------------------------------------
# geometry


def _col_letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def _ref(row: int, col: int) -> str:
    return f"{_col_letter(col)}{row}"


def _positions(layout: TableLayout) -> dict[str, tuple[int, int]]:
    """Cell key → (excel row, excel column), 1-based, below the title row."""
    return {c.key: (c.row + 1 + _TITLE_ROWS, c.col + 1) for c in layout.value_cells if c.key}


def _formula_identities(spec: TemplateSpec) -> dict[str, Identity]:
    """The total cells written as formulas and the identity each implements.

    A cell that is both a column total and a row total (表三 （七）总计 × 总计) sums its row.
    """
    out: dict[str, Identity] = {}
    for ident in spec.identities:
        if len(ident.lhs) != 1:
            continue
        key = ident.lhs[0]
        _, _, row, col = spec.cell_spec[key]
        if ident.rule == col.total_rule:
            out[key] = ident  # column total (sum across the row) wins
        elif ident.rule == row.total_rule and key not in out:
            out[key] = ident
    return out


def _sum_expr(keys: Iterable[str], where: dict[str, str]) -> str:
    return "+".join(where[k] for k in keys)


def _check_formula(ident: Identity, where: dict[str, str]) -> str:
    return f'=IF({_sum_expr(ident.lhs, where)}={_sum_expr(ident.rhs, where)},"平衡","不平衡")'


def _rule_label(table: TableSpec, rule: str) -> str:
    for stated in table.stated:
        if stated.rule == rule:
            return f"勾稽关系：{stated.text}"
    names = {
        "identity.row_total": "总计 = 各列之和",
        "identity.results_total": "（七）总计 = 各项办理结果之和",
        "identity.t4_total": "总计 = 维持 + 纠正 + 其他 + 尚未审结",
    }
    return f"检查：{names.get(rule, rule)}"


# --------------------------------------------------------------------------------------------
# writing


def _styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="000000")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "label_font": Font(name="宋体", size=10),
        "head_font": Font(name="宋体", size=10, bold=True),
        "title_font": Font(name="宋体", size=14, bold=True),
        "label_fill": PatternFill("solid", fgColor="F2F2F2"),
        "input_fill": PatternFill("solid", fgColor="FFFFE0"),
        "formula_fill": PatternFill("solid", fgColor="E2EFDA"),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
        "right": Alignment(horizontal="right", vertical="center"),
        "top_left": Alignment(horizontal="left", vertical="top", wrap_text=True),
    }


def _text(value):
    """A string as Excel can hold it: no control characters, at most 32767 characters."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:32767]


def _put_text(ws, row: int, col: int, value):
    """Write text that stays text (a string starting with "=" is not a formula)."""
    xc = ws.cell(row, col)
    xc.value = _text(value)
    if isinstance(xc.value, str):
        xc.data_type = "s"
    return xc


def _number_format(kind: CellKind) -> str:
    return "0.0000##" if kind is CellKind.MONEY else "0"


def _excel_value(value):
    if isinstance(value, Decimal):
        # Excel holds doubles; an integral amount stays an int, the rest a float that prints back exactly
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _write_table(
    ws,
    spec: TemplateSpec,
    table: TableSpec,
    values: dict[str, object],
    *,
    formulas: bool,
    protect: bool,
    st: dict,
) -> dict[str, str]:
    """Draw one table; returns cell key → cell reference (without the sheet)."""
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.styles import Protection

    layout = table_layout(table)
    pos = _positions(layout)
    where = {k: _ref(r, c) for k, (r, c) in pos.items()}
    section = next((s for s in spec.sections if s.table == table.key), None)
    title = f"{table.title}  {section.heading}" if section else table.title
    ws.cell(1, 1, title).font = st["title_font"]
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=layout.width)
    ws.cell(1, 1).alignment = st["center"]
    ws.row_dimensions[1].height = 28

    for cell in layout.cells:
        r, c = cell.row + 1 + _TITLE_ROWS, cell.col + 1
        for rr in range(r, r + cell.rowspan):
            for cc in range(c, c + cell.colspan):
                ws.cell(rr, cc).border = st["border"]
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(start_row=r, start_column=c, end_row=r + cell.rowspan - 1, end_column=c + cell.colspan - 1)
        xc = ws.cell(r, c)
        if cell.role != "value":
            xc.value = cell.text or None
            xc.font = st["head_font"] if cell.role in ("block", "group", "header", "corner") else st["label_font"]
            xc.alignment = st["left"] if cell.role in ("stub", "block") else st["center"]
            xc.fill = st["label_fill"]
            continue

    formula_of = _formula_identities(spec) if formulas else {}
    validations: dict[CellKind, DataValidation] = {}
    for key, block, row, col in table.cells:
        r, c = pos[key]
        xc = ws.cell(r, c)
        xc.number_format = _number_format(col.kind)
        xc.alignment = st["right"]
        ident = formula_of.get(key)
        if ident is not None:
            xc.value = "=" + _sum_expr(ident.rhs, where)
            xc.fill = st["formula_fill"]
            continue
        v = values.get(key)
        xc.value = _excel_value(v) if v is not None else None
        if protect:
            xc.protection = Protection(locked=False)
            xc.fill = st["input_fill"]
            dv = validations.get(col.kind)
            if dv is None:
                if col.kind is CellKind.MONEY:
                    dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
                    dv.error = "请填写金额（万元），不能为负数"
                elif col.kind is CellKind.SIGNED:
                    dv = DataValidation(type="whole", operator="between", formula1="-1000000000", formula2="1000000000")
                    dv.error = "请填写整数（可为负数）"
                else:
                    dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
                    dv.error = "请填写非负整数"
                dv.allow_blank = True
                dv.showErrorMessage = True
                validations[col.kind] = dv
                ws.add_data_validation(dv)
            dv.add(xc)

    _write_checks(ws, table, layout, pos, where, formula_of, st)

    # column widths: a wide stub, narrow number columns
    stub_cols = {cell.col for cell in layout.cells if cell.role in ("stub", "group", "stub_header", "corner")}
    for j in range(1, layout.width + 1):
        ws.column_dimensions[_col_letter(j)].width = 22 if (j - 1) in stub_cols else 12
    if protect:
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
    ws.freeze_panes = None
    return where


def _write_checks(ws, table, layout, pos, where, formula_of: dict[str, Identity], st) -> None:
    """A check cell per identity not written as a formula: right of its row or below its column."""
    right_next: dict[int, int] = {}  # excel row → next free column right of the table
    taken: set[tuple[int, int]] = set()  # (excel row, column) of check cells below the table
    below_next = layout.height + 1 + _TITLE_ROWS + 1
    rule_rows: dict[str, int] = {}
    head_done = False
    for ident in table.identities:
        if len(ident.lhs) == 1 and formula_of.get(ident.lhs[0]) == ident:
            continue  # the formula makes it hold
        rows = {pos[k][0] for k in ident.keys}
        cols = {pos[k][1] for k in ident.keys}
        if len(rows) == 1:
            r = rows.pop()
            c = right_next.get(r, layout.width + 2)
            right_next[r] = c + 1
            if not head_done:
                h = ws.cell(1 + _TITLE_ROWS, layout.width + 2, "检查")
                h.font = st["head_font"]
                head_done = True
        else:
            c = pos[ident.lhs[0]][1] if len(cols) != 1 else cols.pop()
            if ident.rule not in rule_rows:
                rule_rows[ident.rule] = below_next
                label = ws.cell(below_next, 1, _rule_label(table, ident.rule))
                label.font = st["head_font"]
                label.alignment = st["left"]
                below_next += 1
            r = rule_rows[ident.rule]
            if (r, c) in taken:  # a second identity of the rule in this column: a row of its own
                r = below_next
                ws.cell(r, 1, _rule_label(table, ident.rule)).font = st["head_font"]
                below_next += 1
            taken.add((r, c))
        xc = ws.cell(r, c, _check_formula(ident, where))
        xc.alignment = st["center"]
        xc.border = st["border"]


def _write_info(wb, spec: TemplateSpec, year: int | None, agency, sections: dict[str, str], protect: bool, st) -> dict:
    from openpyxl.styles import Protection

    ws = wb.create_sheet(INFO_SHEET)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 100
    ws.cell(1, 1, "项目").font = st["head_font"]
    ws.cell(1, 2, "内容").font = st["head_font"]
    where: dict[str, str] = {}
    rows = [("agency", "机关名称", agency), ("year", "报告年度", year)]
    rows += [(f"section.{s.key}", f"{s.number}、{s.heading}", sections.get(s.key, "")) for s in spec.sections]
    for i, (key, label, value) in enumerate(rows, start=2):
        a = ws.cell(i, 1, label)
        a.font = st["label_font"]
        a.fill = st["label_fill"]
        a.alignment = st["left"]
        a.border = st["border"]
        b = _put_text(ws, i, 2, value if value not in ("",) else None)
        b.border = st["border"]
        b.alignment = st["top_left"]
        if key == "year":
            b.number_format = "0"
        if protect:
            b.protection = Protection(locked=False)
            b.fill = st["input_fill"]
        if key.startswith("section."):
            ws.row_dimensions[i].height = 120
        where[key] = f"{INFO_SHEET}!B{i}"
    if protect:
        ws.protection.sheet = True
        ws.protection.formatRows = False
        ws.protection.formatColumns = False
    return where


_HELP = (
    "政府信息公开工作年度报告 填报表",
    "",
    "一、本工作簿按国务院办公厅政府信息公开办公室印发的年度报告格式（{name}，{issued}）绘制，"
    "适用于 {year} 年度报告。",
    "二、请在“基本信息”中填写机关名称、报告年度和正文六个部分的文字（表格部分不必在此重复）。",
    "三、请在“表二”“表三”“表四”中浅黄色单元格内填写数字：件数填非负整数；金额以“万元”为单位，可带小数。"
    "没有发生的事项请填 0，不要留空（留空表示未报告）。",
    "四、绿色单元格是公式（表三“总计”列和“（七）总计”行、表四“总计”），由表格自动计算，请勿改写。",
    "五、表格右侧或下方的“检查”单元格显示勾稽关系是否平衡；显示“不平衡”时请核对数字。"
    "表三每一列须满足：第一项加第二项之和，等于第三项加第四项之和。",
    "六、请勿修改表格结构、增删行列或改动隐藏的“_meta”工作表，否则无法读回。",
    "七、填好后可用命令 xxgk parse 填报.xlsx 读取并检查，xxgk render 填报.xlsx -o 报告.docx 生成报告。",
)


def _write_meta(wb, kind: str, spec: TemplateSpec, year, where: dict[str, str]) -> None:
    ws = wb.create_sheet(META_SHEET)
    ws.append(["format", kind])
    ws.append(["version", FORMAT_VERSION])
    ws.append(["template", spec.key])
    ws.append(["year", year])
    for key, ref in where.items():
        ws.append(["cell", key, ref])
    ws.sheet_state = "hidden"


def _new_workbook():
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    return wb


def _save(wb, path_or_stream) -> None:
    if isinstance(path_or_stream, (str, os.PathLike)):
        wb.save(os.fspath(path_or_stream))
    else:
        wb.save(path_or_stream)


def _build(spec: TemplateSpec, year, report: Report | None, *, kind: str) -> object:
    st = _styles()
    fill_in = kind == FILL_IN
    wb = _new_workbook()
    if fill_in:
        help_ws = wb.create_sheet(HELP_SHEET)
        help_ws.column_dimensions["A"].width = 120
        for i, line in enumerate(_HELP, start=1):
            text = line.format(name=spec.name, issued=spec.issued_by, year=year if year else "")
            c = help_ws.cell(i, 1, text)
            c.alignment = st["left"]
            c.font = st["title_font"] if i == 1 else st["label_font"]
    values = report.values() if report is not None else {}
    sections = {s.key: s.text for s in report.sections} if report is not None else {}
    agency = report.agency if report is not None else None
    if report is not None and year is None:
        year = report.year
    where = _write_info(wb, spec, year, agency, sections, fill_in, st)
    for table in spec.tables:
        ws = wb.create_sheet(table.title)
        refs = _write_table(ws, spec, table, values, formulas=fill_in, protect=fill_in, st=st)
        where.update({k: f"{table.title}!{ref}" for k, ref in refs.items()})
    if not fill_in:
        _write_long(wb, spec, report, where, st)
    _write_meta(wb, kind, spec, year, where)
    wb.active = 0
    return wb


def write_fill_in(template_spec: TemplateSpec | str, year: int | None, path_or_stream, report: Report | None = None):
    """Write the fill-in workbook for ``year`` (pre-filled from ``report`` when given).

    The total cells are always formulas, so a pre-filled report's own totals are not copied:
    to keep published numbers as they are (even when they break an identity), use
    :func:`write_data_workbook`.
    """
    spec = get_template(template_spec) if isinstance(template_spec, str) else template_spec
    if report is not None and report.template != spec.key:
        raise ValueError(f"report is on {report.template}, not {spec.key}")
    _save(_build(spec, year, report, kind=FILL_IN), path_or_stream)


def _write_long(wb, spec: TemplateSpec, report: Report, where: dict[str, str], st) -> None:
    ws = wb.create_sheet(LONG_SHEET, 1)
    head = ["单元格键", "表", "栏目", "行", "列", "数值", "原文", "状态"]
    ws.append(head)
    for c in ws[1]:
        c.font = st["head_font"]
    for key, table, block, row, col in spec.cells:
        cell = report.cells[key]
        row_label = "".join(f"{g} › " for g in row.groups) + row.label
        col_label = "".join(f"{g} › " for g in col.groups) + col.label
        value = _excel_value(cell.value) if cell.value is not None else None
        ws.append([key, table.title, block.label or "", row_label, col_label, value, None, cell.status.value])
        _put_text(ws, ws.max_row, 7, cell.raw)
        ws.cell(ws.max_row, 6).number_format = _number_format(col.kind) if col.kind is CellKind.COUNT else "General"
    ws.auto_filter.ref = f"A1:H{ws.max_row}"
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGH", (44, 6, 18, 40, 24, 12, 16, 8)):
        ws.column_dimensions[letter].width = width


def write_data_workbook(report: Report, path_or_stream) -> None:
    """The report's data as a workbook a reviewer can sort and sum; :func:`read_fill_in` reads it back."""
    _save(_build(report.spec, report.year, report, kind=DATA), path_or_stream)


# --------------------------------------------------------------------------------------------
# reading

_COMPRESSIONS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_TOO_LARGE = "Excel 文件解压后过大，疑似压缩炸弹 (zip part too large)"
_CHUNK = 1 << 16
#: an xxgk workbook is well under 1 MB; a part beyond this is not one a clerk filled in
_XLSX_PART_BYTES = 16 * 1024 * 1024


def _check_container(data: bytes) -> None:
    """Decompress every part once within the limits, so openpyxl never meets a zip bomb."""
    from ..readers.ziparchive import open_zip

    zf = open_zip(data)
    total = 0
    part_limit = min(limits.MAX_ZIP_PART_BYTES, _XLSX_PART_BYTES)
    for info in zf.infolist():
        if info.file_size > part_limit:
            raise UnreadableInput(_TOO_LARGE)
        if info.compress_type not in _COMPRESSIONS:
            raise UnreadableInput(f"Excel 文件使用了不支持的压缩方式 (unsupported zip compression method {info.compress_type})")
        size = 0
        try:
            with zf.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if size > part_limit or total > limits.MAX_ZIP_TOTAL_BYTES:
                        raise UnreadableInput(_TOO_LARGE)
        except UnreadableInput:
            raise
        except Exception as exc:  # damaged or encrypted parts
            raise UnreadableInput(f"Excel 文件已损坏，无法读取 (corrupt zip part {info.filename!r}: {exc})") from None


def _load(data: bytes, values_only: bool):
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), data_only=values_only, read_only=False)
    except UnreadableInput:
        raise
    except Exception as exc:
        raise UnreadableInput(f"Excel 文件无法打开 (unreadable workbook: {type(exc).__name__})") from None


def _split_ref(ref: str) -> tuple[str, str]:
    sheet, _, cell = ref.rpartition("!")
    return sheet, cell


def _to_number(value, kind: CellKind):
    """A number typed in a cell, in the column's kind; raises ValueError for anything else."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        if not text:
            return None
        value = Decimal(text)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, int):
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValueError(value)
    if kind is CellKind.MONEY:
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 else value.normalize()
    if value != value.to_integral_value():
        raise ValueError(value)
    n = int(value)
    if kind is CellKind.COUNT and n < 0:
        raise ValueError(value)
    return n


def _money(value):
    """Money the way the other readers give it: a Decimal."""
    return value if isinstance(value, Decimal) or value is None else Decimal(value)


def read_fill_in(data: bytes, name: str | None = None) -> Report:
    """Read a workbook written by :func:`write_fill_in` or :func:`write_data_workbook`."""
    _check_container(data)
    wb_f = _load(data, values_only=False)
    if META_SHEET not in wb_f.sheetnames:
        raise UnreadableInput("这是 Excel 表格，不是 xxgk 填报表 (spreadsheet without the xxgk _meta sheet)")
    meta: dict[str, object] = {}
    refs: dict[str, str] = {}
    for row in wb_f[META_SHEET].iter_rows(values_only=True):
        if not row or row[0] is None:
            continue
        if row[0] == "cell" and len(row) >= 3 and row[1] and row[2]:
            refs[str(row[1])] = str(row[2])
        else:
            meta[str(row[0])] = row[1] if len(row) > 1 else None
    if meta.get("format") not in (FILL_IN, DATA):
        raise UnreadableInput("Excel 文件的 _meta 表不是 xxgk 格式 (unknown _meta format)")
    try:
        spec = get_template(str(meta.get("template")))
    except KeyError:
        raise UnreadableInput(f"Excel 文件的模板未知 (unknown template {meta.get('template')!r})") from None
    missing = [k for k in spec.cell_keys if k not in refs]
    if missing:
        raise UnreadableInput(f"Excel 文件的 _meta 表缺少单元格 (missing cells, e.g. {missing[0]})")
    wb_v = _load(data, values_only=True)

    def cell(wb, ref: str):
        sheet, at = _split_ref(ref)
        if sheet not in wb.sheetnames:
            raise UnreadableInput(f"Excel 文件缺少工作表 {sheet!r} (missing sheet)")
        try:
            return wb[sheet][at]
        except (ValueError, KeyError):
            raise UnreadableInput(f"Excel 文件的 _meta 表引用无效 (bad reference {ref!r})") from None

    warnings: list[ParseWarning] = []
    cells: dict[str, CellValue] = {}
    pending: list[str] = []  # formula cells without a cached value
    for key, table, block, row, col in spec.cells:
        ref = refs[key]
        formula = cell(wb_f, ref).value
        cached = cell(wb_v, ref).value
        is_formula = isinstance(formula, str) and formula.startswith("=")
        raw_value = cached if is_formula else formula
        if is_formula and cached is None:
            pending.append(key)
            continue
        raw = None if raw_value is None else str(raw_value)
        try:
            value = _to_number(raw_value, col.kind)
        except (ValueError, InvalidOperation, TypeError):
            cells[key] = CellValue(key, None, CellStatus.UNREADABLE, raw=raw, note=f"{ref}")
            warnings.append(ParseWarning("xlsx.unreadable", f"{ref} 不是有效数字：{raw}", key=key))
            continue
        if col.kind is CellKind.MONEY:
            value = _money(value)
        status = CellStatus.GIVEN if value is not None else CellStatus.BLANK
        cells[key] = CellValue(key, value, status, raw=raw, note=f"{ref}=公式" if is_formula else None)

    if pending:
        formula_of = _formula_identities(spec)
        resolving: set[str] = set()

        def compute(key: str):
            if key in cells:
                return cells[key].value
            ident = formula_of.get(key)
            if ident is None or key in resolving:
                return None
            resolving.add(key)
            parts = [compute(k) for k in ident.rhs]
            resolving.discard(key)
            known = [p for p in parts if p is not None]
            value = sum(known) if known else None
            kind = spec.cell_spec[key][3].kind
            if kind is CellKind.MONEY and value is not None:
                value = _money(value)
            status = CellStatus.GIVEN if value is not None else CellStatus.BLANK
            cells[key] = CellValue(key, value, status, raw=None, note=COMPUTED_NOTE)
            return value

        for key in pending:
            compute(key)
        warnings.append(
            ParseWarning(
                "xlsx.computed",
                f"{len(pending)} 个合计单元格是公式且文件中没有计算结果，已按勾稽关系计算 "
                "(formula cells without cached values were computed from the identities)",
            )
        )

    def info(key: str):
        ref = refs.get(key)
        if ref is None:
            return None
        try:
            return cell(wb_v, ref).value
        except UnreadableInput:
            return None

    agency = info("agency")
    agency = str(agency).strip() if agency not in (None, "") else None
    year = info("year")
    if year in (None, ""):
        year = meta.get("year")
    if isinstance(year, str) and (m := re.search(r"\d{4}", year)):
        year = m.group()
    try:
        year = int(year) if year not in (None, "") else None
    except (TypeError, ValueError):
        warnings.append(ParseWarning("xlsx.year", f"报告年度不是数字：{year}"))
        year = None
    sections = []
    for i, s in enumerate(spec.sections):
        text = info(f"section.{s.key}")
        sections.append(Section(s.key, f"{s.number}、{s.heading}", "" if text is None else str(text), None, i))
    title = f"{agency or ''}{year}年政府信息公开工作年度报告" if year else None
    source = SourceInfo(name=name, format="xlsx", size=len(data))
    return Report(
        spec.key, year, agency, cells, sections=tuple(sections), warnings=tuple(warnings), title=title, source=source
    )


__all__ = ["write_fill_in", "write_data_workbook", "read_fill_in"]
