"""The scoring model against the sample domains: the constraints docs/scoring.md promises."""

from __future__ import annotations

import asyncio

import pytest

from mailauth.dns.interface import DnsSource
from mailauth.domain.runner import DomainReport, check_domain


def run(dns: DnsSource, domain: str) -> DomainReport:
    return asyncio.run(check_domain(dns, domain))


def test_well_configured_domain_scores_a(zone_dns: DnsSource) -> None:
    report = run(zone_dns, "example.jp")
    assert report.score.score >= 90, report.score
    assert report.score.grade == "A"


def test_no_spf_no_dmarc_no_dkim_scores_below_30(zone_dns: DnsSource) -> None:
    report = run(zone_dns, "unauthenticated.scoring.test")
    ids = {f.id for f in report.findings}
    assert {"spf.missing", "dmarc.missing", "dkim.no-selector-found"} <= ids
    assert report.score.score < 30, report.score
    assert report.score.grade == "F"


def test_spf_over_the_lookup_limit_lands_in_between(zone_dns: DnsSource) -> None:
    report = run(zone_dns, "toomany.example")
    assert "spf.too-many-lookups" in {f.id for f in report.findings}
    assert 50 <= report.score.score < 90, report.score


def test_typical_broken_domain_fails(zone_dns: DnsSource) -> None:
    report = run(zone_dns, "broken.example")
    assert report.score.score < 50, report.score
    assert report.score.grade in ("D", "F")


@pytest.mark.parametrize("domain", ["esp.example", "lists.example"])
def test_other_samples_rank_below_the_reference_domain(zone_dns: DnsSource, domain: str) -> None:
    assert run(zone_dns, domain).score.score <= run(zone_dns, "example.jp").score.score


def test_worse_domains_score_lower(zone_dns: DnsSource) -> None:
    scores = [
        run(zone_dns, d).score.score for d in ("example.jp", "toomany.example", "broken.example")
    ]
    assert scores == sorted(scores, reverse=True)
