"""A report as rows of the corpus database, and back.

:func:`analyse` is the work done for one file, in a worker process or on a Dask worker: parse,
check, and turn the result into a :class:`Record` of plain rows (picklable, ready to insert).
:func:`load_report` rebuilds the :class:`~xxgk.report.Report` of a stored report, so the rule
engine can run on stored reports (cross-year rules over the whole database).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..checks import CheckConfig, Finding, check_report
from ..document import Location
from ..report.model import CellStatus, CellValue, Deviation, ParseWarning, Report, Section, SourceInfo
from ..templates import get_template
from ..templates.model import CellKind
from . import schema as s

_LOC = ("line", "page", "table", "row", "col")


@dataclass
class Record:
    """One file's worth of rows: a parsed report with its findings, or a failure."""

    sha256: str
    source_name: str
    source_size: int
    status: str = s.STATUS_OK
    error: str | None = None
    source_format: str | None = None
    template: str | None = None
    year: int | None = None
    agency: str | None = None
    title: str | None = None
    published: Any = None
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # table name -> rows

    @property
    def failed(self) -> bool:
        return self.status == s.STATUS_FAILED


def _loc(loc: Location | None) -> dict[str, int | None]:
    return {f"loc_{k}": (getattr(loc, k) if loc is not None else None) for k in _LOC}


def _location(row: Any) -> Location | None:
    values = {k: getattr(row, f"loc_{k}") for k in _LOC}
    return Location(**values) if any(v is not None for v in values.values()) else None


def finding_row(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity.value,
        "message": f.message,
        "table_key": f.table,
        "row_key": f.row,
        "column_key": f.column,
        "section": f.section,
        "expected": f.expected,
        "actual": f.actual,
        "cells": list(f.cells) or None,
    }


def report_rows(report: Report, findings: list[Finding]) -> dict[str, list[dict[str, Any]]]:
    """The rows of every content table for one report (without ``report_id``)."""
    return {
        "cells": [
            {
                "key": c.key,
                "value": c.value,
                "status": c.status.value,
                "raw": c.raw,
                "note": c.note,
                **_loc(c.loc),
                "confidence": c.confidence,
            }
            for c in report.cells.values()
        ],
        "findings": [finding_row(f) for f in findings],
        "sections": [
            {"position": i, "key": x.key, "heading": x.heading, "text": x.text, "sort_order": x.order, **_loc(x.loc)}
            for i, x in enumerate(report.sections)
        ],
        "deviations": [
            {
                "kind": d.kind,
                "table_key": d.table,
                "official": d.official,
                "found": d.found,
                "row_key": d.row,
                "column_key": d.column,
                "section": d.section,
                "block": d.block,
                **_loc(d.loc),
            }
            for d in report.deviations
        ],
        "warnings": [{"code": w.code, "message": w.message, "key": w.key, **_loc(w.loc)} for w in report.warnings],
    }


def analyse(name: str, data: bytes, config: CheckConfig | None = None) -> Record:
    """Parse and check one file: the :class:`Record` to store (a failure is a record too)."""
    from ..cli import read_report  # the command line's guarded parse: time limit, one-line errors

    digest = hashlib.sha256(data).hexdigest()
    report, reason = read_report(data, name=name)
    if report is None:
        return Record(digest, name, len(data), status=s.STATUS_FAILED, error=reason)
    try:
        findings = check_report(report, None, config)
    except Exception as exc:  # a bug in a rule: recorded like a file that failed
        reason = f"检查时内部错误 (internal error in checks: {type(exc).__name__}: {exc})"
        return Record(digest, name, len(data), status=s.STATUS_FAILED, error=reason)
    return Record(
        digest,
        name,
        len(data),
        source_format=report.source.format,
        template=report.template,
        year=report.year,
        agency=report.agency,
        title=report.title,
        published=report.published,
        rows=report_rows(report, findings),
    )


def _number(value: Decimal | None, kind: CellKind) -> int | Decimal | None:
    if value is None:
        return None
    return value if kind is CellKind.MONEY else int(value)


def load_report(conn: Connection, report_id: int) -> Report:
    """The stored report ``report_id`` as a :class:`Report` (its cells, sections, deviations and
    warnings as parsed; the same numbers, exactly)."""
    rep = conn.execute(
        select(s.reports, s.agencies.c.name.label("agency"))
        .outerjoin(s.agencies, s.reports.c.agency_id == s.agencies.c.id)
        .where(s.reports.c.id == report_id)
    ).one()
    if rep.status != s.STATUS_OK:
        raise ValueError(f"report {report_id} failed to parse: {rep.error}")
    return build_report(
        rep,
        conn.execute(select(s.cells).where(s.cells.c.report_id == report_id)).all(),
        conn.execute(select(s.sections).where(s.sections.c.report_id == report_id).order_by(s.sections.c.position)).all(),
        conn.execute(select(s.deviations).where(s.deviations.c.report_id == report_id).order_by(s.deviations.c.id)).all(),
        conn.execute(select(s.warnings).where(s.warnings.c.report_id == report_id).order_by(s.warnings.c.id)).all(),
    )


def build_report(rep: Any, cell_rows, section_rows=(), deviation_rows=(), warning_rows=()) -> Report:
    spec = get_template(rep.template)
    cells = {}
    for row in cell_rows:
        kind = spec.cell_spec[row.key][3].kind
        cells[row.key] = CellValue(
            row.key, _number(row.value, kind), CellStatus(row.status), row.raw, row.note, _location(row), row.confidence
        )
    return Report(
        rep.template,
        rep.year,
        rep.agency,
        cells,
        sections=tuple(Section(x.key, x.heading, x.text, _location(x), x.sort_order) for x in section_rows),
        deviations=tuple(
            Deviation(
                d.kind, d.table_key, d.official, d.found, d.row_key, d.column_key, d.section, _location(d), d.block
            )
            for d in deviation_rows
        ),
        warnings=tuple(ParseWarning(w.code, w.message, w.key, _location(w)) for w in warning_rows),
        title=rep.title,
        published=rep.published,
        source=SourceInfo(rep.source_name, rep.source_format, rep.sha256, rep.source_size),
    )
