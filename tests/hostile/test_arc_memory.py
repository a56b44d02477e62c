"""Issue 9 item 5 with ARC: one DKIM-Signature over a 50 MiB body of bare newlines held
5.5 GB when the message was also ARC-sealed, because dkimpy's `arc_verify` split the message
into one list item per line and canonicalized the body with regular expressions, once per
ARC-Message-Signature. The body no longer reaches dkimpy (message/arc.py hashes it natively):
the whole verification, DKIM and ARC, parse included, stays under 4x the message's size,
measured with tracemalloc (the message itself, allocated before, is added), time-bounded.
"""

from __future__ import annotations

import dkim
import pytest
from tests.support.big_messages import BIG, MESSAGE, key_dns, peak_verify, signer
from tests.support.dkim_oracle import DOMAIN

from mailauth.dns.memory import MemorySource
from mailauth.model import Result


def _sealed(hops: int) -> tuple[bytes, MemorySource]:
    """The small message DKIM-signed by example.test, then ARC-sealed `hops` times by it."""
    key = signer()
    message = dkim.sign(MESSAGE, key.selector, DOMAIN, key.private) + MESSAGE
    for hop in range(1, hops + 1):
        server = b"mx%d.example.test" % hop
        message = (
            b"Authentication-Results: %s; dkim=pass header.d=%s%s\r\n"
            % (server, DOMAIN, b"; arc=pass" if hop > 1 else b"")
            + message
        )
        seal = dkim.arc_sign(message, key.selector, DOMAIN, key.private, server)
        message = b"".join(seal) + message
    return message, key_dns()


@pytest.mark.timeout(300)  # under tracemalloc; 40 s on a sixth of a CPU
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
    peak, report = peak_verify(raw, dns)
    assert report.arc.result is expected
    assert report.arc.instances == hops
    assert report.dkim[0].result is expected
    assert peak + len(raw) < 4 * len(raw), f"peak {peak:,} for a {len(raw):,}-byte message"
