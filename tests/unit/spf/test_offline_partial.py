"""Offline, an include outside the loaded zones is a note, not a problem of the domain, but
what it holds was not seen (issue 8, item 7c): the SPF status must not be PASS while live DNS
gives WARN for the same failed include, and the report says its result is partial."""

from __future__ import annotations

import asyncio

import pytest

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.domain.context import CheckContext
from mailauth.domain.runner import check_domain
from mailauth.domain.spf import SpfReport, check_spf
from mailauth.model import Severity, Status
from mailauth.render.json import domain_json

RECORDS = {
    "example.com": {"TXT": ["v=spf1 ip4:192.0.2.1 include:_spf.provider.example -all"]},
    "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject; rua=mailto:d@example.com"]},
}
INCLUDE = ("_spf.provider.example", "TXT")


def spf(rcode: Rcode) -> SpfReport:
    dns = MemorySource(RECORDS, failures={INCLUDE: rcode})
    return asyncio.run(check_spf(CheckContext(dns), "example.com"))


@pytest.mark.parametrize("rcode", [Rcode.UNRESOLVABLE, Rcode.SERVFAIL, Rcode.TIMEOUT])
def test_a_failed_include_is_never_a_pass(rcode: Rcode) -> None:
    report = spf(rcode)
    assert report.status is Status.WARN
    assert not report.complete and not report.lookups_complete


def test_offline_and_live_agree_on_the_status_and_differ_only_in_blame() -> None:
    offline, live = spf(Rcode.UNRESOLVABLE), spf(Rcode.SERVFAIL)
    assert offline.status is live.status is Status.WARN
    (note,) = offline.findings
    (warning,) = live.findings
    assert note.id == warning.id == "spf.include-lookup-failed"
    # Not resolvable offline is no problem of the domain: no points, only a partial result.
    assert note.severity is Severity.INFO and warning.severity is Severity.MEDIUM


def test_an_include_that_resolves_is_complete() -> None:
    dns = MemorySource({**RECORDS, "_spf.provider.example": {"TXT": ["v=spf1 -all"]}})
    report = asyncio.run(check_spf(CheckContext(dns), "example.com"))
    assert report.status is Status.PASS and report.complete


def test_the_domain_report_is_partial_and_its_score_an_upper_bound() -> None:
    dns = MemorySource(RECORDS, failures={INCLUDE: Rcode.UNRESOLVABLE})
    report = asyncio.run(check_domain(dns, "example.com"))
    assert report.partial == ("spf",) and report.errors == ()
    doc = domain_json(report)
    assert doc["spf"]["status"] == "warn" and doc["spf"]["lookups_complete"] is False
    assert doc["complete"] is False and doc["score_is_upper_bound"] is True
