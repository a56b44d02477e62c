"""A counting limit on work in flight, cheaper than `asyncio.Semaphore` under a long queue.

`LiveSource` takes a slot for every query; during a bulk check thousands of queries wait for
one. asyncio.Semaphore (3.11) scans its waiters and wakes through extra callbacks on every
release, which profiled at ~10 % of a bulk check's CPU. Here a release hands its slot straight
to the oldest waiter (FIFO, so no query starves), and the limit is tied to no event loop until
a query has to wait.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from types import TracebackType


class Slots:
    """`async with slots:` holds one of `limit` slots. `in_use` and `peak` are for tests and
    benchmarks (the in-flight cap must hold)."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.in_use = 0
        self.peak = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def __aenter__(self) -> None:
        if self.in_use < self.limit and not self._waiters:
            self.in_use += 1
        else:
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter  # the releaser counted this slot as ours
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._release()  # handed a slot while being cancelled: pass it on
                else:
                    self._discard(waiter)
                raise
        self.peak = max(self.peak, self.in_use)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._release()

    def _release(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the slot passes on; in_use is unchanged
                return
        self.in_use -= 1

    def _discard(self, waiter: asyncio.Future[None]) -> None:
        with contextlib.suppress(ValueError):
            self._waiters.remove(waiter)
