#!/usr/bin/env python
"""Text-layer PDFs per second on one core, and the same PDFs through pdfplumber side by side.

Usage::

    python benchmarks/bench_pdf.py                 # 40 generated PDFs (cached), 3 passes
    python benchmarks/bench_pdf.py --n 80 --profile

``--n`` random valid reports (both templates, fixed seeds) are rendered to Word by
:func:`xxgk.render.docx.render_docx` and converted to PDF by LibreOffice once; the PDFs are
kept in ``--cache`` (default ``~/.cache/xxgk-bench-pdf``) and reused.  Then, pinned to one CPU
(``os.sched_setaffinity``), the script times ``xxgk.parse`` on each PDF (reading, layout
analysis and extraction; every report is compared with the one it was generated from, and a
mismatch makes the script exit 1), the real report from ``../shared/corpus`` when present, and
— for comparison with a widely used general-purpose converter — ``pdfplumber``'s
``extract_tables()`` plus ``extract_text()`` on every page of the same PDFs (pdfplumber only
gives cell strings; it does not read a report).  pdfplumber is an optional benchmark
dependency: ``pip install -e '.[bench]'``.  Target: 20 PDFs per second per core.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import random
import sys
import time
from pathlib import Path

import xxgk
from xxgk.render.docx import render_docx
from xxgk.templates import TEMPLATES
from xxgk.testing import random_report
from xxgk.testing.pdf import convert_to_pdf

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real" / "huaian-2024.pdf"


def _reports(n: int):
    out = []
    for k in range(n):
        rng = random.Random(7000 + k)
        out.append(random_report(rng, TEMPLATES[sorted(TEMPLATES)[k % 2]], blank_rate=(0.0, 0.05, 0.3)[k % 3]))
    return out


def _pdfs(reports, cache: Path) -> list[bytes]:
    cache.mkdir(parents=True, exist_ok=True)
    paths = [cache / f"report-{k:04d}.pdf" for k in range(len(reports))]
    missing = [k for k, p in enumerate(paths) if not p.exists()]
    for start in range(0, len(missing), 20):
        batch = missing[start : start + 20]
        print(f"converting {len(batch)} reports with LibreOffice …", file=sys.stderr)
        for k, pdf in zip(batch, convert_to_pdf([render_docx(reports[k]) for k in batch])):
            paths[k].write_bytes(pdf)
    return [p.read_bytes() for p in paths]


def _time(fn, items, passes: int) -> tuple[float, float]:
    """Best wall seconds and CPU seconds per item over ``passes`` runs."""
    best_wall = best_cpu = float("inf")
    for _ in range(passes):
        w, c = time.perf_counter(), time.process_time()
        for item in items:
            fn(item)
        best_wall = min(best_wall, (time.perf_counter() - w) / len(items))
        best_cpu = min(best_cpu, (time.process_time() - c) / len(items))
    return best_wall, best_cpu


def _plumber(data: bytes) -> None:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.extract_text()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--cpu", type=int, default=0)
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "xxgk-bench-pdf")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()

    reports = _reports(args.n)
    pdfs = _pdfs(reports, args.cache)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})

    mismatches = 0
    for report, pdf in zip(reports, pdfs):
        got = xxgk.parse(pdf)
        if any(report[k] != got[k] for k in report.cells) or (got.year, got.agency) != (report.year, report.agency):
            mismatches += 1
    pages = sum(len(__import__("pypdfium2").PdfDocument(p)) for p in pdfs)

    wall, cpu = _time(xxgk.parse, pdfs, args.passes)
    rows = [("generated (LibreOffice from DOCX)", len(pdfs), pages / len(pdfs), wall, cpu)]
    if REAL.exists():
        real = REAL.read_bytes()
        w, c = _time(xxgk.parse, [real] * 10, args.passes)
        rows.append(("real report huaian-2024.pdf", 1, 6.0, w, c))
    try:
        import pdfplumber  # noqa: F401

        pw, pc = _time(_plumber, pdfs, 1)
    except ImportError:
        pw = pc = None

    print(f"Python {platform.python_version()}, {platform.processor() or platform.machine()}, one core (CPU {args.cpu})")
    print()
    print("| input | PDFs | pages/PDF | PDFs/s | mean ms | CPU ms | mismatches | target/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, n, ppd, w, c in rows:
        mm = mismatches if name.startswith("generated") else "—"
        print(f"| {name} | {n} | {ppd:.1f} | {1 / w:.1f} | {w * 1000:.1f} | {c * 1000:.1f} | {mm} | 20 |")
    if pw is not None:
        print()
        print("| same generated PDFs | PDFs/s | mean ms | CPU ms |")
        print("| --- | ---: | ---: | ---: |")
        print(f"| xxgk.parse (full report) | {1 / wall:.1f} | {wall * 1000:.1f} | {cpu * 1000:.1f} |")
        print(f"| pdfplumber extract_tables + extract_text | {1 / pw:.1f} | {pw * 1000:.1f} | {pc * 1000:.1f} |")
        print(f"| ratio (pdfplumber time / xxgk time) | {pw / wall:.1f}× | | |")
    else:
        print("\npdfplumber is not installed (pip install -e '.[bench]'): no comparison")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for p in pdfs:
            xxgk.parse(p)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
