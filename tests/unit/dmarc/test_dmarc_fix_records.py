"""The records the DMARC check proposes agree with each other.

Every `fix_record` for the record the check judged starts from that same record: it keeps
every valid tag except those its finding is about, and two proposals only disagree on a tag
both are about (`dmarc.policy-fallback` p=none next to `dmarc.policy-none` p=quarantine), so
applying one never undoes another. Regression: `dmarc.policy-none` proposed
`v=DMARC1; p=quarantine` (rua dropped) while `dmarc.no-rua` proposed `p=none; rua=...`.
"""

from __future__ import annotations

import asyncio
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.support.scenarios import load_scenarios

from mailauth.dns.interface import DnsSource, Rcode
from mailauth.dns.memory import MemorySource
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.domain.dmarc import DmarcReport, check_dmarc
from mailauth.model import Finding
from mailauth.records.dmarc import DmarcRecord, parse_dmarc
from mailauth.records.dmarc_rewrite import rebuild

# Every scenario (a BIMI or runner scenario publishes DMARC records too) and the samples.
DOMAINS = sorted(
    {s.domain for s in load_scenarios()} | {"broken.example", "example.jp", "noreply.example.jp"}
)
# Proposals for a record other than the one judged (there is none, or it is not the owner's).
ELSEWHERE = {"dmarc.missing", "dmarc.invalid-version", "dmarc.psd-policy"}
# Tags a proposal may change besides what its finding is about: the rua it adds when the
# record has none (policy changes are advised "once the reports show" it is safe).
REPORTS = {"rua"}
SYNTAX = {
    "dmarc.invalid-value",
    "dmarc.malformed-tag",
    "dmarc.unknown-tag",
    "dmarc.historic-tag",
    "dmarc.duplicate-tag",
    "dmarc.tag-name-case",
}


def run(dns: DnsSource, domain: str) -> DmarcReport:
    return asyncio.run(check_dmarc(CheckContext(dns, CheckOptions()), domain))


def about(f: Finding) -> set[str]:
    """The tags a finding is about: those its proposal exists to change."""
    if f.id == "dmarc.no-rua":
        return {"rua"}
    if f.id == "dmarc.policy-none":
        return {f.params["tag"], "t"}  # moving to enforcement ends testing mode too
    if f.id == "dmarc.testing":
        return {"t"}
    if f.id == "dmarc.subdomain-policy-weaker":
        return {f.params["tag"]}
    if f.id in ("dmarc.no-policy", "dmarc.policy-fallback"):
        return {"p", "sp", "np"}
    assert f.id in SYNTAX, f"{f.id}: say which tags its proposal may change"
    return set()  # invalid, unknown, historic tags are already left out of `valid`


def valid(record: DmarcRecord) -> dict[str, str]:
    """What every proposal must start from: the record's valid, known tags, and p=none when
    p is missing or invalid (RFC 9989 §4.10.1 acts on the record as p=none at best; with it
    every proposal parses cleanly, and adding it changes nothing)."""
    return {"p": "none", **parse_dmarc(rebuild(record)).tags}


def changed(current: dict[str, str], proposal: dict[str, str]) -> set[str]:
    return {t for t in current.keys() | proposal.keys() if current.get(t) != proposal.get(t)}


def proposals(report: DmarcReport) -> list[tuple[Finding, dict[str, str]]]:
    out = []
    for f in report.findings:
        if f.fix_record is None:
            continue
        parsed = parse_dmarc(f.fix_record)
        assert parsed.is_dmarc and not parsed.problems, f"{f.id}: {f.fix_record}"
        if f.id not in ELSEWHERE:
            out.append((f, parsed.tags))
    return out


def assert_consistent(report: DmarcReport) -> None:
    found = proposals(report)
    if not found:
        return
    assert report.record is not None
    current = valid(report.record)
    for f, tags in found:
        extra = changed(current, tags) - about(f) - REPORTS
        assert not extra, f"{f.id} changes {sorted(extra)}: {f.fix_record} vs {current}"
    for (f, a), (g, b) in combinations(found, 2):
        both = changed(current, a) & changed(current, b)
        clash = {t for t in both if a.get(t) != b.get(t)} - (about(f) & about(g))
        assert not clash, f"{f.id} and {g.id} disagree on {sorted(clash)}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_proposals_build_on_the_same_record(zone_dns: DnsSource, domain: str) -> None:
    assert_consistent(run(zone_dns, domain))


