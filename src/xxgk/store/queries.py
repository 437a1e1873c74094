"""Questions asked of the corpus, answered as pandas DataFrames.

Every function takes an engine (from :func:`xxgk.store.open_database`) or a database URL (None:
the default database).  Unless said otherwise they read the latest version of each report that
parsed.  Numbers are exact :class:`~decimal.Decimal` values; sums are computed here in Python, not
by the database, so SQLite and PostgreSQL give the same digits, and rows are sorted here too (by
code point, not by the server's collation) so both give the same order.

>>> from xxgk.store import queries
>>> queries.totals(by=("region", "year"))            # sums of every cell per region and year
>>> queries.total_findings(by=("region", "year"))    # the 勾稽 identities re-checked on those sums
>>> queries.crossyear()                              # crossyear.* rules over the whole database
>>> queries.missing(years=[2023])                    # agencies with no report for 2023
>>> queries.reports_with_finding("identity.*")       # which reports break an identity
"""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import Select

from ..checks import RULES, CheckConfig, check_report
from ..report.model import CellStatus, CellValue, Report
from ..templates import get_template
from ..templates.model import CellKind
from . import schema as s
from .database import open_database
from .records import build_report, finding_row

GROUPS = ("region", "level", "agency", "year")
_INT_COLUMNS = {"year", "version", "source_size", "reports", "blank", "previous_year", "findings", "errors", "warnings"}


def _engine(db: Engine | str | None) -> Engine:
    return db if isinstance(db, Engine) else open_database(db)


def _frame(rows: Iterable[dict[str, Any]], columns: Sequence[str], sort: Sequence[str]) -> pd.DataFrame:
    df = pd.DataFrame(list(rows), columns=list(columns))
    for col in df.columns:
        if col in _INT_COLUMNS:
            df[col] = df[col].astype("Int64")
    if sort and len(df):
        df = df.sort_values(list(sort), na_position="first", kind="stable", ignore_index=True)
    return df


def latest_report_ids() -> Select:
    """Ids of the latest version of every series."""
    newest = (
        select(s.reports.c.series, func.max(s.reports.c.version).label("version"))
        .group_by(s.reports.c.series)
        .subquery()
    )
    return select(s.reports.c.id).join(
        newest, and_(s.reports.c.series == newest.c.series, s.reports.c.version == newest.c.version)
    )


def _current_reports(conn: Connection):
    """Latest parsed reports with their agency: rows of reports + agency columns."""
    a = s.agencies
    return conn.execute(
        select(
            s.reports,
            a.c.name.label("agency"),
            a.c.normalized.label("agency_normalized"),
            a.c.region,
            a.c.level,
        )
        .outerjoin(a, s.reports.c.agency_id == a.c.id)
        .where(s.reports.c.status == s.STATUS_OK, s.reports.c.id.in_(latest_report_ids()))
    ).all()


# listings -----------------------------------------------------------------------------------
REPORT_COLUMNS = (
    "agency", "agency_normalized", "region", "level", "year", "template", "status", "error", "version", "latest",
    "findings", "errors", "warnings", "title", "published", "source_name", "source_format", "source_size", "sha256",
)  # fmt: skip


def reports(db: Engine | str | None = None) -> pd.DataFrame:
    """Every stored file, all versions (``latest`` marks the newest of each report), failures
    with their error, and the number of findings (all, errors, warnings) of each."""
    engine = _engine(db)
    a, f = s.agencies, s.findings
    counts = (
        select(
            f.c.report_id,
            func.count().label("findings"),
            func.sum(case((f.c.severity == "error", 1), else_=0)).label("errors"),
            func.sum(case((f.c.severity == "warning", 1), else_=0)).label("warnings"),
        )
        .group_by(f.c.report_id)
        .subquery()
    )
    with engine.connect() as conn:
        latest = set(conn.execute(latest_report_ids()).scalars())
        rows = conn.execute(
            select(
                s.reports,
                a.c.name.label("agency"),
                a.c.normalized.label("agency_normalized"),
                a.c.region,
                a.c.level,
                counts.c.findings,
                counts.c.errors,
                counts.c.warnings,
            )
            .outerjoin(a, s.reports.c.agency_id == a.c.id)
            .outerjoin(counts, counts.c.report_id == s.reports.c.id)
        ).all()
    out = []
    for r in rows:
        row = {c: getattr(r, c, None) for c in REPORT_COLUMNS if c != "latest"}
        row["latest"] = r.id in latest
        if r.status == s.STATUS_OK:
            for c in ("findings", "errors", "warnings"):
                row[c] = int(row[c] or 0)
        out.append(row)
    return _frame(out, REPORT_COLUMNS, ("agency_normalized", "year", "source_name", "version", "sha256"))


