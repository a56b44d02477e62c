"""A lighter cyclic garbage collector while domains are checked in bulk.

A bulk check allocates a few dozen short-lived objects per DNS query (coroutines, futures,
tasks, parsed replies) and keeps tens of thousands of answers in the run's cache. With
CPython's default thresholds (700, 10, 10) the collector ran ~3,500 young and ~30 full
collections over 3,000 domains: 26 % of the run's CPU (issue 10, bench/README.md). Nearly
everything it examined was still alive or freed by reference counting anyway. While a run
iterates, the young generation is allowed to grow to `YOUNG` objects before a collection
(and older generations are examined less often); the thresholds the process had are put back
when the last run ends. Cycles are still collected, only in larger batches.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 20_000  # allocations before a young collection (CPython's default: 700)
OLDER = 20  # young collections per middle one, middle ones per full one (default: 10)

_depth = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def bulk_gc() -> Iterator[None]:
    """Raise the collector's thresholds for the duration (nesting and overlapping runs
    count: the process's own thresholds come back when the last one ends). Thresholds set
    higher than these already are left as they are."""
    global _depth, _saved
    if _depth == 0:
        _saved = gc.get_threshold()
        young, middle, old = _saved
        if young:  # 0: the collector is off; leave it so
            gc.set_threshold(max(young, YOUNG), max(middle, OLDER), max(old, OLDER))
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0 and _saved is not None:
            gc.set_threshold(*_saved)
            _saved = None
