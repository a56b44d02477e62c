"""Issue 9 item 5 with ARC: one DKIM-Signature over a 50 MiB body of bare newlines held
5.5 GB when the message was also ARC-sealed, because dkimpy's `arc_verify` split the message
into one list item per line and canonicalized the body with regular expressions, once per
ARC-Message-Signature. The body no longer reaches dkimpy (message/arc.py hashes it natively):
the whole verification, DKIM and ARC, parse included, stays under 4x the message's size,
measured with tracemalloc (the message itself, allocated before, is added), time-bounded.
"""

from __future__ import annotations

import asyncio
import tracemalloc

import dkim
import pytest
from tests.support.dkim_oracle import DOMAIN, Signer, rsa_signer

from mailauth.dns.memory import MemorySource
from mailauth.message.verify import MessageReport, verify_message
from mailauth.model import Result

BIG = 20 * 1024 * 1024
MESSAGE = (
    b"From: <a@example.test>\r\nTo: <b@example.test>\r\nSubject: big\r\n"
    b"Date: Mon, 1 Jan 2024 00:00:00 +0000\r\nMessage-ID: <big@example.test>\r\n"
    b"\r\nshort body\r\n"
)
_SIGNER: list[Signer] = []


def _signer() -> Signer:
    if not _SIGNER:
        _SIGNER.append(rsa_signer(b"s1", 2048))
    return _SIGNER[0]


def _sealed(hops: int) -> tuple[bytes, MemorySource]:
    """The small message DKIM-signed by example.test, then ARC-sealed `hops` times by it."""
    signer = _signer()
    message = dkim.sign(MESSAGE, signer.selector, DOMAIN, signer.private) + MESSAGE
    for hop in range(1, hops + 1):
        server = b"mx%d.example.test" % hop
        message = (
            b"Authentication-Results: %s; dkim=pass header.d=%s%s\r\n"
            % (server, DOMAIN, b"; arc=pass" if hop > 1 else b"")
            + message
        )
        seal = dkim.arc_sign(message, signer.selector, DOMAIN, signer.private, server)
        message = b"".join(seal) + message
    dns = MemorySource({"s1._domainkey.example.test": {"TXT": [signer.record.decode()]}})
    return message, dns


def _peak(raw: bytes, dns: MemorySource) -> tuple[int, MessageReport]:
    tracemalloc.start()
    try:
        report = asyncio.run(verify_message(raw, dns))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, report


@pytest.mark.timeout(120)
@pytest.mark.parametrize("hops", [1, 3])
@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        (b"\n" * BIG, Result.PASS),  # empty lines at the end are not signed
        (b"\n" * BIG + b"x\n", Result.FAIL),  # the body changed: every AMS fails
    ],
    ids=["empty-lines", "empty-lines-then-text"],
)
def test_arc_sealed_20_mib_of_bare_newlines(hops: int, tail: bytes, expected: Result) -> None:
    sealed, dns = _sealed(hops)
    raw = sealed + tail
    peak, report = _peak(raw, dns)
    assert report.arc.result is expected
    assert report.arc.instances == hops
    assert report.dkim[0].result is expected
    assert peak + len(raw) < 4 * len(raw), f"peak {peak:,} for a {len(raw):,}-byte message"
