#!/usr/bin/env python
"""Scanned reports read by OCR: seconds per page at 150, 200 and 300 dpi, and cells read exactly.

Usage::

    python benchmarks/bench_ocr.py              # 2 reports per template, 150/200/300 dpi
    python benchmarks/bench_ocr.py --n 4 --dpi 200

``--n`` random valid reports per template (fixed seeds) are rendered to PDF by
:func:`xxgk.render.pdf.render_pdf` (LibreOffice) and turned into scans by
:mod:`xxgk.testing.scan` (rasterised, tilted 0.5–1°, Gaussian grain, written as an image-only
PDF).  Pinned to one CPU (``os.sched_setaffinity``), the script times ``xxgk.parse`` on each scan
and compares every number cell with the report it was made from: cells read exactly, cells
wrong, and wrong cells that nothing flags (no identity, cell or OCR-confidence finding names
them and their confidence is not low; this must be 0).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import sys
import time

import xxgk
from xxgk.render.pdf import render_pdf
from xxgk.templates import TEMPLATES
from xxgk.testing import random_report
from xxgk.testing.scan import compare, image_pdf, scan_pages


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2, help="reports per template")
    ap.add_argument("--dpi", type=int, nargs="*", default=[150, 200, 300])
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    reports = [
        random_report(random.Random(f"bench-ocr-{t}-{k}"), TEMPLATES[t]) for t in sorted(TEMPLATES) for k in range(args.n)
    ]
    pdfs = [render_pdf(r) for r in reports]
    print(f"# {len(reports)} reports, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}")
    print("| dpi | scans | pages | s/page | CPU s/page | cells | exact % | wrong | unflagged |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    failed = False
    for dpi in args.dpi:
        pages = cells = wrong = unflagged = 0
        wall = cpu = 0.0
        for k, (report, pdf) in enumerate(zip(reports, pdfs)):
            scan = scan_pages(pdf, dpi, random.Random(k * 1000 + dpi))
            data = image_pdf(scan, dpi)
            t0, c0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_utime
            read = xxgk.parse(data)
            wall += time.perf_counter() - t0
            cpu += resource.getrusage(resource.RUSAGE_SELF).ru_utime - c0
            n, bad, loose = compare(report, read)
            pages, cells, wrong, unflagged = pages + len(scan), cells + n, wrong + len(bad), unflagged + len(loose)
        failed |= unflagged > 0
        print(
            f"| {dpi} | {len(reports)} | {pages} | {wall / pages:.2f} | {cpu / pages:.2f} | {cells} | "
            f"{100 * (cells - wrong) / cells:.2f} | {wrong} | {unflagged} |"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
