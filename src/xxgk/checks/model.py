"""Findings and rules: the vocabulary of the rule engine.

A rule is a small unit with a stable dotted id (``identity.balance``), a default severity, a
Chinese title and a function from a :class:`CheckContext` to findings.  Rules look only at the
typed :class:`~xxgk.report.Report` (and, for cross-year rules, the previous report of the same
agency); they know nothing of file formats.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from ..report.model import Number, Report

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return SEVERITY_ORDER[self.value]

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str  # a Chinese sentence a clerk can act on
    table: str | None = None
    row: str | None = None
    column: str | None = None
    section: str | None = None
    expected: Number | None = None
    actual: Number | None = None
    cells: tuple[str, ...] = ()  # the cell keys concerned (for highlighting)

    @property
    def location(self) -> dict[str, str]:
        return {k: v for k in ("table", "row", "column", "section") if (v := getattr(self, k)) is not None}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "location": self.location,
        }
        # numbers compared: both sides; a lone suspicious value (unit.*): that value only, no null
        if self.expected is not None:
            out["expected"] = self.expected
        if self.actual is not None:
            out["actual"] = self.actual
        if self.cells:
            out["cells"] = list(self.cells)
        return out


@dataclass
class CheckContext:
    report: Report
    previous: Report | None = None  # the same agency's report for the year before
    deadlines: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind -> (month, day)
    similarity_threshold: float = 0.9
    today: date | None = None


RuleFunc = Callable[["CheckContext", "Rule"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str  # Chinese, for listings
    func: RuleFunc

    def finding(self, message: str, **kw: Any) -> Finding:
        return Finding(self.id, self.severity, message, **kw)


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, title: str) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under a stable id."""

    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, title, func)
        return func

    return register
