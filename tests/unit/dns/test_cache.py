"""CachingSource: one inner query per (name, type) per run, even for concurrent callers."""

from __future__ import annotations

import asyncio

from mailauth.dns.cache import CachingSource
from mailauth.dns.interface import DnsAnswer, Rcode
from mailauth.dns.memory import MemorySource
from mailauth.dns.signed import SignedAnswer


class SlowSource:
    """Answers after `delay`; counts calls."""

    def __init__(self, delay: float = 0.05, rcode: Rcode = Rcode.NOERROR) -> None:
        self.delay = delay
        self.rcode = rcode
        self.calls: list[tuple[str, str]] = []

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        self.calls.append((name, rdtype))
        await asyncio.sleep(self.delay)
        return DnsAnswer(name, rdtype, self.rcode, rrs=("192.0.2.1",))


def test_concurrent_identical_queries_reach_inner_once() -> None:
    inner = SlowSource()
    cache = CachingSource(inner)

    async def run() -> list[DnsAnswer]:
        return await asyncio.gather(*(cache.query("Example.JP.", "a") for _ in range(50)))

    answers = asyncio.run(run())
    assert inner.calls == [("example.jp", "A")]
    assert len({id(a) for a in answers}) == 1
    assert cache.stats.queries == 1 and cache.stats.hits == 49 and cache.stats.joined == 49
    assert cache.stats.log == [("example.jp", "A")] and cache.stats.total == 50


def test_different_keys_are_separate_and_cached_across_runs() -> None:
    inner = MemorySource({"a.test": {"TXT": ["x"], "A": ["192.0.2.1"]}})
    cache = CachingSource(inner)
    asyncio.run(cache.query("a.test", "TXT"))
    asyncio.run(cache.query("a.test", "A"))
    asyncio.run(cache.query("A.TEST", "txt"))  # a later event loop reuses the answer
    assert inner.log == [("a.test", "TXT"), ("a.test", "A")]
    assert cache.stats.queries == 2 and cache.stats.hits == 1 and cache.stats.joined == 0


def test_failures_are_cached_too() -> None:
    inner = SlowSource(delay=0, rcode=Rcode.TIMEOUT)
    cache = CachingSource(inner)
    for _ in range(3):
        assert asyncio.run(cache.query("t.test", "TXT")).rcode is Rcode.TIMEOUT
    assert len(inner.calls) == 1


def test_one_cancelled_caller_does_not_cancel_the_others() -> None:
    """A joined caller that is cancelled leaves the query running for the one asking."""
    inner = SlowSource(delay=0.05)
    cache = CachingSource(inner)

    async def run() -> DnsAnswer:
        first = asyncio.ensure_future(cache.query("c.test", "A"))
        await asyncio.sleep(0)
        second = asyncio.ensure_future(cache.query("c.test", "A"))
        await asyncio.sleep(0.01)
        second.cancel()
        answer = await first
        assert second.cancelled()
        return answer

    assert asyncio.run(run()).ok
    assert len(inner.calls) == 1
    assert asyncio.run(cache.query("c.test", "A")).ok and len(inner.calls) == 1


def test_callers_joined_to_a_cancelled_one_ask_again() -> None:
    """The query runs in the first caller's task (no task per query, issue 10): when that
    caller is cancelled, the callers that joined it are not, and ask on their own."""
    inner = SlowSource(delay=0.05)
    cache = CachingSource(inner)

    async def run() -> list[DnsAnswer]:
        first = asyncio.ensure_future(cache.query("c.test", "A"))
        await asyncio.sleep(0)
        joined = [asyncio.ensure_future(cache.query("c.test", "A")) for _ in range(3)]
        await asyncio.sleep(0.01)
        first.cancel()
        answers = await asyncio.gather(*joined)
        assert first.cancelled()
        return answers

    answers = asyncio.run(run())
    assert all(a.ok for a in answers) and len({id(a) for a in answers}) == 1
    assert len(inner.calls) == 2  # the cancelled first ask, then one for the three
    assert asyncio.run(cache.query("c.test", "A")).ok and len(inner.calls) == 2


