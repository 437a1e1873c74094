"""The JSON form of a report (``xxgk parse --format json``; see spec/interface.md).

``t2``/``t3``/``t4`` nest the dotted cell keys; money is written as an exact JSON number (the
Decimal's own digits, never a float rounding).  Provenance, raw texts, sections, deviations and
warnings are under their own top-level keys.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from .model import Report

_MARK = "\u0000dec:"
_MARKED = re.compile(r'"\\u0000dec:(-?[0-9]+(?:\.[0-9]+)?)"')


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in flat.items():
        node = out
        parts = key.split(".")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
    return out


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in tree.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out.update(flatten(value, full))
        else:
            out[full] = value
    return out


def report_to_dict(report: Report, detail: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {"template": report.template, "year": report.year, "agency": report.agency}
    data.update(nest({k: c.value for k, c in report.cells.items()}))
    if not detail:
        return data
    data["title"] = report.title
    data["published"] = report.published.isoformat() if report.published else None
    data["source"] = {k: v for k, v in vars_of(report.source).items() if v is not None}
    data["sections"] = [
        {"key": s.key, "heading": s.heading, "text": s.text, "location": s.loc.to_dict() if s.loc else None}
        for s in report.sections
    ]
    data["cells"] = {
        k: {
            "status": c.status.value,
            "raw": c.raw,
            **({"note": c.note} if c.note else {}),
            **({"location": c.loc.to_dict()} if c.loc else {}),
            **({"confidence": c.confidence} if c.confidence is not None else {}),
        }
        for k, c in report.cells.items()
    }
    data["deviations"] = [
        {k: v for k, v in vars_of(d).items() if v is not None and k != "loc"}
        | ({"location": d.loc.to_dict()} if d.loc else {})
        for d in report.deviations
    ]
    data["warnings"] = [
        {"code": w.code, "message": w.message}
        | ({"key": w.key} if w.key else {})
        | ({"location": w.loc.to_dict()} if w.loc else {})
        for w in report.warnings
    ]
    return data


def vars_of(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__slots__}


def _mark_decimals(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        if obj == obj.to_integral_value() and obj.as_tuple().exponent >= 0:
            return int(obj)
        return _MARK + format(obj, "f")
    if isinstance(obj, dict):
        return {k: _mark_decimals(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_mark_decimals(v) for v in obj]
    return obj


def dumps(data: Any, indent: int | None = 2) -> str:
    """JSON with Decimals written as exact numbers."""
    text = json.dumps(_mark_decimals(data), ensure_ascii=False, indent=indent)
    return _MARKED.sub(r"\1", text)


def loads(text: str) -> Any:
    """JSON with every non-integer number read as an exact Decimal."""
    return json.loads(text, parse_float=Decimal)
