"""The bridge that gives dkimpy and pyspf blocking DNS over our async DnsSource: answers
fetched ahead are served without a round trip to the loop, anything else still goes there,
and a source that misbehaves becomes an answer, never an exception."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from mailauth.dns.interface import DnsAnswer, Rcode
from mailauth.dns.memory import MemorySource
from mailauth.dns.zonefile import ZoneSource
from mailauth.message import verify_message
from mailauth.message.dnsbridge import INLINE_MAX_BYTES, NotPrefetched, SyncDns, run_verifier

DNS = {"s1._domainkey.example.jp": {"TXT": ["v=DKIM1; p=AAAA"]}, "example.jp": {"TXT": ["x"]}}


def test_prefetched_answers_are_served_from_the_thread_without_asking_again() -> None:
    source = MemorySource(DNS)

    async def main() -> tuple[DnsAnswer, DnsAnswer]:
        bridge = SyncDns.for_running_loop(source, timeout=2)
        await bridge.prefetch([("S1._domainkey.example.jp.", "txt"), ("example.jp", "TXT")])
        assert len(source.log) == 2
        known = await asyncio.to_thread(bridge.query, "s1._domainkey.example.jp", "TXT")
        assert len(source.log) == 2  # no round trip
        other = await asyncio.to_thread(bridge.query, "other.example.jp", "A")
        assert source.log[-1] == ("other.example.jp", "A")
        return known, other

    known, other = asyncio.run(main())
    assert known.txt == ((b"v=DKIM1; p=AAAA",),)
    assert other.rcode is Rcode.NXDOMAIN


class _Broken:
    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        raise ValueError("backend bug")


def test_a_source_that_raises_gives_an_error_answer() -> None:
    async def main() -> tuple[DnsAnswer, DnsAnswer]:
        bridge = SyncDns.for_running_loop(_Broken(), timeout=2)
        await bridge.prefetch([("a.example", "TXT")])
        first = bridge.answer_for("a.example", "TXT")
        assert first is not None
        return first, await asyncio.to_thread(bridge.query, "b.example", "TXT")

    for answer in asyncio.run(main()):
        assert answer.rcode is Rcode.ERROR and "ValueError: backend bug" in answer.detail


def test_asking_on_the_loop_thread_for_an_unknown_name_is_refused() -> None:
    async def main() -> None:
        bridge = SyncDns.for_running_loop(MemorySource(DNS), timeout=2)
        await bridge.prefetch([("example.jp", "TXT")])
        assert bridge.query("example.jp", "TXT").ok  # known: no wait, no deadlock
        with pytest.raises(NotPrefetched):
            bridge.query("unknown.example", "TXT")

    asyncio.run(main())


def test_a_verifier_runs_inline_when_every_lookup_was_prefetched() -> None:
    """`run_verifier`: on the loop's thread when the bridge has every answer; when the work
    needs a lookup the prefetch missed, again in a worker thread, which then asks DNS."""
    import threading

    async def main() -> None:
        bridge = SyncDns.for_running_loop(MemorySource(DNS), timeout=2)
        await bridge.prefetch([("example.jp", "TXT")])
        loop_thread = threading.get_ident()
        ran: list[bool] = []

        def work(name: str) -> bool:
            ran.append(threading.get_ident() == loop_thread)
            return bridge.query(name, "TXT").ok

        assert await run_verifier(100, lambda: work("example.jp"))
        assert ran == [True]
        ran.clear()
        assert await run_verifier(100, lambda: work("mail.example.jp")) is False  # NXDOMAIN
        assert ran == [True, False]  # tried inline, then in a thread that asked the source
        assert bridge.answer_for("mail.example.jp", "TXT") is not None
        ran.clear()
        assert await run_verifier(INLINE_MAX_BYTES + 1, lambda: work("example.jp"))
        assert ran == [False]  # a large message: in a thread from the start

    asyncio.run(main())


class _Slow:
    """A zone source that takes 20 ms per answer and records how many queries overlap."""

    def __init__(self, inner: ZoneSource) -> None:
        self.inner, self.in_flight, self.most = inner, 0, 0

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        try:
            await asyncio.sleep(0.02)
            return await self.inner.query(name, rdtype)
        finally:
            self.in_flight -= 1


def test_independent_lookups_of_a_verification_overlap(
    sample_bytes: Callable[[str], bytes],
) -> None:
    """Both DKIM keys, the SPF record, the PTR of the sending IP and the DMARC policy of the
    From domain need nothing but the message: they are asked at the same time."""
    zones = Path(__file__).resolve().parents[3] / "samples" / "zones"
    slow = _Slow(ZoneSource.from_paths([zones]))
    raw = sample_bytes("good.eml")
    report = asyncio.run(verify_message(raw, slow))
    assert report.dmarc.result.value == "pass"
    assert slow.most >= 5
