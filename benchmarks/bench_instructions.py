#!/usr/bin/env python
"""Instructions per parse, per input format: a figure that stays put whatever else the machine does.

Usage::

    python benchmarks/bench_instructions.py                 # every format, 10 parses each
    XXGK_PURE_PYTHON=1 python benchmarks/bench_instructions.py   # the same from the Python sources

Wall-clock throughput (``bench_parse.py``) varies by a third on a shared virtual machine; the
instructions counted by ``valgrind --tool=callgrind`` do not.  For each format the script runs a
child process under callgrind twice, on the same generated reports (``bench_parse.generate``,
fixed seed, ``PYTHONHASHSEED=0``): once parsing ``--warmup`` reports only, once parsing ``--n``
more after them.  The difference divided by ``--n`` is the cost of one parse with warm caches,
start-up and generation left out.  Needs valgrind (Debian package ``valgrind``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
_CHILD = """
import sys
sys.path.insert(0, {here!r})
import bench_parse, xxgk
cases = bench_parse.generate({fmt!r}, {total}, {seed})
for c in cases[:{warmup}]:
    xxgk.parse(c.data)
for c in cases[{warmup}:{warmup} + {n}]:
    xxgk.parse(c.data)
"""


def count(fmt: str, n: int, warmup: int, seed: int, total: int) -> int:
    """Instructions callgrind counts for a child that generates ``total`` reports and parses
    ``warmup`` then ``n`` of them (both runs generate the same: only the parses differ)."""
    code = _CHILD.format(here=str(HERE), fmt=fmt, total=total, seed=seed, warmup=warmup, n=n)
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONHASHSEED="0"),
        check=True,
    )
    m = re.search(r"Collected : ([\d,]+)", proc.stderr)
    if not m:
        raise SystemExit(f"callgrind printed no count for {fmt}:\n{proc.stderr[-2000:]}")
    return int(m.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(HERE))
    from bench_parse import WRITERS

    import xxgk.compiled

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10, help="parses counted per format (default 10)")
    ap.add_argument("--warmup", type=int, default=10, help="parses before them, to warm caches (default 10)")
    ap.add_argument("--seed", type=int, default=20240501)
    ap.add_argument("--formats", nargs="+", choices=sorted(WRITERS), default=list(WRITERS))
    args = ap.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("需要 valgrind (valgrind is not installed)", file=sys.stderr)
        return 2
    compiled = sum(xxgk.compiled.status().values())
    print(f"parsing modules compiled with mypyc: {compiled} of {len(xxgk.compiled.MODULES)}")
    print("| format | M instructions per parse |")
    print("| --- | ---: |")
    for fmt in args.formats:
        total = args.warmup + args.n
        base = count(fmt, 0, args.warmup, args.seed, total)
        more = count(fmt, args.n, args.warmup, args.seed, total)
        print(f"| {fmt} | {(more - base) / args.n / 1e6:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
