"""The socket multiplexer under LiveSource (dns/mux.py): many queries over a few sockets,
each reply matched to its own query, spoofed and mismatched replies ignored, TCP pooled.

Against knotd on loopback (real answers at volume) and against the fault-injecting server
and small hand-made servers (wrong id, wrong question, a reply from the wrong port,
truncation, silence)."""

from __future__ import annotations

import asyncio
import os
import socket
import struct
import threading
import time
from collections.abc import Iterator

import pytest
from tests.support.faultdns import Fault, FaultDnsServer
from tests.support.knot import KnotServer

from mailauth.dns import mux as mux_module
from mailauth.dns.interface import DnsAnswer, Rcode
from mailauth.dns.live import LiveSource
from mailauth.dns.mux import TCP_PER_SERVER, UDP_SOCKETS_PER_FAMILY

SLACK = 1.0
BUSY_SLACK = 3.0  # hundreds of queries at once on a shared 2-core machine
# The timeout of tests where every query is answered: it costs nothing when they pass, and
# the in-process fault server (a thread sharing the GIL with the client) falls far behind
# hundreds of queries at once on a loaded machine.
ANSWERED = 10.0
LOOP_FDS = 3  # asyncio.run's own: the epoll descriptor and the self-pipe's two ends


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def gather_watching_fds(
    live: LiveSource, questions: list[tuple[str, str]]
) -> tuple[list[DnsAnswer], int]:
    """Answers to every question asked at once, and the most descriptors open meanwhile."""
    peak = open_fds()
    done = False

    async def watch() -> None:
        nonlocal peak
        while not done:
            peak = max(peak, open_fds())
            await asyncio.sleep(0.005)

    watcher = asyncio.ensure_future(watch())
    try:
        answers = await asyncio.gather(*(live.query(n, t) for n, t in questions))
    finally:
        done = True
        await watcher
    return list(answers), peak


def test_two_thousand_queries_to_knot_over_a_few_sockets(knot_server: KnotServer) -> None:
    live = LiveSource([knot_server.address], timeout=3, retries=1, max_in_flight=200)
    probes = [(f"p{i}._domainkey.example.jp", "TXT") for i in range(1900)]
    real = [("example.jp", "TXT"), ("example.jp", "MX"), ("s1._domainkey.example.jp", "TXT")]
    questions = probes + real * 34
    before = open_fds()
    answers, peak = asyncio.run(gather_watching_fds(live, questions))
    assert all(a.rcode is Rcode.NXDOMAIN for a in answers[: len(probes)])
    assert {a.qname for a in answers[: len(probes)]} == {n for n, _ in probes}
    rest = zip(questions[len(probes) :], answers[len(probes) :], strict=True)
    for (name, rdtype), answer in rest:
        assert (answer.qname, answer.rdtype, answer.rcode) == (name, rdtype, Rcode.NOERROR)
    assert answers[-1].txt[0][0] == b"v=DKIM1; k=rsa; "
    assert answers[-2].mx() == [(10, "mx1.example.jp"), (20, "mx2.example.jp")]
    # 2,000 queries at once: the cap held, and a handful of sockets carried them all
    assert live.peak_in_flight == 200
    assert live.mux.open_sockets <= UDP_SOCKETS_PER_FAMILY
    assert peak - before <= UDP_SOCKETS_PER_FAMILY + LOOP_FDS
    live.close()
    assert live.mux.open_sockets == 0


def test_each_reply_reaches_its_own_query(fault_dns: FaultDnsServer) -> None:
    """500 distinct names in flight on the same few sockets; every answer is its own."""
    for i in range(500):
        fault_dns.add(f"n{i}.test", "TXT", f"answer {i}")
    live = LiveSource([fault_dns.address], timeout=ANSWERED, retries=1)

    async def ask() -> list[DnsAnswer]:
        return list(await asyncio.gather(*(live.query(f"n{i}.test", "TXT") for i in range(500))))

    answers = asyncio.run(ask())
    assert [a.texts() for a in answers] == [[f"answer {i}"] for i in range(500)]
    assert live.mux.open_sockets <= UDP_SOCKETS_PER_FAMILY


@pytest.mark.parametrize("fault", [Fault.WRONG_ID, Fault.WRONG_QUESTION, Fault.GARBAGE])
def test_mismatched_replies_do_not_disturb_the_others(
    fault_dns: FaultDnsServer, fault: Fault
) -> None:
    """Spoof-like replies for some names arrive on the sockets other queries wait on: those
    queries still get their own answers, the spoofed names time out."""
    for i in range(100):
        fault_dns.add(f"ok{i}.test", "TXT", f"ok {i}")
    for i in range(20):
        fault_dns.add(f"bad{i}.test", "TXT", "v=spf1 +all")
        fault_dns.fault(f"bad{i}.test", fault)
    # The timeout is all the spoofed names cost, and the time the in-process server (one
    # thread, sharing the GIL with this client) has to answer 100 names: 0.4 s was missed on
    # a loaded machine (an "ok" name timed out with no answer).
    live = LiveSource([fault_dns.address], timeout=2, retries=0)
    names = [f"ok{i}.test" for i in range(100)] + [f"bad{i}.test" for i in range(20)]

    async def ask() -> list[DnsAnswer]:
        return list(await asyncio.gather(*(live.query(n, "TXT") for n in names)))

    start = time.monotonic()
    answers = asyncio.run(ask())
    assert time.monotonic() - start < live.budget + BUSY_SLACK
    assert [a.texts() for a in answers[:100]] == [[f"ok {i}"] for i in range(100)]
    assert all(a.rcode is Rcode.TIMEOUT and not a.txt for a in answers[100:])


