"""Cells read by OCR that nothing confirms (issue 5: nothing unconfirmed is reported as certain).

A number recognised in a scan carries the reader's confidence.  A cell below
:data:`LOW_CONFIDENCE` is confirmed when it takes part in at least one identity (I-1 … I-4) and
every identity it takes part in has all its cells and balances: a misread digit would break
them.  Any other low-confidence cell (in no identity, in one with a blank cell, or in one that
does not balance) is reported as a warning naming the cell and where it was read, so that a
person compares it with the scan.  Cells read from text (confidence None) are never reported.
"""

from __future__ import annotations

from ..describe import cell_name
from ..model import CheckContext, Rule, Severity, rule

#: a cell read with less confidence than this needs an identity to confirm it
LOW_CONFIDENCE = 0.9


def _confirmed(ctx: CheckContext, key: str) -> bool:
    report = ctx.report
    idents = [i for i in report.spec.identities if key in i.keys]
    if not idents:
        return False
    for ident in idents:
        if any(report[k] is None for k in ident.keys):
            return False
        if sum(report[k] for k in ident.lhs) != sum(report[k] for k in ident.rhs):  # type: ignore[misc]
            return False
    return True


@rule("ocr.low_confidence", Severity.WARNING, "识别置信度低且未经勾稽关系核实的单元格")
def low_confidence(ctx: CheckContext, r: Rule):
    report = ctx.report
    spec = report.spec
    for key in spec.cell_keys:
        cell = report.cells[key]
        if cell.confidence is None or cell.confidence >= LOW_CONFIDENCE or _confirmed(ctx, key):
            continue
        table, _, row, col = spec.cell_spec[key]
        shown = (cell.raw or "").strip() or "（空）"
        where = f"（{cell.loc}）" if cell.loc is not None and str(cell.loc) else ""
        yield r.finding(
            f"{cell_name(spec, key)}由文字识别读为“{shown}”{where}，置信度{cell.confidence:.0%}，"
            "且没有勾稽关系能核实，请对照原件核对",
            table=table.key,
            row=row.key or None,
            column=col.key or None,
            cells=(key,),
        )
