"""A DNS proxy on loopback that adds network latency and logs every query.

`tc netem` is not available on the project's machines (no module, no built-in), so latency
is simulated in user space: each UDP query waits RTT/2 before it is forwarded to the real
server and RTT/2 before the answer goes back (one round trip per query, ~52 ms at 50 ms).
A TCP connection first waits one RTT for the handshake, then RTT/2 each way per message
(~103 ms for a fresh TCP query, as measured in ../shared/testbed/README.md).

It runs as a separate process (`python bench/latency_proxy.py --upstream 127.0.0.1:PORT`) so
its work never competes for the GIL with the code being measured. It prints one JSON line
`{"port": N}` when ready, then obeys one command per line on stdin:
`reset` -> prints the queries logged since the last reset as JSON and clears the log;
`quit` (or EOF) -> exits. Every log entry is `[name, type, transport]`; `max_in_flight`
says how many queries were outstanding at once (1 = strictly one after another).

Only loopback: it listens on 127.0.0.1 and forwards only to a loopback upstream.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import socket
import struct
import sys
from typing import Any, cast

import dns.message
import dns.rdatatype

UPSTREAM_TIMEOUT = 5.0


class Stats:
    """What the proxy saw since the last `reset`."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, str, str]] = []
        self.in_flight = 0
        self.max_in_flight = 0

    def begin(self, wire: bytes, transport: str) -> None:
        try:
            q = dns.message.from_wire(wire).question[0]
            entry = (q.name.to_text(omit_final_dot=True).lower(), dns.rdatatype.to_text(q.rdtype))
        except Exception:
            entry = ("<unparsable>", "?")
        self.queries.append((*entry, transport))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def end(self) -> None:
        self.in_flight -= 1

    def snapshot_and_reset(self) -> dict[str, Any]:
        snap = {"queries": self.queries, "max_in_flight": self.max_in_flight}
        self.queries = []
        self.max_in_flight = self.in_flight
        return snap


class _OneShot(asyncio.DatagramProtocol):
    """Upstream side of one UDP query: resolves `answer` with the first datagram back."""

    def __init__(self, answer: asyncio.Future[bytes]) -> None:
        self.answer = answer

    def datagram_received(self, data: bytes, addr: Any) -> None:
        if not self.answer.done():
            self.answer.set_result(data)

    def error_received(self, exc: Exception) -> None:
        if not self.answer.done():
            self.answer.set_exception(exc)


class UdpFront(asyncio.DatagramProtocol):
    def __init__(self, upstream: tuple[str, int], half_rtt: float, stats: Stats) -> None:
        self.upstream, self.half_rtt, self.stats = upstream, half_rtt, stats
        self.transport: asyncio.DatagramTransport | None = None
        self.tasks: set[asyncio.Task[None]] = set()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.stats.begin(data, "udp")
        task = asyncio.get_running_loop().create_task(self._relay(data, addr))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _relay(self, data: bytes, client: Any) -> None:
        loop = asyncio.get_running_loop()
        try:
            await asyncio.sleep(self.half_rtt)
            answer: asyncio.Future[bytes] = loop.create_future()
            transport, _ = await loop.create_datagram_endpoint(
                lambda: _OneShot(answer), remote_addr=self.upstream
            )
            try:
                transport.sendto(data)
                reply = await asyncio.wait_for(answer, UPSTREAM_TIMEOUT)
            finally:
                transport.close()
            await asyncio.sleep(self.half_rtt)
            if self.transport is not None:
                self.transport.sendto(reply, client)
        except (OSError, asyncio.TimeoutError):
            pass  # the client sees a timeout, as it would on a lossy network
        finally:
            self.stats.end()


async def _read_message(reader: asyncio.StreamReader) -> bytes:
    (length,) = struct.unpack("!H", await reader.readexactly(2))
    return await reader.readexactly(length)


def tcp_front(upstream: tuple[str, int], half_rtt: float, stats: Stats) -> Any:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader: asyncio.StreamReader | None = None
        up_writer: asyncio.StreamWriter | None = None
        try:
            await asyncio.sleep(2 * half_rtt)  # the TCP handshake costs one round trip
            while True:
                try:
                    query = await _read_message(reader)
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                stats.begin(query, "tcp")
                try:
                    await asyncio.sleep(half_rtt)
                    if up_writer is None:
                        up_reader, up_writer = await asyncio.open_connection(*upstream)
                    assert up_reader is not None
                    up_writer.write(struct.pack("!H", len(query)) + query)
                    await up_writer.drain()
                    reply = await asyncio.wait_for(_read_message(up_reader), UPSTREAM_TIMEOUT)
                    await asyncio.sleep(half_rtt)
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
    udp_transport, _ = await loop.create_datagram_endpoint(
        lambda: UdpFront(upstream, half, stats), sock=udp_sock
    )
    server = await asyncio.start_server(tcp_front(upstream, half, stats), sock=tcp_sock)
    print(json.dumps({"port": udp_sock.getsockname()[1]}), flush=True)

    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    try:
        while True:
            line = (await reader.readline()).decode().strip()
            if line == "reset":
                print(json.dumps(stats.snapshot_and_reset()), flush=True)
            elif line in ("quit", ""):
                return
    finally:
        server.close()
        udp_transport.close()


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
