"""Checking a report before it is written, and writing it in the format its file name asks for."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from pathlib import Path

from ..errors import XxgkError
from ..report.model import Report

#: the rule families that must hold before a report is written
GATE_FAMILIES = ("identity.", "structure.", "template.")


class UnsupportedOutput(XxgkError):
    """An output format xxgk cannot (yet) write."""


def gate_findings(report: Report) -> list:
    """The error-severity identity, structure and template findings that stop a report being written."""
    from ..checks import check_report

    return [
        f
        for f in check_report(report)
        if f.severity.value == "error" and f.rule.startswith(GATE_FAMILIES)
    ]


def _docx(report: Report) -> bytes:
    from .docx import render_docx

    return render_docx(report)


def _html(report: Report) -> bytes:
    from .html import render_html

    return render_html(report)


def _markdown(report: Report) -> bytes:
    from .markdown import render_markdown

    return render_markdown(report)


def _optional(module: str, func: str) -> Callable[[Report], bytes] | None:
    """A writer another module provides, or None while it does not exist yet."""
    if importlib.util.find_spec(f"xxgk.render.{module}") is None:
        return None
    mod = importlib.import_module(f"xxgk.render.{module}")
    return getattr(mod, func, None)


def _xlsx(report: Report) -> bytes:
    import io

    from .xlsx_sheet import write_data_workbook

    buf = io.BytesIO()
    write_data_workbook(report, buf)
    return buf.getvalue()


def writer_for(path: Path) -> Callable[[Report], bytes]:
    ext = path.suffix.lower()
    if ext == ".docx":
        return _docx
    if ext in (".html", ".htm"):
        return _html
    if ext in (".md", ".markdown"):
        return _markdown
    if ext == ".xlsx":
        if importlib.util.find_spec("xxgk.render.xlsx_sheet") is not None:
            mod = importlib.import_module("xxgk.render.xlsx_sheet")
            if hasattr(mod, "write_data_workbook"):
                return _xlsx
        raise UnsupportedOutput("暂不支持输出 .xlsx 格式 (xlsx output not yet supported)")
    if ext == ".pdf":
        writer = _optional("pdf", "render_pdf")
        if writer is None:
            raise UnsupportedOutput("暂不支持输出 .pdf 格式 (pdf output not yet supported)")
        return writer
    raise UnsupportedOutput(
        f"无法从文件名“{path.name}”判断输出格式，请使用 .docx、.html、.md、.pdf 或 .xlsx 扩展名 (unknown output format)"
    )
