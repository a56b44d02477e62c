"""A round of UDP queries sent before the event loop and the DNS client exist, handed to the
client's multiplexer (`dns/mux.py`) when it starts.

`mailauth check DOMAIN` spends ~60 ms of CPU on a quiet host (more on a busy one) loading
click, asyncio and its own option, output and DNS modules before its DNS client can send
anything, and then waits a round trip for its first answers (issue 10: at 50 ms RTT the
command's time is its CPU plus its round trips). The first questions are known from the
command line alone (`domain/first_round.py`), so the process entry point sends them first
(`cli/check_early.py`) and the answers travel while the rest loads.

The datagrams are exactly what `LiveSource` sends for the same questions (`query_wire`;
the same EDNS buffer, flags and question, a random id each) from a socket like the
multiplexer's own, to the server the source asks first. When the run's source is built,
`LiveSource.adopt_early` gives the socket and its queries to the multiplexer: a query the
source sends later with the same bytes to the same server is *claimed* instead of sent, and
receives the reply to the early datagram under the multiplexer's usual rules (sender, id,
question; a reply read before the claim is kept for it), its attempt counted from when it
left. So an answer is used only where the client would have asked that very question of
that server itself; an early question nobody asks ends unanswered and unread (harmless: a
wrong guess costs a datagram, never a result), and a question the run asks but the early
round did not is simply sent then.

This module is imported before anything else of the DNS client: no asyncio, nothing heavy.
The round is closed at exit if no client adopted it (a usage error, a configuration error).

**The MX answer followed early** (`follow_mx`): the first answers come back while the rest
of the command still loads (~90 ms of CPU on a busy host against a 50 ms round trip), and
a domain whose MX hosts are aliases or have no address in the MX answer (broken.example)
needs three rounds in a row: MX, the hosts' A/AAAA, their PTR. So a small daemon thread
waits for the MX reply on the early socket while the main thread imports, and sends the
hosts' A and AAAA questions as soon as it is read; the MX check later asks exactly those
(`domain/mx.py`: at most MAX_MX_HOSTS exchanges by preference, names as written, no
address literal) and claims them like the first round's. The thread imports nothing (every
module it uses is loaded before it starts), touches only the round it was given, and is
stopped and joined before the round is handed over or closed, so the multiplexer never
shares the socket with it. A reply it reads is kept for its query by the multiplexer's
rules (the server asked, the id, the question).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import select
import socket
import struct
import threading
import time
from collections.abc import Iterable
from dataclasses import field

from mailauth.dns import wire
from mailauth.frozen import mutable

# DNS Flag Day 2020: an EDNS buffer that avoids IP fragmentation; larger answers set TC=1
# and are fetched again over TCP (RFC 7766 §5). One value for both senders.
EDNS_PAYLOAD = 1232
RECEIVE_BUFFER = 1 << 20  # as the multiplexer's sockets (room for a burst of replies)
MAX_KEPT_REPLIES = 4  # replies kept per early query until it is claimed
MAX_MX_HOSTS = 10  # exchanges followed, as domain/mx.py's MAX_MX_HOSTS (a test holds them equal)
FOLLOW_SECONDS = 3.0  # the follower gives up waiting for the MX reply after this long
_MX = 15
_TRUNCATED = 0x0200

Address = tuple[str, int]


def question_section(query: bytes) -> bytes:
    """The question of a one-question query: what the reply must repeat (lower-cased, as
    names compare case-insensitively, RFC 4343). The name is never compressed there."""
    end = 12
    while query[end]:
        end += query[end] + 1
    return query[12 : end + 5].lower()


def reply_matches(data: bytes, question: bytes) -> bool:
    """Whether `data` is a reply (QR set, one question) repeating `question`, compared
    case-insensitively (the multiplexer's rule, dns/mux.py, and the follower's)."""
    if len(data) < 12 or not data[2] & 0x80 or data[4:6] != b"\x00\x01":
        return False
    return data[12 : 12 + len(question)].lower() == question


def query_wire(name: str, rdtype: str) -> bytes | None:
    """The query a `LiveSource` sends for a plain question (id 0), or None when the name or
    type needs dnspython's reading (`wire.simple_question`): such a question is not sent
    early."""
    fast = wire.simple_question(name.strip().rstrip(".").lower(), rdtype)
    if fast is None:
        return None
    labels, _, rdt = fast
    return wire.build_query(labels, rdt, EDNS_PAYLOAD)


@mutable(eq=False)
class EarlyQuery:
    """One early datagram: its id, its bytes after the id, where it went and when."""

    qid: int
    body: bytes
    server: Address
    question: bytes
    sent_at: float  # time.monotonic(), the event loop's clock
    replies: list[bytes] = field(default_factory=list)


@mutable(eq=False)
class EarlyRound:
    """The socket of an early round and its queries, by (bytes after the id, server)."""

    sock: socket.socket
    family: int
    queries: dict[tuple[bytes, Address], EarlyQuery]
    follower: _Follower | None = None

    def stop_following(self) -> None:
        """Stop and join the follower (if any): the round is the caller's alone after."""
        follower, self.follower = self.follower, None
        if follower is not None:
            follower.halt()

    def close(self) -> None:
        self.stop_following()
        self.sock.close()

    def send(self, body: bytes, server: Address) -> EarlyQuery:
        """Send one more query (a query's bytes, any id) with an id unused on this socket.
        Raises OSError."""
        used = {query.qid for query in self.queries.values()}
        qid = struct.unpack("!H", os.urandom(2))[0]
        while qid in used:  # unique on this socket (RFC 5452 §9.2: random)
            qid = struct.unpack("!H", os.urandom(2))[0]
        self.sock.sendto(struct.pack("!H", qid) + body[2:], server)
        early = EarlyQuery(qid, body[2:], server, question_section(body), time.monotonic())
        self.queries[(early.body, server)] = early
        return early


