#!/usr/bin/env python
"""Ingest throughput of the corpus database: reports per second, peak memory, database size.

Usage::

    python benchmarks/bench_ingest.py                       # 10,000 reports, every configuration
    python benchmarks/bench_ingest.py --n 2000 --configs sqlite-parallel pg-parallel
    python benchmarks/bench_ingest.py --pg postgresql+psycopg://xxgk:xxgk@127.0.0.1/xxgk_test

``--n`` random valid reports (both templates, a fixed seed) are written as files to
``--workdir/reports`` once and kept for the next run with the same ``--n`` and ``--seed``
(``corpus.json`` beside it says what was made).  The mix is like the sites': of every 20 reports
8 web pages, 4 + 4 text files of two layouts and 4 Word files, every file distinct (SHA-256,
checked).  The Word files come from :class:`xxgk.testing.docxfill.DocxLayout`: python-docx renders
one layout per 10 files (nesting, text-box title, damaged labels, units, split runs drawn anew)
and each report is filled into it, so 10,000 reports take minutes to make, not half an hour.  Each
configuration then runs ``xxgk ingest`` on the folder as a subprocess, into a new empty database:

- ``sqlite-1`` / ``sqlite-parallel``: SQLite file, one process / ``--jobs`` worker processes;
- ``pg-1`` / ``pg-parallel``: the same on PostgreSQL (``--pg`` or ``XXGK_TEST_PG_URL``; a fresh
  database is created on that server and dropped afterwards);
- ``sqlite-dask``: ``--engine dask`` (a local Dask cluster of ``--jobs`` workers started by the
  command).

Reported: wall-clock time of the whole command (start-up included) and reports per second,
the CPU time of the command's own process per report (reading, hashing, handing out the work and
writing to the database: with enough workers, the bound on the rate), peak RSS of the process
tree (the command, its workers and the Dask processes, sampled every 250 ms with psutil; not the
PostgreSQL server's), the database size when done (SQLite file with its WAL; PostgreSQL's
``pg_database_size``), and the 1-minute load average around the run (the machine may be shared).
Every run must store all ``--n`` reports, parsed, or the script exits 1.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil
from sqlalchemy import create_engine, func, select, text

from bench_store import PgDatabase  # (this folder is on the path when a script runs)
from xxgk.templates import TEMPLATES
from xxgk.testing import WRITERS, random_report
from xxgk.testing.docxfill import DocxLayout

CONFIGS = ("sqlite-1", "sqlite-parallel", "pg-1", "pg-parallel", "sqlite-dask")
#: of every 20 reports: 8 web pages, 8 text files (two layouts), 4 Word files — as on the sites
MIX = (("html", 8), ("text-rows", 4), ("text-cells", 4), ("docx", 4))
DOCX_FILLS = 10  # Word files filled into each layout python-docx renders
EXTENSIONS = {"docx": ".docx", "html": ".html"}
GENERATOR = 2  # bump when the files a seed gives change: a cached corpus is then made again


def corpus_plan(n: int) -> list[tuple[str, str]]:
    """(layout, template) of each of the ``n`` reports."""
    cycle = [fmt for fmt, k in MIX for _ in range(k)]
    keys = sorted(TEMPLATES)
    return [(cycle[i % len(cycle)], keys[i % len(keys)]) for i in range(n)]


def describe_mix(plan: list[tuple[str, str]]) -> str:
    formats = Counter(fmt for fmt, _ in plan)
    templates = Counter(key for _, key in plan)
    docx = formats.get("docx", 0)
    return (
        ", ".join(f"{formats[fmt]} {fmt}" for fmt, _ in MIX if formats[fmt])
        + f" (Word: {-(-docx // DOCX_FILLS)} layouts rendered by python-docx, each filled with up to {DOCX_FILLS} reports)"
        + "; " + ", ".join(f"{templates[k]} {k}" for k in sorted(templates))
    )  # fmt: skip


def generate(work: Path, n: int, seed: int) -> Path:
    """The folder of ``n`` report files, made once and kept in ``work`` for the next run."""
    folder = work / "reports"
    manifest = work / "corpus.json"
    wanted = {"n": n, "seed": seed, "mix": MIX, "docx_fills": DOCX_FILLS, "generator": GENERATOR}
    wanted = json.loads(json.dumps(wanted))
    if manifest.exists() and json.loads(manifest.read_text()) == wanted and folder.is_dir():
        if sum(1 for _ in folder.iterdir()) == n:
            print(f"  using the {n} report files made before in {folder}")
            return folder
    manifest.unlink(missing_ok=True)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    t0 = time.perf_counter()
    layouts: dict[str, tuple[int, DocxLayout]] = {}  # template -> (number, layout in use)
    docx_seen: Counter = Counter()
    hashes: set[str] = set()
    for i, (fmt, key) in enumerate(corpus_plan(n)):
        rng = random.Random(f"{seed}:{i}")
        report = random_report(rng, TEMPLATES[key], blank_rate=rng.choice((0.0, 0.0, 0.05)))
        if fmt == "docx":
            j = docx_seen[key] // DOCX_FILLS
            docx_seen[key] += 1
            if layouts.get(key, (None,))[0] != j:  # a template's layouts are used in turn
                layouts[key] = (j, DocxLayout(TEMPLATES[key], random.Random(f"{seed}:layout:{key}:{j}")))
            data = layouts[key][1].fill(report, rng)
        else:
            data = WRITERS[fmt](report, rng)
        data = data.encode("utf-8") if isinstance(data, str) else data
        hashes.add(hashlib.sha256(data).hexdigest())
        (folder / f"r{i:06d}{EXTENSIONS.get(fmt, '.txt')}").write_bytes(data)
    if len(hashes) != n:
        raise SystemExit(f"only {len(hashes)} distinct files of {n}")
    manifest.write_text(json.dumps(wanted))
    print(f"  generated {n} report files ({len(hashes)} distinct SHA-256) in {time.perf_counter() - t0:.0f} s", flush=True)
    return folder


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run(cmd: list[str]) -> tuple[float, int, float, int]:
    """(wall seconds, peak tree RSS bytes, CPU seconds of the command's own process, exit code)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ps = psutil.Process(proc.pid)
    peak = cpu = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(ps))
        try:
            times = ps.cpu_times()  # the parent only: its workers and Dask are children
            cpu = times.user + times.system
        except psutil.Error:
            pass
        time.sleep(0.25)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode:
        print(err[-2000:], file=sys.stderr)
    return wall, peak, cpu, proc.returncode


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
    print(f"xxgk ingest benchmark: {args.n} reports, seed {args.seed}")
    print(f"  mix: {describe_mix(corpus_plan(args.n))}")
    print(f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    files = generate(work, args.n, args.seed)
    size = sum(p.stat().st_size for p in files.iterdir())
    print(f"  input: {size / 2**20:.0f} MiB in {args.n} files", flush=True)

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
            load0 = os.getloadavg()[0]
            wall, peak, cpu, code = run(cmd)
            load = (load0 + os.getloadavg()[0]) / 2
            stored, db_bytes = measure(url)
        finally:
            if ctx:
                ctx.__exit__(None, None, None)
        ok = code == 0 and stored == args.n
        bad |= not ok
        flag = "" if ok else " FAILED"
        rows.append((config, jobs, stored, wall, args.n / wall, cpu / args.n * 1000, peak / 2**20, db_bytes / 2**20, load, flag))
        print(f"  {config}: {stored} stored in {wall:.0f} s (load average {load:.1f})", flush=True)

    print()
    head = ("configuration", "workers", "reports stored", "wall s", "reports/s", "parent CPU ms/report",
            "peak RSS MiB (tree)", "database MiB", "load average")  # fmt: skip
    print("| " + " | ".join(head) + " |")
    print("| --- |" + " ---: |" * (len(head) - 1))
    for config, jobs, stored, wall, rate, cpu, peak, db, load, flag in rows:
        cols = (f"{config}{flag}", jobs, stored, f"{wall:.0f}", f"{rate:.1f}", f"{cpu:.1f}", f"{peak:.0f}", f"{db:.0f}", f"{load:.1f}")
        print("| " + " | ".join(map(str, cols)) + " |")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
