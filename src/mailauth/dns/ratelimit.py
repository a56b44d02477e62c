"""`--qps N`: a polite cap on the DNS queries a run sends per second.

A survey of 100,000 domains can send a few thousand queries a second: enough to get a
shared resolver's operator to block the scanning host, or to trip an authoritative server's
response-rate limiting (which then answers with truncation or not at all, and the survey's
figures are wrong). `RateLimitedSource` wraps the source that talks to the network, under
the run's answer cache (a cached answer sends nothing and is not held back), and lets each
query through at its turn.

The limiter is a virtual-clock token bucket (GCRA, the "generic cell rate algorithm" of ATM
networks): each query reserves the next send time, `1/rate` after the previous one, and a
burst of up to `burst` queries may go at once after a quiet spell. One float of state, no
task or timer per query, and waiters are served in arrival order. Over any window of W
seconds at most `rate * W + burst` queries pass. A query cancelled while it waits (its
domain's deadline passed) gives its turn up, which only sends fewer.

DNSSEC queries (`query_signed`) count the same and are passed through: a wrapper without
it would hide the signed answers of what it wraps from the DNSSEC and DANE checks.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable

from mailauth.dns.interface import DnsAnswer, DnsSource, Rcode, normalize_name
from mailauth.dns.signed import NO_SIGNED, SignedAnswer, signed_source

# A tenth of a second's worth of queries may go at once (at least one).
BURST_SECONDS = 0.1


class TokenBucket:
    """`await take()` returns when the caller may send; `rate` per second, `burst` at once."""

    def __init__(
        self,
        rate: float,
        burst: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not rate > 0:
            raise ValueError("rate must be positive")
        self.rate = float(rate)
        self.burst = burst if burst is not None else max(1, math.ceil(rate * BURST_SECONDS))
        self.interval = 1.0 / self.rate
        self._tolerance = (self.burst - 1) * self.interval
        self._clock = clock
        self._next = -math.inf  # the theoretical arrival time of the next query
        self.taken = 0

    def reserve(self) -> float:
        """Reserve the next turn; returns how long to wait for it (0: at once)."""
        now = self._clock()
        start = max(self._next, now)
        self._next = start + self.interval
        self.taken += 1
        return max(0.0, start - self._tolerance - now)

    async def take(self) -> None:
        delay = self.reserve()
        if delay > 0:
            await asyncio.sleep(delay)


class RateLimitedSource:
    """A `DnsSource` wrapper sending at most `qps` queries a second (plus a small burst)."""

    def __init__(self, inner: DnsSource, qps: float) -> None:
        self.inner = inner
        self.bucket = TokenBucket(qps)

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        await self.bucket.take()
        return await self.inner.query(name, rdtype)

    async def query_signed(self, name: str, rdtype: str) -> SignedAnswer:
        inner = signed_source(self.inner)
        if inner is None:
            return SignedAnswer(normalize_name(name), rdtype.upper(), Rcode.ERROR, detail=NO_SIGNED)
        await self.bucket.take()
        return await inner.query_signed(name, rdtype)
