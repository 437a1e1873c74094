"""Revisions of the corpus database schema."""
