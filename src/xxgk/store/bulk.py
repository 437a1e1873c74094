"""Writing the many rows of one report in one call per table, at the database driver's speed.

SQLAlchemy's executemany builds, checks and converts a parameter dictionary per row in Python
(about 30 µs a row; a report has some 230 rows), and psycopg then sends each row as its own
statement: most of the ingesting parent's CPU time went there.  Here the values of each row are
converted once by the columns' own SQLAlchemy types (``bind_processor``: exact decimals as text on
SQLite, JSON), and the rows go to the driver in one call: SQLite's ``executemany`` of one
prepared INSERT, PostgreSQL's ``COPY … FROM STDIN``.  Both run inside the caller's transaction,
so a report is still written all or nothing.  Other databases take SQLAlchemy's executemany.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection, Dialect


@dataclass(frozen=True)
class _Plan:
    sql: str
    fields: Callable[[Mapping[str, Any]], tuple]  # a row's values, in the statement's order
    converters: tuple[tuple[int, Callable[[Any], Any]], ...]  # (position, bind processor)


_DRIVERS = ("pysqlite", "psycopg")  # the drivers xxgk installs; others take SQLAlchemy's path
_PLANS: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], _Plan] = {}


def _plan(dialect: Dialect, table: Table, common: tuple[str, ...], fields: tuple[str, ...]) -> _Plan:
    key = (dialect.driver, table.name, common, fields)
    plan = _PLANS.get(key)
    if plan is None:
        columns = (*common, *fields)
        quote = dialect.identifier_preparer
        names = ", ".join(quote.format_column(table.c[c]) for c in columns)
        if dialect.driver == "psycopg":
            sql = f"COPY {quote.format_table(table)} ({names}) FROM STDIN"
        else:
            sql = f"INSERT INTO {quote.format_table(table)} ({names}) VALUES ({', '.join('?' * len(columns))})"
        processors = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
        getter = itemgetter(*fields) if len(fields) > 1 else (lambda row, f=fields[0]: (row[f],))
        converters = tuple((i, p) for i, p in enumerate(processors) if p is not None)
        plan = _PLANS[key] = _Plan(sql, getter, converters)
    return plan


def _values(plan: _Plan, common: tuple, row: Mapping[str, Any]) -> tuple:
    values = [*common, *plan.fields(row)]
    for i, convert in plan.converters:
        values[i] = convert(values[i])  # None too: JSON writes it as JSON null, as SQLAlchemy does
    return tuple(values)


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], **common: Any) -> None:
    """Insert ``rows`` (dictionaries with the same keys) into ``table``, each with the values of
    ``common`` added (the report's id), in the connection's transaction."""
    if not rows:
        return
    dialect = conn.dialect
    if dialect.driver not in _DRIVERS:
        conn.execute(insert(table), [{**common, **row} for row in rows])
        return
    plan = _plan(dialect, table, tuple(common), tuple(rows[0]))
    shared = tuple(common.values())
    cursor = conn.connection.driver_connection.cursor()
    try:
        if dialect.driver == "psycopg":
            with cursor.copy(plan.sql) as copy:
                for row in rows:
                    copy.write_row(_values(plan, shared, row))
        else:
            cursor.executemany(plan.sql, [_values(plan, shared, row) for row in rows])
    finally:
        cursor.close()
