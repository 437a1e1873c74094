"""The official report templates, declared once as data (see :mod:`xxgk.templates.model`)."""

from __future__ import annotations

from .gov2019 import GOV2019
from .gov2021 import GOV2021
from .model import BlockSpec, CellKind, ColumnSpec, Identity, RowSpec, SectionSpec, TableSpec, TemplateSpec

TEMPLATES: dict[str, TemplateSpec] = {t.key: t for t in (GOV2019, GOV2021)}


def get_template(key: str) -> TemplateSpec:
    try:
        return TEMPLATES[key]
    except KeyError:
        raise KeyError(f"unknown template {key!r}; known: {', '.join(TEMPLATES)}") from None


def template_for_year(year: int) -> TemplateSpec | None:
    """The template the rules prescribe for a report year (None before 2019)."""
    for t in TEMPLATES.values():
        if t.fits_year(year):
            return t
    return None


__all__ = [
    "TEMPLATES",
    "GOV2019",
    "GOV2021",
    "get_template",
    "template_for_year",
    "BlockSpec",
    "CellKind",
    "ColumnSpec",
    "Identity",
    "RowSpec",
    "SectionSpec",
    "TableSpec",
    "TemplateSpec",
]
