"""The typed, immutable result of reading a report.

Every number cell of the detected template is present in :attr:`Report.cells`, keyed by its
dotted key (``t3.result.denied.state_secret.total``).  A cell keeps the raw text it was read
from and where it was read, so each number can be traced to the page, line or table cell.
``value`` is ``None`` when the published cell holds no number: null is not zero.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from types import MappingProxyType
from typing import NamedTuple

from ..document import Location
from ..templates import TemplateSpec, get_template

Number = int | Decimal


class CellStatus(str, Enum):
    READ = "read"  # a number read as published
    BLANK = "blank"  # the cell is there but empty, "/", "—" …
    MISSING = "missing"  # the row or column was not found in the document
    UNREADABLE = "unreadable"  # text that is not a number, or a digit run no identity could split
    SPLIT = "split"  # read from a digit run whose split the identities made unique
    GIVEN = "given"  # supplied as data (not read from a document)


class CellValue(NamedTuple):
    """One number cell: its value (``None`` when the published cell has none), how it was read,
    the text it was read from and where.  A named tuple: every report makes a few hundred, and a
    tuple is built several times faster than a frozen dataclass."""

    key: str
    value: Number | None
    status: CellStatus
    raw: str | None = None
    note: str | None = None
    loc: Location | None = None
    confidence: float | None = None

    @property
    def is_null(self) -> bool:
        return self.value is None


@dataclass(frozen=True, slots=True)
class Deviation:
    """A label, heading or layout element that differs from the official template."""

    kind: str  # numbering | wording | traditional | variant | missing_row | missing_column | extra_row | ...
    table: str | None
    official: str | None
    found: str | None
    row: str | None = None
    column: str | None = None
    section: str | None = None
    loc: Location | None = None
    block: str | None = None  # the band of the table (表二's 第二十条第（五）项)


@dataclass(frozen=True, slots=True)
class ParseWarning:
    code: str
    message: str  # Chinese, for a person
    key: str | None = None
    loc: Location | None = None


@dataclass(frozen=True, slots=True)
class Section:
    key: str  # s1..s6
    heading: str  # as published
    text: str  # the section's prose
    loc: Location | None = None
    order: int = 0  # position among the headings found


@dataclass(frozen=True, slots=True)
class SourceInfo:
    name: str | None = None
    format: str | None = None
    sha256: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class Report:
    template: str
    year: int | None
    agency: str | None
    cells: Mapping[str, CellValue]
    sections: tuple[Section, ...] = ()
    deviations: tuple[Deviation, ...] = ()
    warnings: tuple[ParseWarning, ...] = ()
    title: str | None = None
    published: date | None = None
    source: SourceInfo = field(default_factory=SourceInfo)

    def __post_init__(self) -> None:
        spec = get_template(self.template)
        missing = [k for k in spec.cell_keys if k not in self.cells]
        if missing:
            raise ValueError(f"report lacks cells {missing[:3]}…")
        extra = [k for k in self.cells if k not in spec.cell_spec]
        if extra:
            raise ValueError(f"report has cells not in {self.template}: {extra[:3]}…")
        if not isinstance(self.cells, MappingProxyType):
            object.__setattr__(self, "cells", MappingProxyType(dict(self.cells)))

    @property
    def spec(self) -> TemplateSpec:
        return get_template(self.template)

    def value(self, key: str) -> Number | None:
        return self.cells[key].value

    def __getitem__(self, key: str) -> Number | None:
        return self.cells[key].value

    def values(self) -> dict[str, Number | None]:
        return {k: c.value for k, c in self.cells.items()}

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def __iter__(self) -> Iterator[CellValue]:
        return iter(self.cells.values())

    def __eq__(self, other: object) -> bool:
        """Two reports are equal when they carry the same template, year, agency and numbers."""
        if not isinstance(other, Report):
            return NotImplemented
        return (self.template, self.year, self.agency, self.values()) == (
            other.template,
            other.year,
            other.agency,
            other.values(),
        )

    __hash__ = None  # type: ignore[assignment]
