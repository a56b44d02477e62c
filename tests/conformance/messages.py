"""Reading the message layouts the vendored suites use."""

from __future__ import annotations


def crlf(data: bytes) -> bytes:
    """LF-only vectors become CRLF messages (their manifests say so)."""
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def split_stalwart(data: bytes) -> tuple[dict[str, list[list[str]]], bytes]:
    """`<name> <TXT value>` lines, a blank line, then the message (Stalwart's layout)."""
    head, _, message = data.replace(b"\r\n", b"\n").partition(b"\n\n")
    txt: dict[str, list[list[str]]] = {}
    for line in head.decode("utf-8").splitlines():
        name, _, value = line.strip().partition(" ")
        txt.setdefault(name, []).append([value.strip()])
    return txt, crlf(message)
