"""Findings for a person at a terminal: grouped by report, most severe first."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from ..report.model import Report
from .describe import cell_name, fmt
from .model import Finding, Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "dim"}


def summary(findings: Sequence[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    if not findings:
        return "无问题"
    return "，".join(f"{counts[s]} 个{s.label}" for s in Severity if counts[s])


def print_findings(console: Console, file: str, report: Report, findings: Sequence[Finding]) -> None:
    head = Text()
    head.append(f"{file}", style="bold")
    head.append(f"  {report.agency or '（未注明机关）'}  {report.year or '？'}年度  {report.template}  ")
    status = "有错误" if any(f.severity is Severity.ERROR for f in findings) else "有警告" if any(
        f.severity is Severity.WARNING for f in findings
    ) else "无问题"
    head.append(f"{status}（{summary(findings)}）", style="bold red" if status == "有错误" else "yellow" if status == "有警告" else "green")
    console.print(head, soft_wrap=True)
    for f in findings:
        line = Text("  ")
        line.append(f"{f.severity.label} ", style=_STYLE[f.severity])
        line.append(f"[{f.rule}] ", style="cyan")
        line.append(f.message)
        if f.expected is not None or f.actual is not None:
            line.append(f"（应为 {fmt(f.expected)}，实际 {fmt(f.actual)}）", style="bold")
        if len(f.cells) == 1 and f.cells[0] in report.cells:
            cell = report.cells[f.cells[0]]
            if cell.loc is not None and str(cell.loc):
                line.append(f"  〔{cell_name(report.spec, f.cells[0])}，原文{cell.loc}〕", style="dim")
        console.print(line, soft_wrap=True)
    console.print()
