"""Hostile messages through the whole verify path: bounded time, a result, no crash."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from mailauth.dns.interface import DnsSource
from mailauth.message import verify_message
from mailauth.message.dkim import MAX_SIGNATURES
from mailauth.message.parse import MAX_MESSAGE_BYTES
from mailauth.model import Result


def _split(raw: bytes) -> tuple[bytes, bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return head, body


def test_a_thousand_dkim_signatures(
    zone_dns: DnsSource, sample_bytes: Callable[[str], bytes]
) -> None:
    good = sample_bytes("not-oversigned.eml")
    signature = _signature_field(good)
    many = b"\r\n".join([signature] * 1000) + b"\r\n" + good
    start = time.monotonic()
    report = asyncio.run(verify_message(many, zone_dns))
    assert time.monotonic() - start < 30
    assert report.dkim_total == 1001
    assert len(report.dkim) == MAX_SIGNATURES
    assert all(s.result is Result.PASS for s in report.dkim)
    assert [s.index for s in report.dkim] == list(range(MAX_SIGNATURES))
    assert "msg_dkim.too-many-signatures" in {f.id for f in report.findings}


def _signature_field(raw: bytes) -> bytes:
    """The first DKIM-Signature field with its folded continuation lines."""
    lines = raw.split(b"\r\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(b"DKIM-Signature:"))
    end = start + 1
    while lines[end][:1] in (b" ", b"\t"):
        end += 1
    return b"\r\n".join(lines[start:end])


def test_a_fifty_megabyte_message(
    zone_dns: DnsSource, sample_bytes: Callable[[str], bytes]
) -> None:
    head, _ = _split(sample_bytes("good.eml"))
    line = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit.   \r\n"
    big = head + b"\r\n\r\n" + line * (48 * 1024 * 1024 // len(line))
    start = time.monotonic()
    report = asyncio.run(verify_message(big, zone_dns))
    assert time.monotonic() - start < 60
    assert [s.reason.value for s in report.dkim] == ["body-hash-mismatch"] * 2
    assert report.dmarc.result is Result.PASS  # SPF still passes aligned


def test_a_megabyte_header_line_is_a_finding(zone_dns: DnsSource) -> None:
    raw = b"From: a@example.jp\r\nX-Junk: " + b"x" * (1024 * 1024 - 100) + b"\r\n\r\nbody\r\n"
    report = asyncio.run(verify_message(raw, zone_dns))
    assert "msg_header.line-too-long" in {f.id for f in report.findings}


def test_obsolete_space_before_the_colon_is_a_result_not_a_crash(
    zone_dns: DnsSource, sample_bytes: Callable[[str], bytes]
) -> None:
    """RFC 5322 §4.5.3 allows "Name : value"; we read it, dkimpy refuses the whole header
    section. Since issue 8.2 dkimpy gets `Name:` where every signature covering the field
    hashes it relaxed (the same bytes after canonicalization): both signatures verify."""
    raw = sample_bytes("good.eml").replace(b"\r\nSubject:", b"\r\nSubject :", 1)
    report = asyncio.run(verify_message(raw, zone_dns))
    assert [(s.selector, s.result, s.reason.value) for s in report.dkim] == [
        ("s2", Result.PASS, "valid"),
        ("s1", Result.PASS, "valid"),
    ]
    assert "msg_header.obsolete-syntax" in {f.id for f in report.findings}
    assert report.dmarc.result is Result.PASS


def test_obsolete_syntax_under_a_simple_signature_is_a_result_not_a_crash(
    zone_dns: DnsSource, sample_bytes: Callable[[str], bytes]
) -> None:
    """A field some signature hashes with simple canonicalization keeps its bytes, so dkimpy
    refuses the whole header section: each signature is then a permanent error (it cannot
    be checked), not a crash."""
    simple = (
        b"DKIM-Signature: v=1; a=rsa-sha256; c=simple/simple; d=example.jp; s=s1;\r\n"
        b"\th=from:subject; bh=AAAA; b=AAAA\r\n"
    )
    raw = simple + sample_bytes("good.eml").replace(b"\r\nSubject:", b"\r\nSubject :", 1)
    report = asyncio.run(verify_message(raw, zone_dns))
    assert [(s.selector, s.result, s.reason.value) for s in report.dkim] == [
        ("s1", Result.PERMERROR, "malformed"),
        ("s2", Result.PERMERROR, "malformed"),
        ("s1", Result.PERMERROR, "malformed"),
    ]
    assert "Unexpected characters in RFC822 header" in report.dkim[0].detail
    assert report.dmarc.result is Result.PASS  # SPF still passes aligned


def test_every_tag_malformed_signature_is_neutral(zone_dns: DnsSource) -> None:
    raw = (
        b"DKIM-Signature: v=9; a=md5; c=x/y; d=..; s=\x01; t=-; x=y; l=-1; h=; bh=*; b=*;"
        b" i=@other; q=dns/xml; z=|||\r\n"
        b"DKIM-Signature: garbage without tags\r\n"
        b"DKIM-Signature: \r\n"
        b"From: a@example.jp\r\n\r\nbody\r\n"
    )
    report = asyncio.run(verify_message(raw, zone_dns))
    assert [s.result for s in report.dkim] == [Result.NEUTRAL] * 3


def test_stdin_is_read_no_further_than_the_size_limit() -> None:
    """`mailauth verify -` over a real pipe: like a file, stdin is read up to
    MAX_MESSAGE_BYTES + 1 bytes and refused, so an endless producer is not read to its end."""
    zones = Path(__file__).resolve().parents[3] / "samples" / "zones"
    code = "import sys; from mailauth.cli.main import main; sys.exit(main())"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "verify", "-", "--zone", str(zones)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdin is not None
    chunk = b"From: a@example.jp\r\n\r\n".ljust(1024 * 1024, b"x")
    sent = 0

    def produce() -> None:
        nonlocal sent
        try:
            while sent < 4 * MAX_MESSAGE_BYTES:
                proc.stdin.write(chunk)  # type: ignore[union-attr]
                sent += len(chunk)
            proc.stdin.close()  # type: ignore[union-attr]
        except (BrokenPipeError, ValueError):
            pass

    writer = threading.Thread(target=produce, daemon=True)
    writer.start()
    try:
        stderr = proc.stderr.read()  # type: ignore[union-attr]
        assert proc.wait(timeout=120) == 2
    finally:
        proc.kill()
    writer.join(timeout=10)
    assert b"-: message is larger than the 50 MB limit" in stderr
    assert sent < 4 * MAX_MESSAGE_BYTES
