"""An overall deadline for a whole run (`--deadline SECONDS`, issue 4).

Per-query timeouts bound one lookup, but a check that walks 100 nested includes could still
run for minutes. Past the deadline every query returns TIMEOUT at once, and a query still in
flight when the deadline passes is cut off, so a run ends within the deadline plus the time
the checks need to judge what they already have.
"""

from __future__ import annotations

import asyncio
import time

from mailauth.dns.interface import DnsAnswer, DnsSource, Rcode, normalize_name
from mailauth.dns.signed import SignedAnswer, from_answer, signed_source

DEADLINE_DETAIL = "run deadline exceeded"
NO_SIGNED = "this DNS source cannot answer with DNSSEC signatures"


class DeadlineSource:
    """Wraps a `DnsSource`; the clock starts when the wrapper is created (the run's start)."""

    def __init__(self, inner: DnsSource, seconds: float) -> None:
        self.inner = inner
        self.seconds = float(seconds)
        self.expires_at = time.monotonic() + self.seconds

    @property
    def remaining(self) -> float:
        return self.expires_at - time.monotonic()

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        remaining = self.remaining
        if remaining <= 0:
            return self._expired(name, rdtype)
        try:
            return await asyncio.wait_for(self.inner.query(name, rdtype), remaining)
        except asyncio.TimeoutError:  # an alias of TimeoutError only from Python 3.11
            return self._expired(name, rdtype)

    async def query_signed(self, name: str, rdtype: str) -> SignedAnswer:
        """`mailauth.dns.signed`, under the same deadline; a source without signed answers
        gives an ERROR answer."""
        inner = signed_source(self.inner)
        if inner is None:
            return SignedAnswer(normalize_name(name), rdtype.upper(), Rcode.ERROR, detail=NO_SIGNED)
        remaining = self.remaining
        if remaining <= 0:
            return from_answer(self._expired(name, rdtype))
        try:
            return await asyncio.wait_for(inner.query_signed(name, rdtype), remaining)
        except asyncio.TimeoutError:
            return from_answer(self._expired(name, rdtype))

    def _expired(self, name: str, rdtype: str) -> DnsAnswer:
        return DnsAnswer(
            normalize_name(name), rdtype.strip().upper(), Rcode.TIMEOUT, detail=DEADLINE_DETAIL
        )
