"""Issue 8.2: malformed real messages are analysed the way receivers read them, not refused.

The four shapes from spam and phishing corpora: a field split as `From\\r\\n :`, a line of
white space where the empty separator line should be, a header line with no `Name:` in the
middle of the header, a file that ends inside the header without a line ending. Each is
read past, what can be verified is verified (DKIM over the repaired copy), and each defect
is a msg_header.* finding. Input that is not mail at all stays exit 2 (test_parse.py).
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable

import dkim
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from mailauth.dns.memory import MemorySource
from mailauth.message import VerifyOptions, verify_message
from mailauth.message.parse import DefectKind, parse_message
from mailauth.message.report import MessageReport
from mailauth.message.rules import defect_findings
from mailauth.model import Result

CLEAN = (
    b"From: Shop <orders@shop.example>\r\n"
    b"To: Taro <taro@recipient.example>\r\n"
    b"Subject: Your receipt\r\n"
    b"Date: Thu, 01 Oct 2026 09:00:00 +0900\r\n"
    b"Message-ID: <r-1@shop.example>\r\n"
    b"\r\n"
    b"Thank you for your order.\r\n"
)


def defects(raw: bytes) -> list[tuple[DefectKind, int, str, str | None]]:
    return [(d.kind, d.line, d.text, d.name) for d in parse_message(raw).defects]


def fields(raw: bytes) -> list[tuple[str, str]]:
    return [(h.name, h.value) for h in parse_message(raw).headers]


# --- reading past each defect -------------------------------------------------------------


def test_a_name_folded_away_from_its_colon_is_that_field() -> None:
    raw = CLEAN.replace(b"From: ", b"From\r\n : ")
    assert fields(raw)[0] == ("From", "Shop <orders@shop.example>")
    assert defects(raw) == [
        (DefectKind.FOLDED_NAME, 1, "From\\r\\n : Shop <orders@shop.example>", "From")
    ]
    msg = parse_message(raw)
    assert msg.raw is raw  # the evidence is kept as it is
    assert msg.dkim_bytes == CLEAN  # dkimpy gets `From:`, the same under relaxed c14n


def test_a_line_with_no_name_in_the_middle_is_skipped() -> None:
    raw = CLEAN.replace(b"Subject:", b"click here now\r\nSubject:")
    assert [n for n, _ in fields(raw)] == ["From", "To", "Subject", "Date", "Message-ID"]
    assert defects(raw) == [(DefectKind.NOT_A_FIELD, 3, "click here now", None)]
    assert parse_message(raw).dkim_bytes == CLEAN
    assert parse_message(raw).body == b"Thank you for your order.\r\n"


def test_a_whitespace_line_where_the_separator_should_be_ends_the_header() -> None:
    raw = CLEAN.replace(b"\r\n\r\n", b"\r\n \t\r\n")
    msg = parse_message(raw)
    assert [n for n, _ in fields(raw)][-1] == "Message-ID"
    assert msg.body == b"Thank you for your order.\r\n"
    assert defects(raw) == [(DefectKind.WHITESPACE_SEPARATOR, 6, " \t", None)]
    assert msg.dkim_bytes == CLEAN


def test_a_whitespace_line_followed_by_a_field_is_obsolete_folding() -> None:
    """RFC 5322 §4.2 obs-FWS: a white-space-only line continues the field above it."""
    raw = CLEAN.replace(b"To: Taro", b"To:\r\n   \r\n Taro")
    assert fields(raw)[1] == ("To", "Taro <taro@recipient.example>")
    assert defects(raw) == [(DefectKind.WHITESPACE_LINE, 3, "   ", None)]
    assert parse_message(raw).dkim_bytes == raw  # legal (obsolete) syntax: dkimpy reads it


@pytest.mark.parametrize(
    ("cut", "text", "last"),
    [
        (b"Message-ID: <r-1@shop.example>", "Message-ID: <r-1@shop.example>", "Message-ID"),
        (b"Message-I", "Message-I", "Date"),  # cut inside the name: no field left
    ],
)
def test_a_file_that_ends_inside_the_header(cut: bytes, text: str, last: str) -> None:
    raw = CLEAN[: CLEAN.index(b"Message-ID")] + cut
    msg = parse_message(raw)
    assert [n for n, _ in fields(raw)][-1] == last
    assert defects(raw) == [(DefectKind.NO_LINE_ENDING, 5, text, None)]
    assert msg.body == b""
    assert msg.dkim_bytes.endswith(b"\r\n\r\n")


def test_space_before_the_colon_is_obsolete_syntax_and_repaired_for_dkim() -> None:
    raw = CLEAN.replace(b"From: ", b"From : ")
    assert defects(raw) == [
        (DefectKind.SPACE_BEFORE_COLON, 1, "From : Shop <orders@shop.example>", "From")
    ]
    assert parse_message(raw).dkim_bytes == CLEAN


def test_a_field_signed_with_simple_canonicalization_keeps_its_bytes() -> None:
    """Rewriting `From :` would change what a c=simple signature hashed: it is left alone."""
    sig = b"DKIM-Signature: v=1; a=rsa-sha256; d=shop.example; s=s1; h=from:to; bh=x; b=y\r\n"
    raw = sig + CLEAN.replace(b"From: ", b"From : ")
    assert b"From : Shop" in parse_message(raw).dkim_bytes
    relaxed = raw.replace(b"v=1;", b"v=1; c=relaxed/simple;")
    assert b"From : Shop" not in parse_message(relaxed).dkim_bytes


def test_many_defects_of_one_kind_are_one_finding() -> None:
    junk = b"".join(b"junk line %d\r\n" % i for i in range(500))
    raw = CLEAN.replace(b"Subject:", junk + b"Subject:")
    [found] = defect_findings(parse_message(raw).defects)
    assert found.id == "msg_header.malformed-field"
    assert (found.params["line"], found.params["count"]) == (3, 500)


def test_each_defect_has_its_finding_with_words() -> None:
    raw = (
        CLEAN.replace(b"From: ", b"From\r\n : ")
        .replace(b"To: ", b"To : ")
        .replace(b"Subject:", b"junk\r\nSubject:")
        .replace(b"\r\n\r\n", b"\r\n \r\n")
    )
    found = defect_findings(parse_message(raw).defects)
    assert [f.id for f in found] == [
        "msg_header.malformed-field",
        "msg_header.obsolete-syntax",
        "msg_header.malformed-field",
        "msg_header.whitespace-separator",
    ]
    for f in found:
        text = f.text()
        assert "{" not in text.detail + text.consequence + text.title
    assert "From" in found[0].text().detail and "line break" in found[0].text().detail
    assert "spoofing" in found[0].text().consequence


# --- verify what can be verified ------------------------------------------------------------


@pytest.fixture(scope="module")
def signer() -> tuple[bytes, MemorySource]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(Encoding.PEM, PrivateFormat.TraditionalOpenSSL, NoEncryption())
    der = private.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    dns = MemorySource(
        {
            "s1._domainkey.shop.example": {
                "TXT": ["v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()]
            },
            "_dmarc.shop.example": {"TXT": ["v=DMARC1; p=reject"]},
            "_dmarc.evil.example": {"TXT": ["v=DMARC1; p=reject"]},
            "shop.example": {"TXT": ["v=spf1 -all"]},
        }
    )
    return pem, dns


def _signed(pem: bytes) -> bytes:
    headers = [b"from", b"to", b"subject", b"date", b"message-id"]
    sig = dkim.sign(
        CLEAN,
        b"s1",
        b"shop.example",
        pem,
        canonicalize=(b"relaxed", b"relaxed"),
        include_headers=headers,
    )
    return sig + CLEAN


def _verify(raw: bytes, dns: MemorySource) -> MessageReport:
    options = VerifyOptions(ip="203.0.113.9", mail_from="bounce@shop.example")
    return asyncio.run(verify_message(raw, dns, options, file="m.eml"))


@pytest.mark.parametrize(
    ("break_it", "finding"),
    [
        (lambda m: m.replace(b"\r\nFrom: ", b"\r\nFrom\r\n : "), "msg_header.malformed-field"),
        (
            lambda m: m.replace(b"\r\nDate:", b"\r\nno name here\r\nDate:"),
            "msg_header.malformed-field",
        ),
        (lambda m: m.replace(b"\r\n\r\n", b"\r\n \r\n"), "msg_header.whitespace-separator"),
        (lambda m: m.replace(b"\r\nFrom: ", b"\r\nFrom : "), "msg_header.obsolete-syntax"),
    ],
    ids=["folded-from", "nameless-line", "whitespace-separator", "space-before-colon"],
)
def test_a_broken_signed_message_is_verified_and_the_defect_reported(
    signer: tuple[bytes, MemorySource], break_it: Callable[[bytes], bytes], finding: str
) -> None:
    pem, dns = signer
    raw = break_it(_signed(pem))
    report = _verify(raw, dns)
    assert [s.result for s in report.dkim] == [Result.PASS]
    assert report.dmarc.result is Result.PASS and report.from_domain == "shop.example"
    assert finding in {f.id for f in report.findings}


def test_a_truncated_signed_message_is_verified_as_far_as_it_goes(
    signer: tuple[bytes, MemorySource],
) -> None:
    pem, dns = signer
    signed = _signed(pem)
    raw = signed[: signed.index(b"\r\n\r\n")]  # the header, without its last line ending
    report = _verify(raw, dns)
    assert report.dkim[0].result is Result.FAIL  # the body it signed is gone
    assert report.from_domain == "shop.example"
    assert "msg_header.truncated" in {f.id for f in report.findings}


def test_a_smuggled_second_from_is_read_and_evaluated(signer: tuple[bytes, MemorySource]) -> None:
    """The folded From is a From for receivers that unfold first: it is an author, and its
    p=reject domain is evaluated, not hidden."""
    pem, dns = signer
    raw = _signed(pem).replace(b"\r\nTo:", b"\r\nFrom\r\n : <ceo@evil.example>\r\nTo:")
    report = _verify(raw, dns)
    assert report.dmarc.from_addresses == ("orders@shop.example", "ceo@evil.example")
    found = {f.id for f in report.findings}
    assert {"msg_header.malformed-field", "msg_dmarc.from-multiple"} <= found
    assert (report.dmarc.result, report.dmarc.disposition) == (Result.FAIL, "reject")
    # dkimpy hashes every From field a signature's h= can select: the added one breaks it.
    assert [(a.from_domain, a.result) for a in report.dmarc.authors] == [
        ("shop.example", Result.FAIL),
        ("evil.example", Result.FAIL),
    ]
