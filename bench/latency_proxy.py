"""A DNS proxy on loopback that adds network latency and logs every query.

`tc netem` is not available on the project's machines (no module, no built-in), so latency
is simulated in user space: each UDP query waits RTT/2 before it is forwarded to the real
server and RTT/2 before the answer goes back (one round trip per query, ~52 ms at 50 ms).
A TCP connection first waits one RTT for the handshake, then RTT/2 each way per message
(~103 ms for a fresh TCP query, as measured in ../shared/testbed/README.md).

UDP is relayed by two sockets in all, whatever the load: queries from every client arrive on
one, are forwarded upstream from one other with an id of the proxy's own (mapped back on the
way out), and wait in two FIFO queues released by one timer each, not a task, a timer and a
socket per query as before. So a bulk run of 10,000 queries/s stays CPU-cheap here and the
proxy never opens a socket per query (with `ulimit -n 1024` the old design was the first
thing to run out of descriptors). Queries are logged from a light read of the question.

It runs as a separate process (`python bench/latency_proxy.py --upstream 127.0.0.1:PORT`) so
its work never competes for the GIL with the code being measured. It prints one JSON line
`{"port": N}` when ready, then obeys one command per line on stdin:
`reset` -> prints the queries logged since the last reset as JSON and clears the log;
`counts` -> the same counts without the list of queries (for bulk runs);
`quit` (or EOF) -> exits. Every log entry is `[name, type, transport]`; `max_in_flight`
says how many queries were outstanding at once (1 = strictly one after another). `times`
holds, for each log entry in the same order, `[received, answered, trips]`: the proxy's
clock (seconds) when the query arrived (for the first query on a TCP connection: when the
connection was accepted) and when its answer was sent back (taken just before the send;
null if never answered), and the round trips it cost (2 for a fresh TCP connection's first
query: the handshake, 1 otherwise). From them `bench/support.py` counts sequential round
trips: the critical path of a run, which the latency multiplies, whatever the load.

Only loopback: it listens on 127.0.0.1 and forwards only to a loopback upstream.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import json
import socket
import struct
import sys
from collections import deque
from typing import Any

import dns.rdatatype

UPSTREAM_TIMEOUT = 5.0


class Stats:
    """What the proxy saw since the last `reset`."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, str, str]] = []
        self.times: list[list[float | None]] = []
        self.count = 0
        self.tcp = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.keep_log = True

    def begin(
        self, wire: bytes, transport: str, since: float | None = None
    ) -> list[float | None] | None:
        """Log a query; returns its [received, answered, trips] slot for `end` (None: not
        logged). `since`: when its TCP connection was accepted (the handshake's round trip
        is part of this query's cost)."""
        self.count += 1
        self.tcp += transport == "tcp"
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        if not self.keep_log:
            return None
        self.queries.append((*_question(wire), transport))
        now = asyncio.get_running_loop().time()
        slot: list[float | None] = [now, None, 1] if since is None else [since, None, 2]
        self.times.append(slot)
        return slot

    def answering(self, slot: list[float | None] | None) -> None:
        """The answer is about to be sent: its time is taken before the send, so a query
        the client sends because of it can never look older than the answer."""
        if slot is not None:
            slot[1] = asyncio.get_running_loop().time()

    def end(self) -> None:
        self.in_flight -= 1

    def snapshot_and_reset(self, with_log: bool = True) -> dict[str, Any]:
        snap: dict[str, Any] = {
            "count": self.count,
            "tcp": self.tcp,
            "max_in_flight": self.max_in_flight,
        }
        if with_log:
            snap["queries"] = self.queries
            snap["times"] = self.times
        self.queries = []
        self.times = []
        self.count = self.tcp = 0
        self.max_in_flight = self.in_flight
        return snap


def _question(wire: bytes) -> tuple[str, str]:
    """(name, type) of a query's question, read without building a dns.message."""
    try:
        labels, offset = [], 12
        while wire[offset]:
            length = wire[offset]
            labels.append(wire[offset + 1 : offset + 1 + length].decode("ascii", "replace"))
            offset += length + 1
        (rdtype,) = struct.unpack_from("!H", wire, offset + 1)
        return ".".join(labels).lower(), dns.rdatatype.to_text(rdtype)
    except (IndexError, struct.error):
        return "<unparsable>", "?"


class DelayLine:
    """Items released `delay` seconds after they were put in, in order, by one timer."""

    def __init__(self, delay: float, release: Any) -> None:
        self.delay = delay
        self.release = release
        self.items: deque[tuple[float, Any]] = deque()
        self.timer: asyncio.TimerHandle | None = None

    def put(self, item: Any) -> None:
        loop = asyncio.get_running_loop()
        self.items.append((loop.time() + self.delay, item))
        if self.timer is None:
            self.timer = loop.call_at(self.items[0][0], self._flush)

    def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        self.timer = None
        while self.items and self.items[0][0] <= now + 0.0005:
            _, item = self.items.popleft()
            self.release(item)
        if self.items:
            self.timer = loop.call_at(self.items[0][0], self._flush)


