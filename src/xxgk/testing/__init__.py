"""Synthetic reports and published layouts for tests and benchmarks (no real data)."""

from .layouts import WRITERS, to_docx, to_html, to_text_cell_per_line, to_text_row_per_line, to_text_runs
from .values import build_report, random_agency, random_report, random_values

__all__ = [
    "WRITERS",
    "build_report",
    "random_agency",
    "random_report",
    "random_values",
    "to_docx",
    "to_html",
    "to_text_cell_per_line",
    "to_text_row_per_line",
    "to_text_runs",
]
