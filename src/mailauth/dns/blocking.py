"""The live DNS client's transport without an event loop: blocking sockets, every datagram
sent as soon as it is asked, replies read by whoever waits.

Why: `mailauth verify` of one message makes a handful of lookups, and importing asyncio for
them was ~12 % of the command (issue 10, against dkimverify). `LiveSource` keeps all of its
exchange logic (nameservers in turn, retries, TCP after a truncated reply, CNAMEs, which
failure to report) and only swaps the transport: this one is the `Multiplexer`'s contract
(`udp`, `tcp`) for `concurrency.run_blocking`.

A UDP exchange sends its datagram at once and yields a `Datagram` request; the driver waits
for the requests of a lockstep round together (`Datagram.perform_all`). Every reply read,
by any wait, goes to the datagram it answers (the transport's table of datagrams in
flight), so lookups overlap as they do on the event loop, including those that synchronous
code makes while others are in flight (pyspf's, through the DNS bridge: its own lookups
follow one another, as they always did, while the DMARC and reverse-DNS lookups already
sent travel). The same question to the same server while one is in flight, or within
REUSE_SECONDS of its reply, is not sent again: where the event loop's cache joins two
askers, this joins their datagrams (tests/integration/test_verify_blocking.py counts them).

The anti-spoofing rules are the multiplexer's: a random id per query, a reply accepted only
from the server asked, with the id and the question repeated (`reply_matches`); anything
else is read past until the attempt's time is up. TCP (after a truncated reply: rare)
waits on its own socket. Used under a running event loop by mistake, a datagram is waited
for there and then, which blocks the loop but answers correctly.
"""

from __future__ import annotations

import os
import select
import socket
import struct
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from mailauth.concurrency import Outcome, Request, in_event_loop
from mailauth.dns.early import question_section, reply_matches

T = TypeVar("T")
Address = tuple[str, int]
MAX_MESSAGE = 65535
REUSE_SECONDS = 1.0  # how long a reply may answer the same question again
REUSE_ENTRIES = 64


class BlockingTransport:
    """One UDP socket per address family, opened at first use; TCP per question."""

    def __init__(self) -> None:
        self._udp: dict[int, socket.socket] = {}
        # In flight: by (socket, id), and by (question bytes, server) for joining.
        self._inflight: dict[tuple[socket.socket, bytes], Datagram] = {}
        self._asked: dict[tuple[bytes, Address], Datagram] = {}
        self._recent: dict[tuple[bytes, Address], tuple[float, bytes]] = {}
        self.sent = 0  # datagrams sent (tests and benchmarks count them)

    def close(self) -> None:
        for sock in self._udp.values():
            sock.close()
        self._udp.clear()
        self._inflight.clear()
        self._asked.clear()

    @property
    def open_sockets(self) -> int:
        return len(self._udp)

    async def udp(
        self, wire: bytes, server: Address, timeout: float, accept: Callable[[bytes], T | None]
    ) -> T:
        """`accept(reply)` of the first reply that matches `wire` (sent with a fresh random
        id). TimeoutError after `timeout`; OSError if it cannot send."""
        request = Datagram(self, wire, server, timeout, accept)
        request.send()
        if in_event_loop():  # (see the module docstring)
            value, error = Datagram.perform_all([request])[0]
            if error is not None:
                raise error
            return value  # type: ignore[no-any-return]
        return await request  # type: ignore[no-any-return]

    async def tcp(self, wire: bytes, server: Address, timeout: float) -> bytes:
        """One query over a new TCP connection; the reply's bytes (id and question are the
        caller's to check). TimeoutError, EOFError or OSError."""
        expires = time.monotonic() + timeout
        family = socket.AF_INET6 if ":" in server[0] else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as sock:  # a timeout: TimeoutError
            sock.settimeout(timeout)
            sock.connect(server)
            sock.settimeout(max(0.001, expires - time.monotonic()))
            sock.sendall(struct.pack("!H", len(wire)) + wire)
            (length,) = struct.unpack("!H", _recv_exactly(sock, 2, expires))
            return _recv_exactly(sock, length, expires)

    def _socket(self, family: int) -> socket.socket:
        sock = self._udp.get(family)
        if sock is None:
            sock = socket.socket(family, socket.SOCK_DGRAM)
            try:
                sock.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", 0))
            except OSError:
                sock.close()
                raise
            self._udp[family] = sock
        return sock

    def _read(self, sock: socket.socket) -> None:
        """One datagram from `sock`, given to the query in flight it answers, if any."""
        try:
            data, addr = sock.recvfrom(MAX_MESSAGE)
        except OSError:  # an ICMP error queued on the socket, EAGAIN, EINTR
            return
        request = self._inflight.get((sock, data[:2]))
        if request is None or (addr[0], addr[1]) != request.server:
            return
        if not reply_matches(data, request.question):
            return
        try:
            value = request.accept(data)
        except Exception:  # unparsable: ignored, as any reply that does not fit
            return
        if value is not None:
            request.finish((value, None))
            self._recent[(request.wire[2:], request.server)] = (time.monotonic(), data)
            while len(self._recent) > REUSE_ENTRIES:
                self._recent.pop(next(iter(self._recent)))


