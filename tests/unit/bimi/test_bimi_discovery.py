"""BIMI Assertion Record discovery against draft-brand-indicators-for-message-identification
-10 §7.2 (and §4.3.1 declination): which name is used, when discovery falls back to the
Organizational Domain (found by the RFC 9989 tree walk, not a suffix list), and when it
stops."""

from __future__ import annotations

import asyncio

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.domain.bimi import BimiReport, check_bimi
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.model import Status

GOOD = "v=BIMI1; l=https://brand.example.com/logo.svg; a=https://brand.example.com/vmc.pem"
ORG = "v=BIMI1; l=https://brand.example.com/org.svg; a=https://brand.example.com/org.pem"
DMARC = {"_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject"]}}
SUB = {"sub.example.com": {"A": ["192.0.2.1"]}}


def run(
    records: dict[str, dict[str, list[str]]], domain: str, selector: str = "default"
) -> BimiReport:
    src = MemorySource(records)
    return asyncio.run(check_bimi(CheckContext(src, CheckOptions(bimi_selector=selector)), domain))


def ids(r: BimiReport) -> list[str]:
    return [f.id for f in r.findings]


def test_own_record_is_used_before_the_organizational_domain() -> None:
    """Steps 3 and 10: a single record at <selector>._bimi.<Author Domain> is used."""
    r = run(
        DMARC
        | SUB
        | {
            "default._bimi.sub.example.com": {"TXT": [GOOD]},
            "default._bimi.example.com": {"TXT": [ORG]},
        },
        "sub.example.com",
    )
    assert (r.location, r.fallback) == ("default._bimi.sub.example.com", False)
    assert r.logo_url == "https://brand.example.com/logo.svg"


def test_empty_set_falls_back_to_the_organizational_domain() -> None:
    """Step 6 (Appendix A.3, B.4): nothing at the subdomain -> same selector at the
    Organizational Domain."""
    r = run(DMARC | SUB | {"default._bimi.example.com": {"TXT": [ORG]}}, "sub.example.com")
    assert (r.location, r.fallback) == ("default._bimi.example.com", True)
    assert ids(r) == ["bimi.inherited"]


def test_records_of_another_version_are_discarded_then_discovery_falls_back() -> None:
    """Step 4 discards records that do not start with v=BIMI1, so the set is empty and
    step 6 applies; the discarded record is still reported."""
    r = run(
        DMARC
        | SUB
        | {
            "default._bimi.sub.example.com": {"TXT": ["v=BIMI2; l=https://b.example.com/x.svg"]},
            "default._bimi.example.com": {"TXT": [ORG]},
        },
        "sub.example.com",
    )
    assert r.fallback
    assert ids(r) == ["bimi.invalid-version", "bimi.inherited"]


def test_declination_at_the_subdomain_stops_the_fallback() -> None:
    """§4.3.1: an empty record lets a subdomain decline although the Organizational Domain
    has an Indicator; it is a record, so step 6 (empty set) does not apply."""
    r = run(
        DMARC
        | SUB
        | {
            "default._bimi.sub.example.com": {"TXT": ["v=BIMI1; l=; a=;"]},
            "default._bimi.example.com": {"TXT": [ORG]},
        },
        "sub.example.com",
    )
    assert r.declined and not r.fallback
    assert ids(r) == ["bimi.declined"]


def test_multiple_records_at_the_subdomain_end_discovery_without_fallback() -> None:
    """Step 9: several records -> discovery terminates; no fallback (the set is not
    empty)."""
    r = run(
        DMARC
        | SUB
        | {
            "default._bimi.sub.example.com": {"TXT": [GOOD, GOOD.replace("logo", "other")]},
            "default._bimi.example.com": {"TXT": [ORG]},
        },
        "sub.example.com",
    )
    assert not r.fallback and r.record is None
    assert ids(r) == ["bimi.multiple-records"]


def test_a_custom_selector_does_not_fall_back_to_default() -> None:
    """Appendix B.5: myselector exists at neither name; default._bimi at the
    Organizational Domain is not used."""
    r = run(
        DMARC | SUB | {"default._bimi.example.com": {"TXT": [ORG]}}, "sub.example.com", "myselector"
    )
    assert r.record is None
    assert ids(r) == ["bimi.missing"]


def test_organizational_domain_comes_from_the_rfc9989_tree_walk() -> None:
    """Step 6 says "Organizational Domain (as defined in DMARC)"; under RFC 9989 that is the
    tree walk, so psd=n at dept.example.com makes it the fallback for x.dept.example.com,
    not example.com (which a public suffix list would give)."""
    r = run(
        {
            "_dmarc.dept.example.com": {"TXT": ["v=DMARC1; p=reject; psd=n"]},
            "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject"]},
            "x.dept.example.com": {"A": ["192.0.2.1"]},
            "default._bimi.dept.example.com": {"TXT": [GOOD]},
            "default._bimi.example.com": {"TXT": [ORG]},
        },
        "x.dept.example.com",
    )
    assert (r.location, r.fallback) == ("default._bimi.dept.example.com", True)
    assert r.dmarc is not None and r.dmarc.enforced is True


def test_failed_tree_walk_makes_the_fallback_unknown_not_missing() -> None:
    """Step 6 needs the Organizational Domain; when the DMARC tree walk that finds it fails,
    the applicable record is unknown. Regression: the failed walk left the subdomain as its
    own Organizational Domain, so no fallback was tried and bimi.missing was reported
    although example.com publishes a record."""
    src = MemorySource(
        DMARC | SUB | {"default._bimi.example.com": {"TXT": [ORG]}},
        failures={("_dmarc.sub.example.com", "TXT"): Rcode.SERVFAIL},
    )
    r = asyncio.run(check_bimi(CheckContext(src, CheckOptions()), "sub.example.com"))
    assert r.status is Status.ERROR
    (f,) = r.findings
    assert f.id == "bimi.lookup-failed"
    assert (f.params["name"], f.params["rcode"]) == ("_dmarc.sub.example.com", "SERVFAIL")


def test_failed_tree_walk_does_not_matter_when_the_domain_has_its_own_record() -> None:
    src = MemorySource(
        DMARC | SUB | {"default._bimi.sub.example.com": {"TXT": [GOOD]}},
        failures={("_dmarc.sub.example.com", "TXT"): Rcode.SERVFAIL},
    )
    r = asyncio.run(check_bimi(CheckContext(src, CheckOptions()), "sub.example.com"))
    assert r.location == "default._bimi.sub.example.com"
    assert r.dmarc is not None and r.dmarc.enforced is None  # the DMARC check reports it