class UdpRelay:
    """Every client's UDP queries through one front socket and one upstream socket."""

    def __init__(
        self, front: socket.socket, upstream: tuple[str, int], half_rtt: float, stats: Stats
    ) -> None:
        self.front, self.upstream_addr, self.stats = front, upstream, stats
        self.upstream = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for sock in (self.front, self.upstream):
            sock.setblocking(False)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
        self.upstream.connect(upstream)
        # proxy id -> (client's id, client address, time forwarded, timeline slot)
        self.pending: dict[int, tuple[bytes, Any, float, Any]] = {}
        self.next_id = 0
        self.outbound = DelayLine(half_rtt, self._forward)
        self.inbound = DelayLine(half_rtt, self._answer)
        loop = asyncio.get_running_loop()
        loop.add_reader(self.front.fileno(), self._from_client)
        loop.add_reader(self.upstream.fileno(), self._from_upstream)
        self.sweeper = loop.call_later(1.0, self._sweep)

    def close(self) -> None:
        loop = asyncio.get_running_loop()
        loop.remove_reader(self.front.fileno())
        loop.remove_reader(self.upstream.fileno())
        self.sweeper.cancel()
        self.upstream.close()

    def _from_client(self) -> None:
        while True:
            try:
                data, addr = self.front.recvfrom(65535)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                continue
            if len(data) < 12:
                continue
            slot = self.stats.begin(data, "udp")
            self.outbound.put((data, addr, slot))

    def _forward(self, item: tuple[bytes, Any, Any]) -> None:
        data, addr, slot = item
        for _ in range(65536):
            self.next_id = (self.next_id + 1) & 0xFFFF
            if self.next_id not in self.pending:
                break
        else:
            self.stats.end()
            return
        pid = self.next_id
        self.pending[pid] = (data[:2], addr, asyncio.get_running_loop().time(), slot)
        try:
            self.upstream.send(struct.pack("!H", pid) + data[2:])
        except OSError:
            del self.pending[pid]
            self.stats.end()

    def _from_upstream(self) -> None:
        while True:
            try:
                data = self.upstream.recv(65535)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                continue
            if len(data) < 12:
                continue
            entry = self.pending.pop(int.from_bytes(data[:2], "big"), None)
            if entry is None:
                continue
            client_id, addr, _, slot = entry
            self.inbound.put((client_id + data[2:], addr, slot))

    def _answer(self, item: tuple[bytes, Any, Any]) -> None:
        data, addr, slot = item
        self.stats.answering(slot)
        with contextlib.suppress(OSError):  # the client sees a timeout, as on a lossy network
            self.front.sendto(data, addr)
        self.stats.end()

    def _sweep(self) -> None:
        """Forget queries the upstream never answered (the client times out)."""
        loop = asyncio.get_running_loop()
        limit = loop.time() - UPSTREAM_TIMEOUT
        for pid in [p for p, (_, _, t, _) in self.pending.items() if t < limit]:
            del self.pending[pid]
            self.stats.end()
        self.sweeper = loop.call_later(1.0, self._sweep)


async def _read_message(reader: asyncio.StreamReader) -> bytes:
    (length,) = struct.unpack("!H", await reader.readexactly(2))
    return await reader.readexactly(length)


def tcp_front(upstream: tuple[str, int], half_rtt: float, stats: Stats) -> Any:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader: asyncio.StreamReader | None = None
        up_writer: asyncio.StreamWriter | None = None
        accepted: float | None = asyncio.get_running_loop().time()
        try:
            await asyncio.sleep(2 * half_rtt)  # the TCP handshake costs one round trip
            while True:
                try:
                    query = await _read_message(reader)
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                slot, accepted = stats.begin(query, "tcp", accepted), None
                try:
                    await asyncio.sleep(half_rtt)
                    if up_writer is None:
                        up_reader, up_writer = await asyncio.open_connection(*upstream)
                    assert up_reader is not None
                    up_writer.write(struct.pack("!H", len(query)) + query)
                    await up_writer.drain()
                    reply = await asyncio.wait_for(_read_message(up_reader), UPSTREAM_TIMEOUT)
                    await asyncio.sleep(half_rtt)
                    stats.answering(slot)
                    writer.write(struct.pack("!H", len(reply)) + reply)
                    await writer.drain()
                finally:
                    stats.end()
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
            pass
        finally:
            for w in (writer, up_writer):
                if w is not None:
                    w.close()

    return handle


def _bind_pair(port: int) -> tuple[socket.socket, socket.socket] | None:
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        udp.bind(("127.0.0.1", port))
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        tcp.bind(("127.0.0.1", udp.getsockname()[1]))
        tcp.listen(128)
        return udp, tcp
    except OSError:
        udp.close()
        tcp.close()
        return None


async def serve(upstream: tuple[str, int], rtt_ms: float) -> None:
    stats = Stats()
    half = rtt_ms / 2000.0
    for _ in range(50):
        pair = _bind_pair(0)
        if pair:
            break
    else:
        raise SystemExit("latency proxy: no free UDP+TCP port on 127.0.0.1")
    udp_sock, tcp_sock = pair
    loop = asyncio.get_running_loop()
    relay = UdpRelay(udp_sock, upstream, half, stats)
    server = await asyncio.start_server(tcp_front(upstream, half, stats), sock=tcp_sock)
    print(json.dumps({"port": udp_sock.getsockname()[1]}), flush=True)

    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    try:
        while True:
            line = (await reader.readline()).decode().strip()
            if line == "reset":
                print(json.dumps(stats.snapshot_and_reset()), flush=True)
            elif line == "counts":
                stats.keep_log = False
                print(json.dumps(stats.snapshot_and_reset(with_log=False)), flush=True)
            elif line in ("quit", ""):
                return
    finally:
        server.close()
        relay.close()
        udp_sock.close()


def _loopback_hostport(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not ipaddress.ip_address(host).is_loopback:
        raise argparse.ArgumentTypeError("upstream must be a loopback address")
    return host, int(port)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", type=_loopback_hostport, required=True)
    parser.add_argument("--rtt-ms", type=float, default=50.0)
    args = parser.parse_args()
    asyncio.run(serve(args.upstream, args.rtt_ms))


if __name__ == "__main__":
    main()