def failed(db: Engine | str | None = None) -> pd.DataFrame:
    """Files that could not be parsed, with their one-line error."""
    df = reports(db)
    df = df[df["status"] == s.STATUS_FAILED]
    return df[["source_name", "error", "source_size", "sha256"]].reset_index(drop=True)


CELL_COLUMNS = (
    "agency", "region", "level", "year", "template", "source_name", "sha256", "key", "value", "status", "raw",
    "note", "loc_line", "loc_page", "loc_table", "loc_row", "loc_col", "confidence",
)  # fmt: skip


def cells(db: Engine | str | None = None) -> pd.DataFrame:
    """Every cell of every latest report, long form: one row per report and cell key."""
    engine = _engine(db)
    out = []
    with engine.connect() as conn:
        current = {r.id: r for r in _current_reports(conn)}
        result = conn.execution_options(yield_per=20_000).execute(
            select(s.cells).where(s.cells.c.report_id.in_(latest_report_ids()))
        )
        for c in result:
            r = current.get(c.report_id)
            if r is None:
                continue
            out.append(
                {
                    "agency": r.agency,
                    "region": r.region,
                    "level": r.level,
                    "year": r.year,
                    "template": r.template,
                    "source_name": r.source_name,
                    "sha256": r.sha256,
                    **{k: getattr(c, k) for k in CELL_COLUMNS[7:]},
                }
            )
    return _frame(out, CELL_COLUMNS, ("agency", "year", "sha256", "key"))


FINDING_COLUMNS = (
    "agency", "year", "template", "source_name", "sha256", "rule", "severity", "message", "table_key", "row_key",
    "column_key", "section", "expected", "actual", "cells",
)  # fmt: skip


def findings(db: Engine | str | None = None, rule: str | None = None) -> pd.DataFrame:
    """The findings stored with each latest report (``rule``: an id or pattern, ``identity.*``).

    These are the checks of each report on its own; cross-year rules are :func:`crossyear`."""
    engine = _engine(db)
    out = []
    with engine.connect() as conn:
        current = {r.id: r for r in _current_reports(conn)}
        for f in conn.execute(select(s.findings).where(s.findings.c.report_id.in_(latest_report_ids()))):
            r = current.get(f.report_id)
            if r is None or (rule and not fnmatch.fnmatchcase(f.rule, rule)):
                continue
            row = {c: getattr(f, c) for c in FINDING_COLUMNS[5:]}
            row["cells"] = " ".join(f.cells) if f.cells else None
            out.append({"agency": r.agency, "year": r.year, "template": r.template, "source_name": r.source_name,
                        "sha256": r.sha256, **row})  # fmt: skip
    order = {"error": 0, "warning": 1, "info": 2}
    df = _frame(out, FINDING_COLUMNS, ())
    if len(df):
        df["_sev"] = df["severity"].map(order)
        df = df.sort_values(["agency", "year", "sha256", "_sev", "rule", "message"], na_position="first", kind="stable")
        df = df.drop(columns="_sev").reset_index(drop=True)
    return df


def finding_counts(db: Engine | str | None = None) -> pd.DataFrame:
    """Per rule: how many latest reports have it, and how many findings there are."""
    df = findings(db)
    if not len(df):
        return _frame([], ("rule", "severity", "reports", "findings"), ())
    grouped = df.groupby(["rule", "severity"], sort=True).agg(reports=("sha256", "nunique"), findings=("sha256", "size"))
    out = grouped.reset_index()
    return _frame(out.to_dict("records"), ("rule", "severity", "reports", "findings"), ("rule",))


