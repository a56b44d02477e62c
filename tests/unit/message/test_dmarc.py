"""DMARC for a message: lookup failures (which zone files cannot express offline and live
alike, so the manifest points here for msg_dmarc.lookup-failed), alignment modes."""

from __future__ import annotations

import asyncio

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.message import VerifyOptions, verify_message
from mailauth.model import Result

RAW = b"From: Shop <orders@example.jp>\r\nSubject: hi\r\nDate: Thu, 01 Oct 2026 09:00:00 +0900\r\nMessage-ID: <a@example.jp>\r\n\r\nbody\r\n"  # noqa: E501
SPF = {"example.jp": {"TXT": ["v=spf1 ip4:192.0.2.30 -all"]}}


def _verify(dns: MemorySource, **kw: str) -> object:
    return asyncio.run(verify_message(RAW, dns, VerifyOptions(**kw)))  # type: ignore[arg-type]


def test_dmarc_lookup_failure_is_temperror_and_no_verdict() -> None:
    dns = MemorySource(SPF, failures={("_dmarc.example.jp", "TXT"): Rcode.SERVFAIL})
    report = _verify(dns, ip="192.0.2.30", mail_from="bounce@example.jp")
    assert report.dmarc.result is Result.TEMPERROR  # type: ignore[attr-defined]
    assert report.no_verdict  # type: ignore[attr-defined]
    ids = {f.id for f in report.findings}  # type: ignore[attr-defined]
    assert "msg_dmarc.lookup-failed" in ids
    assert "dmarc=temperror" in report.authentication_results  # type: ignore[attr-defined]


def test_spf_pass_aligned_gives_dmarc_pass_and_policy() -> None:
    dns = MemorySource({**SPF, "_dmarc.example.jp": {"TXT": ["v=DMARC1; p=reject"]}})
    report = _verify(dns, ip="192.0.2.30", mail_from="bounce@example.jp")
    assert report.dmarc.result is Result.PASS  # type: ignore[attr-defined]
    assert report.dmarc.policy == "reject"  # type: ignore[attr-defined]
    assert report.dmarc.disposition == "none"  # type: ignore[attr-defined]


def test_testing_mode_weakens_the_disposition() -> None:
    dns = MemorySource({**SPF, "_dmarc.example.jp": {"TXT": ["v=DMARC1; p=reject; t=y"]}})
    report = _verify(dns, ip="198.51.100.1", mail_from="bounce@example.jp")
    assert report.dmarc.result is Result.FAIL  # type: ignore[attr-defined]
    assert report.dmarc.disposition == "quarantine"  # type: ignore[attr-defined]


def test_subdomain_policy_applies_to_a_subdomain_from() -> None:
    raw = RAW.replace(b"orders@example.jp", b"orders@news.example.jp")
    dns = MemorySource(
        {
            "_dmarc.example.jp": {"TXT": ["v=DMARC1; p=reject; sp=quarantine"]},
            "news.example.jp": {"A": ["192.0.2.1"]},
        }
    )
    report = asyncio.run(
        verify_message(raw, dns, VerifyOptions(ip="198.51.100.1", mail_from="x@news.example.jp"))
    )
    assert report.dmarc.result is Result.FAIL
    assert (report.dmarc.policy, report.dmarc.policy_tag) == ("quarantine", "sp")
    assert report.dmarc.disposition == "quarantine"
