#!/usr/bin/env python
"""CPU time the ingesting parent spends writing one report to the corpus database.

Usage::

    python benchmarks/bench_store.py                 # 300 reports, SQLite and PostgreSQL
    python benchmarks/bench_store.py --n 500 --profile

In ``xxgk ingest`` the workers parse and check; the parent process only reads the files and
writes each result in its own transaction (:func:`xxgk.store.ingest.store`).  With enough
workers the parent is the bottleneck, so its CPU time per report bounds the parallel rate.

The script parses ``--n`` random valid reports (both templates, a fixed seed) into records
outside the timed region, then stores them one by one, each in its own transaction, into a new
database, as the parent does — first the "already stored?" look-up of the batch
(:func:`xxgk.store.ingest.is_stored`), then :func:`~xxgk.store.ingest.store`.  It prints the
process CPU time (``time.process_time``: this process only, so not the database server's work)
and the wall time per report.  PostgreSQL needs ``--pg`` or ``XXGK_TEST_PG_URL``; a fresh
database is created there and dropped afterwards.  With ``--profile`` the SQLite run is
repeated under cProfile and the hot spots printed.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from xxgk.store import open_database
from xxgk.store.ingest import is_stored, store
from xxgk.store.records import Record, analyse
from xxgk.templates import TEMPLATES
from xxgk.testing import random_report, to_text_row_per_line


def records(n: int, seed: int) -> list[Record]:
    out = []
    keys = sorted(TEMPLATES)
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        report = random_report(rng, TEMPLATES[keys[i % 2]], blank_rate=rng.choice((0.0, 0.0, 0.05)))
        data = to_text_row_per_line(report, rng).encode("utf-8")
        record = analyse(f"r{i:05d}.txt", data)
        assert not record.failed, record.error
        out.append(record)
    return out


def write_all(url: str, recs: list[Record]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) to store every record into the database at ``url``."""
    engine = open_database(url)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for rec in recs:
        with engine.connect() as conn:
            assert not is_stored(conn, rec.sha256)
        assert store(engine, rec)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    engine.dispose()
    return cpu, wall


class PgDatabase:
    def __init__(self, base: str):
        self.admin = create_engine(base, isolation_level="AUTOCOMMIT")
        self.name = f"xxgk_bench_{uuid.uuid4().hex[:8]}"
        self.url = make_url(base).set(database=self.name).render_as_string(hide_password=False)

    def __enter__(self) -> str:
        with self.admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{self.name}"'))
        return self.url

    def __exit__(self, *exc) -> None:
        for attempt in range(5):
            try:
                with self.admin.connect() as c:
                    c.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
                break
            except DBAPIError as err:  # the server busy with another client's database: try again
                print(f"  could not drop {self.name} yet: {str(err.orig).strip().splitlines()[0]}", file=sys.stderr)
                time.sleep(2 + attempt)
        self.admin.dispose()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=300, help="reports (default 300)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--pg", default=os.environ.get("XXGK_TEST_PG_URL"), help="PostgreSQL server URL")
    ap.add_argument("--profile", action="store_true", help="profile the SQLite run")
    ap.add_argument("--sort", default="tottime", help="cProfile sort key (default tottime)")
    args = ap.parse_args(argv)

    print(f"xxgk store benchmark: {args.n} reports, one transaction each, seed {args.seed}")
    print(f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    recs = records(args.n, args.seed)
    rows = sum(len(r) for rec in recs for r in rec.rows.values())
    print(f"  {rows / len(recs):.0f} rows per report (cells, findings, sections, deviations, warnings)")

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(("SQLite", *write_all(f"sqlite:///{Path(tmp) / 'a.sqlite3'}", recs)))
        if args.pg:
            with PgDatabase(args.pg) as url:
                results.append(("PostgreSQL", *write_all(url, recs)))
        else:
            print("  PostgreSQL: skipped (no --pg / XXGK_TEST_PG_URL)")
        if args.profile:
            prof = cProfile.Profile()
            prof.runcall(write_all, f"sqlite:///{Path(tmp) / 'b.sqlite3'}", recs)
            pstats.Stats(prof).sort_stats(args.sort).print_stats(30)

    print()
    print("| database | parent CPU ms/report | wall ms/report |")
    print("| --- | ---: | ---: |")
    for name, cpu, wall in results:
        print(f"| {name} | {cpu / len(recs) * 1000:.2f} | {wall / len(recs) * 1000:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