def reports_with_finding(rule: str, db: Engine | str | None = None) -> pd.DataFrame:
    """The latest reports that have a finding of ``rule`` (an id or a pattern such as
    ``identity.*``): one row per report and rule, with the number of findings and the first
    message."""
    df = findings(db, rule)
    cols = ("agency", "year", "template", "source_name", "sha256", "rule", "severity", "findings", "message")
    if not len(df):
        return _frame([], cols, ())
    keys = ["agency", "year", "template", "source_name", "sha256", "rule", "severity"]
    grouped = df.groupby(keys, dropna=False, sort=False).agg(findings=("message", "size"), message=("message", "first"))
    return _frame(grouped.reset_index().to_dict("records"), cols, ("rule", "agency", "year", "sha256"))


# sums ---------------------------------------------------------------------------------------
def _check_groups(by: Sequence[str]) -> tuple[str, ...]:
    by = tuple(by)
    unknown = [g for g in by if g not in GROUPS]
    if unknown:
        raise ValueError(f"unknown grouping {unknown}; choose from {GROUPS}")
    return by


def _group_value(r: Any, g: str) -> Any:
    return r.agency_normalized if g == "agency" else getattr(r, g)


def _sums(engine: Engine, by: Sequence[str]):
    """{(group values…, template): (reports, {key: [sum, blanks]})}."""
    groups: dict[tuple, list] = {}
    with engine.connect() as conn:
        current = {r.id: r for r in _current_reports(conn)}
        group_of = {}
        for rid, r in current.items():
            key = (*(_group_value(r, g) for g in by), r.template)
            group_of[rid] = key
            entry = groups.setdefault(key, [0, defaultdict(lambda: [Decimal(0), 0, 0])])
            entry[0] += 1
        result = conn.execution_options(yield_per=20_000).execute(
            select(s.cells.c.report_id, s.cells.c.key, s.cells.c.value).where(s.cells.c.report_id.in_(latest_report_ids()))
        )
        for report_id, key, value in result:
            group = group_of.get(report_id)
            if group is None:
                continue
            acc = groups[group][1][key]
            if value is None:
                acc[1] += 1
            else:
                acc[0] += value
                acc[2] += 1
    return groups


def totals(db: Engine | str | None = None, by: Sequence[str] = ("region", "year")) -> pd.DataFrame:
    """Sum of every cell over the latest reports, per group (``by``: any of region, level,
    agency, year) and template, long form.

    ``value`` sums the cells that hold a number (None when none does); ``blank`` counts the
    reports whose cell is blank, so a sum with ``blank > 0`` is incomplete (null is not zero).
    """
    by = _check_groups(by)
    rows = []
    for group, (count, keys) in _sums(_engine(db), by).items():
        *values, template = group
        spec = get_template(template)
        for key in spec.cell_keys:
            total, blanks, present = keys.get(key, (Decimal(0), count, 0))
            rows.append(
                {
                    **dict(zip(by, values)),
                    "template": template,
                    "key": key,
                    "value": total if present else None,
                    "reports": count,
                    "blank": blanks,
                }
            )
    return _frame(rows, (*by, "template", "key", "value", "reports", "blank"), (*by, "template", "key"))


def _only(prefix: str) -> CheckConfig:
    return CheckConfig(disabled=tuple(r for r in RULES if not r.startswith(prefix)))


def total_findings(db: Engine | str | None = None, by: Sequence[str] = ("region", "year")) -> pd.DataFrame:
    """The 勾稽 identities (``identity.*``) checked on the sums of :func:`totals`.

    A sum with a blank cell in any report is left out of the check (its identities are not
    checked), as blank cells are in one report.  Sums of reports that each balance always
    balance: a finding here means some report in the group does not.
    """
    by = _check_groups(by)
    config = _only("identity.")
    rows = []
    for group, (count, keys) in _sums(_engine(db), by).items():
        *values, template = group
        spec = get_template(template)
        cells = {}
        for key in spec.cell_keys:
            total, blanks, present = keys.get(key, (Decimal(0), count, 0))
            value = _number(total, spec, key) if present and not blanks else None
            cells[key] = CellValue(key, value, CellStatus.GIVEN if value is not None else CellStatus.BLANK)
        labels = dict(zip(by, values))
        year = labels.get("year")
        report = Report(template, year, labels.get("agency"), cells)
        for f in check_report(report, None, config):
            row = finding_row(f)
            row["cells"] = " ".join(f.cells) if f.cells else None
            rows.append({**labels, "template": template, "reports": count, **row})
    cols = (*by, "template", "reports", *FINDING_COLUMNS[5:])
    return _frame(rows, cols, (*by, "template", "rule", "column_key", "row_key"))