class Datagram(Request):
    """One UDP exchange: sent when made (`send`), waited for by `perform_all`."""

    def __init__(
        self,
        transport: BlockingTransport,
        wire: bytes,
        server: Address,
        timeout: float,
        accept: Callable[[bytes], Any],
    ) -> None:
        self.transport = transport
        self.wire = wire
        self.server = server
        self.accept = accept
        self.expires = time.monotonic() + timeout
        self.question = question_section(wire)
        self.outcome: Outcome | None = None
        self.twin: Datagram | None = None  # the same question in flight: its outcome is ours
        self._key: tuple[socket.socket, bytes] | None = None

    def send(self) -> None:
        """Send the datagram, unless the same question to the same server is in flight
        (then wait for that one) or was answered a moment ago (then that reply answers)."""
        transport, same = self.transport, (self.wire[2:], self.server)
        twin = transport._asked.get(same)
        if twin is not None and twin.outcome is None and twin.expires > time.monotonic():
            self.twin = twin
            return
        kept = transport._recent.get(same)
        if kept is not None and time.monotonic() - kept[0] <= REUSE_SECONDS:
            try:
                value = self.accept(kept[1])
            except Exception:
                value = None
            if value is not None:
                self.outcome = (value, None)
                return
        family = socket.AF_INET6 if ":" in self.server[0] else socket.AF_INET
        try:
            sock = transport._socket(family)
            qid = os.urandom(2)
            while (sock, qid) in transport._inflight:
                qid = os.urandom(2)
            sock.sendto(qid + self.wire[2:], self.server)
        except OSError as exc:
            self.outcome = (None, exc)
            return
        transport.sent += 1
        self._key = (sock, qid)
        transport._inflight[self._key] = self
        transport._asked[same] = self

    def finish(self, outcome: Outcome) -> None:
        self.outcome = outcome
        transport = self.transport
        if self._key is not None and transport._inflight.get(self._key) is self:
            del transport._inflight[self._key]
        same = (self.wire[2:], self.server)
        if transport._asked.get(same) is self:
            del transport._asked[same]

    def _settled(self, now: float) -> Outcome | None:
        """The outcome if there is one (ours or the twin's); a TimeoutError past expiry."""
        if self.outcome is None and self.twin is not None and self.twin.outcome is not None:
            value, error = self.twin.outcome
            self.outcome = (value, None) if error is None else (None, type(error)(*error.args))
        if self.outcome is None and now >= self.expires:
            self.finish((None, TimeoutError()))
        return self.outcome

    @classmethod
    def perform_all(cls, requests: Sequence[Request]) -> list[Outcome]:
        """Wait until every datagram has its reply or its time is up: (value, None), or
        (None, TimeoutError / the OSError of a failed send). Replies to other datagrams in
        flight, read meanwhile, are kept for them."""
        datagrams = [r for r in requests if isinstance(r, Datagram)]
        assert len(datagrams) == len(requests)
        while True:
            now = time.monotonic()
            open_ = [d for d in datagrams if d._settled(now) is None]
            if not open_:
                return [d.outcome for d in datagrams]  # type: ignore[misc]
            waits = [d.twin if d.twin is not None else d for d in open_]
            sockets = {w._key[0] for w in waits if w._key is not None}
            left = min(d.expires for d in open_) - now
            readable, _, _ = select.select(list(sockets), [], [], max(0.0, left))
            for sock in readable:
                transport = next(w.transport for w in waits if w._key and w._key[0] is sock)
                transport._read(sock)


def _recv_exactly(sock: socket.socket, n: int, expires: float) -> bytes:
    chunks: list[bytes] = []
    while n:
        sock.settimeout(max(0.001, expires - time.monotonic()))
        chunk = sock.recv(n)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)