class _Follower(threading.Thread):
    """Reads the early socket until the MX reply of `mx` comes (or FOLLOW_SECONDS pass, or
    it is stopped), keeps every matching reply for its query, then sends the A and AAAA
    questions of the exchanges and ends."""

    def __init__(self, round_: EarlyRound, mx: EarlyQuery) -> None:
        super().__init__(name="mailauth-early-mx", daemon=True)
        self.round = round_
        self.mx = mx
        # It sleeps in select() on the socket and this pair's reading end until a reply or
        # `halt` comes: no wake-ups (each one would take the GIL from the loading command).
        self._wake_read, self._wake_write = socket.socketpair()
        self.stopped = False
        self.sent: list[tuple[str, str]] = []  # what it asked, for the tests

    def halt(self) -> None:
        """Stop it and wait until it has (it ends at once: it only waits in select)."""
        self.stopped = True
        with contextlib.suppress(OSError):
            self._wake_write.send(b"!")
        if self.ident is not None:
            self.join()
        self._wake_read.close()
        self._wake_write.close()

    def run(self) -> None:
        try:
            self._wait_and_follow()
        except Exception:  # never the reason a run fails: the run asks for itself
            return

    def _wait_and_follow(self) -> None:
        sock = self.round.sock
        by_id = {query.qid: query for query in self.round.queries.values()}
        give_up = time.monotonic() + FOLLOW_SECONDS
        while not self.stopped:
            left = give_up - time.monotonic()
            if left <= 0:
                return
            readable, _, _ = select.select([sock, self._wake_read], [], [], left)
            if self.stopped or sock not in readable:
                continue
            while True:
                try:
                    data, addr = sock.recvfrom(65535)
                except (BlockingIOError, InterruptedError):
                    break
                query = by_id.get(int.from_bytes(data[:2], "big")) if len(data) >= 2 else None
                if query is None or (addr[0], addr[1]) != query.server:
                    continue
                if not reply_matches(data, query.question):
                    continue
                if len(query.replies) < MAX_KEPT_REPLIES:
                    query.replies.append(data)
                if query is self.mx:
                    self._follow(data)
                    return

    def _follow(self, data: bytes) -> None:
        for host in exchanges(data):
            for rdtype in ("A", "AAAA"):
                body = query_wire(host, rdtype)
                if body is None:
                    continue
                if (body[2:], self.mx.server) in self.round.queries:
                    continue  # asked already (the domain itself, say)
                self.round.send(body, self.mx.server)
                self.sent.append((host, rdtype))


