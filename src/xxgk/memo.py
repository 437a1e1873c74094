"""Memoising pure functions of short texts.

Parsing compares the same published labels with the same official ones, and reads the same
cell texts ("0", "—", "12"), over and over, within a document and across documents.  The
functions doing it are pure, so their results are cached.  Only short texts are cached: a long
text (rare, and possibly hostile) is computed each time, so a cache stays small however many
documents a process reads.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

#: texts longer than this are not cached (labels and cell values are far shorter)
MAX_TEXT = 200
CACHE_SIZE = 1 << 14

F = TypeVar("F", bound=Callable)


def memo_text(fn: F) -> F:
    """Cache ``fn(text, *args)`` when ``text`` has at most :data:`MAX_TEXT` characters.

    Arguments are told apart by type too (``typed``): a str-valued Enum is never taken for
    its value.
    """
    cached = lru_cache(maxsize=CACHE_SIZE, typed=True)(fn)

    @wraps(fn)
    def wrapper(text, *args, **kwargs):
        if len(text) <= MAX_TEXT:
            return cached(text, *args, **kwargs)
        return fn(text, *args, **kwargs)

    wrapper.cache_info = cached.cache_info  # type: ignore[attr-defined]
    wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
