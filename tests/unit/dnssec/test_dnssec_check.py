"""DNSSEC and DANE over the signed test zones: the same answers and verdicts offline and from
knotd, the resolver-AD method, and bad --trust-anchor files (issue 11)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mailauth.dns.cache import CachingSource
from mailauth.dns.dnssec_chain import Security, Validator
from mailauth.dns.memory import MemorySource
from mailauth.dns.signed import SignedSource
from mailauth.dns.trust_anchor import TrustAnchorError, load_anchors, root_anchors
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.domain.dane import check_dane
from mailauth.domain.dnssec import METHOD_RESOLVER_AD, check_dnssec

REPO = Path(__file__).resolve().parents[3]
ANCHORS = REPO / "tests" / "data" / "dnssec" / "trust-anchors.txt"


def test_root_anchors_are_the_two_root_ksks() -> None:
    anchors = root_anchors()
    tags = sorted(rd.key_tag for owner in anchors.ds for rd in anchors.ds_rrset(owner))  # type: ignore[attr-defined]
    assert tags == [20326, 38696]


@pytest.mark.parametrize(
    ("name", "rdtype", "expected"),
    [
        ("secure.dnssec.test", "MX", Security.SECURE),
        ("bogus.dnssec.test", "SOA", Security.BOGUS),
        ("bogus.dnssec.test", "MX", Security.SECURE),
        ("expired.dnssec.test", "MX", Security.BOGUS),
        ("missing-ds.dnssec.test", "MX", Security.INSECURE),
        ("unsigned.dnssec.test", "MX", Security.INSECURE),
        ("_25._tcp.mx.good.dane.test", "TLSA", Security.SECURE),
        ("_25._tcp.mx.bogus.dane.test", "TLSA", Security.BOGUS),
    ],
)
def test_validation_is_the_same_offline_and_from_knot(
    any_dns: CachingSource, name: str, rdtype: str, expected: Security
) -> None:
    assert isinstance(any_dns, SignedSource)
    result = asyncio.run(Validator(any_dns, load_anchors(ANCHORS)).validate(name, rdtype))
    assert result.status is expected, result.reason


def test_signed_answers_match_between_zone_files_and_knot(
    zone_dns: CachingSource, live_dns: CachingSource
) -> None:
    for name, rdtype in (("secure.dnssec.test", "MX"), ("secure.dnssec.test", "DS")):
        offline = asyncio.run(zone_dns.query_signed(name, rdtype))
        live = asyncio.run(live_dns.query_signed(name, rdtype))
        assert offline.records and offline.rrsigs
        assert (offline.records, offline.rrsigs) == (live.records, live.rrsigs)
        assert offline.authenticated is None and live.authenticated is False  # knot: no AD


def test_resolver_ad_offline_is_not_a_verdict(zone_dns: CachingSource) -> None:
    ctx = CheckContext(zone_dns, CheckOptions(trust_resolver=True))
    report = asyncio.run(check_dnssec(ctx, "secure.dnssec.test"))
    assert report.method == METHOD_RESOLVER_AD
    assert [f.id for f in report.findings] == ["dnssec.not-validated"]
    assert report.security is Security.INDETERMINATE and report.signed is True


def test_a_source_without_signatures_is_reported_not_guessed() -> None:
    """A library caller's own DnsSource: nothing judged, said so, and no run failure."""
    source = MemorySource({"a.test": {"MX": ["10 mx.a.test"]}})
    ctx = CheckContext(source, CheckOptions())
    dnssec = asyncio.run(check_dnssec(ctx, "a.test"))
    dane = asyncio.run(check_dane(ctx, "a.test"))
    assert (dnssec.method, dnssec.signed, dnssec.findings) == ("unavailable", None, ())
    assert (dnssec.status.value, dane.status.value, dane.findings) == ("none", "none", ())


@pytest.mark.parametrize(
    "text", ["", "; only a comment\n", "example.test. IN A 192.0.2.1\n", "not a record\n"]
)
def test_bad_trust_anchor_files_are_input_errors(tmp_path: Path, text: str) -> None:
    path = tmp_path / "anchors.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TrustAnchorError) as info:
        load_anchors(path)
    assert str(path) in info.value.diagnostics()


def test_a_missing_trust_anchor_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(TrustAnchorError):
        load_anchors(tmp_path / "nope.txt")
