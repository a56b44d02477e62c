"""The live DNS client's transport without an event loop: one question at a time, on
blocking sockets.

Why: `mailauth verify` of one message makes a handful of lookups, and importing asyncio for
them was ~12 % of the command (issue 10, against dkimverify). `LiveSource` keeps all of its
exchange logic (nameservers in turn, retries, TCP after a truncated reply, CNAMEs, which
failure to report) and only swaps the transport: this one is the `Multiplexer`'s contract
(`udp`, `tcp`) fulfilled by waiting on the socket itself, so its coroutines finish without
ever suspending and run under `concurrency.run_blocking`. The anti-spoofing rules are the
multiplexer's: a random id per query, a reply accepted only from the server asked, with the
id and the question repeated (`reply_matches`); anything else is read past until the
attempt's time is up.
"""

from __future__ import annotations

import os
import select
import socket
import struct
import time
from collections.abc import Callable
from typing import TypeVar

from mailauth.dns.early import question_section, reply_matches

T = TypeVar("T")
Address = tuple[str, int]
MAX_MESSAGE = 65535


class BlockingTransport:
    """One UDP socket per address family, opened at first use; TCP per question."""

    def __init__(self) -> None:
        self._udp: dict[int, socket.socket] = {}

    def close(self) -> None:
        for sock in self._udp.values():
            sock.close()
        self._udp.clear()

    @property
    def open_sockets(self) -> int:
        return len(self._udp)

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

    async def udp(
        self, wire: bytes, server: Address, timeout: float, accept: Callable[[bytes], T | None]
    ) -> T:
        """Send `wire` with a fresh random id; `accept(reply)` of the first reply that
        matches. TimeoutError after `timeout`; OSError if it cannot send."""
        family = socket.AF_INET6 if ":" in server[0] else socket.AF_INET
        sock = self._socket(family)
        qid = os.urandom(2)
        question = question_section(wire)
        expires = time.monotonic() + timeout
        sock.sendto(qid + wire[2:], server)
        while True:
            remaining = expires - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            readable, _, _ = select.select([sock], [], [], remaining)
            if not readable:
                raise TimeoutError
            try:
                data, addr = sock.recvfrom(MAX_MESSAGE)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:  # an ICMP error queued on the socket: nothing to match it to
                continue
            if data[:2] != qid or (addr[0], addr[1]) != server:
                continue
            if not reply_matches(data, question):
                continue
            try:
                value = accept(data)
            except Exception:  # unparsable: ignored, as any reply that does not fit
                continue
            if value is not None:
                return value

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
