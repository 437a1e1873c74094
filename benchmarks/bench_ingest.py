#!/usr/bin/env python
"""Ingest throughput of the corpus database: reports per second, peak memory, database size.

Usage::

    python benchmarks/bench_ingest.py                       # 10,000 reports, every configuration
    python benchmarks/bench_ingest.py --n 2000 --configs sqlite-parallel pg-parallel
    python benchmarks/bench_ingest.py --pg postgresql+psycopg://xxgk:xxgk@127.0.0.1/xxgk_test

``--n`` random valid reports (both templates, the layouts of :data:`xxgk.testing.WRITERS` in
turn, a fixed seed) are written as files to ``--workdir`` once (kept for the next run).  Each
configuration then runs ``xxgk ingest`` on the folder as a subprocess, into a new empty database:

- ``sqlite-1`` / ``sqlite-parallel``: SQLite file, one process / ``--jobs`` worker processes;
- ``pg-1`` / ``pg-parallel``: the same on PostgreSQL (``--pg`` or ``XXGK_TEST_PG_URL``; a fresh
  database is created on that server and dropped afterwards);
- ``sqlite-dask``: ``--engine dask`` (a local Dask cluster of ``--jobs`` workers started by the
  command).

Reported: wall-clock time of the whole command (start-up included) and reports per second,
peak RSS of the process tree (the command, its workers and the Dask processes, sampled every
250 ms with psutil), and the database size when done (SQLite file with its WAL; PostgreSQL's
``pg_database_size``).  Every run must store all ``--n`` reports, or the script exits 1.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from xxgk.templates import TEMPLATES
from xxgk.testing import WRITERS, random_report

CONFIGS = ("sqlite-1", "sqlite-parallel", "pg-1", "pg-parallel", "sqlite-dask")
EXTENSIONS = {"docx": ".docx", "html": ".html"}


def generate(folder: Path, n: int, seed: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    have = len(list(folder.iterdir()))
    if have == n:
        return
    for p in folder.iterdir():
        p.unlink()
    formats = list(WRITERS)
    keys = sorted(TEMPLATES)
    t0 = time.perf_counter()
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        report = random_report(rng, TEMPLATES[keys[i % 2]], blank_rate=rng.choice((0.0, 0.0, 0.05)))
        fmt = formats[i % len(formats)]
        data = WRITERS[fmt](report, rng)
        (folder / f"r{i:06d}{EXTENSIONS.get(fmt, '.txt')}").write_bytes(data.encode() if isinstance(data, str) else data)
    print(f"  generated {n} report files in {time.perf_counter() - t0:.0f} s", flush=True)


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run(cmd: list[str]) -> tuple[float, int, int]:
    """(wall seconds, peak tree RSS bytes, exit code)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(ps))
        time.sleep(0.25)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode:
        print(err[-2000:], file=sys.stderr)
    return wall, peak, proc.returncode


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
        with self.admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def measure(url: str) -> tuple[int, int]:
    """(reports stored, database bytes)."""
    engine = create_engine(url)
    with engine.connect() as c:
        stored = c.execute(text("SELECT count(*) FROM reports WHERE status = 'ok'")).scalar()
        if engine.dialect.name == "postgresql":
            size = c.execute(select(func.pg_database_size(func.current_database()))).scalar()
        else:
            path = Path(engine.url.database)
            size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    engine.dispose()
    return stored, size


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="reports (default 10,000)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="workers of the parallel runs")
    ap.add_argument("--workdir", type=Path, default=None, help="where the files and SQLite databases go")
    ap.add_argument("--pg", default=os.environ.get("XXGK_TEST_PG_URL"), help="PostgreSQL server URL")
    ap.add_argument("--configs", nargs="+", choices=CONFIGS, default=list(CONFIGS))
    args = ap.parse_args(argv)

    work = args.workdir or Path(os.environ.get("TMPDIR", "/tmp")) / f"xxgk-bench-ingest-{args.n}"
    files = work / "reports"
    print(f"xxgk ingest benchmark: {args.n} reports ({', '.join(WRITERS)} in turn), seed {args.seed}")
    print(f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    generate(files, args.n, args.seed)
    size = sum(p.stat().st_size for p in files.iterdir())
    print(f"  input: {size / 2**20:.0f} MiB in {args.n} files")

    rows, bad = [], False
    for config in args.configs:
        kind, mode = config.split("-")
        if kind == "pg" and not args.pg:
            print(f"  {config}: skipped (no --pg / XXGK_TEST_PG_URL)")
            continue
        jobs = 1 if mode == "1" else args.jobs
        extra = ["--engine", "dask"] if mode == "dask" else []
        ctx = PgDatabase(args.pg) if kind == "pg" else None
        url = ctx.__enter__() if ctx else f"sqlite:///{work / (config + '.sqlite3')}"
        try:
            if kind == "sqlite":
                for p in work.glob(config + ".sqlite3*"):
                    p.unlink()
            cmd = [sys.executable, "-m", "xxgk.cli", "ingest", str(files), "--db", url, "--jobs", str(jobs), "-q", *extra]
            wall, peak, code = run(cmd)
            stored, db_bytes = measure(url)
        finally:
            if ctx:
                ctx.__exit__(None, None, None)
        ok = code == 0 and stored == args.n
        bad |= not ok
        rows.append((config, jobs, stored, wall, args.n / wall, peak / 2**20, db_bytes / 2**20, "" if ok else " FAILED"))
        print(f"  {config}: {stored} stored in {wall:.0f} s", flush=True)

    print()
    print("| configuration | workers | reports stored | wall s | reports/s | peak RSS MiB (tree) | database MiB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for config, jobs, stored, wall, rate, peak, db, flag in rows:
        print(f"| {config}{flag} | {jobs} | {stored} | {wall:.0f} | {rate:.1f} | {peak:.0f} | {db:.0f} |")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
