"""Splitting numbers that crawlers ran together ("713000074" for 71, 3, 0, 0, 0, 0, 74).

A run of digits is split only when the split is unique: either forced (as many digits as
cells, no leading zeros) or the only one that satisfies the template's identities.  When more
than one split fits, the caller gets every candidate and, failing a unique answer from the
identities across rows, leaves the cells null with a warning.  Nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

#: search nodes explored before a split is declared undecidable
MAX_NODES = 200_000
#: candidates kept per row
MAX_SOLUTIONS = 64

Check = Callable[[Sequence[int]], bool]


def _parts(run: str, k: int):
    """All ways to cut ``run`` into ``k`` numbers without leading zeros."""
    if k == 1:
        if len(run) == 1 or run[0] != "0":
            yield (int(run),)
        return
    for i in range(1, len(run) - k + 2):
        head = run[:i]
        if len(head) > 1 and head[0] == "0":
            break
        for rest in _parts(run[i:], k - 1):
            yield (int(head),) + rest


def split_runs(tokens: Sequence[str | None], n: int, check: Check) -> tuple[list[tuple[int | None, ...]], bool]:
    """Split ``tokens`` into ``n`` values.

    ``tokens`` holds digit runs (str) and fixed values (None stands for a token that is kept as
    one value whatever it is).  ``check(prefix)`` may reject a partial assignment; it is called
    with the values assigned so far (None for fixed tokens).  Returns (solutions, complete):
    ``complete`` is False when the search stopped at :data:`MAX_NODES`.
    """
    solutions: list[tuple[int | None, ...]] = []
    nodes = 0
    min_after = [0] * (len(tokens) + 1)
    for i in range(len(tokens) - 1, -1, -1):
        min_after[i] = min_after[i + 1] + 1

    def rec(i: int, acc: tuple[int | None, ...]) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > MAX_NODES or len(solutions) >= MAX_SOLUTIONS:
            return False
        if i == len(tokens):
            if len(acc) == n:
                solutions.append(acc)
            return True
        tok = tokens[i]
        room = n - len(acc) - min_after[i + 1]
        if tok is None:
            return rec(i + 1, acc + (None,)) if room >= 1 else True
        for k in range(1, min(room, len(tok)) + 1):
            for parts in _parts(tok, k):
                new = acc + parts
                if not check(new):
                    continue
                if not rec(i + 1, new):
                    return False
        return True

    complete = rec(0, ())
    return solutions, complete
