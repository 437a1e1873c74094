"""Splitting numbers that crawlers ran together ("713000074" for 71, 3, 0, 0, 0, 0, 74).

A run of digits is split only when the split is unique: either forced (as many digits as
cells, no leading zeros) or the only one that satisfies the template's identities.  When more
than one split fits, the caller gets every candidate and, failing a unique answer from the
identities across rows, leaves the cells null with a warning.  Nothing is guessed.

The search fills the row from the right, so a total (which the official layouts put after the
cells it sums) is chosen before its parts and bounds them.
"""

from __future__ import annotations

from collections.abc import Sequence

#: search nodes explored before a split is declared undecidable
MAX_NODES = 200_000
#: candidates kept per row
MAX_SOLUTIONS = 64

#: (position of a total, positions of the cells it sums)
SumRule = tuple[int, Sequence[int]]


def split_runs(
    tokens: Sequence[str | None], n: int, sums: Sequence[SumRule] = ()
) -> tuple[list[tuple[int | None, ...]], bool]:
    """Split ``tokens`` into ``n`` values.

    ``tokens`` holds digit runs (str) and fixed tokens (None: kept as one value, unknown here).
    ``sums`` are identities ``v[total] == sum(v[p] for p in parts)`` the split must satisfy
    (skipped where a fixed token is involved).  Returns (solutions, complete); ``complete`` is
    False when the search stopped at :data:`MAX_NODES` or :data:`MAX_SOLUTIONS`.
    """
    solutions: list[tuple[int | None, ...]] = []
    values: list[int | None] = [None] * n
    # for each position: the rules in which it is a part, and the rules it completes
    part_of: dict[int, list[SumRule]] = {}
    for rule in sums:
        for p in rule[1]:
            part_of.setdefault(p, []).append(rule)
    nodes = 0
    stopped = False

    def ok(p: int) -> bool:
        """Check the rules touched by assigning position ``p`` (positions > p are assigned)."""
        for total, parts in part_of.get(p, ()):
            if total < p:
                continue  # total not yet assigned: checked when it is
            t = values[total]
            if t is None:
                continue
            assigned = [values[q] for q in parts if q >= p]
            if any(v is None for v in assigned):
                continue
            s = sum(assigned)  # type: ignore[arg-type]
            if s > t:
                return False
            if min(parts) >= p and s != t:
                return False
        # rules whose total sits before its parts are checked once everything is assigned
        return True

    def final_ok() -> bool:
        for total, parts in sums:
            vals = [values[total]] + [values[q] for q in parts]
            if any(v is None for v in vals):
                continue
            if values[total] != sum(values[q] for q in parts):  # type: ignore[misc]
                return False
        return True

    def rec(p: int, i: int, rest: str) -> None:
        """Fill position p (right to left) from token i, whose unconsumed digits are ``rest``."""
        nonlocal nodes, stopped
        nodes += 1
        if nodes > MAX_NODES or len(solutions) >= MAX_SOLUTIONS:
            stopped = True
            return
        if rest == "":
            i -= 1
            if i < 0:
                if p < 0 and final_ok():
                    solutions.append(tuple(values))
                return
            if p < 0:
                return
            tok = tokens[i]
            if tok is None:
                # every earlier token needs at least one position
                if p < i:
                    return
                values[p] = None
                rec(p - 1, i, "")
                return
            rest = tok
        if p < 0 or p + 1 < i + 1:  # not enough positions left for the earlier tokens
            return
        # positions left for this token's other parts and the earlier tokens
        earlier = i  # each earlier token takes at least one position
        max_parts_here = p + 1 - earlier
        if max_parts_here < 1:
            return
        for length in range(1, len(rest) + 1):
            remaining = len(rest) - length
            if remaining and max_parts_here < 2:
                continue
            if remaining > (max_parts_here - 1) * 64:  # absurdly long numbers are not published
                continue
            head = rest[len(rest) - length :]
            if length > 1 and head[0] == "0":
                continue
            values[p] = int(head)
            if ok(p):
                rec(p - 1, i, rest[: len(rest) - length])
            if stopped:
                break
        values[p] = None

    rec(n - 1, len(tokens), "")
    return solutions, not stopped
