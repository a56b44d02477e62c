"""A UDP relay on loopback that forwards DNS queries to a test server and notes when each
query arrived: the server-side count that the `--qps` test holds the rate limit against.

One thread, two sockets: queries arrive on `listen` (the address given to --nameserver),
go upstream from `upstream` with an id of the relay's own (mapped back on the way out), and
the reply is sent to the client from `listen`, the address it asked. UDP only (the
synthetic zone's answers fit in UDP).

Arrival times are the kernel's receive timestamps (SO_TIMESTAMPNS), not the time this
thread got round to reading a query: on a loaded machine the thread can be held up for a
while and would then stamp a backlog of queries as arriving at once.
"""

from __future__ import annotations

import select
import socket
import struct
import threading
import time

# Linux's value (Python 3.11's socket module does not name it); the control message that
# carries the stamp has the same number, a struct timespec of two 64-bit fields.
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
_STAMP_SPACE = socket.CMSG_SPACE(16)


class CountingRelay:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.listen = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.listen.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.listen.bind(("127.0.0.1", 0))
        self.upstream = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.upstream.connect(upstream)
        self.arrivals: list[float] = []  # when each query reached the socket (seconds)
        self.questions: list[tuple[str, int]] = []  # (lower-case qname, qtype) of each query
        self._map: dict[int, tuple[bytes, tuple[str, int]]] = {}
        self._next = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="counting-relay", daemon=True)
        self._thread.start()

    @property
    def nameserver(self) -> str:
        host, port = self.listen.getsockname()
        return f"{host}:{port}"

    def _run(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.listen, self.upstream], [], [], 0.1)
            for sock in ready:
                try:
                    data, ancillary, _, addr = sock.recvmsg(65535, _STAMP_SPACE)
                except OSError:
                    continue
                if len(data) < 12:
                    continue
                if sock is self.listen:
                    self.arrivals.append(_kernel_time(ancillary))
                    self.questions.append(_question(data))
                    self._next = (self._next + 1) % 65536
                    self._map[self._next] = (data[:2], addr)
                    self.upstream.send(struct.pack("!H", self._next) + data[2:])
                else:
                    (relay_id,) = struct.unpack("!H", data[:2])
                    found = self._map.pop(relay_id, None)
                    if found is not None:
                        self.listen.sendto(found[0] + data[2:], found[1])

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.listen.close()
        self.upstream.close()


def _kernel_time(ancillary: list[tuple[int, int, bytes]]) -> float:
    """The receive timestamp the kernel attached (CLOCK_REALTIME: only differences between
    arrivals are used); the time of reading when there is none."""
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= 16:
            seconds, nanoseconds = struct.unpack("qq", data[:16])
            return seconds + nanoseconds / 1e9
    return time.time()


def most_in_window(arrivals: list[float], window: float) -> int:
    """The most arrivals within any `window` seconds."""
    times = sorted(arrivals)
    best = start = 0
    for end, t in enumerate(times):
        while t - times[start] > window:
            start += 1
        best = max(best, end - start + 1)
    return best


def _question(data: bytes) -> tuple[str, int]:
    """The (name, type) of a query's first question, read from the wire by hand (the
    relay must not depend on the code under test); ("", 0) when it cannot be read."""
    labels: list[str] = []
    at = 12
    try:
        while data[at]:
            length = data[at]
            labels.append(data[at + 1 : at + 1 + length].decode("ascii", "replace"))
            at += 1 + length
        (qtype,) = struct.unpack("!H", data[at + 1 : at + 3])
    except (IndexError, struct.error):
        return "", 0
    return ".".join(labels).lower(), qtype
