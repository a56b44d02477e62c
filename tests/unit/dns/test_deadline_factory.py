"""DeadlineSource (--deadline) and build_source (the CLI's entry to the DNS layer)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from mailauth.dns.cache import CachingSource
from mailauth.dns.deadline import DEADLINE_DETAIL, DeadlineSource
from mailauth.dns.factory import build_source
from mailauth.dns.interface import DnsAnswer, Rcode
from mailauth.dns.live import LiveSource
from mailauth.dns.memory import MemorySource
from mailauth.dns.zonefile import ZoneLoadError, ZoneSource

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "zones"


class Hang:
    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")


def test_deadline_cuts_in_flight_query() -> None:
    source = DeadlineSource(Hang(), 0.1)
    start = time.monotonic()
    a = asyncio.run(source.query("X.test.", "txt"))
    assert time.monotonic() - start < 0.1 + 2  # the deadline, not the hour; room for load
    assert a.rcode is Rcode.TIMEOUT and a.detail == DEADLINE_DETAIL
    assert (a.qname, a.rdtype) == ("x.test", "TXT")


def test_after_deadline_every_query_times_out_at_once() -> None:
    # The first query must come in time: 50 ms did not leave room for a loaded machine's
    # event loop start-up. Then wait until the deadline has passed (not a fixed sleep).
    source = DeadlineSource(MemorySource({"a.test": {"A": ["192.0.2.1"]}}), 1.0)
    assert asyncio.run(source.query("a.test", "A")).ok
    while source.remaining >= 0:
        time.sleep(0.02)
    assert asyncio.run(source.query("a.test", "A")).detail == DEADLINE_DETAIL


def test_build_source_offline() -> None:
    src = build_source([str(SAMPLES)], [], 5, 1, None)
    assert isinstance(src, CachingSource) and isinstance(src.inner, ZoneSource)
    assert asyncio.run(src.query("example.jp", "A")).rrs == ("192.0.2.80",)


def test_build_source_live_with_deadline() -> None:
    src = build_source([], ["127.0.0.1:5353", "[::1]:53"], 2.0, 3, 10.0)
    assert isinstance(src.inner, DeadlineSource)
    live = src.inner.inner
    assert isinstance(live, LiveSource)
    assert live.nameservers == [("127.0.0.1", 5353), ("::1", 53)]
    assert (live.timeout, live.retries) == (2.0, 3)


def test_build_source_system_resolver_reads_config_only() -> None:
    src = build_source()  # no network at construction; the guard would fail the test
    assert isinstance(src.inner, LiveSource)


def test_build_source_errors() -> None:
    with pytest.raises(ValueError, match="invalid nameserver"):
        build_source([], ["ns.example"], 1, 0, None)
    with pytest.raises(ZoneLoadError):
        build_source(["/nonexistent/zones"], [], 1, 0, None)