def fixes(report: DmarcReport) -> dict[str, str | None]:
    return {f.id: f.fix_record for f in report.findings}


def test_policy_none_keeps_the_proposed_rua(zone_dns: DnsSource) -> None:
    """broken.example: `v=DMARC1; p=none`, no rua."""
    got = fixes(run(zone_dns, "broken.example"))
    assert got["dmarc.no-rua"] == "v=DMARC1; p=none; rua=mailto:dmarc-reports@broken.example"
    assert got["dmarc.policy-none"] == (
        "v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@broken.example"
    )


def test_no_policy_proposal_requests_reports(zone_dns: DnsSource) -> None:
    """no-policy.dmarc.test: `v=DMARC1; adkim=r`. The finding says there is no p and no rua;
    its proposal adds both. dmarc.no-rua's adds the same rua, and p=none too: without a p its
    record would not parse cleanly either."""
    got = fixes(run(zone_dns, "no-policy.dmarc.test"))
    fixed = "v=DMARC1; p=none; adkim=r; rua=mailto:dmarc-reports@no-policy.dmarc.test"
    assert got == {"dmarc.no-policy": fixed, "dmarc.no-rua": fixed}


def check(records: dict[str, dict[str, list[str]]], domain: str = "example.com") -> DmarcReport:
    report = run(MemorySource(records), domain)
    assert_consistent(report)
    return report


def test_enforcing_proposals_request_reports_too() -> None:
    record = "v=DMARC1; p=reject; sp=none; t=y; adkim=s"
    got = fixes(check({"_dmarc.example.com": {"TXT": [record]}}))
    rua = "rua=mailto:dmarc-reports@example.com"
    assert got["dmarc.testing"] == f"v=DMARC1; p=reject; sp=none; adkim=s; {rua}"
    assert got["dmarc.subdomain-policy-weaker"] == f"v=DMARC1; p=reject; adkim=s; {rua}; t=y"


def test_weak_np_next_to_weak_sp_is_set_to_p() -> None:
    """RFC 9989 §4.7: an absent np follows sp. Removing np=quarantine next to sp=none would
    leave non-existent subdomains at none, weaker than before."""
    record = "v=DMARC1; p=reject; sp=none; np=quarantine; rua=mailto:d@example.com"
    report = check({"_dmarc.example.com": {"TXT": [record]}})
    weaker = {
        f.params["tag"]: f.fix_record
        for f in report.findings
        if f.id == "dmarc.subdomain-policy-weaker"
    }
    assert weaker == {
        "sp": "v=DMARC1; p=reject; np=quarantine; rua=mailto:d@example.com",
        "np": "v=DMARC1; p=reject; sp=none; np=reject; rua=mailto:d@example.com",
    }


def test_a_valid_p_survives_an_invalid_sp() -> None:
    """RFC 9989 §4.10.1: an invalid sp makes receivers act as if p=none; the repair drops the
    bad sp and keeps the owner's p=reject rather than proposing p=none."""
    record = "v=DMARC1; p=reject; sp=bogus; rua=mailto:d@example.com"
    got = fixes(check({"_dmarc.example.com": {"TXT": [record]}}))
    assert got["dmarc.policy-fallback"] == "v=DMARC1; p=reject; rua=mailto:d@example.com"
    assert got["dmarc.policy-none"] == "v=DMARC1; p=reject; rua=mailto:d@example.com"


def test_fallback_keeps_a_valid_sp() -> None:
    """No p but a valid sp=reject: the repair adds p=none and keeps sp (it used to drop it)."""
    record = "v=DMARC1; sp=reject; rua=mailto:d@example.com"
    got = fixes(check({"_dmarc.example.com": {"TXT": [record]}}))
    assert got["dmarc.policy-fallback"] == ("v=DMARC1; p=none; sp=reject; rua=mailto:d@example.com")


