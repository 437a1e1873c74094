"""What the pages and the API show of stored reports: the list with each report's status, one
report with its findings and its source document, one upload batch and its findings as Excel.

Everything is filtered by the user's :class:`~xxgk.web.accounts.User` scope here, once, so a
page and the API route for the same thing cannot disagree about who may see what.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.engine import Engine

from .. import limits
from ..document import Paragraph, Table
from ..report.model import Report
from ..store import schema as s
from ..store.queries import latest_report_ids
from ..store.records import load_report
from .accounts import User

STATUS_LABELS = {"clean": "无问题", "warnings": "有警告", "errors": "有错误", "failed": "读取失败"}


def status_of(row: Any) -> str:
    if row.status == s.STATUS_FAILED:
        return "failed"
    if row.errors:
        return "errors"
    if row.warnings:
        return "warnings"
    return "clean"


def _listing(ids=None):
    f = s.findings
    counts = (
        select(
            f.c.report_id,
            func.sum(case((f.c.severity == "error", 1), else_=0)).label("errors"),
            func.sum(case((f.c.severity == "warning", 1), else_=0)).label("warnings"),
            func.sum(case((f.c.severity == "info", 1), else_=0)).label("infos"),
        )
        .group_by(f.c.report_id)
        .subquery()
    )
    a = s.agencies
    stmt = (
        select(
            s.reports.c.id, s.reports.c.sha256, s.reports.c.source_name, s.reports.c.source_format,
            s.reports.c.status, s.reports.c.error, s.reports.c.year, s.reports.c.template, s.reports.c.version,
            s.reports.c.title, s.reports.c.ingested_at, s.reports.c.series,
            a.c.name.label("agency"), a.c.normalized.label("agency_normalized"), a.c.region, a.c.level,
            func.coalesce(counts.c.errors, 0).label("errors"), func.coalesce(counts.c.warnings, 0).label("warnings"),
            func.coalesce(counts.c.infos, 0).label("infos"),
        )  # fmt: skip
        .outerjoin(a, s.reports.c.agency_id == a.c.id)
        .outerjoin(counts, counts.c.report_id == s.reports.c.id)
    )
    return stmt.where(s.reports.c.id.in_(ids)) if ids is not None else stmt


@dataclass
class ReportRow:
    id: int
    agency: str | None
    agency_normalized: str | None
    region: str | None
    year: int | None
    template: str | None
    status: str
    errors: int
    warnings: int
    source_name: str
    version: int
    sha256: str
    error: str | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def file_name(self) -> str:
        return Path(self.source_name.split("!")[-1]).name or self.source_name

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "agency": self.agency, "region": self.region, "year": self.year,
            "template": self.template, "status": self.status, "status_label": self.status_label,
            "errors": self.errors, "warnings": self.warnings, "source_name": self.source_name,
            "version": self.version, "sha256": self.sha256, "error": self.error,
        }  # fmt: skip


def _row(r) -> ReportRow:
    return ReportRow(
        r.id, r.agency, r.agency_normalized, r.region, r.year, r.template, status_of(r), int(r.errors or 0),
        int(r.warnings or 0), r.source_name, r.version, r.sha256, r.error,
    )  # fmt: skip


def visible_reports(
    engine: Engine, user: User, *, agency: str | None = None, year: int | None = None, status: str | None = None,
    region: str | None = None,
) -> list[ReportRow]:
    """The latest version of every report the user may see, by agency and year."""
    with engine.connect() as conn:
        rows = conn.execute(_listing(latest_report_ids()).where(s.reports.c.status == s.STATUS_OK)).all()
    out = [_row(r) for r in rows if user.may_see(r.agency_normalized, r.region)]
    if agency:
        out = [r for r in out if r.agency and agency in r.agency]
    if region:
        out = [r for r in out if r.region and r.region.startswith(region)]
    if year:
        out = [r for r in out if r.year == year]
    if status:
        out = [r for r in out if r.status == status]
    out.sort(key=lambda r: (r.agency or "", -(r.year or 0), r.id))
    return out


def report_row(engine: Engine, report_id: int) -> ReportRow | None:
    with engine.connect() as conn:
        row = conn.execute(_listing().where(s.reports.c.id == report_id)).first()
    return _row(row) if row else None


def allowed(user: User, row: ReportRow | None) -> bool:
    if row is None:
        return False
    if row.status == s.STATUS_FAILED:
        return user.sees_all
    return user.may_see(row.agency_normalized, row.region)


@dataclass
class FindingView:
    index: int
    rule: str
    severity: str
    message: str
    table: str | None
    row: str | None
    column: str | None
    section: str | None
    expected: Any
    actual: Any
    cells: list[str] = field(default_factory=list)

    @property
    def severity_label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}.get(self.severity, self.severity)

    def to_dict(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in ("rule", "severity", "message", "table", "row", "column", "section", "cells")}
        d["severity_label"] = self.severity_label
        for k in ("expected", "actual"):
            v = getattr(self, k)
            d[k] = None if v is None else str(v)
        return d


_SEV = {"error": 0, "warning": 1, "info": 2}


def report_findings(engine: Engine, report_id: int) -> list[FindingView]:
    with engine.connect() as conn:
        rows = conn.execute(select(s.findings).where(s.findings.c.report_id == report_id).order_by(s.findings.c.id)).all()
    rows = sorted(rows, key=lambda f: (_SEV.get(f.severity, 3), f.id))
    return [
        FindingView(i, f.rule, f.severity, f.message, f.table_key, f.row_key, f.column_key, f.section, f.expected,
                    f.actual, list(f.cells or []))  # fmt: skip
        for i, f in enumerate(rows, 1)
    ]


def stored_report(engine: Engine, report_id: int) -> Report:
    with engine.connect() as conn:
        return load_report(conn, report_id)


def cell_marks(findings: list[FindingView]) -> dict[str, tuple[str, list[int]]]:
    """cell key -> (worst severity, numbers of the findings about it)."""
    marks: dict[str, tuple[str, list[int]]] = {}
    for f in findings:
        for key in f.cells:
            sev, nums = marks.get(key, (f.severity, []))
            if _SEV.get(f.severity, 3) < _SEV.get(sev, 3):
                sev = f.severity
            marks[key] = (sev, [*nums, f.index])
    return marks


# the source document ---------------------------------------------------------------------------
def source_bytes(engine: Engine, row: ReportRow) -> bytes | None:
    """The file's bytes: kept from an upload, or read again from the path it was ingested from
    when that file is still there unchanged."""
    with engine.connect() as conn:
        data = conn.execute(select(s.sources.c.data).where(s.sources.c.sha256 == row.sha256)).scalar()
    if data is not None:
        return bytes(data)
    path = Path(row.source_name.split("!", 1)[0])
    try:
        if "!" in row.source_name or not path.is_file() or path.stat().st_size > limits.MAX_INPUT_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest() == row.sha256 else None


def _loc_attrs(loc) -> str:
    out = ""
    for k in ("line", "page", "table", "row", "col"):
        v = getattr(loc, k)
        if v is not None:
            out += f' data-{k}="{v}"'
    return out


#: source views kept (a .doc/.wps view starts LibreOffice, a scan runs OCR: a reviewer going
#: back and forth between reports should not wait for that each time)
SOURCE_CACHE_SIZE = 32
_source_cache: OrderedDict[tuple[str, str], str] = OrderedDict()
_source_lock = threading.Lock()


def source_html(data: bytes, name: str) -> str:
    """The document as the reader saw it: paragraphs and tables, each element carrying its
    location (``data-line``, ``data-table``/``data-row``/``data-col``, ``data-page``) so the page
    can point from a number to where it was read.  Every text is escaped.

    The last :data:`SOURCE_CACHE_SIZE` views are kept, by the file's SHA-256 and name."""
    key = (hashlib.sha256(data).hexdigest(), name)
    with _source_lock:
        if key in _source_cache:
            _source_cache.move_to_end(key)
            return _source_cache[key]
    html = _source_html(data, name)
    with _source_lock:
        _source_cache[key] = html
        while len(_source_cache) > SOURCE_CACHE_SIZE:
            _source_cache.popitem(last=False)
    return html


