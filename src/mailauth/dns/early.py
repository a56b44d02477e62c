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
"""

from __future__ import annotations

import atexit
import os
import socket
import struct
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

Address = tuple[str, int]


def question_section(query: bytes) -> bytes:
    """The question of a one-question query: what the reply must repeat (lower-cased, as
    names compare case-insensitively, RFC 4343). The name is never compressed there."""
    end = 12
    while query[end]:
        end += query[end] + 1
    return query[12 : end + 5].lower()


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

    def close(self) -> None:
        self.sock.close()


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


def take() -> EarlyRound | None:
    """The round this process sent early, once (None: none was sent, or it was taken)."""
    return _launched.pop() if _launched else None


def discard() -> None:
    """Close a round nobody will adopt (the run turned out not to be what the command line
    looked like: zone files, several domains)."""
    early = take()
    if early is not None:
        early.close()
