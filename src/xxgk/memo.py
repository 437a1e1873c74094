"""Memoising pure functions of short texts.

Parsing compares the same published labels with the same official ones, and reads the same
cell texts ("0", "—", "12"), over and over, within a document and across documents.  The
functions doing it are pure, so their results are cached.  Only short texts are cached: a long
text (rare, and possibly hostile) is computed each time, so a cache stays small however many
documents a process reads.

The module-level names the compiled modules use on every call are ``Final``: mypyc then holds
them in C statics (or inlines the constants) instead of looking them up in the module's dict.
A wrapper is bound the same way by its module (``clean: Final = memo_text(_clean)``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Final, TypeVar

#: texts longer than this are not cached (labels and cell values are far shorter)
MAX_TEXT: Final = 200
CACHE_SIZE: Final = 1 << 14

F = TypeVar("F", bound=Callable)
_MISS: Final = object()


def memo_text(fn: F) -> F:
    """Cache ``fn(text)`` when ``text`` has at most :data:`MAX_TEXT` characters.

    The cache is a plain dict (a lookup costs far less than a call through ``lru_cache``), cleared
    when it holds :data:`CACHE_SIZE` results.  The wrapper takes exactly one argument: compiled,
    it is called without the generic argument parsing a ``*args`` wrapper needs, and the
    extractor calls these wrappers some 1,400 times per report.  For functions of more
    arguments, see :func:`memo_text_args`.
    """
    cache: dict = {}

    @wraps(fn)
    def wrapper(text):
        result = cache.get(text, _MISS)
        return _remember(cache, text, text, fn(text)) if result is _MISS else result

    return _with_cache(wrapper, cache)


def memo_text_args(fn: F) -> F:
    """:func:`memo_text` for ``fn(text, *args)``: extra arguments are told apart by type too, so
    a str-valued Enum is never taken for its value."""
    cache: dict = {}

    @wraps(fn)
    def wrapper(text, *args):
        key = (text, *args, *map(type, args))
        result = cache.get(key, _MISS)
        return _remember(cache, key, text, fn(text, *args)) if result is _MISS else result

    return _with_cache(wrapper, cache)


def _remember(cache: dict, key, text: str, result):
    """Keep ``result`` under ``key`` if ``text`` is short; the cache is emptied when full."""
    if len(text) <= MAX_TEXT:
        if len(cache) >= CACHE_SIZE:
            cache.clear()
        cache[key] = result
    return result


def _with_cache(wrapper, cache: dict):
    wrapper.cache_clear = cache.clear
    wrapper.cache_size = cache.__len__
    return wrapper
