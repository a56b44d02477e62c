"""Shared by the memory tests (tests/hostile/test_dkim_memory.py, test_arc_memory.py): a small
signed message to append a large body to, its signing key in DNS, and the peak memory of
verifying a message."""

from __future__ import annotations

import asyncio
import tracemalloc

from tests.support.dkim_oracle import Signer, rsa_signer

from mailauth.dns.memory import MemorySource
from mailauth.message.verify import MessageReport, verify_message

BIG = 20 * 1024 * 1024
MESSAGE = (
    b"From: <a@example.test>\r\nTo: <b@example.test>\r\nSubject: big\r\n"
    b"Date: Mon, 1 Jan 2024 00:00:00 +0000\r\nMessage-ID: <big@example.test>\r\n"
    b"\r\nshort body\r\n"
)
_SIGNER: list[Signer] = []


def signer() -> Signer:
    """One 2048-bit key for the whole run (generating keys is slow)."""
    if not _SIGNER:
        _SIGNER.append(rsa_signer(b"s1", 2048))
    return _SIGNER[0]


def key_dns() -> MemorySource:
    """DNS with the signer's key at s1._domainkey.example.test."""
    return MemorySource({"s1._domainkey.example.test": {"TXT": [signer().record.decode()]}})


def peak_verify(raw: bytes, dns: MemorySource) -> tuple[int, MessageReport]:
    """Peak memory allocated while verifying `raw` (which is not counted), and the report."""
    tracemalloc.start()
    try:
        report = asyncio.run(verify_message(raw, dns))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, report