def exchanges(reply: bytes) -> list[str]:
    """The exchange names of an MX reply the MX check looks up (domain/mx.py): the answer's
    MX records sorted by preference and name, not the root (null MX, RFC 7505), not an
    address written as a name, ASCII only, at most MAX_MX_HOSTS; [] for anything but a
    whole NOERROR reply."""
    try:
        parsed = wire.parse_reply(reply)
    except ValueError:
        return []
    if parsed.rcode != 0 or parsed.flags & _TRUNCATED:
        return []
    found: list[tuple[int, str]] = []
    for record in parsed.answer:
        if record.rdtype != _MX or record.length < 3:
            continue
        preference = int.from_bytes(reply[record.offset : record.offset + 2], "big")
        labels, _ = wire.read_name(reply, record.offset + 2)
        if len(labels) < 2 or not all(label.isascii() for label in labels):
            continue
        name = b".".join(labels[:-1]).decode("ascii")
        if name.replace(".", "").isdigit() or ":" in name:
            continue
        found.append((preference, name))
    return [name for _, name in sorted(set(found))[:MAX_MX_HOSTS]]


def send_round(server: Address, questions: Iterable[tuple[str, str]]) -> EarlyRound | None:
    """Send each plain question to `server` now, from one fresh non-blocking socket. None
    (and nothing left open) when the socket cannot be made or a datagram cannot be sent:
    the client then sends them itself and reports what goes wrong, as it always has."""
    family = socket.AF_INET6 if ":" in server[0] else socket.AF_INET
    bodies = [w for w in (query_wire(n, t) for n, t in dict.fromkeys(questions)) if w]
    if not bodies:
        return None
    ids = struct.unpack(f"!{len(bodies)}H", os.urandom(2 * len(bodies)))
    try:
        sock = socket.socket(family, socket.SOCK_DGRAM)
    except OSError:  # no IPv6 here, no descriptor left
        return None
    queries: dict[tuple[bytes, Address], EarlyQuery] = {}
    try:
        sock.setblocking(False)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
        sock.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", 0))
        used: set[int] = set()
        for qid, body in zip(ids, bodies, strict=True):
            while qid in used:  # unique on this socket (RFC 5452 §9.2: random)
                qid = struct.unpack("!H", os.urandom(2))[0]
            used.add(qid)
            sock.sendto(struct.pack("!H", qid) + body[2:], server)
            early = EarlyQuery(qid, body[2:], server, question_section(body), time.monotonic())
            queries[(early.body, server)] = early
    except OSError:
        sock.close()
        return None
    return EarlyRound(sock, family, queries)


_launched: list[EarlyRound] = []


def launch(server: Address, questions: Iterable[tuple[str, str]]) -> bool:
    """`send_round`, kept for the run's client to `take`; closed at exit if never taken."""
    early = send_round(server, questions)
    if early is None:
        return False
    _launched.append(early)
    atexit.register(early.close)
    return True


def follow_mx(domain: str) -> bool:
    """Start following the MX answer of `domain` in the round launched (`_Follower`): whether
    a follower was started (the round asked `domain`'s MX)."""
    if not _launched:
        return False
    early = _launched[-1]
    body = query_wire(domain, "MX")
    mx = None
    if body is not None:
        mx = next((q for q in early.queries.values() if q.body == body[2:]), None)
    if mx is None or early.follower is not None:
        return False
    early.follower = _Follower(early, mx)
    try:
        early.follower.start()
    except RuntimeError:  # no thread can be started here
        early.follower = None
        return False
    return True


def take() -> EarlyRound | None:
    """The round this process sent early, once (None: none was sent, or it was taken), its
    follower stopped."""
    if not _launched:
        return None
    early = _launched.pop()
    early.stop_following()
    return early


def discard() -> None:
    """Close a round nobody will adopt (the run turned out not to be what the command line
    looked like: zone files, several domains)."""
    early = take()
    if early is not None:
        early.close()
