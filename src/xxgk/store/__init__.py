"""The corpus database: many reports stored, versioned, checked and queried (``xxgk ingest``,
``xxgk export``).

``schema`` declares the tables, ``migrations`` builds them (Alembic, run on open), ``database``
opens a database from a URL, ``records`` turns a :class:`~xxgk.report.Report` into rows and back,
``ingest`` loads files in parallel, ``queries`` answers questions as pandas DataFrames and
``export`` writes them to files.
"""

from .database import default_url, open_database, resolve_url

__all__ = ["default_url", "open_database", "resolve_url"]
