"""Telling the template from the tables' own layout (never from the year).

Each template's distinctive labels (those no other template uses) are derived from the
declarations; 表二's labels decide, 表三's rows break a tie.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Final

from ..labels.normalize import core
from ..templates import TEMPLATES, TemplateSpec

T2_WEIGHT: Final = 10


def _table_labels(t, rows: bool = True) -> set[str]:
    out: set[str] = set()
    for block in t.blocks:
        if block.label:
            out.add(core(block.label))
        for col in block.columns:
            out.update(core(x) for x in (col.label,) + col.variants)
        for row in block.rows if rows else ():
            if row.label:
                out.add(core(row.label))  # variants are shared wordings, not distinctive
    out.discard("")
    return out


@lru_cache(maxsize=None)
def distinctive() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """template key -> (distinctive 表二 labels, distinctive 表三 labels)"""
    out = {}
    for key, spec in TEMPLATES.items():
        others = [t for k, t in TEMPLATES.items() if k != key]
        # 表二's layout is its block and column headers; its row labels are swapped freely
        # ("规范性文件" / "行政规范性文件") and decide nothing
        t2 = _table_labels(spec.table_by_key["t2"], rows=False) - set().union(
            *(_table_labels(o.table_by_key["t2"], rows=False) for o in others)
        )
        t3 = _table_labels(spec.table_by_key["t3"]) - set().union(*(_table_labels(o.table_by_key["t3"]) for o in others))
        out[key] = (frozenset(t2), frozenset(t3))
    return out


def detect_template(labels: Iterable[str]) -> tuple[TemplateSpec | None, dict[str, int]]:
    """The template whose distinctive labels the document's label cells show most."""
    return detect_from_cores(Counter(core(x) for x in labels))


def detect_from_cores(cores: Mapping[str, int]) -> tuple[TemplateSpec | None, dict[str, int]]:
    """:func:`detect_template` for labels already reduced by :func:`core`, with their counts."""
    scores: dict[str, int] = {}
    for key, (t2, t3) in distinctive().items():
        scores[key] = sum(T2_WEIGHT * n for c, n in cores.items() if c in t2) + sum(
            n for c, n in cores.items() if c in t3
        )
    best = max(scores.values(), default=0)
    if best == 0:
        return None, scores
    winners = [k for k, v in scores.items() if v == best]
    if len(winners) > 1:
        return None, scores
    return TEMPLATES[winners[0]], scores
