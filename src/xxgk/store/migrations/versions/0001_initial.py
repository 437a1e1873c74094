"""The first schema: agencies, reports (versioned, failed files kept), cells, findings,
sections, deviations, parse warnings.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from xxgk.store.schema import ExactDecimal

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _location() -> list[sa.Column]:
    return [sa.Column(f"loc_{name}", sa.Integer) for name in ("line", "page", "table", "row", "col")]


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("normalized", sa.String(200), nullable=False),
        sa.Column("region", sa.String(100)),
        sa.Column("level", sa.String(20)),
        sa.PrimaryKeyConstraint("id", name="pk_agencies"),
        sa.UniqueConstraint("name", name="uq_agencies_name"),
    )
    op.create_index("ix_agencies_normalized", "agencies", ["normalized"])
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source_name", sa.Text, nullable=False),
        sa.Column("source_format", sa.String(20)),
        sa.Column("source_size", sa.Integer),
        sa.Column("series", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("agency_id", sa.Integer),
        sa.Column("year", sa.Integer),
        sa.Column("template", sa.String(20)),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name="fk_reports_agency_id_agencies"),
        sa.UniqueConstraint("sha256", name="uq_reports_sha256"),
        sa.UniqueConstraint("series", "version", name="uq_reports_series_version"),
    )
    op.create_index("ix_reports_agency_year", "reports", ["agency_id", "year"])
    op.create_table(
        "cells",
        sa.Column("report_id", sa.Integer, nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", ExactDecimal()),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("raw", sa.Text),
        sa.Column("note", sa.Text),
        *_location(),
        sa.Column("confidence", sa.Float),
        sa.PrimaryKeyConstraint("report_id", "key", name="pk_cells"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE", name="fk_cells_report_id_reports"),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, nullable=False),
        sa.Column("rule", sa.String(60), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("table_key", sa.String(10)),
        sa.Column("row_key", sa.String(100)),
        sa.Column("column_key", sa.String(100)),
        sa.Column("section", sa.String(10)),
        sa.Column("expected", ExactDecimal()),
        sa.Column("actual", ExactDecimal()),
        sa.Column("cells", sa.JSON),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE", name="fk_findings_report_id_reports"),
    )
    op.create_index("ix_findings_rule", "findings", ["rule"])
    op.create_index("ix_findings_report", "findings", ["report_id"])
    op.create_table(
        "sections",
        sa.Column("report_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("key", sa.String(10), nullable=False),
        sa.Column("heading", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("sort_order", sa.Integer, nullable=False),
        *_location(),
        sa.PrimaryKeyConstraint("report_id", "position", name="pk_sections"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE", name="fk_sections_report_id_reports"),
    )
    op.create_table(
        "deviations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("table_key", sa.String(10)),
        sa.Column("official", sa.Text),
        sa.Column("found", sa.Text),
        sa.Column("row_key", sa.String(100)),
        sa.Column("column_key", sa.String(100)),
        sa.Column("section", sa.String(10)),
        sa.Column("block", sa.Text),
        *_location(),
        sa.PrimaryKeyConstraint("id", name="pk_deviations"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE", name="fk_deviations_report_id_reports"),
    )
    op.create_index("ix_deviations_report", "deviations", ["report_id"])
    op.create_table(
        "warnings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("key", sa.String(100)),
        *_location(),
        sa.PrimaryKeyConstraint("id", name="pk_warnings"),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], ondelete="CASCADE", name="fk_warnings_report_id_reports"),
    )
    op.create_index("ix_warnings_report", "warnings", ["report_id"])


def downgrade() -> None:
    for table in ("warnings", "deviations", "sections", "findings", "cells", "reports", "agencies"):
        op.drop_table(table)