NULL_MX = {"MX": ["0 ."]}


def test_rua_goes_to_the_organizational_domain_of_a_null_mx_domain(zone_dns: DnsSource) -> None:
    """noreply.null-mx.dmarc.test has a null MX (RFC 7505): a mailbox there cannot exist."""
    got = fixes(run(zone_dns, "noreply.null-mx.dmarc.test"))
    rua = "rua=mailto:dmarc-reports@null-mx.dmarc.test"
    assert got["dmarc.no-rua"] == f"v=DMARC1; p=none; {rua}"
    assert got["dmarc.policy-none"] == f"v=DMARC1; p=quarantine; {rua}"


def test_no_rua_is_proposed_when_no_domain_of_the_organization_receives_mail() -> None:
    report = check(
        {
            "example.com": NULL_MX,
            "_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject; t=y"]},
        }
    )
    got = fixes(report)
    assert got["dmarc.no-rua"] is None
    assert got["dmarc.testing"] == "v=DMARC1; p=reject"
    assert all("rua" not in (fix or "") for fix in got.values())


def test_missing_record_proposal_at_a_null_mx_domain() -> None:
    """No DMARC record anywhere, so the domain is its own organizational domain: with a null
    MX no report address can be proposed, and a p=none record without one tells nothing."""
    got = fixes(check({"example.com": NULL_MX}))
    assert got == {"dmarc.missing": None}
    assert fixes(check({"example.com": {"MX": ["10 mx.example.com."]}})) == {
        "dmarc.missing": "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com"
    }


def test_a_failed_mx_lookup_changes_nothing() -> None:
    source = MemorySource(
        {"_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject"]}},
        failures={("example.com", "MX"): Rcode.SERVFAIL},
    )
    got = fixes(run(source, "example.com"))
    assert got["dmarc.no-rua"] == "v=DMARC1; p=reject; rua=mailto:dmarc-reports@example.com"


# Tag values, valid and not, that records are drawn from (rua only as a usable mailto or a
# bad/unusable URI: the address proposals add depends on it).
_VALUES = {
    "p": ["none", "quarantine", "reject", "bogus"],
    "sp": ["none", "quarantine", "reject", "maybe"],
    "np": ["none", "quarantine", "reject", ""],
    "t": ["y", "n", "x"],
    "adkim": ["r", "s", "q"],
    "rua": ["mailto:d@example.com", "https://r.example.com/", "d@example.com"],
    "pct": ["50"],
    "fo": ["1", "0:1"],
    "zz": ["1"],
}


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(sorted(_VALUES)).flatmap(
            lambda tag: st.sampled_from(_VALUES[tag]).map(lambda v: f"{tag}={v}")
        ),
        max_size=6,
    ),
    st.sampled_from(["example.com", "sub.example.com"]),
    st.booleans(),
)
def test_any_record_gets_consistent_proposals(tags: list[str], domain: str, null: bool) -> None:
    """Whatever the record, its proposals parse cleanly and agree (own record or inherited,
    and with a null MX, where no rua is proposed)."""
    records = {
        "_dmarc.example.com": {"TXT": ["; ".join(["v=DMARC1", *tags])]},
        "sub.example.com": {"A": ["192.0.2.1"], **(NULL_MX if null else {})},
        "example.com": NULL_MX if null else {"MX": ["10 mx.example.com."]},
    }
    report = check(records, domain)
    if null:
        assert all("dmarc-reports@" not in (f.fix_record or "") for f in report.findings)


def test_repaired_version_parses_cleanly() -> None:
    """dmarc.invalid-version's repair is a proposal like the others: p=none is added when
    the ignored record had no p, so receivers act on what it says (it used to lack p)."""
    got = fixes(check({"_dmarc.example.com": {"TXT": ["v=dmarc1; rua=mailto:d@example.com"]}}))
    assert got == {"dmarc.invalid-version": "v=DMARC1; p=none; rua=mailto:d@example.com"}
