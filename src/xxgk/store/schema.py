"""The tables of the corpus database (SQLAlchemy Core).

One row per agency (as published, with its normalised name, region and level), per stored
file (``reports``: a parsed report or a file that failed, with its error), per cell of a report
(exact value, raw text, where it was read), per finding, section, deviation and parse warning.

A file is identified by the SHA-256 of its bytes (unique: the same bytes are stored once, even
by concurrent writers).  A report belongs to a *series* — its agency (normalised) and year, or
its file name when either is unknown — and re-ingesting changed bytes in the same series adds
version n + 1; the old versions stay.  Queries read the latest version of each series.

Numbers are stored exactly: :class:`ExactDecimal` is NUMERIC on PostgreSQL and text elsewhere
(SQLite's NUMERIC is a binary float and would round 24252.311082).  The migrations in
``migrations/versions`` build these tables; a test checks that they agree.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

STATUS_OK = "ok"
STATUS_FAILED = "failed"


class ExactDecimal(TypeDecorator):
    """An exact decimal number: NUMERIC on PostgreSQL, its digits as text on other databases."""

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Numeric(asdecimal=True))
        return dialect.type_descriptor(String(64))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if type(value) is int and dialect.name != "postgresql":
            return str(value)  # most cells are counts: the same digits, without a Decimal
        number = value if isinstance(value, Decimal) else Decimal(value)
        return number if dialect.name == "postgresql" else format(number, "f")

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value)


def _location() -> list[Column]:
    """Where a piece of text was read (:class:`xxgk.document.Location`)."""
    return [Column(f"loc_{name}", Integer) for name in ("line", "page", "table", "row", "col")]


def _report_fk(primary_key: bool = False) -> Column:
    return Column("report_id", Integer, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, primary_key=primary_key)


agencies = Table(
    "agencies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),  # as published
    Column("normalized", String(200), nullable=False, index=True),
    Column("region", String(100)),
    Column("level", String(20)),
)

reports = Table(
    "reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("source_name", Text, nullable=False),  # the path (or archive!member) as ingested
    Column("source_format", String(20)),
    Column("source_size", Integer),
    Column("series", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(10), nullable=False),  # ok | failed
    Column("error", Text),  # one line, for a file that failed
    Column("agency_id", Integer, ForeignKey("agencies.id")),
    Column("year", Integer),
    Column("template", String(20)),
    Column("title", Text),
    Column("published", Date),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("series", "version", name="uq_reports_series_version"),
    Index("ix_reports_agency_year", "agency_id", "year"),
)

cells = Table(
    "cells",
    metadata,
    _report_fk(primary_key=True),
    Column("key", String(100), primary_key=True),
    Column("value", ExactDecimal()),  # null: the published cell holds no number
    Column("status", String(12), nullable=False),
    Column("raw", Text),
    Column("note", Text),
    *_location(),
    Column("confidence", Float),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True),
    _report_fk(),
    Column("rule", String(60), nullable=False, index=True),
    Column("severity", String(10), nullable=False),
    Column("message", Text, nullable=False),
    Column("table_key", String(10)),
    Column("row_key", String(100)),
    Column("column_key", String(100)),
    Column("section", String(10)),
    Column("expected", ExactDecimal()),
    Column("actual", ExactDecimal()),
    Column("cells", JSON),  # the cell keys concerned
    Index("ix_findings_report", "report_id"),
)

sections = Table(
    "sections",
    metadata,
    _report_fk(primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("key", String(10), nullable=False),
    Column("heading", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("sort_order", Integer, nullable=False),
    *_location(),
)

deviations = Table(
    "deviations",
    metadata,
    Column("id", Integer, primary_key=True),
    _report_fk(),
    Column("kind", String(30), nullable=False),
    Column("table_key", String(10)),
    Column("official", Text),
    Column("found", Text),
    Column("row_key", String(100)),
    Column("column_key", String(100)),
    Column("section", String(10)),
    Column("block", Text),
    *_location(),
    Index("ix_deviations_report", "report_id"),
)

warnings = Table(
    "warnings",
    metadata,
    Column("id", Integer, primary_key=True),
    _report_fk(),
    Column("code", String(60), nullable=False),
    Column("message", Text, nullable=False),
    Column("key", String(100)),
    *_location(),
    Index("ix_warnings_report", "report_id"),
)

#: tables holding one report's content, in the order they are written
CONTENT = (cells, findings, sections, deviations, warnings)
