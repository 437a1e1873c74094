"""The rule engine: checks a report the way a careful reviewer would (``xxgk check``)."""

from .config import CheckConfig, load_config
from .engine import check_report, check_reports, has_errors, previous_reports
from .model import RULES, Finding, Rule, Severity

__all__ = [
    "RULES",
    "CheckConfig",
    "Finding",
    "Rule",
    "Severity",
    "check_report",
    "check_reports",
    "has_errors",
    "load_config",
    "previous_reports",
]
