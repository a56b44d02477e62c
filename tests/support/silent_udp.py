"""A UDP "nameserver" on loopback that never answers and counts what reaches it: for the
runs that must send nothing early (cli/check_early.py) or meet a silent server."""

from __future__ import annotations

import socket


def silent_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.setblocking(False)
    return sock


def datagrams_waiting(sock: socket.socket) -> int:
    """How many datagrams reached `sock` since the last call (they are read)."""
    count = 0
    while True:
        try:
            sock.recv(4096)
        except BlockingIOError:
            return count
        count += 1
