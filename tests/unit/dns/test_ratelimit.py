"""The --qps limiter (dns/ratelimit.py): the bucket's arithmetic on a fake clock, and the
wrapper over a real zone source (plain and DNSSEC queries both counted and passed through).
The server-side count over a real run is in tests/integration/test_bulk_scan.py."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mailauth.dns.cache import CachingSource
from mailauth.dns.interface import DnsAnswer, Rcode
from mailauth.dns.ratelimit import RateLimitedSource, TokenBucket
from mailauth.dns.signed import NO_SIGNED, signed_source
from mailauth.dns.zonefile import ZoneSource

ZONES = Path(__file__).resolve().parents[3] / "samples" / "zones"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_one_query_per_interval() -> None:
    clock = Clock()
    bucket = TokenBucket(10, burst=3, clock=clock)
    assert [bucket.reserve() for _ in range(3)] == [0, 0, 0]
    waits = [bucket.reserve() for _ in range(4)]
    assert waits == pytest.approx([0.1, 0.2, 0.3, 0.4])


def test_any_window_holds_rate_times_width_plus_burst() -> None:
    clock = Clock()
    bucket = TokenBucket(50, clock=clock)
    assert bucket.burst == 5
    sends = []
    for step in range(2000):  # callers arrive in clumps, with pauses
        clock.now = 100.0 + (step // 40) * 0.5
        sends.append(clock.now + bucket.reserve())
    sends.sort()
    for width in (0.1, 1.0, 3.0):
        start = 0
        for end, t in enumerate(sends):
            while t - sends[start] > width + 1e-9:
                start += 1
            assert end - start + 1 <= 50 * width + bucket.burst + 1e-6


def test_a_quiet_spell_gives_the_burst_back_but_no_more() -> None:
    clock = Clock()
    bucket = TokenBucket(10, burst=2, clock=clock)
    for _ in range(5):
        bucket.reserve()
    clock.now += 60
    assert [bucket.reserve() for _ in range(3)] == pytest.approx([0, 0, 0.1])


def test_rate_must_be_positive() -> None:
    with pytest.raises(ValueError):
        TokenBucket(0)


class Counting:
    def __init__(self) -> None:
        self.asked = 0

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        self.asked += 1
        return DnsAnswer(name, rdtype, Rcode.NXDOMAIN)


def test_the_wrapper_spaces_queries_and_answers_them_all() -> None:
    inner = Counting()
    source = RateLimitedSource(inner, 200)  # burst 20, then 5 ms apart

    async def ask() -> float:
        loop = asyncio.get_running_loop()
        start = loop.time()
        await asyncio.gather(*(source.query(f"n{i}.test", "A") for i in range(60)))
        return loop.time() - start

    elapsed = asyncio.run(ask())
    assert inner.asked == 60 and source.bucket.taken == 60
    assert elapsed >= (60 - 20) / 200 * 0.9  # 40 waited their turn: at least ~0.2 s


def test_dnssec_queries_pass_through_and_count() -> None:
    zone = ZoneSource.from_paths([ZONES])
    source = RateLimitedSource(zone, 1000)
    assert signed_source(source) is source
    answer = asyncio.run(source.query_signed("secure.example", "DNSKEY"))
    assert answer.ok and answer.signed
    plain = asyncio.run(source.query("secure.example", "MX"))
    assert plain.ok and source.bucket.taken == 2
    # Under the run cache, as the CLI puts it: the cache still sees a signed source.
    assert signed_source(CachingSource(source)) is not None


def test_a_source_without_signatures_stays_without() -> None:
    source = RateLimitedSource(Counting(), 1000)
    assert signed_source(source) is None
    answer = asyncio.run(source.query_signed("x.test", "DNSKEY"))
    assert answer.rcode is Rcode.ERROR and answer.detail == NO_SIGNED
