"""Many DNS queries over a few long-lived sockets: the transport under `LiveSource`.

`dns.asyncquery.udp` opens a socket, an asyncio transport and a protocol object for every
query. A bulk check sends ~50 queries per domain with hundreds of domains in flight, so that
design ran out of file descriptors (`ulimit -n 1024`) and spent most of its CPU on socket
set-up (issue 10). Here:

- UDP: a few non-blocking sockets per address family (each bound to its own random source
  port), read with `loop.add_reader`. Every query gets a random id (`secrets`) that is not in
  flight on its socket; a reply is accepted only if it comes from the server asked, has the
  QR bit, the same id and the same question (RFC 5452 §9.1). Anything else — a spoofed or
  late reply, a wrong id, an answer to another question, garbage — is dropped and the query
  keeps waiting, so a server that sends only such replies ends in a timeout. After
  `ROTATE_AFTER` queries a socket is retired (closed once its last query ends) and a fresh
  one with a new source port takes its place, so the port does not stay guessable for long.
- TCP (after TC=1, RFC 7766 §5): a small pool of connections per server, at most
  `TCP_PER_SERVER` open at once, one query at a time on each, kept idle for reuse. A reused
  connection the server has closed meanwhile is replaced once.

Sockets are plain non-blocking sockets, not asyncio transports, so they are not tied to one
event loop: a `LiveSource` used by several `asyncio.run` calls in turn (tests, the CLI) keeps
its sockets and re-registers them with whichever loop is running. `close()` releases them; a
finalizer does if nobody calls it.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import struct
import time
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import field
from typing import Generic, TypeVar

from mailauth.dns.early import (
    MAX_KEPT_REPLIES,
    EarlyQuery,
    EarlyRound,
    question_section,
    reply_matches,
)
from mailauth.frozen import mutable

T = TypeVar("T")

UDP_SOCKETS_PER_FAMILY = 4
ROTATE_AFTER = 20_000  # queries sent from one UDP socket before it is replaced
TCP_PER_SERVER = 4
RECEIVE_BUFFER = 1 << 20
MAX_MESSAGE = 65535

Address = tuple[str, int]


class _Query(Generic[T]):
    """One UDP query waiting for its reply. `future` is None once the query has ended (it
    may still sit in the multiplexer's timeout queue until its expiry passes)."""

    __slots__ = ("accept", "expires", "future", "question", "server")

    def __init__(
        self,
        future: asyncio.Future[T],
        server: Address,
        question: bytes,
        accept: Callable[[bytes], T | None],
        expires: float,
    ) -> None:
        self.future: asyncio.Future[T] | None = future
        self.server = server
        self.question = question
        self.accept = accept
        self.expires = expires


@mutable(eq=False)
class _UdpSocket:
    sock: socket.socket
    pending: dict[int, _Query[object]] = field(default_factory=dict)
    sent: int = 0
    loop: asyncio.AbstractEventLoop | None = None
    # Early queries sent from this socket that no query has claimed yet (`adopt`), by id.
    early: dict[int, EarlyQuery] = field(default_factory=dict)

    @property
    def retired(self) -> bool:
        return self.sent >= ROTATE_AFTER


def _matches(data: bytes, query: _Query[object] | EarlyQuery) -> bool:
    return reply_matches(data, query.question)


class Multiplexer:
    """Shared UDP sockets and pooled TCP connections for one `LiveSource`."""

    def __init__(self, sockets_per_family: int = UDP_SOCKETS_PER_FAMILY) -> None:
        self.per_family = max(1, sockets_per_family)
        self._udp: dict[int, list[_UdpSocket]] = {}
        self._retired: list[_UdpSocket] = []
        self._next = 0
        self._tcp_idle: dict[Address, list[socket.socket]] = {}
        self._tcp_open: dict[Address, int] = {}
        self._tcp_waiters: dict[Address, deque[asyncio.Future[None]]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        # UDP timeouts: queries in order of expiry, one timer for the earliest (a TimerHandle
        # per query was ~8 % of a bulk check's CPU, issue 10).
        self._timeouts: deque[_Query[object]] = deque()
        self._timer: asyncio.TimerHandle | None = None
        self._ids: list[int] = []  # random query ids, drawn in batches
        # Queries sent before this multiplexer existed (`adopt`), by (bytes after the id,
        # server): the first `udp` call with the same bytes to the same server claims one.
        self._early: dict[tuple[bytes, Address], tuple[_UdpSocket, EarlyQuery]] = {}
        self._all: set[socket.socket] = set()
        self.tcp_connections = 0  # TCP connections opened so far (tests: the pool is reused)
        self._finalizer = weakref.finalize(self, _close_all, self._all)

    # -- bookkeeping --------------------------------------------------------------------

    @property
    def open_sockets(self) -> int:
        """Sockets held now (UDP and TCP): tests assert this stays small."""
        return len(self._all)

    def local_ports(self) -> set[int]:
        """Source ports of the UDP sockets in use now (tests: they rotate)."""
        return {e.sock.getsockname()[1] for es in self._udp.values() for e in es}

    def close(self) -> None:
        self._early.clear()
        for entries in self._udp.values():
            for entry in entries:
                self._drop_udp(entry)
        for entry in self._retired:
            self._drop_udp(entry)
        self._udp.clear()
        self._retired.clear()
        for idle in self._tcp_idle.values():
            for sock in idle:
                self._close(sock)
        self._tcp_idle.clear()
        self._tcp_open.clear()
        self._tcp_waiters.clear()
        _close_all(self._all)

    def _bind(self) -> asyncio.AbstractEventLoop:
        """The running loop; on a new loop, state tied to the old one is dropped (its
        futures can never complete: that loop is gone or no longer running)."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            for entries in self._udp.values():
                for entry in entries:
                    entry.pending.clear()
                    entry.loop = None
            for entry in self._retired:
                self._drop_udp(entry)
            self._retired.clear()
            self._tcp_waiters.clear()
            self._tcp_open = {a: len(s) for a, s in self._tcp_idle.items()}
            self._timeouts.clear()
            self._timer = None  # a handle of the old loop: never runs on this one
            self._loop = loop
        return loop

    def _close(self, sock: socket.socket) -> None:
        self._all.discard(sock)
        sock.close()

    # -- UDP ----------------------------------------------------------------------------

    def _udp_socket(self, family: int, loop: asyncio.AbstractEventLoop) -> _UdpSocket:
        entries = self._udp.setdefault(family, [])
        self._next = (self._next + 1) % self.per_family
        index = self._next
        if index < len(entries) and entries[index].retired:
            old = entries[index]
            if old.pending:
                self._retired.append(old)
            else:
                self._drop_udp(old)
            entries[index] = self._new_udp(family)
        elif index >= len(entries):
            entries.append(self._new_udp(family))
            index = len(entries) - 1
        entry = entries[index]
        if entry.loop is not loop:
            loop.add_reader(entry.sock.fileno(), self._readable, entry)
            entry.loop = loop
        return entry

    def _new_udp(self, family: int) -> _UdpSocket:
        sock = socket.socket(family, socket.SOCK_DGRAM)
        try:
            sock.setblocking(False)
            # Room for a burst of replies (hundreds of queries share 4 sockets); the kernel
            # caps it at net.core.rmem_max.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
            sock.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", 0))
        except OSError:
            sock.close()
            raise
        self._all.add(sock)
        return _UdpSocket(sock)

    def _drop_udp(self, entry: _UdpSocket) -> None:
        if entry.loop is not None and not entry.loop.is_closed():
            entry.loop.remove_reader(entry.sock.fileno())
        entry.loop = None
        self._close(entry.sock)

    def _readable(self, entry: _UdpSocket) -> None:
        """Read every datagram waiting; hand each matching one to its query."""
        while True:
            try:
                data, addr = entry.sock.recvfrom(MAX_MESSAGE)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:  # an ICMP error queued on the socket: nothing to match it to
                continue
            if len(data) < 12:
                continue
            qid = int.from_bytes(data[:2], "big")
            query = entry.pending.get(qid)
            if query is None:
                if entry.early:
                    _keep_early(entry.early.get(qid), data, addr)
                continue
            if (addr[0], addr[1]) != query.server:
                continue
            future = query.future
            if future is None or future.done() or not _matches(data, query):
                continue
            try:
                value = query.accept(data)
            except Exception:  # unparsable: ignore it, as for any reply that does not fit
                continue
            if value is not None:
                future.set_result(value)
        if entry.sock.fileno() >= 0 and entry in self._retired and not entry.pending:
            self._retired.remove(entry)
            self._drop_udp(entry)

    async def udp(
        self,
        wire: bytes,
        server: Address,
        timeout: float,
        accept: Callable[[bytes], T | None],
    ) -> T:
        """Send `wire` (its first two bytes are replaced by a fresh random id) and return
        `accept(reply)` for the first reply that matches. `accept` may return None or raise
        to reject a reply. Raises TimeoutError after `timeout`, OSError if it cannot send.
        The same bytes to the same server sent early (`adopt`) are not sent again: this
        call takes that query over, with its id and its send time."""
        loop = self._bind()
        if self._early:
            claimed = self._early.pop((wire[2:], server), None)
            if claimed is not None and (claimed[1].replies or _alive(claimed[1], timeout)):
                return await self._claim(loop, *claimed, timeout, accept)
        family = socket.AF_INET6 if ":" in server[0] else socket.AF_INET
        entry = self._udp_socket(family, loop)
        qid = self._new_id()
        while qid in entry.pending or qid in entry.early:
            qid = self._new_id()
        future: asyncio.Future[T] = loop.create_future()
        query = _Query(future, server, question_section(wire), accept, loop.time() + timeout)
        entry.pending[qid] = query  # type: ignore[assignment]
        entry.sent += 1
        self._expire_later(loop, query)  # type: ignore[arg-type]
        try:
            entry.sock.sendto(struct.pack("!H", qid) + wire[2:], server)
            return await future
        finally:
            self._ended(entry, qid, query)  # type: ignore[arg-type]

    async def _claim(
        self,
        loop: asyncio.AbstractEventLoop,
        entry: _UdpSocket,
        early: EarlyQuery,
        timeout: float,
        accept: Callable[[bytes], T | None],
    ) -> T:
        """Wait for the reply to an early query as for one sent now: the same checks, the
        attempt's `timeout` counted from when the datagram left. A reply read before the
        claim is judged first."""
        entry.early.pop(early.qid, None)
        future: asyncio.Future[T] = loop.create_future()
        query = _Query(future, early.server, early.question, accept, early.sent_at + timeout)
        for data in early.replies:
            try:
                value = accept(data)
            except Exception:  # unparsable: as `_readable` ignores it
                continue
            if value is not None:
                future.set_result(value)
                break
        early.replies.clear()
        if not future.done():
            entry.pending[early.qid] = query  # type: ignore[assignment]
            self._expire_later(loop, query)  # type: ignore[arg-type]
            if entry.loop is not loop:
                loop.add_reader(entry.sock.fileno(), self._readable, entry)
                entry.loop = loop
        try:
            return await future
        finally:
            self._ended(entry, early.qid, query)  # type: ignore[arg-type]

    def _ended(self, entry: _UdpSocket, qid: int, query: _Query[object]) -> None:
        query.future = None
        if entry.pending.get(qid) is query:
            del entry.pending[qid]
        if entry in self._retired and not entry.pending:
            self._retired.remove(entry)
            self._drop_udp(entry)

    def adopt(self, early: EarlyRound) -> None:
        """Take over a round sent before this multiplexer existed (`dns/early.py`): its
        socket becomes one of this multiplexer's UDP sockets, and each of its queries is
        claimed by the first `udp` call that sends the same bytes to the same server."""
        entry = _UdpSocket(early.sock, sent=len(early.queries))
        entry.early = {q.qid: q for q in early.queries.values()}
        self._all.add(early.sock)
        self._udp.setdefault(early.family, []).append(entry)
        for key, query in early.queries.items():
            self._early[key] = (entry, query)

    def _new_id(self) -> int:
        """A random 16-bit query id (RFC 5452 §9.2), from a batch drawn with `secrets` (one
        `os.urandom` per 512 queries instead of one per query)."""
        if not self._ids:
            self._ids = list(struct.unpack("!512H", secrets.token_bytes(1024)))
        return self._ids.pop()

    def _expire_later(self, loop: asyncio.AbstractEventLoop, query: _Query[object]) -> None:
        """Fail `query` with TimeoutError at `query.expires` unless it has ended by then.
        Queries almost always expire in the order they are sent (one timeout for all): they
        join the queue; one expiring before the last queued (a shorter last attempt before a
        deadline) gets a timer of its own."""
        queue = self._timeouts
        if queue and query.expires < queue[-1].expires:
            loop.call_at(query.expires, _expire, query)
            return
        queue.append(query)
        if self._timer is None:
            self._timer = loop.call_at(queue[0].expires, self._sweep, loop)

    def _sweep(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = None
        if loop is not self._loop:
            return  # the queue now belongs to another loop (`_bind` emptied it)
        queue = self._timeouts
        now = loop.time()
        while queue and queue[0].expires <= now:
            _expire(queue.popleft())
        if queue:
            self._timer = loop.call_at(queue[0].expires, self._sweep, loop)

    # -- TCP ----------------------------------------------------------------------------

    async def tcp(self, wire: bytes, server: Address, timeout: float) -> bytes:
        """One query over a pooled TCP connection; the reply's bytes (id and question are
        the caller's to check). Raises asyncio.TimeoutError, EOFError or OSError."""
        loop = self._bind()
        return await asyncio.wait_for(self._tcp_exchange(loop, wire, server), timeout)

    async def _tcp_exchange(
        self, loop: asyncio.AbstractEventLoop, wire: bytes, server: Address
    ) -> bytes:
        sock, reused = await self._tcp_take(server, loop)
        try:
            reply = await self._tcp_ask(loop, sock, wire)
        except (EOFError, ConnectionError):
            self._tcp_release(server, sock, healthy=False)
            if not reused:
                raise
            # The server closed an idle connection (RFC 7766 §6.2.3): one fresh try.
            sock, _ = await self._tcp_take(server, loop, fresh=True)
            try:
                reply = await self._tcp_ask(loop, sock, wire)
            except BaseException:
                self._tcp_release(server, sock, healthy=False)
                raise
        except BaseException:
            self._tcp_release(server, sock, healthy=False)
            raise
        self._tcp_release(server, sock, healthy=True)
        return reply

    async def _tcp_take(
        self, server: Address, loop: asyncio.AbstractEventLoop, fresh: bool = False
    ) -> tuple[socket.socket, bool]:
        while True:
            idle = self._tcp_idle.get(server)
            if idle and not fresh:
                return idle.pop(), True
            if self._tcp_open.get(server, 0) < TCP_PER_SERVER:
                break
            if idle:  # `fresh`: swap an idle connection for a new one
                self._close(idle.pop())
                self._tcp_open[server] -= 1
                break
            waiter: asyncio.Future[None] = loop.create_future()
            self._tcp_waiters.setdefault(server, deque()).append(waiter)
            await waiter  # woken by `_tcp_release`
        self._tcp_open[server] = self._tcp_open.get(server, 0) + 1
        family = socket.AF_INET6 if ":" in server[0] else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        self._all.add(sock)
        self.tcp_connections += 1
        try:
            sock.setblocking(False)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            await loop.sock_connect(sock, server)
        except BaseException:
            self._tcp_release(server, sock, healthy=False)
            raise
        return sock, False

    def _tcp_release(self, server: Address, sock: socket.socket, healthy: bool) -> None:
        if healthy and sock.fileno() >= 0:
            self._tcp_idle.setdefault(server, []).append(sock)
        else:
            self._close(sock)
            self._tcp_open[server] = max(0, self._tcp_open.get(server, 0) - 1)
        waiters = self._tcp_waiters.get(server)
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                break

    @staticmethod
    async def _tcp_ask(loop: asyncio.AbstractEventLoop, sock: socket.socket, wire: bytes) -> bytes:
        await loop.sock_sendall(sock, struct.pack("!H", len(wire)) + wire)
        (length,) = struct.unpack("!H", await _recv_exactly(loop, sock, 2))
        return await _recv_exactly(loop, sock, length)


async def _recv_exactly(loop: asyncio.AbstractEventLoop, sock: socket.socket, n: int) -> bytes:
    chunks: list[bytes] = []
    while n:
        chunk = await loop.sock_recv(sock, n)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _keep_early(early: EarlyQuery | None, data: bytes, addr: tuple[str, int]) -> None:
    """A reply to an early query nobody has claimed yet: kept for the claim, if it comes
    from the server asked and repeats the question (the rest of the checks at the claim)."""
    if early is None or (addr[0], addr[1]) != early.server or not _matches(data, early):
        return
    if len(early.replies) < MAX_KEPT_REPLIES:
        early.replies.append(data)


def _alive(early: EarlyQuery, timeout: float) -> bool:
    """Whether an early query unanswered so far is still within an attempt of `timeout`
    seconds (a later claim sends the question afresh instead of timing out at once)."""
    return early.sent_at + timeout > time.monotonic()


def _expire(query: _Query[object]) -> None:
    future = query.future
    if future is not None and not future.done():
        future.set_exception(TimeoutError())


def _close_all(sockets: set[socket.socket]) -> None:
    for sock in list(sockets):
        sock.close()
    sockets.clear()
