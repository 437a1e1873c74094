"""xxgk: read, check, write and keep China's 政府信息公开工作年度报告.

>>> import xxgk
>>> report = xxgk.parse("report.html")          # doctest: +SKIP
>>> report.template, report.year, report["t3.new_received.total"]  # doctest: +SKIP
"""

from __future__ import annotations

from . import compiled

compiled.choose()  # the parsing modules compiled to C, unless stale or XXGK_PURE_PYTHON=1

from .api import parse, parse_document  # noqa: E402
from .errors import NotAReport, UnreadableInput, UnsupportedTemplate, XxgkError  # noqa: E402
from .report import CellStatus, CellValue, Report  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "parse",
    "parse_document",
    "Report",
    "CellValue",
    "CellStatus",
    "XxgkError",
    "UnreadableInput",
    "NotAReport",
    "UnsupportedTemplate",
    "__version__",
]
