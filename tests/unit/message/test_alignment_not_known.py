"""Issue 8.6: identical domains are aligned whatever the organizational-domain lookup
returns; a different domain whose alignment hangs on a failed lookup is "not known", never
"not aligned" (findings, JSON, text).

The shape of the real message: an rspamd.com mail signed d=rspamd.com, From rspamd.com,
verified while the DMARC lookups fail. It was reported as "DKIM passes only for rspamd.com,
not for rspamd.com [msg_dkim.not-aligned]" with `aligned: false`. Messages here are signed
in the test with dkimpy and a key generated for it.
"""

from __future__ import annotations

import asyncio
import base64
import io

import dkim
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from rich.console import Console

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.message import VerifyOptions, verify_message
from mailauth.message.report import MessageReport
from mailauth.model import Result
from mailauth.render.message_json import message_json
from mailauth.render.message_text import print_report

Records = dict[str, dict[str, list[str]]]
FAILED = Rcode.SERVFAIL


@pytest.fixture(scope="module")
def key() -> tuple[bytes, str]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(Encoding.PEM, PrivateFormat.TraditionalOpenSSL, NoEncryption())
    der = private.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return pem, "v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()


def _message(author: str, signer: str, pem: bytes, extra: bytes = b"") -> bytes:
    msg = (
        f"From: Team <team@{author}>\r\nTo: a@recipient.example\r\nSubject: release\r\n"
        "Date: Thu, 01 Oct 2026 09:00:00 +0900\r\n"
        f"Message-ID: <r1@{author}>\r\n".encode()
        + extra
        + b"\r\nNew release.\r\n"
    )
    headers = [b"from", b"to", b"subject", b"date", b"message-id"]
    if extra:
        headers += [b"list-unsubscribe", b"list-unsubscribe-post"]
    sig = dkim.sign(msg, b"s1", signer.encode(), pem, include_headers=headers)
    return sig + msg


def _verify(raw: bytes, records: Records, failures: dict[tuple[str, str], Rcode]) -> MessageReport:
    dns = MemorySource(records, failures)
    options = VerifyOptions(ip="192.0.2.30", mail_from="bounce@example.com")
    return asyncio.run(verify_message(raw, dns, options, file="m.eml"))


def _text(report: MessageReport) -> str:
    out = io.StringIO()
    print_report(Console(file=out, width=200, color_system=None), report, "en")
    return out.getvalue()


def _ids(report: MessageReport) -> set[str]:
    return {f.id for f in report.findings}


def _records(key_record: str, signer: str, **dmarc: str) -> Records:
    records: Records = {
        f"s1._domainkey.{signer}": {"TXT": [key_record]},
        "example.com": {"TXT": ["v=spf1 ip4:192.0.2.30 -all"]},
    }
    records.update({f"_dmarc.{name}": {"TXT": [value]} for name, value in dmarc.items()})
    return records


@pytest.mark.parametrize(
    ("dmarc", "failures", "result"),
    [
        # Every DMARC lookup fails: no policy, no tree walk.
        ({}, {("_dmarc.example.com", "TXT"): FAILED, ("_dmarc.com", "TXT"): FAILED}, "temperror"),
        # Strict alignment, and the walk above the own record fails: still identical.
        (
            {"example.com": "v=DMARC1; p=reject; adkim=s; aspf=s"},
            {("_dmarc.com", "TXT"): FAILED},
            "pass",
        ),
        # Relaxed, the walk above the own record fails.
        ({"example.com": "v=DMARC1; p=reject"}, {("_dmarc.com", "TXT"): FAILED}, "pass"),
    ],
    ids=["policy-lookup-failed", "strict-walk-failed", "relaxed-walk-failed"],
)
def test_identical_domains_are_aligned_whatever_the_lookups_return(
    key: tuple[bytes, str],
    dmarc: dict[str, str],
    failures: dict[tuple[str, str], Rcode],
    result: str,
) -> None:
    pem, record = key
    report = _verify(
        _message("example.com", "example.com", pem),
        _records(record, "example.com", **dmarc),
        failures,
    )
    assert report.dkim[0].result is Result.PASS
    assert report.dmarc.result.value == result
    assert report.dmarc.dkim_aligned == ("example.com",) and report.dmarc.spf_aligned
    doc = message_json(report)
    assert doc["dkim"][0]["aligned"] is True and doc["spf"]["aligned"] is True
    assert doc["dmarc"]["alignment"]["spf"] is True and doc["dmarc"]["alignment"]["dkim"] is True
    assert not _ids(report) & {"msg_dkim.not-aligned", "msg_spf.not-aligned"}
    text = _text(report)
    assert "not aligned" not in text and "not for example.com" not in text
    assert "DKIM s=s1 example.com: aligned" in text


