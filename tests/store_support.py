"""Helpers for the corpus database tests: generated report files and throwaway databases."""

from __future__ import annotations

import os
import random
import uuid
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from xxgk.report.model import Report
from xxgk.templates import TEMPLATES
from xxgk.testing import WRITERS, random_report

PG_ENV = "XXGK_TEST_PG_URL"
EXTENSIONS = {"docx": ".docx", "html": ".html"}


def write_report(report: Report, path: Path, fmt: str, seed: int) -> Path:
    data = WRITERS[fmt](report, random.Random(seed))
    path = path.with_suffix(EXTENSIONS.get(fmt, ".txt"))
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def make_corpus(folder: Path, n: int, *, seed: int = 7, formats=("text-rows", "html", "text-cells")) -> dict[Path, Report]:
    """``n`` random valid reports written as files, alternating templates and layouts."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        spec = TEMPLATES[sorted(TEMPLATES)[i % 2]]
        report = random_report(rng, spec, big=False)
        out[write_report(report, folder / f"r{i:04d}", formats[i % len(formats)], seed + i)] = report
    return out


def zip_files(paths, archive: Path) -> Path:
    with zipfile.ZipFile(archive, "w") as zf:
        for p in paths:
            zf.write(p, arcname=f"报告/{p.name}")
    return archive


@contextmanager
def pg_database():
    """A fresh PostgreSQL database on the server named by XXGK_TEST_PG_URL, dropped afterwards."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set (no PostgreSQL server for the tests)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"xxgk_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
