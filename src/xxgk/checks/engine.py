"""Running the rule catalogue over reports."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ..labels.normalize import simplify
from ..report.model import Report
from . import rules as _rules  # noqa: F401  (registers the catalogue)
from .config import CheckConfig
from .model import RULES, CheckContext, Finding

_TABLE_ORDER = {None: 0, "t2": 1, "t3": 2, "t4": 3}


def check_report(report: Report, previous: Report | None = None, config: CheckConfig | None = None) -> list[Finding]:
    """All findings for one report, most severe first, then in table order."""
    config = config or CheckConfig()
    ctx = CheckContext(report, previous, deadlines=dict(config.deadlines), similarity_threshold=config.similarity)
    findings: list[Finding] = []
    for rule_id, r in RULES.items():
        if not config.enabled(rule_id):
            continue
        effective = replace(r, severity=config.severity(rule_id, r.severity))
        findings.extend(effective.func(ctx, effective))
    return sorted(findings, key=lambda f: (f.severity.rank, _TABLE_ORDER.get(f.table, 9), f.rule))


def agency_key(report: Report) -> str | None:
    return simplify(report.agency) if report.agency else None


def previous_reports(reports: Sequence[Report]) -> list[Report | None]:
    """For each report, the same agency's report of the year before among ``reports`` (or None)."""
    by_agency: dict[str, dict[int, Report]] = defaultdict(dict)
    for rep in reports:
        key = agency_key(rep)
        if key and rep.year is not None:
            by_agency[key].setdefault(rep.year, rep)
    out: list[Report | None] = []
    for rep in reports:
        key = agency_key(rep)
        prev = by_agency.get(key, {}).get(rep.year - 1) if key and rep.year is not None else None
        out.append(prev)
    return out


def check_reports(reports: Iterable[Report], config: CheckConfig | None = None) -> list[list[Finding]]:
    reports = list(reports)
    return [check_report(rep, prev, config) for rep, prev in zip(reports, previous_reports(reports))]


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity.value == "error" for f in findings)