def test_identical_domain_in_another_spelling_is_identical(key: tuple[bytes, str]) -> None:
    """d= in upper case with a final dot names the From domain itself."""
    pem, record = key
    raw = _message("example.com", "EXAMPLE.COM.", pem)
    failures = {("_dmarc.example.com", "TXT"): FAILED, ("_dmarc.com", "TXT"): FAILED}
    report = _verify(raw, _records(record, "example.com"), failures)
    assert report.dkim[0].result is Result.PASS
    assert message_json(report)["dkim"][0]["aligned"] is True


@pytest.mark.parametrize(
    ("dmarc", "failures"),
    [
        # The From domain's policy lookup failed: mode and Organizational Domain unknown.
        ({}, {("_dmarc.news.example.com", "TXT"): FAILED, ("_dmarc.example.com", "TXT"): FAILED}),
        # The policy is known (relaxed); the signer's Organizational Domain is not.
        ({"example.com": "v=DMARC1; p=reject"}, {("_dmarc.mail.example.com", "TXT"): FAILED}),
    ],
    ids=["policy-lookup-failed", "signer-walk-failed"],
)
def test_a_different_domain_is_not_known_never_not_aligned(
    key: tuple[bytes, str], dmarc: dict[str, str], failures: dict[tuple[str, str], Rcode]
) -> None:
    pem, record = key
    unsubscribe = (
        b"List-Unsubscribe: <https://news.example.com/u?1>\r\n"
        b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nPrecedence: bulk\r\n"
    )
    raw = _message("news.example.com", "mail.example.com", pem, unsubscribe)
    records = _records(record, "mail.example.com", **dmarc)
    records["example.com"] = {"TXT": ["v=spf1 -all"]}  # SPF fails: DKIM alone decides
    report = _verify(raw, records, failures)
    assert report.dkim[0].result is Result.PASS
    assert report.dmarc.result is Result.TEMPERROR
    assert report.dmarc.dkim_align_unknown == ("mail.example.com",)
    assert report.dkim_alignment(report.dkim[0]) is None
    doc = message_json(report)
    assert doc["dkim"][0]["aligned"] is None and doc["dmarc"]["alignment"]["dkim"] is None
    found = _ids(report)
    assert "msg_dmarc.lookup-failed" in found
    assert not found & {"msg_dkim.not-aligned", "msg_unsub.not-signed"}
    assert "DKIM s=s1 mail.example.com: not known" in _text(report)


def test_a_different_domain_still_not_aligned_when_that_is_known(key: tuple[bytes, str]) -> None:
    """The other side: with every lookup answered, a foreign signer is not aligned."""
    pem, record = key
    raw = _message("news.example.com", "esp.example", pem)
    records = _records(record, "esp.example", **{"example.com": "v=DMARC1; p=reject"})
    records["example.com"] = {"TXT": ["v=spf1 -all"]}
    report = _verify(raw, records, {})
    assert report.dmarc.result is Result.FAIL
    assert message_json(report)["dkim"][0]["aligned"] is False
    assert "msg_dkim.not-aligned" in _ids(report)