class _SpoofingServer:
    """A UDP server that answers each query twice: first a forged reply with the right id
    and question but from another port (an off-path attacker who guessed the id), then the
    genuine reply from the port that was asked."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.forger = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.forger.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                data, client = self.sock.recvfrom(4096)
            except OSError:
                return
            qid, question = data[:2], _question(data)
            self.forger.sendto(_reply(qid, question, b"forged"), client)
            time.sleep(0.02)
            self.sock.sendto(_reply(qid, question, b"genuine"), client)

    def close(self) -> None:
        self.sock.close()
        self.forger.close()


def _question(query: bytes) -> bytes:
    end = 12
    while query[end]:
        end += query[end] + 1
    return query[12 : end + 5]


def _reply(qid: bytes, question: bytes, text: bytes) -> bytes:
    header = qid + struct.pack("!5H", 0x8580, 1, 1, 0, 0)
    rdata = bytes([len(text)]) + text
    answer = b"\xc0\x0c" + struct.pack("!HHIH", 16, 1, 300, len(rdata)) + rdata
    return header + question + answer


@pytest.fixture
def spoofing_server() -> Iterator[_SpoofingServer]:
    server = _SpoofingServer()
    yield server
    server.close()


def test_reply_from_another_port_is_ignored(spoofing_server: _SpoofingServer) -> None:
    live = LiveSource([("127.0.0.1", spoofing_server.port)], timeout=ANSWERED, retries=0)
    answer = asyncio.run(live.query("spoof.test", "TXT"))
    assert answer.texts() == ["genuine"]


def test_truncated_answers_share_a_few_tcp_connections(fault_dns: FaultDnsServer) -> None:
    for i in range(30):
        fault_dns.add(f"tc{i}.test", "TXT", f"long {i}")
        fault_dns.fault(f"tc{i}.test", Fault.TRUNCATE)
    live = LiveSource([fault_dns.address], timeout=ANSWERED, retries=0)

    async def ask() -> tuple[list[DnsAnswer], int]:
        return await gather_watching_fds(live, [(f"tc{i}.test", "TXT") for i in range(30)])

    before = open_fds()
    answers, peak = asyncio.run(ask())
    assert [a.texts() for a in answers] == [[f"long {i}"] for i in range(30)]
    tcp = [t for _, _, t in fault_dns.queries() if t == "tcp"]
    assert len(tcp) == 30
    opened = live.mux.tcp_connections
    assert 1 <= opened <= TCP_PER_SERVER
    # the fault server runs in this process: its end of each connection counts here too
    assert peak - before <= UDP_SOCKETS_PER_FAMILY + 2 * TCP_PER_SERVER + LOOP_FDS
    # a second round reuses the idle connections
    asyncio.run(ask())
    assert live.mux.tcp_connections == opened


def test_silent_server_with_many_queries_times_out_within_budget(
    fault_dns: FaultDnsServer,
) -> None:
    for i in range(300):
        fault_dns.fault(f"quiet{i}.test", Fault.DROP)
    live = LiveSource([fault_dns.address], timeout=0.3, retries=1, max_in_flight=1000)
    before = open_fds()
    start = time.monotonic()
    answers, peak = asyncio.run(
        gather_watching_fds(live, [(f"quiet{i}.test", "TXT") for i in range(300)])
    )
    assert time.monotonic() - start < live.budget + BUSY_SLACK
    assert all(a.rcode is Rcode.TIMEOUT for a in answers)
    assert peak - before <= UDP_SOCKETS_PER_FAMILY + LOOP_FDS
    asked = [name for name, _, _ in fault_dns.queries()]
    # each tried twice at most; on a loaded machine the in-process test server's socket may
    # drop some of 300 datagrams sent at once (they time out like the rest)
    assert 0 < len(asked) <= 600


def test_sockets_rotate_and_old_ones_close(
    fault_dns: FaultDnsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After ROTATE_AFTER queries a socket gives way to one on a fresh source port."""
    monkeypatch.setattr(mux_module, "ROTATE_AFTER", 10)
    fault_dns.add("r.test", "TXT", "x")
    live = LiveSource([fault_dns.address], timeout=ANSWERED, retries=0)

    async def ask(count: int) -> list[DnsAnswer]:
        return list(await asyncio.gather(*(live.query("r.test", "TXT") for _ in range(count))))

    ports: set[int] = set()
    for _ in range(6):
        assert all(a.texts() == ["x"] for a in asyncio.run(ask(40)))
        ports |= live.mux.local_ports()
        assert live.mux.open_sockets <= 2 * UDP_SOCKETS_PER_FAMILY
    assert len(ports) > UDP_SOCKETS_PER_FAMILY


def test_source_survives_several_event_loops(knot_server: KnotServer) -> None:
    """The CLI and the tests call asyncio.run more than once with one source."""
    live = LiveSource([knot_server.address], timeout=2, retries=0)
    for _ in range(3):
        assert asyncio.run(live.query("example.jp", "MX")).mx()[0] == (10, "mx1.example.jp")
    assert live.mux.open_sockets <= UDP_SOCKETS_PER_FAMILY