def _number(value: Decimal, spec, key: str) -> int | Decimal:
    return value if spec.cell_spec[key][3].kind is CellKind.MONEY else int(value)


# across reports -----------------------------------------------------------------------------
CROSSYEAR_COLUMNS = (
    "agency", "year", "previous_year", "template", "source_name", "sha256", "previous_sha256", "rule", "severity",
    "message", "table_key", "row_key", "column_key", "expected", "actual",
)  # fmt: skip


def _load(conn: Connection, rows: list) -> dict[int, Report]:
    """Reports for the given report rows, built with a handful of queries for all of them."""
    ids = [r.id for r in rows]
    parts: dict[str, dict[int, list]] = {}
    for table, order in ((s.cells, None), (s.sections, s.sections.c.position)):
        stmt = select(table).where(table.c.report_id.in_(ids))
        if order is not None:
            stmt = stmt.order_by(table.c.report_id, order)
        grouped: dict[int, list] = defaultdict(list)
        for row in conn.execute(stmt):
            grouped[row.report_id].append(row)
        parts[table.name] = grouped
    return {r.id: build_report(r, parts["cells"][r.id], parts["sections"][r.id]) for r in rows}


def crossyear(db: Engine | str | None = None) -> pd.DataFrame:
    """The cross-year rules (``crossyear.*``) over the whole database: each latest report
    against the same agency's latest report for the year before."""
    engine = _engine(db)
    config = _only("crossyear.")
    out = []
    with engine.connect() as conn:
        by_agency: dict[str, dict[int, Any]] = defaultdict(dict)
        for r in _current_reports(conn):
            if r.agency_normalized and r.year is not None:  # one latest report per agency and year
                by_agency[r.agency_normalized][r.year] = r
        for agency, years in by_agency.items():
            pairs = [(years[y], years[y - 1]) for y in sorted(years) if y - 1 in years]
            if not pairs:
                continue
            loaded = _load(conn, list({r.id: r for pair in pairs for r in pair}.values()))
            for cur, prev in pairs:
                for f in check_report(loaded[cur.id], loaded[prev.id], config):
                    row = finding_row(f)
                    out.append(
                        {
                            "agency": agency,
                            "year": cur.year,
                            "previous_year": prev.year,
                            "template": cur.template,
                            "source_name": cur.source_name,
                            "sha256": cur.sha256,
                            "previous_sha256": prev.sha256,
                            **{k: row[k] for k in CROSSYEAR_COLUMNS[7:]},
                        }
                    )
    return _frame(out, CROSSYEAR_COLUMNS, ("agency", "year", "rule", "column_key", "row_key"))


MISSING_COLUMNS = ("year", "agency", "region", "level", "years_reported")


def missing(db: Engine | str | None = None, years: Iterable[int] | None = None) -> pd.DataFrame:
    """Agencies (by normalised name) that have a report for some year but none for a year in
    ``years`` (default: every year any report is for)."""
    engine = _engine(db)
    with engine.connect() as conn:
        seen: dict[str, set[int]] = defaultdict(set)
        info: dict[str, tuple] = {}
        for r in _current_reports(conn):
            if r.agency_normalized is None:
                continue
            info[r.agency_normalized] = (r.region, r.level)
            if r.year is not None:
                seen[r.agency_normalized].add(r.year)
    wanted = sorted(set(years) if years is not None else {y for ys in seen.values() for y in ys})
    rows = [
        {
            "year": year,
            "agency": agency,
            "region": info[agency][0],
            "level": info[agency][1],
            "years_reported": ",".join(str(y) for y in sorted(seen[agency])),
        }
        for year in wanted
        for agency in info
        if year not in seen[agency]
    ]
    return _frame(rows, MISSING_COLUMNS, ("year", "agency"))
