"""Accuracy on crawler text whose numbers run together ("713000074" for 71, 3, 0, 0, 0, 0, 74).

Generates valid random reports of both templates, writes each table row as its label followed by
its numbers with no separator, parses the text back and counts, over all cells: exact, null
(declined: the split was not unique) and wrong (a number that differs from the truth — must be 0).

    python benchmarks/bench_digit_runs.py [--n 60] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import sys
import time

import xxgk
from xxgk.templates import TEMPLATES
from xxgk.testing import random_report, to_text_runs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=60, help="reports per template")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    exact = null = wrong = failed = 0
    started = time.process_time()
    for i in range(args.n):
        rng = random.Random(args.seed + i)
        for spec in TEMPLATES.values():
            truth = random_report(rng, spec, big=False)
            try:
                got = xxgk.parse(to_text_runs(truth, rng).encode("utf-8"))
            except xxgk.XxgkError as exc:
                failed += 1
                print(f"report {i} {spec.key}: {exc}", file=sys.stderr)
                continue
            for key in truth.cells:
                if got[key] is None:
                    null += 1
                elif got[key] == truth[key]:
                    exact += 1
                else:
                    wrong += 1
    cells = exact + null + wrong
    print(f"reports: {args.n * len(TEMPLATES)} ({failed} unreadable), cells: {cells}, CPU {time.process_time() - started:.1f} s")
    print("| cells | exact | null (declined) | wrong |")
    print("| ---: | ---: | ---: | ---: |")
    print(f"| {cells} | {exact} ({exact / cells:.1%}) | {null} ({null / cells:.1%}) | {wrong} |")
    return 1 if wrong or failed else 0


if __name__ == "__main__":
    sys.exit(main())
