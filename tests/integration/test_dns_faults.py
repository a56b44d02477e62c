"""LiveSource against a misbehaving nameserver: every fault becomes the right rcode, fast,
within the timeout budget, never an exception or a hang. Every test runs twice: with the
event loop's transport (dns/mux.py) and with the blocking one (dns/blocking.py, run
without an event loop by `concurrency.run_blocking`), whose rules are the same."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Iterator

import pytest
from tests.support.faultdns import Fault, FaultDnsServer
from tests.support.knot import free_port

from mailauth.concurrency import gather, run_blocking
from mailauth.dns.cache import CachingSource
from mailauth.dns.deadline import DEADLINE_DETAIL, DeadlineSource, cutoff
from mailauth.dns.interface import DnsAnswer, Rcode
from mailauth.dns.live import LiveSource

# Scheduling slack on top of a timeout budget. The server runs in this process (a thread
# sharing the GIL) and CI machines are shared: a stall of most of a second is normal there.
# Tests that must not wait for a timeout use one far longer than anything the test waits
# for (FAR), so "fast" means "did not wait for the timeout" at any machine speed.
SLACK = 1.0
FAR = 10.0


_MODE = ["loop"]


@pytest.fixture(autouse=True, params=["loop", "blocking"])
def transport(request: pytest.FixtureRequest) -> Iterator[str]:
    _MODE[0] = request.param
    yield request.param
    _MODE[0] = "loop"


def make_live(nameservers: list[tuple[str, int]], timeout: float, retries: int) -> LiveSource:
    """The source of the transport under test."""
    if _MODE[0] == "blocking":
        return LiveSource.blocking(nameservers, timeout=timeout, retries=retries)
    return LiveSource(nameservers, timeout=timeout, retries=retries)


def wait_for_queries(server: FaultDnsServer, name: str, count: int) -> None:
    """Until the server has read `count` queries for `name` (its thread may lag behind the
    client on a loaded machine), or 10 s; the caller then asserts the exact count."""
    deadline = time.monotonic() + 10
    while len(server.queries(name)) < count and time.monotonic() < deadline:
        time.sleep(0.01)


def timed(source: LiveSource | CachingSource | DeadlineSource, name: str, rdtype: str = "TXT"):  # type: ignore[no-untyped-def]
    start = time.monotonic()
    if _MODE[0] == "blocking":
        answer = run_blocking(source.query(name, rdtype))
    else:
        answer = asyncio.run(source.query(name, rdtype))
    return answer, time.monotonic() - start


def test_normal_answers(fault_dns: FaultDnsServer) -> None:
    fault_dns.set_records(
        {
            "a.test": {"TXT": [["v=spf1 ", "-all"]], "A": ["192.0.2.1"]},
            "alias.test": {"CNAME": ["a.test."]},
        }
    )
    live = make_live([fault_dns.address], timeout=10.0, retries=0)
    a, _ = timed(live, "a.test")
    assert a.rcode is Rcode.NOERROR and a.txt == ((b"v=spf1 ", b"-all"),)
    assert timed(live, "alias.test", "A")[0].rrs == ("192.0.2.1",)
    assert timed(live, "a.test", "MX")[0].is_nodata
    assert timed(live, "nx.test", "A")[0].rcode is Rcode.NXDOMAIN
    assert fault_dns.queries("a.test")[0] == ("a.test", "TXT", "udp")


def test_silent_server_times_out_within_budget(fault_dns: FaultDnsServer) -> None:
    fault_dns.fault("slow.test", Fault.DROP)
    live = make_live([fault_dns.address], timeout=0.3, retries=1)
    a, elapsed = timed(live, "slow.test")
    assert a.rcode is Rcode.TIMEOUT and a.is_error
    assert "no reply" in a.detail
    assert live.budget - 0.05 <= elapsed <= live.budget + SLACK
    wait_for_queries(fault_dns, "slow.test", 2)
    assert len(fault_dns.queries("slow.test")) == 2  # retried once


@pytest.mark.parametrize(
    ("fault", "rcode"),
    [(Fault.SERVFAIL, Rcode.SERVFAIL), (Fault.REFUSED, Rcode.REFUSED), (Fault.NOTIMP, Rcode.ERROR)],
)
def test_error_rcodes(fault_dns: FaultDnsServer, fault: Fault, rcode: Rcode) -> None:
    fault_dns.fault("bad.test", fault, rdtype="TXT")
    fault_dns.add("bad.test", "A", "192.0.2.9")
    live = make_live([fault_dns.address], timeout=FAR, retries=2)
    a, elapsed = timed(live, "bad.test")
    assert a.rcode is rcode and elapsed < FAR / 2  # the answer, not the timeout, ended it
    assert len(fault_dns.queries("bad.test")) == 1  # a server that said no is not asked again
    assert timed(live, "bad.test", "A")[0].rrs == ("192.0.2.9",)  # rule was TXT only


def test_truncated_udp_falls_back_to_tcp(fault_dns: FaultDnsServer) -> None:
    fault_dns.add("tc.test", "TXT", "small but truncated anyway")
    fault_dns.fault("tc.test", Fault.TRUNCATE)
    a, _ = timed(make_live([fault_dns.address], timeout=10.0, retries=0), "tc.test")
    assert a.texts() == ["small but truncated anyway"]
    assert [t for _, _, t in fault_dns.queries("tc.test")] == ["udp", "tcp"]


def test_truncated_and_tcp_closed_is_an_error_not_a_hang(fault_dns: FaultDnsServer) -> None:
    fault_dns.add("tc.test", "TXT", "x")
    fault_dns.fault("tc.test", Fault.TRUNCATE_NO_TCP)
    a, elapsed = timed(make_live([fault_dns.address], timeout=FAR, retries=0), "tc.test")
    assert a.rcode is Rcode.ERROR and "truncated over UDP and TCP failed" in a.detail
    assert elapsed < FAR / 2


def test_truncated_and_tcp_refused(fault_dns: FaultDnsServer) -> None:
    fault_dns.add_huge_txt("big.test", records=10, total_bytes=5000)
    fault_dns.refuse_tcp = True
    a, elapsed = timed(make_live([fault_dns.address], timeout=FAR, retries=0), "big.test")
    assert a.rcode is Rcode.ERROR and "TCP failed" in a.detail and elapsed < FAR / 2


def test_truncated_and_no_tcp_listener() -> None:
    """TC=1 from a server whose TCP port is closed: connection refused -> ERROR at once."""
    server = FaultDnsServer(tcp=False).start()
    try:
        server.fault("tc.test", Fault.TRUNCATE)
        server.add("tc.test", "TXT", "x")
        a, elapsed = timed(make_live([server.address], timeout=FAR, retries=0), "tc.test")
        assert a.rcode is Rcode.ERROR and elapsed < FAR / 2
    finally:
        server.stop()


@pytest.mark.parametrize("fault", [Fault.WRONG_ID, Fault.WRONG_QUESTION, Fault.GARBAGE])
def test_mismatched_or_garbage_replies_are_ignored_until_timeout(
    fault_dns: FaultDnsServer, fault: Fault
) -> None:
    """A resolver must ignore replies that do not match its query (spoofing defence), so a
    server sending only those ends in TIMEOUT within the budget - not a hang, not a crash."""
    fault_dns.add("spoof.test", "TXT", "v=spf1 +all")
    fault_dns.fault("spoof.test", fault)
    live = make_live([fault_dns.address], timeout=0.3, retries=0)
    a, elapsed = timed(live, "spoof.test")
    assert a.rcode is Rcode.TIMEOUT and not a.txt
    assert elapsed <= live.budget + SLACK


def test_wrong_id_over_tcp_is_an_error(fault_dns: FaultDnsServer) -> None:
    fault_dns.add_huge_txt("big.test", records=10, total_bytes=5000)
    fault_dns.fault("big.test", Fault.WRONG_ID)  # UDP: TC=1 (too big), TCP: wrong id
    a, elapsed = timed(make_live([fault_dns.address], timeout=0.5, retries=0), "big.test")
    assert a.rcode in (Rcode.ERROR, Rcode.TIMEOUT) and elapsed < 0.5 + SLACK


def test_delay(fault_dns: FaultDnsServer) -> None:
    fault_dns.add("late.test", "TXT", "ok")
    fault_dns.fault("late.test", Fault.DELAY, delay=0.2)
    assert timed(make_live([fault_dns.address], timeout=FAR, retries=0), "late.test")[0].ok
    # A reply far later than the timeout: one only just later could be read before the
    # timer fires when the client's loop wakes up late from a stall (both are then ready).
    fault_dns.add("later.test", "TXT", "ok")
    fault_dns.fault("later.test", Fault.DELAY, delay=0.1 + 2 * SLACK)
    a, elapsed = timed(make_live([fault_dns.address], timeout=0.1, retries=0), "later.test")
    assert a.rcode is Rcode.TIMEOUT and elapsed < 0.1 + SLACK


def test_huge_txt_fifty_records(fault_dns: FaultDnsServer) -> None:
    fault_dns.add_huge_txt("huge.test", records=50, total_bytes=60_000, prefix="v=spf1 ")
    a, _ = timed(make_live([fault_dns.address], timeout=FAR, retries=0), "huge.test")
    assert a.rcode is Rcode.NOERROR and len(a.txt) == 50
    assert sum(len(s) for rec in a.txt for s in rec) == 60_000
    assert all(len(s) <= 255 for rec in a.txt for s in rec)
    assert sum(t.startswith("v=spf1 ") for t in a.texts()) == 1


def test_failover_between_nameservers(fault_dns: FaultDnsServer) -> None:
    fault_dns.add("ok.test", "A", "192.0.2.7")
    dead = ("127.0.0.1", free_port())  # nothing listens
    # each server gets the whole timeout: room for the live one to answer on a busy machine
    live = make_live([dead, fault_dns.address], timeout=2, retries=0)
    a, elapsed = timed(live, "ok.test", "A")
    assert a.rrs == ("192.0.2.7",) and elapsed < live.budget + SLACK


def test_unreachable_nameserver_is_a_timeout_within_budget() -> None:
    # an unconnected UDP socket never sees the ICMP port-unreachable: it is a timeout
    live = make_live([("127.0.0.1", free_port())], timeout=0.2, retries=1)
    a, elapsed = timed(live, "x.test")
    assert a.rcode is Rcode.TIMEOUT and elapsed < live.budget + SLACK


def test_servfail_is_reported_over_timeout_from_another_server(fault_dns: FaultDnsServer) -> None:
    fault_dns.fault("x.test", Fault.SERVFAIL)
    other = FaultDnsServer().start()
    try:
        other.fault("x.test", Fault.DROP)
        # the whole timeout for each: the SERVFAIL must arrive in time on a busy machine
        live = make_live([other.address, fault_dns.address], timeout=2, retries=0)
        a, _ = timed(live, "x.test")
        assert a.rcode is Rcode.SERVFAIL
        assert "no reply" in a.detail and "SERVFAIL" in a.detail
    finally:
        other.stop()


def test_cache_sends_one_query_for_concurrent_identical_questions(
    fault_dns: FaultDnsServer,
) -> None:
    fault_dns.add("dup.test", "TXT", "v=spf1 -all")
    fault_dns.fault("dup.test", Fault.DELAY, delay=0.1)
    cache = CachingSource(make_live([fault_dns.address], timeout=10.0, retries=0))
    questions = [cache.query("DUP.test.", "txt") for _ in range(20)]
    if _MODE[0] == "blocking":
        # One lockstep round: the twenty identical datagrams leave as one (dns/blocking.py).
        answers = run_blocking(gather(*questions))
        assert all(a.texts() == ["v=spf1 -all"] for a in answers)
        assert len(fault_dns.queries("dup.test")) == 1
        return

    async def run() -> list[DnsAnswer]:
        return await asyncio.gather(*questions)

    answers = asyncio.run(run())
    assert all(a.texts() == ["v=spf1 -all"] for a in answers)
    assert len(fault_dns.queries("dup.test")) == 1
    assert cache.stats.queries == 1 and cache.stats.hits == 19 and cache.stats.joined == 19
    assert asyncio.run(cache.query("dup.test", "TXT")).ok
    assert cache.stats.hits == 20 and len(fault_dns.queries("dup.test")) == 1


def test_deadline_cuts_a_slow_run_short(fault_dns: FaultDnsServer) -> None:
    fault_dns.fault("slow.test", Fault.DROP)
    source = DeadlineSource(make_live([fault_dns.address], timeout=5, retries=0), 0.3)
    a, elapsed = timed(source, "slow.test")
    assert a.rcode is Rcode.TIMEOUT and a.detail == DEADLINE_DETAIL
    assert elapsed < 0.3 + SLACK
    b, elapsed = timed(source, "other.test")
    assert b.detail == DEADLINE_DETAIL and elapsed < SLACK  # not the 5 s query timeout
    assert fault_dns.queries("other.test") == []  # past the deadline nothing is asked


def test_a_blocking_deadline_leaves_no_cut_off_behind(fault_dns: FaultDnsServer) -> None:
    """Without an event loop the deadline is a cut-off handed down to the client
    (dns/deadline.py): two queries of one lockstep round under it at once are both cut at
    the deadline, and once they are done nothing is left to cut the next query short."""
    if _MODE[0] != "blocking":
        pytest.skip("the event loop cancels instead")
    fault_dns.fault("slow.test", Fault.DROP)
    fault_dns.add("ok.test", "TXT", "fine")
    live = make_live([fault_dns.address], timeout=FAR, retries=0)
    short = DeadlineSource(live, 0.3)
    start = time.monotonic()
    answers = run_blocking(gather(short.query("slow.test", "TXT"), short.query("slow.test", "A")))
    assert [a.detail for a in answers] == [DEADLINE_DETAIL] * 2
    assert time.monotonic() - start < 0.3 + SLACK
    assert cutoff() == math.inf
    assert timed(live, "ok.test")[0].texts() == ["fine"]


def test_non_utf8_txt_is_kept_as_bytes(fault_dns: FaultDnsServer) -> None:
    fault_dns.add("latin1.test", "TXT", [b"v=spf1 ", b"\xe9\xff -all"])
    a, _ = timed(make_live([fault_dns.address], timeout=10.0, retries=0), "latin1.test")
    assert a.txt == ((b"v=spf1 ", b"\xe9\xff -all"),)
    assert a.texts() == ["v=spf1 \ufffd\ufffd -all"]


def test_cname_loop_served_by_the_server(fault_dns: FaultDnsServer) -> None:
    fault_dns.set_records({"a.test": {"CNAME": ["b.test."]}, "b.test": {"CNAME": ["a.test."]}})
    a, elapsed = timed(make_live([fault_dns.address], timeout=10.0, retries=0), "a.test")
    assert a.rcode is Rcode.SERVFAIL and a.detail == "CNAME loop" and elapsed < FAR / 2
    assert a.cnames == ("b.test", "a.test")


def test_long_cname_chain_is_cut(fault_dns: FaultDnsServer) -> None:
    fault_dns.set_records({f"c{i}.test": {"CNAME": [f"c{i + 1}.test."]} for i in range(40)})
    a, _ = timed(make_live([fault_dns.address], timeout=10.0, retries=0), "c0.test", "A")
    assert a.rcode is Rcode.SERVFAIL and "too long" in a.detail
