"""The batch pipeline: bounded concurrency, reports streamed in input order as they finish,
a deadline per domain, early close, policy before scoring, and a bounded DNS cache."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

from mailauth.dns.cache import CachingSource
from mailauth.dns.interface import DnsAnswer, Rcode
from mailauth.dns.memory import MemorySource
from mailauth.domain.policy import Policy, Suppression
from mailauth.domain.runner import DomainReport, check_domain, iter_domain_reports
from mailauth.errors import InputError

SPF_ONLY = {"TXT": ["v=spf1 ?all"]}  # triggers spf.neutral-all (and no DMARC: dmarc.missing)


def world(n: int) -> MemorySource:
    return MemorySource(records={f"d{i}.example": SPF_ONLY for i in range(n)})


class Recording:
    """A source that logs, per domain, when its first query arrived, and can hang one name."""

    def __init__(self, inner: MemorySource, hang: str | None = None) -> None:
        self.inner = inner
        self.hang = hang
        self.events: list[tuple[str, str]] = []
        self.in_flight: set[str] = set()
        self.max_in_flight = 0

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        domain = next((p for p in name.split(".") if p.startswith("d") and p[1:].isdigit()), "")
        if ("query", domain) not in self.events:
            self.events.append(("query", domain))
        if domain:  # names of no test domain (the "example" tree walk) are not counted
            self.in_flight.add(domain)
        self.max_in_flight = max(self.max_in_flight, len(self.in_flight))
        try:
            await asyncio.sleep(0)
            if self.hang and domain == self.hang:
                await asyncio.sleep(30)
            return await self.inner.query(name, rdtype)
        finally:
            self.in_flight.discard(domain)


async def collect(stream: AsyncIterator[DomainReport], events: list[tuple[str, str]]) -> list[str]:
    out = []
    async for report in stream:
        events.append(("report", report.domain.split(".")[0]))
        out.append(report.domain)
    return out


def test_reports_come_in_input_order_with_bounded_concurrency() -> None:
    src = Recording(world(40))
    names = [f"d{i}.example" for i in range(40)]
    got = asyncio.run(collect(iter_domain_reports(src, names, concurrency=4), src.events))
    assert got == names
    assert src.max_in_flight <= 4


def test_the_first_report_comes_before_the_last_domain_is_looked_up() -> None:
    src = Recording(world(200))
    names = [f"d{i}.example" for i in range(200)]
    asyncio.run(collect(iter_domain_reports(src, names, concurrency=8), src.events))
    first_report = src.events.index(("report", "d0"))
    last_query = src.events.index(("query", "d199"))
    assert first_report < last_query


def test_a_deadline_is_per_domain() -> None:
    src = Recording(world(3), hang="d1")
    names = ["d0.example", "d1.example", "d2.example"]
    started = time.monotonic()
    # The deadline is also what d0 and d2 must finish in: room for a loaded machine; the
    # hang (30 s) is far beyond it either way.
    reports = asyncio.run(_all(iter_domain_reports(src, names, deadline=3)))
    assert time.monotonic() - started < 10
    assert [r.domain for r in reports] == names
    assert reports[0].errors == () and reports[2].errors == ()
    assert "spf" in reports[1].errors  # its lookups timed out; the others were unaffected


def test_closing_the_stream_early_cancels_the_rest() -> None:
    src = Recording(world(50))
    names = [f"d{i}.example" for i in range(50)]

    async def first_only() -> str:
        stream = iter_domain_reports(src, names, concurrency=5)
        async for report in stream:
            await stream.aclose()  # type: ignore[attr-defined]
            return report.domain
        raise AssertionError("no report")

    assert asyncio.run(first_only()) == "d0.example"
    queried = {d for kind, d in src.events if kind == "query"}
    assert len(queried) < 50


def test_every_name_is_validated_before_any_query() -> None:
    src = Recording(world(2))
    with pytest.raises(InputError):
        asyncio.run(_all(iter_domain_reports(src, ["d0.example", "not a domain"])))
    assert src.events == []


def test_policy_runs_before_scoring_and_keeps_what_it_removed() -> None:
    dns = world(1)
    plain = asyncio.run(check_domain(dns, "d0.example"))
    assert "spf.neutral-all" in [f.id for f in plain.findings]
    policy = Policy(ignore=(Suppression.parse("spf.neutral-all"),))
    ignored = asyncio.run(check_domain(dns, "d0.example", policy=policy))
    assert "spf.neutral-all" not in [f.id for f in ignored.findings]
    assert [f.id for f in ignored.suppressed] == ["spf.neutral-all"]
    assert "spf.neutral-all" not in [d.finding_id for d in ignored.score.deductions]
    assert ignored.score.score > plain.score.score


def test_a_suppression_for_one_domain_leaves_the_others_alone() -> None:
    dns = world(2)
    policy = Policy(ignore=(Suppression.parse("spf.neutral-all@D1.Example."),))
    one, two = asyncio.run(
        _all(iter_domain_reports(dns, ["d0.example", "d1.example"], policy=policy))
    )
    assert "spf.neutral-all" in [f.id for f in one.findings]
    assert "spf.neutral-all" not in [f.id for f in two.findings]


def test_the_cache_is_bounded_and_keeps_recent_answers() -> None:
    inner = MemorySource()
    cache = CachingSource(inner, max_entries=10)

    async def ask() -> None:
        for i in range(100):
            await cache.query(f"n{i}.example", "A")
        await cache.query("n99.example", "A")

    asyncio.run(ask())
    assert cache.stats.evicted == 90
    assert cache.stats.hits == 1  # n99 was among the last ten
    assert len(inner.log) == 100


def test_a_cached_failure_is_also_bounded() -> None:
    inner = MemorySource(failures={("x.example", "A"): Rcode.SERVFAIL})
    cache = CachingSource(inner, max_entries=1)

    async def ask() -> list[Rcode]:
        a = await cache.query("x.example", "A")
        await cache.query("y.example", "A")
        b = await cache.query("x.example", "A")
        return [a.rcode, b.rcode]

    assert asyncio.run(ask()) == [Rcode.SERVFAIL, Rcode.SERVFAIL]
    assert inner.log.count(("x.example", "A")) == 2  # evicted, so asked again


async def _all(stream: AsyncIterator[DomainReport]) -> list[DomainReport]:
    return [r async for r in stream]
