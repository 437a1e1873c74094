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
    Boolean,
    Column,
    LargeBinary,
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


# the web application (``xxgk serve``) ----------------------------------------------------------
ROLE_ADMIN = "admin"
ROLE_REVIEWER = "reviewer"
ROLE_CLERK = "clerk"
ROLES = (ROLE_ADMIN, ROLE_REVIEWER, ROLE_CLERK)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),  # argon2id, from argon2-cffi
    Column("role", String(10), nullable=False),  # admin | reviewer | clerk
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

#: what a reviewer or clerk may see: a region (``agencies.region``) or an agency (its normalised
#: name); a reviewer without scopes sees everything, a clerk sees exactly their agency
user_scopes = Table(
    "user_scopes",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(10), primary_key=True),  # region | agency
    Column("value", String(200), primary_key=True),
)

#: the bytes of files uploaded through the web, so the report page can show the source beside
#: the data (files ingested from the command line are read from their path when still there)
sources = Table(
    "sources",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

#: one upload through the web (a batch of files) and what became of each file
uploads = Table(
    "uploads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

upload_items = Table(
    "upload_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("upload_id", Integer, ForeignKey("uploads.id", ondelete="CASCADE"), nullable=False),
    Column("name", Text, nullable=False),
    Column("sha256", String(64)),
    Column("outcome", String(10), nullable=False),  # stored | existing | failed | refused
    Column("message", Text),
    Index("ix_upload_items_upload", "upload_id"),
)

#: small server settings (the session-signing key, made on first start)
settings = Table(
    "settings",
    metadata,
    Column("key", String(50), primary_key=True),
    Column("value", Text, nullable=False),
)
