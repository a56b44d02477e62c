"""The benchmarks' measuring instrument: bench/latency_proxy.py must add the round trip it
promises (one RTT per UDP query, two for a fresh TCP connection) and log every query."""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path

import dns.message
import dns.query
import dns.rcode
from tests.support.knot import KnotServer

BENCH = Path(__file__).resolve().parents[3] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import support  # noqa: E402

RTT_MS = 40.0


def _timed_query(transport: str, port: int) -> tuple[float, int]:
    query = dns.message.make_query("example.jp", "TXT")
    send = dns.query.udp if transport == "udp" else dns.query.tcp
    start = time.perf_counter()
    reply = send(query, "127.0.0.1", port=port, timeout=3)
    return time.perf_counter() - start, reply.rcode()


def test_proxy_adds_latency_and_logs_queries(knot_server: KnotServer) -> None:
    proxy = support.LatencyProxy(knot_server.address, RTT_MS)
    try:
        udp_s, udp_rcode = _timed_query("udp", proxy.port)
        tcp_s, tcp_rcode = _timed_query("tcp", proxy.port)
        log = proxy.reset()
        assert proxy.reset().count == 0  # reset starts a new log
    finally:
        proxy.close()
    assert udp_rcode == tcp_rcode == dns.rcode.NOERROR
    rtt = RTT_MS / 1000
    # The lower bounds are the point (the delay is added); the upper ones only catch a proxy
    # that hangs, with room for a loaded machine's scheduling (the proxy is a child process).
    slack = 2.0
    assert rtt <= udp_s < rtt + slack
    assert 2 * rtt <= tcp_s < 2 * rtt + slack  # handshake, then the query
    assert log.queries == (("example.jp", "TXT", "udp"), ("example.jp", "TXT", "tcp"))
    assert log.max_in_flight == 1


def test_proxy_log_counts_sequential_round_trips(knot_server: KnotServer) -> None:
    """Two queries sent together are one round; a query sent after their answers is a
    second; a fresh TCP connection's query costs two (the handshake). The count comes
    from the proxy's clock, so it holds however slow this machine is."""
    proxy = support.LatencyProxy(knot_server.address, RTT_MS)
    try:
        first = dns.message.make_query("example.jp", "TXT")
        second = dns.message.make_query("example.jp", "MX")
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        with sock:
            sock.settimeout(3)
            for query in (first, second):
                sock.sendto(query.to_wire(), ("127.0.0.1", proxy.port))
            for _ in range(2):
                sock.recv(65535)
        _timed_query("udp", proxy.port)
        parallel_then_one = proxy.reset()
        _timed_query("tcp", proxy.port)
        tcp = proxy.reset()
    finally:
        proxy.close()
    assert parallel_then_one.count == 3
    assert parallel_then_one.round_of_each() == [1, 1, 2]
    assert parallel_then_one.rounds == 2
    assert tcp.rounds == 2 and tcp.by_transport()["tcp"] == 1
