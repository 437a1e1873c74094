"""Writing a report in the browser: the form's data → a :class:`Report` through
:func:`xxgk.render.data.report_from_data` (the same path as ``xxgk render data.json``), checked
by the real rules, written by the real renderers.  Nothing about totals is computed here."""

from __future__ import annotations

from typing import Any

from ..checks import check_report
from ..render.data import DataError, fill_totals, report_from_data
from ..render.write import gate_findings
from ..report.jsonio import nest
from ..report.model import Report
from ..templates import TEMPLATES

FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "pdf": ("application/pdf", ".pdf"),
    "html": ("text/html; charset=utf-8", ".html"),
}
_META = ("template", "year", "agency", "title", "published")


def data_from_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The report data from flat form fields: ``template``, ``year``, ``agency``, ``title``,
    ``published``, one field per cell key (``t3.new_received.total``; empty = null) and one per
    section (``sections.s1``).  Unknown fields are ignored (the CSRF token, buttons)."""
    template = fields.get("template") or "gov2021"
    spec = TEMPLATES.get(template)
    if spec is None:
        raise DataError(f"未知的模板“{template}”，应为 {' 或 '.join(sorted(TEMPLATES))}")
    data: dict[str, Any] = {k: (fields.get(k) or None) for k in _META}
    data["template"] = template
    flat = {k: fields.get(k) for k in spec.cell_keys}
    data.update(nest({k: (v if v not in ("", None) else None) for k, v in flat.items()}))
    data["sections"] = {sec.key: fields.get(f"sections.{sec.key}") or "" for sec in spec.sections}
    return data


def build(data: dict[str, Any]) -> Report:
    """A report from nested data (the ``xxgk parse`` JSON shape, or :func:`data_from_fields`)."""
    return report_from_data(data)


def check(data: dict[str, Any]) -> dict[str, Any]:
    """Live check of the form: findings with the cells they concern, or the data error."""
    try:
        report = build(data)
    except DataError as exc:
        return {"ok": False, "error": exc.message, "findings": []}
    findings = [f.to_dict() | {"severity_label": f.severity.label} for f in check_report(report)]
    for f in findings:
        for k in ("expected", "actual"):
            if k in f:
                f[k] = str(f[k])
    errors = sum(1 for f in findings if f["severity"] == "error")
    return {"ok": errors == 0, "error": None, "findings": findings, "errors": errors}


def filled(data: dict[str, Any]) -> dict[str, str]:
    """The totals a clerk left empty, computed from the identities (given numbers never change):
    cell key -> value text."""
    report = fill_totals(build(data))
    before = build(data)
    return {
        k: str(c.value) for k, c in report.cells.items() if c.value is not None and before.cells[k].value is None
    }


def render(report: Report, fmt: str) -> bytes:
    if fmt == "docx":
        from ..render.docx import render_docx

        return render_docx(report)
    if fmt == "html":
        from ..render.html import render_html

        return render_html(report)
    if fmt == "pdf":
        from ..render.pdf import render_pdf

        return render_pdf(report)
    raise DataError(f"不支持的下载格式“{fmt}”，应为 docx、pdf 或 html")


def blocking(report: Report) -> list:
    """Errors that stop a report being written (the same gate as ``xxgk render``)."""
    return gate_findings(report)


def file_name(report: Report, fmt: str) -> str:
    year = f"{report.year}年" if report.year else ""
    return f"{report.agency or '本机关'}{year}政府信息公开工作年度报告{FORMATS[fmt][1]}"
