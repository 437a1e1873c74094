"""Alembic migrations of the corpus database, run on open by :func:`xxgk.store.open_database`."""
