#!/usr/bin/env python
"""Seconds per LibreOffice conversion: PDF output, and .doc / .rtf input.

Usage::

    python benchmarks/bench_office.py            # 10 reports of each template
    python benchmarks/bench_office.py --n 4

For ``--n`` random valid reports of each template (fixed seed) the script times, one after the
other (LibreOffice runs single-threaded, each conversion in a fresh profile):

* ``render_pdf``: the report's DOCX converted to PDF (render_docx is included; it takes ~20 ms);
* ``parse .doc`` and ``parse .rtf``: ``xxgk.parse`` on the report saved by LibreOffice as .doc /
  .rtf (conversion to .docx plus the DOCX reader); making the .doc / .rtf is not timed.

Every parsed report is compared with the original; a mismatch makes the script exit 1.  Times are
wall-clock seconds, with the CPU seconds of the LibreOffice children alongside (``RUSAGE_CHILDREN``):
most of a conversion is LibreOffice starting.
"""

from __future__ import annotations

import argparse
import platform
import random
import resource
import statistics
import sys
import time

import xxgk
from xxgk import office
from xxgk.render.docx import render_docx
from xxgk.render.pdf import render_pdf
from xxgk.templates import TEMPLATES
from xxgk.testing import random_report


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(fn, *args):
    cpu, t = _children_cpu(), time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - t, _children_cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10, help="reports per template")
    args = parser.parse_args()
    if not office.available():
        print("LibreOffice (soffice) is not installed", file=sys.stderr)
        return 2
    rng = random.Random(20240601)
    rows: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in ("render_pdf", "parse .doc", "parse .rtf")}
    mismatches = 0
    for spec in TEMPLATES.values():
        for _ in range(args.n):
            report = random_report(rng, spec, blank_rate=rng.choice((0.0, 0.05)))
            _, wall, cpu = _timed(render_pdf, report)
            rows["render_pdf"][0].append(wall)
            rows["render_pdf"][1].append(cpu)
            docx = render_docx(report)
            for kind in ("doc", "rtf"):
                data = office.convert(docx, ".docx", kind)
                parsed, wall, cpu = _timed(xxgk.parse, data)
                rows[f"parse .{kind}"][0].append(wall)
                rows[f"parse .{kind}"][1].append(cpu)
                if parsed != report:
                    mismatches += 1
                    print(f"mismatch: {spec.key} {kind}", file=sys.stderr)
    print(f"Python {platform.python_version()}, {platform.processor() or platform.machine()}, "
          f"{args.n} reports per template, LibreOffice at {office.soffice()}\n")  # fmt: skip
    print("| conversion | n | mean s | p95 s | LibreOffice CPU s | mismatches |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, (walls, cpus) in rows.items():
        p95 = sorted(walls)[max(0, round(0.95 * len(walls)) - 1)]
        bad = mismatches if name != "render_pdf" else "–"
        print(f"| {name} | {len(walls)} | {statistics.mean(walls):.2f} | {p95:.2f} | {statistics.mean(cpus):.2f} | {bad} |")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