def test_clear_forgets_answers() -> None:
    inner = MemorySource({"a.test": {"A": ["192.0.2.1"]}})
    cache = CachingSource(inner)
    asyncio.run(cache.query("a.test", "A"))
    cache.clear()
    asyncio.run(cache.query("a.test", "A"))
    assert len(inner.log) == 2


def test_an_answer_through_cnames_also_answers_the_chain_end() -> None:
    """The records at a CNAME chain's end are that name's answer (issue 10: the forward
    confirmation of an MX host behind a CNAME then costs no round trip): the cache holds
    exactly what the source would answer for the end, and never a negative answer."""
    records = {
        "mail.example": {"CNAME": ["server.example."]},
        "server.example": {"A": ["192.0.2.181"], "TXT": []},
        "gone.example": {"CNAME": ["nowhere.example."]},
    }
    inner = MemorySource(records)
    cache = CachingSource(inner)

    async def run() -> tuple[DnsAnswer, ...]:
        alias = await cache.query("mail.example", "A")
        end = await cache.query("Server.Example.", "A")
        await cache.query("mail.example", "TXT")  # NODATA at the end: nothing inferred
        await cache.query("gone.example", "A")  # NXDOMAIN at the end: nothing inferred
        await cache.query("server.example", "TXT")
        await cache.query("nowhere.example", "A")
        return alias, end

    alias, end = asyncio.run(run())
    assert alias.cnames == ("server.example",) and alias.rrs == ("192.0.2.181",)
    assert end == MemorySource(records).lookup("server.example", "A")
    assert end.cnames == () and end.qname == "server.example"
    assert inner.log == [
        ("mail.example", "A"),
        ("mail.example", "TXT"),
        ("gone.example", "A"),
        ("server.example", "TXT"),  # asked: the NODATA at the chain's end was not inferred
        ("nowhere.example", "A"),  # asked: nor the NXDOMAIN
    ]


class SlowSignedSource(SlowSource):
    """Also answers signed queries after `delay`; counts them apart."""

    def __init__(self, delay: float = 0.05) -> None:
        super().__init__(delay)
        self.signed_calls: list[tuple[str, str]] = []

    async def query_signed(self, name: str, rdtype: str) -> SignedAnswer:
        self.signed_calls.append((name, rdtype))
        await asyncio.sleep(self.delay)
        return SignedAnswer(name, rdtype, Rcode.NOERROR, records=("257 3 8 AwEAAQ==",))


def test_concurrent_signed_queries_reach_inner_once() -> None:
    """The DNSSEC and DANE validators ask for the root DNSKEY at the same moment: one query."""
    inner = SlowSignedSource()
    cache = CachingSource(inner)

    async def run() -> list[SignedAnswer]:
        return await asyncio.gather(*(cache.query_signed(".", "DNSKEY") for _ in range(3)))

    answers = asyncio.run(run())
    assert len(inner.signed_calls) == 1 and inner.calls == []
    assert len({id(a) for a in answers}) == 1 and answers[0].records
    assert cache.stats.queries == 1 and cache.stats.joined == 2
    assert asyncio.run(cache.query_signed(".", "DNSKEY")) is answers[0]
    assert len(inner.signed_calls) == 1


def test_signed_callers_joined_to_a_cancelled_one_ask_again() -> None:
    inner = SlowSignedSource()
    cache = CachingSource(inner)

    async def run() -> list[SignedAnswer]:
        first = asyncio.ensure_future(cache.query_signed("jp", "DNSKEY"))
        await asyncio.sleep(0)
        joined = [asyncio.ensure_future(cache.query_signed("jp", "DNSKEY")) for _ in range(2)]
        await asyncio.sleep(0.01)
        first.cancel()
        answers = await asyncio.gather(*joined)
        assert first.cancelled()
        return answers

    answers = asyncio.run(run())
    assert all(a.rcode is Rcode.NOERROR for a in answers) and len({id(a) for a in answers}) == 1
    assert len(inner.signed_calls) == 2  # the cancelled first ask, then one for the two