def _source_html(data: bytes, name: str) -> str:
    from ..readers import read_document

    doc = read_document(data, name=name)
    out = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out.append(f'<p class="src-p"{_loc_attrs(block.loc)}>{escape(block.text)}</p>')
        elif isinstance(block, Table):
            rows = []
            for row in block.rows:
                cells = []
                for cell in row:
                    span = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                        f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
                    )
                    cells.append(f'<td{span}{_loc_attrs(cell.loc)}>{escape(cell.text)}</td>')
                rows.append("<tr>" + "".join(cells) + "</tr>")
            out.append(f'<table class="src-table"{_loc_attrs(block.loc)}>' + "".join(rows) + "</table>")
    return "\n".join(out)


# upload batches ----------------------------------------------------------------------------
@dataclass
class BatchItem:
    name: str
    sha256: str | None
    outcome: str
    message: str | None
    report: ReportRow | None

    @property
    def outcome_label(self) -> str:
        from .uploads import OUTCOME_LABELS

        return OUTCOME_LABELS.get(self.outcome, self.outcome)


def batch(engine: Engine, user: User, upload_id: int) -> tuple[Any, list[BatchItem]] | None:
    """An upload and its files; None when it does not exist or is not the user's (admins and
    reviewers who see everything may open any)."""
    with engine.connect() as conn:
        up = conn.execute(select(s.uploads).where(s.uploads.c.id == upload_id)).first()
        if up is None or (up.user_id != user.id and not user.sees_all):
            return None
        items = conn.execute(
            select(s.upload_items).where(s.upload_items.c.upload_id == upload_id).order_by(s.upload_items.c.id)
        ).all()
        shas = [i.sha256 for i in items if i.sha256]
        ids = conn.execute(select(s.reports.c.id, s.reports.c.sha256).where(s.reports.c.sha256.in_(shas))).all()
    by_sha = {sha: rid for rid, sha in ids}
    out = []
    for i in items:
        row = report_row(engine, by_sha[i.sha256]) if i.sha256 in by_sha else None
        if row is not None and not allowed(user, row):
            row = None
        out.append(BatchItem(i.name, i.sha256, i.outcome, i.message, row))
    return up, out


