"""An overall deadline for a whole run (`--deadline SECONDS`, issue 4), and per domain.

Per-query timeouts bound one lookup, but a check that walks 100 nested includes could still
run for minutes. Past the deadline every query returns TIMEOUT at once, and a query still in
flight when the deadline passes is cut off, so a run ends within the deadline plus the time
the checks need to judge what they already have.

The cut-off costs one timer per source, not one per query: `asyncio.wait_for` made a task and
a timer for every query, which was ~20 % of a bulk check's CPU (issue 10). The source notes
which tasks are waiting in `query`; when the timer fires it cancels exactly those, and each
one's `query` turns that cancellation (and only that one) into a TIMEOUT answer.

Without an event loop (`concurrency.run_blocking`, the blocking live client) nothing can be
cancelled: the deadline is handed down instead (`cutoff`), the live client ends its
attempts there, and a query that ran out of time at the deadline reads as cut off.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Awaitable
from typing import TYPE_CHECKING, TypeVar

from mailauth.concurrency import in_event_loop
from mailauth.dns.interface import DnsAnswer, DnsSource, Rcode, normalize_name
from mailauth.dns.signed import NO_SIGNED, SignedAnswer, from_answer, signed_source

if TYPE_CHECKING:
    import asyncio

DEADLINE_DETAIL = "run deadline exceeded"
A = TypeVar("A")
# The deadlines of this thread's blocking queries in progress (several coroutines of one
# lockstep round may be inside `query` at once, so a list, not a context variable whose
# resets would have to nest).
_ACTIVE = threading.local()


def cutoff() -> float:
    """The monotonic time past which a blocking query must not wait (inf: no deadline)."""
    active: list[float] | None = getattr(_ACTIVE, "deadlines", None)
    return min(active) if active else math.inf


class DeadlineSource:
    """Wraps a `DnsSource`; the clock starts when the wrapper is created (the run's start)."""

    def __init__(self, inner: DnsSource, seconds: float) -> None:
        self.inner = inner
        self.seconds = float(seconds)
        self.expires_at = time.monotonic() + self.seconds
        self._waiting: dict[asyncio.Task[object], int] = {}
        self._cut: set[asyncio.Task[object]] = set()
        self._timer: tuple[asyncio.AbstractEventLoop, asyncio.TimerHandle] | None = None

    @property
    def remaining(self) -> float:
        return self.expires_at - time.monotonic()

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        remaining = self.remaining
        if remaining <= 0:
            return self._expired(name, rdtype)
        if not in_event_loop():
            return await self._blocking_query(name, rdtype)
        import asyncio

        task = asyncio.current_task()
        if task is None:  # not inside a task: nothing to cancel, so wait the usual way
            try:
                return await asyncio.wait_for(self.inner.query(name, rdtype), remaining)
            except asyncio.TimeoutError:  # an alias of TimeoutError only from Python 3.11
                return self._expired(name, rdtype)
        self._arm(remaining)
        self._waiting[task] = self._waiting.get(task, 0) + 1
        try:
            return await self.inner.query(name, rdtype)
        except asyncio.CancelledError:
            if task not in self._cut:
                raise  # someone else's cancellation: not ours to swallow
            self._cut.discard(task)
            uncancel = getattr(task, "uncancel", None)  # Python 3.11+
            if uncancel is not None:
                uncancel()
            return self._expired(name, rdtype)
        finally:
            count = self._waiting.pop(task, 1) - 1
            if count:
                self._waiting[task] = count

    async def _blocking_query(self, name: str, rdtype: str) -> DnsAnswer:
        """The inner query with the deadline as its cut-off; one that timed out because
        the deadline came is reported as cut off, as in an event loop."""
        answer = await self._under_cutoff(self.inner.query(name, rdtype))
        if answer.rcode is Rcode.TIMEOUT and self.remaining <= 0:
            return self._expired(name, rdtype)
        return answer

    async def _under_cutoff(self, query: Awaitable[A]) -> A:
        deadlines: list[float] = _ACTIVE.__dict__.setdefault("deadlines", [])
        deadlines.append(self.expires_at)
        try:
            return await query
        finally:
            deadlines.remove(self.expires_at)

    def _arm(self, remaining: float) -> None:
        import asyncio

        loop = asyncio.get_running_loop()
        if self._timer is None or self._timer[0] is not loop:
            self._timer = (loop, loop.call_later(remaining, self._expire))

    def _expire(self) -> None:
        """The deadline passed: cut off every query still waiting."""
        for task in list(self._waiting):
            if task not in self._cut and not task.done():
                self._cut.add(task)
                task.cancel()

    async def query_signed(self, name: str, rdtype: str) -> SignedAnswer:
        """`mailauth.dns.signed`, under the same deadline; a source without signed answers
        gives an ERROR answer."""
        inner = signed_source(self.inner)
        if inner is None:
            return SignedAnswer(normalize_name(name), rdtype.upper(), Rcode.ERROR, detail=NO_SIGNED)
        remaining = self.remaining
        if remaining <= 0:
            return from_answer(self._expired(name, rdtype))
        if not in_event_loop():
            signed = await self._under_cutoff(inner.query_signed(name, rdtype))
            if signed.rcode is Rcode.TIMEOUT and self.remaining <= 0:
                return from_answer(self._expired(name, rdtype))
            return signed
        import asyncio

        try:
            return await asyncio.wait_for(inner.query_signed(name, rdtype), remaining)
        except asyncio.TimeoutError:
            return from_answer(self._expired(name, rdtype))

    def _expired(self, name: str, rdtype: str) -> DnsAnswer:
        return DnsAnswer(
            normalize_name(name), rdtype.strip().upper(), Rcode.TIMEOUT, detail=DEADLINE_DETAIL
        )
