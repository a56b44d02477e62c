"""At most N queries in flight for one domain (`iter_domain_reports` wraps each domain's
source in one).

The live source caps queries in flight for the whole run; this caps one domain's share of
them, so a domain whose checks fan out widely (DKIM probes, a wide SPF include tree) queues
behind its own limit instead of filling the run's cap ahead of the other domains in flight.
"""

from __future__ import annotations

from mailauth.dns.interface import DnsAnswer, DnsSource, Rcode, normalize_name
from mailauth.dns.signed import NO_SIGNED, SignedAnswer, signed_source
from mailauth.dns.slots import Slots

# Enough for a domain's widest step (the first round of DKIM probes: ~22 queries) at once.
PER_DOMAIN_QUERIES = 32


class BoundedSource:
    """A `DnsSource` wrapper letting at most `limit` queries through at once. One instance
    per domain and event loop (its waiters belong to the loop that made them)."""

    def __init__(self, inner: DnsSource, limit: int | None = None) -> None:
        self.inner = inner
        self.slots = Slots(PER_DOMAIN_QUERIES if limit is None else limit)

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        async with self.slots:
            return await self.inner.query(name, rdtype)

    async def query_signed(self, name: str, rdtype: str) -> SignedAnswer:
        """DNSSEC queries share the domain's bound (and reach the DNSSEC and DANE checks at
        all: a wrapper without this hides the signed answers of what it wraps)."""
        inner = signed_source(self.inner)
        if inner is None:
            return SignedAnswer(normalize_name(name), rdtype.upper(), Rcode.ERROR, detail=NO_SIGNED)
        async with self.slots:
            return await inner.query_signed(name, rdtype)
