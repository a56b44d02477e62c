"""Issue 9 item 5: one DKIM-Signature over a 50 MiB body of bare newlines held 5.1 GB, and 50
signatures took 156 s. Verification now streams the body through the hash (message/dkimcanon)
and every signature with the same body canonicalization shares one pass; the copy of the
message made for DKIM is written piece by piece (message/dkimcopy). The whole verification
(parsing included) must stay under 4x the message's size, measured with tracemalloc (the
message itself, allocated before, is added), with a time bound.
"""

from __future__ import annotations

import dkim
import pytest
from tests.support.big_messages import BIG, MESSAGE, key_dns, peak_verify, signer
from tests.support.dkim_oracle import DOMAIN

from mailauth.dns.memory import MemorySource
from mailauth.model import Result


def _signed(
    canon: tuple[bytes, bytes], identity: bytes | None = None
) -> tuple[bytes, MemorySource]:
    """The small message signed by example.test (key in the returned DNS)."""
    key = signer()
    sig = dkim.sign(
        MESSAGE, key.selector, DOMAIN, key.private, canonicalize=canon, identity=identity
    )
    return sig + MESSAGE, key_dns()


def _peak(raw: bytes, dns: MemorySource) -> tuple[int, Result]:
    peak, report = peak_verify(raw, dns)
    return peak, report.dkim[0].result


@pytest.mark.timeout(300)  # under tracemalloc; 40 s on a sixth of a CPU
@pytest.mark.parametrize("canon", [(b"relaxed", b"relaxed"), (b"simple", b"simple")])
@pytest.mark.parametrize("line_end", [b"\n", b"\r\n"])
def test_20_mib_of_empty_lines(canon: tuple[bytes, bytes], line_end: bytes) -> None:
    """Empty lines at the end are not signed (RFC 6376 §3.4.3): the signature still passes,
    and the whole verification, parse and copy for DKIM included, stays under 4x the
    message's size (dkimpy needed ~100x)."""
    signed, dns = _signed(canon)
    raw = signed + line_end * (BIG // len(line_end))
    peak, result = _peak(raw, dns)
    assert result is Result.PASS
    assert peak + len(raw) < 4 * len(raw), f"peak {peak:,} for a {len(raw):,}-byte message"


@pytest.mark.timeout(300)  # under tracemalloc; 40 s on a sixth of a CPU
@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        (b"\n" * BIG + b"x\n", Result.FAIL),
        (b" \t" * (BIG // 2) + b"\n", Result.PASS),  # relaxed: an empty line, not signed
        (b" \t" * (BIG // 2) + b"x", Result.FAIL),
        (b"y" * BIG, Result.FAIL),
        (b"a  b\t\r\n" * (BIG // 7), Result.FAIL),
    ],
    ids=["empty-lines-then-text", "white-space-line", "white-space-then-text", "long-line", "text"],
)
def test_20_mib_bodies(tail: bytes, expected: Result) -> None:
    """Large bodies after the signed one (relaxed/relaxed), in bounded memory."""
    signed, dns = _signed((b"relaxed", b"relaxed"))
    raw = signed + tail
    peak, result = _peak(raw, dns)
    assert result is expected
    assert peak + len(raw) < 4 * len(raw), f"peak {peak:,} for a {len(raw):,}-byte message"


@pytest.mark.timeout(300)  # under tracemalloc; 40 s on a sixth of a CPU
def test_50_signatures_over_20_mib() -> None:
    """The issue's 156-second case: 50 distinct signatures (each its own i=) over a body of
    bare newlines. They share one body hash per canonicalization, so the body is read twice
    (relaxed, simple), not 50 times."""
    sigs = []
    for i in range(50):
        canon = (b"relaxed", b"relaxed") if i % 2 else (b"simple", b"simple")
        signed, dns = _signed(canon, identity=f"user{i}@example.test".encode())
        sigs.append(signed[: -len(MESSAGE)])
    raw = b"".join(sigs) + MESSAGE + b"\n" * BIG
    peak, report = peak_verify(raw, dns)
    assert len(report.dkim) == 50
    assert {s.result for s in report.dkim} == {Result.PASS}
    assert peak + len(raw) < 4 * len(raw), f"peak {peak:,} for a {len(raw):,}-byte message"
