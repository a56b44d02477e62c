"""Every check proposes a record the same way: `fix_record` is the bare record value, and the
finding's text names the DNS name to publish it at.

Regression: TLS-RPT proposed a zone-file line (`_smtp._tls.example.com. IN TXT "..."`) while
every other check proposed the value alone. Runs every finding scenario and every sample
domain, so a check that starts proposing records is held to the same rule.
"""

from __future__ import annotations

import asyncio

import pytest
from tests.support.scenarios import load_scenarios

from mailauth.dns.interface import DnsSource
from mailauth.domain.bimi import BimiReport
from mailauth.domain.context import CheckOptions
from mailauth.domain.dmarc import DmarcReport
from mailauth.domain.runner import DomainReport, check_domain
from mailauth.model import Finding

SAMPLES = ("example.jp", "broken.example", "toomany.example", "esp.example", "lists.example")
CASES = [
    *[pytest.param(s.domain, s.options, id=s.name) for s in load_scenarios()],
    *[pytest.param(d, CheckOptions(), id=f"samples/{d}") for d in SAMPLES],
]
# What a proposed record starts with: its version tag, or, for an SPF record longer than
# one TXT string, the first of its quoted strings (RFC 7208 §3.3).
STARTS = {
    "spf": ("v=spf1", '"v=spf1'),
    "dmarc": ("v=DMARC1",),
    "tls_rpt": ("v=TLSRPTv1",),
    "mta_sts": ("v=STSv1",),
    "bimi": ("v=BIMI1",),
}


def owner(report: DomainReport, check: str, f: Finding, options: CheckOptions) -> str:
    """The DNS name the proposed record belongs at."""
    domain = report.domain
    if check == "spf":
        return domain
    if check == "dmarc":
        dmarc = report.checks["dmarc"]
        assert isinstance(dmarc, DmarcReport)
        if f.id == "dmarc.psd-policy":
            return f"_dmarc.{dmarc.discovery.org_domain}"
        if f.id in ("dmarc.missing", "dmarc.invalid-version"):
            return f"_dmarc.{domain}"
        assert dmarc.discovery.location is not None
        return dmarc.discovery.location
    if check == "tls_rpt":
        return f"_smtp._tls.{domain}"
    if check == "mta_sts":
        return f"_mta-sts.{domain}"
    if check == "bimi":
        bimi = report.checks["bimi"]
        assert isinstance(bimi, BimiReport)
        location = bimi.location
        return str(location or f"{options.bimi_selector}._bimi.{domain}")
    raise AssertionError(f"{f.id}: proposes a record; say where it is published")


@pytest.mark.parametrize(("domain", "options"), CASES)
def test_fix_record_is_the_value_and_the_text_says_where(
    zone_dns: DnsSource, domain: str, options: CheckOptions
) -> None:
    report = asyncio.run(check_domain(zone_dns, domain, options))
    for check, f in report.located_findings():
        if f.fix_record is None:
            continue
        assert f.fix_record.startswith(STARTS[check]), f"{f.id}: {f.fix_record}"
        assert " IN TXT " not in f.fix_record, f"{f.id}: {f.fix_record}"
        name = owner(report, check, f, options)
        text = f.text()
        assert name in f"{text.detail} {text.fix}", f"{f.id} does not say it goes at {name}"
