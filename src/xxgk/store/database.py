"""Opening the corpus database: where it is, and bringing its schema up to date.

The database is named by a SQLAlchemy URL (``postgresql+psycopg://user:pw@host/db`` for shared
use), by a file path (a SQLite file), by ``XXGK_DATABASE_URL`` in the environment, or else it is
SQLite in the user's data folder (``platformdirs``).  Opening runs the migrations shipped in
``xxgk.store.migrations`` up to the newest revision, so any release opens any older database.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from ..errors import XxgkError

ENV_VARS = ("XXGK_DATABASE_URL", "XXGK_DB")
_PG_LOCK = 0x78786B67  # "xxgk": one migrator at a time on a shared server


class DatabaseError(XxgkError):
    """The database cannot be opened or used; the message says why in one line."""


def default_url() -> str:
    """SQLite in the user's data folder (``~/.local/share/xxgk/xxgk.sqlite3`` on Linux)."""
    path = platformdirs.user_data_path("xxgk", appauthor=False) / "xxgk.sqlite3"
    return f"sqlite:///{path}"


def resolve_url(url: str | None = None) -> str:
    """The URL to use: the one given, else the environment, else the default.  A value without
    ``://`` is a path to a SQLite file."""
    if not url:
        url = next((os.environ[v] for v in ENV_VARS if os.environ.get(v)), None) or default_url()
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser().absolute()}"
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: readers never block the writer; NORMAL sync loses nothing committed when a process is
    # killed (only a power cut may drop the last commits)
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create(url: str | None = None) -> Engine:
    """An engine for ``url`` (see :func:`resolve_url`), without touching the schema."""
    url = resolve_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"数据库地址无效：{url} (invalid database URL)") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(f"无法创建数据库文件夹 {Path(parsed.database).parent} ({exc.strerror or exc})") from None
        engine = create_engine(parsed, connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except Exception as exc:  # unknown dialect, missing driver
        raise DatabaseError(f"无法使用数据库 {parsed.render_as_string(hide_password=True)} ({type(exc).__name__}: {exc})") from None


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "xxgk.store:migrations")
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Run the migrations up to the newest revision (nothing to do when already there)."""
    head = head_revision()
    if current_revision(engine) == head:
        return
    cfg = _config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # released at the end of the transaction
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
        if MigrationContext.configure(conn).get_current_revision() == head:
            return  # another process migrated while we waited
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def open_database(url: str | None = None) -> Engine:
    """An engine on an up-to-date corpus database; :class:`DatabaseError` when it can't be had."""
    engine = create(url)
    try:
        try:
            upgrade(engine)
        except OperationalError:
            # two processes creating one new SQLite file: the loser finds the tables made
            upgrade(engine)
    except DBAPIError as exc:
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise DatabaseError(f"无法打开数据库 {where} ({reason})") from None
    return engine