def user_batches(engine: Engine, user: User, limit: int = 20) -> list[tuple[Any, int]]:
    with engine.connect() as conn:
        stmt = (
            select(s.uploads, func.count(s.upload_items.c.id).label("files"))
            .outerjoin(s.upload_items, s.upload_items.c.upload_id == s.uploads.c.id)
            .group_by(s.uploads.c.id)
            .order_by(s.uploads.c.id.desc())
            .limit(limit)
        )
        if not user.sees_all:
            stmt = stmt.where(s.uploads.c.user_id == user.id)
        return conn.execute(stmt).all()


FINDING_HEADERS = ("文件", "机关", "年度", "严重程度", "规则", "问题说明", "表", "行", "列", "应为", "实为")


def batch_findings_xlsx(engine: Engine, items: list[BatchItem]) -> bytes:
    """The findings of a batch as an Excel workbook to send back to the departments: one row per
    finding, plus the files that could not be read or were refused."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "检查问题"
    ws.append(FINDING_HEADERS)
    fills = {"错误": PatternFill("solid", fgColor="F8D7DA"), "警告": PatternFill("solid", fgColor="FFF3CD")}
    for item in items:
        if item.report is None:
            if item.outcome in ("failed", "refused"):
                ws.append((item.name, None, None, "错误", "upload." + item.outcome, item.message or item.outcome_label))
            continue
        r = item.report
        for f in report_findings(engine, r.id):
            ws.append(
                (item.name, r.agency, r.year, f.severity_label, f.rule, f.message, f.table, f.row, f.column,
                 None if f.expected is None else str(f.expected), None if f.actual is None else str(f.actual))
            )  # fmt: skip
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in ws.iter_rows(min_row=2):
        fill = fills.get(row[3].value)
        if fill:
            row[3].fill = fill
        row[5].alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEFGHIJK", (28, 24, 8, 10, 26, 60, 6, 24, 20, 10, 10)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    summary = wb.create_sheet("文件")
    summary.append(("文件", "结果", "机关", "年度", "状态", "错误", "警告", "说明"))
    for item in items:
        r = item.report
        summary.append(
            (item.name, item.outcome_label, r.agency if r else None, r.year if r else None,
             r.status_label if r else None, r.errors if r else None, r.warnings if r else None, item.message)
        )  # fmt: skip
    for cell in summary[1]:
        cell.font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
