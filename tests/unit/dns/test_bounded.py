"""One domain's queries in flight are bounded (dns/bounded.py, used by the runner)."""

from __future__ import annotations

import asyncio

import pytest

from mailauth.dns import bounded
from mailauth.dns.bounded import PER_DOMAIN_QUERIES, BoundedSource
from mailauth.dns.interface import DnsAnswer, Rcode
from mailauth.dns.memory import MemorySource
from mailauth.domain.runner import check_domain


class Slow:
    """Answers NXDOMAIN after a pause, counting the queries waiting at once."""

    def __init__(self) -> None:
        self.now = 0
        self.peak = 0
        self.total = 0

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        self.now += 1
        self.total += 1
        self.peak = max(self.peak, self.now)
        await asyncio.sleep(0.005)
        self.now -= 1
        return DnsAnswer(name, rdtype, Rcode.NXDOMAIN)


def test_bounded_source_holds_its_limit() -> None:
    slow = Slow()
    bounded = BoundedSource(slow, limit=5)

    async def ask() -> list[DnsAnswer]:
        return list(await asyncio.gather(*(bounded.query(f"n{i}.test", "A") for i in range(40))))

    answers = asyncio.run(ask())
    assert len(answers) == 40 and slow.peak == 5 and slow.total == 40


def test_one_domain_check_stays_within_its_share(monkeypatch: pytest.MonkeyPatch) -> None:
    """A whole check (DKIM probes, SPF, DMARC tree walk...) run as one of many
    (`bounded=True`, as a bulk check runs each domain) never has more than
    PER_DOMAIN_QUERIES queries waiting, and still asks everything it needs."""
    slow = Slow()
    report = asyncio.run(check_domain(slow, "example.com", bounded=True))
    assert report.domain == "example.com"
    assert slow.peak <= PER_DOMAIN_QUERIES
    monkeypatch.setattr(bounded, "PER_DOMAIN_QUERIES", 8)
    tight = Slow()
    asyncio.run(check_domain(tight, "example.com", bounded=True))
    assert tight.peak == 8 and tight.total == slow.total
    unbounded = MemorySource()
    asyncio.run(check_domain(unbounded, "example.com", bounded=True))
    assert slow.total == len(unbounded.log)


def test_a_domain_checked_alone_is_not_held_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """Alone (the default of `check_domain`, and `mailauth check DOMAIN`), a check shares
    the run with nobody: every lookup it can start leaves at once (issue 10: a cap pushed
    the lookups past it into the next round trip)."""
    monkeypatch.setattr(bounded, "PER_DOMAIN_QUERIES", 4)
    alone = Slow()
    asyncio.run(check_domain(alone, "example.com"))
    assert alone.peak > 4
