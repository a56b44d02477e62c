"""RFC 9989 DNS Tree Walk (§4.10), Organizational Domain (§4.10.2) and policy discovery
(§4.10.1) over an in-memory DNS source: the edge cases a zone file cannot easily express."""

from __future__ import annotations

import asyncio

import pytest

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.dns.orgdomain import (
    MAX_QUERIES,
    DiscoveryStatus,
    NoneReason,
    OrgReason,
    PolicySource,
    PolicyTag,
    discover_policy,
    organizational_domain,
    walk_targets,
)
from mailauth.records.dmarc import Policy


def dmarc(**names: str) -> dict[str, dict[str, list[str]]]:
    """dmarc(**{"example.com": "v=DMARC1; p=reject"}) -> MemorySource records."""
    return {f"_dmarc.{n}": {"TXT": [v]} for n, v in names.items()}


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("example.com", ["example.com", "com"]),
        ("com", ["com"]),
        ("", []),
        ("a.mail.example.com.", ["a.mail.example.com", "mail.example.com", "example.com", "com"]),
        # RFC 9989 §4.10 example: 13 labels -> 8 queries, skipping to seven labels.
        (
            "a.b.c.d.e.f.g.h.i.j.mail.example.com",
            [
                "a.b.c.d.e.f.g.h.i.j.mail.example.com",
                "g.h.i.j.mail.example.com",
                "h.i.j.mail.example.com",
                "i.j.mail.example.com",
                "j.mail.example.com",
                "mail.example.com",
                "example.com",
                "com",
            ],
        ),
        # Exactly eight labels: the parent (seven labels) comes next, eight queries in all.
        ("a.b.c.d.e.f.example.com", None),
    ],
)
def test_walk_targets(domain: str, expected: list[str] | None) -> None:
    targets = walk_targets(domain)
    if expected is not None:
        assert targets == expected
    else:
        assert len(targets) == MAX_QUERIES
        assert targets[1] == "b.c.d.e.f.example.com"


@pytest.mark.parametrize("n", range(1, 40))
def test_walk_never_exceeds_eight_queries(n: int) -> None:
    domain = ".".join(f"l{i}" for i in range(n))
    src = MemorySource({})
    result = run(organizational_domain(src, domain))
    assert len(result.queries) == min(n, MAX_QUERIES)
    assert len(src.log) == min(n, MAX_QUERIES)
    assert result.queries[-1] == f"_dmarc.l{n - 1}"


def test_deep_walk_exact_sequence_b42() -> None:
    """RFC 9989 Appendix B.4.2 (and the mailauth RFC 9989 conformance case)."""
    src = MemorySource(dmarc(**{"example.com": "v=DMARC1; p=none"}))
    result = run(discover_policy(src, "a.b.c.d.e.f.g.h.i.j.k.example.com"))
    assert [q for q, _ in src.log] == [
        "_dmarc.a.b.c.d.e.f.g.h.i.j.k.example.com",
        "_dmarc.g.h.i.j.k.example.com",
        "_dmarc.h.i.j.k.example.com",
        "_dmarc.i.j.k.example.com",
        "_dmarc.j.k.example.com",
        "_dmarc.k.example.com",
        "_dmarc.example.com",
        "_dmarc.com",
    ]
    assert result.org_domain == "example.com"
    assert result.policy_domain == "example.com"
    assert result.source is PolicySource.ORGANIZATIONAL


def test_simple_hierarchy_b41() -> None:
    src = MemorySource(
        dmarc(**{"example.com": "v=DMARC1; p=reject", "signing.example.com": "v=DMARC1; p=none"})
    )
    assert run(organizational_domain(src, "signing.example.com")).org_domain == "example.com"
    assert run(organizational_domain(src, "example.com")).org_domain == "example.com"
    r = run(organizational_domain(src, "signing.example.com"))
    assert r.reason is OrgReason.FEWEST_LABELS


def test_psd_y_b43() -> None:
    """RFC 9989 Appendix B.4.3: psd=y stops the walk; the org domain is one label below."""
    src = MemorySource(
        dmarc(
            **{
                "bank.example": "v=DMARC1; p=reject; psd=y; rua=mailto:psd@bank.example",
                "giant.bank.example": "v=DMARC1; p=quarantine",
            }
        )
    )
    author = run(organizational_domain(src, "giant.bank.example"))
    assert author.org_domain == "giant.bank.example"
    assert author.reason is OrgReason.BELOW_PSD
    assert author.psd_domain == "bank.example"
    assert "_dmarc.example" not in author.queries  # stopped at psd=y
    spf = run(organizational_domain(src, "mail.giant.bank.example"))
    assert spf.org_domain == "giant.bank.example"
    dkim = run(organizational_domain(src, "mail.mega.bank.example"))
    assert dkim.org_domain == "mega.bank.example"
    # Policy for mega.bank.example (no own record, no org record): the PSD's, via sp/p.
    policy = run(discover_policy(src, "mail.mega.bank.example"))
    assert policy.source is PolicySource.PSD
    assert policy.from_psd
    assert policy.policy_domain == "bank.example"
    assert policy.policy is Policy.REJECT


def test_psd_y_at_start_is_its_own_org_domain() -> None:
    src = MemorySource(dmarc(**{"bank.example": "v=DMARC1; p=reject; psd=y"}))
    r = run(organizational_domain(src, "bank.example"))
    assert r.org_domain == "bank.example"
    assert r.queries == ("_dmarc.bank.example",)


def test_psd_n_intermediate_is_org_domain() -> None:
    src = MemorySource(
        dmarc(
            **{
                "b.example.com": "v=DMARC1; p=reject; psd=n",
                "example.com": "v=DMARC1; p=none",
            }
        )
    )
    r = run(discover_policy(src, "a.b.example.com"))
    assert r.org_domain == "b.example.com"
    assert r.org.reason is OrgReason.PSD_NO
    assert r.policy_domain == "b.example.com"
    assert r.policy is Policy.REJECT
    assert "_dmarc.example.com" not in r.queries


def test_psd_policy_not_used_when_domain_has_record() -> None:
    src = MemorySource(
        dmarc(**{"example": "v=DMARC1; p=reject; psd=y", "foo.example": "v=DMARC1; p=none"})
    )
    r = run(discover_policy(src, "foo.example"))
    assert r.policy_domain == "foo.example"
    assert r.policy is Policy.NONE
    assert r.source is PolicySource.DOMAIN
    assert r.org_domain == "foo.example"


def test_own_record_beats_org_record() -> None:
    src = MemorySource(
        dmarc(**{"mail.example.com": "v=DMARC1; p=reject", "example.com": "v=DMARC1; p=none"})
    )
    r = run(discover_policy(src, "mail.example.com"))
    assert r.policy is Policy.REJECT
    assert r.policy_tag is PolicyTag.P
    assert r.org_domain == "example.com"  # the walk still climbs for alignment


@pytest.mark.parametrize(
    ("extra", "policy", "tag", "exists"),
    [
        ({}, Policy.QUARANTINE, PolicyTag.NP, False),  # sub.example.com is NXDOMAIN
        ({"sub.example.com": {"A": ["192.0.2.10"]}}, Policy.NONE, PolicyTag.SP, True),
        ({"sub.example.com": {"MX": ["1 mx.example.com"]}}, Policy.NONE, PolicyTag.SP, True),
    ],
)
def test_np_for_nonexistent_subdomain(
    extra: dict[str, dict[str, list[str]]], policy: Policy, tag: PolicyTag, exists: bool
) -> None:
    records = dmarc(**{"example.com": "v=DMARC1; p=reject; sp=none; np=quarantine"}) | extra
    r = run(discover_policy(MemorySource(records), "sub.example.com"))
    assert (r.policy, r.policy_tag, r.domain_exists) == (policy, tag, exists)


def test_np_existence_query_failure_is_temperror() -> None:
    records = dmarc(**{"example.com": "v=DMARC1; p=reject; np=quarantine"})
    src = MemorySource(records, failures={("sub.example.com", "A"): Rcode.SERVFAIL})
    r = run(discover_policy(src, "sub.example.com"))
    assert r.status is DiscoveryStatus.TEMPERROR
    assert r.error is not None and r.error.rdtype == "A"


def test_no_np_means_no_existence_query() -> None:
    src = MemorySource(dmarc(**{"example.com": "v=DMARC1; p=reject; sp=quarantine"}))
    r = run(discover_policy(src, "sub.example.com"))
    assert (r.policy, r.policy_tag, r.domain_exists) == (Policy.QUARANTINE, PolicyTag.SP, None)
    assert all(t == "TXT" for _, t in src.log)


def test_subdomain_without_sp_uses_p() -> None:
    src = MemorySource(dmarc(**{"example.com": "v=DMARC1; p=reject"}))
    r = run(discover_policy(src, "mail.example.com"))
    assert (r.policy, r.policy_tag) == (Policy.REJECT, PolicyTag.P)


def test_testing_mode_weakens_applied_policy() -> None:
    src = MemorySource(dmarc(**{"example.com": "v=DMARC1; p=reject; t=y"}))
    r = run(discover_policy(src, "example.com"))
    assert r.policy is Policy.REJECT
    assert r.applied_policy is Policy.QUARANTINE


def test_multiple_records_at_domain_means_no_dmarc() -> None:
    records = {
        "_dmarc.mail.example.com": {"TXT": ["v=DMARC1; p=reject", "v=DMARC1; p=quarantine"]},
        **dmarc(**{"example.com": "v=DMARC1; p=none"}),
    }
    r = run(discover_policy(MemorySource(records), "mail.example.com"))
    assert r.status is DiscoveryStatus.NONE
    assert r.none_reason is NoneReason.MULTIPLE_RECORDS
    assert r.policy is None


def test_multiple_records_mid_walk_are_discarded_and_walk_continues() -> None:
    records = {
        "_dmarc.mail.example.com": {"TXT": ["v=DMARC1; p=reject", "v=DMARC1; p=quarantine"]},
        **dmarc(**{"example.com": "v=DMARC1; p=none"}),
    }
    r = run(discover_policy(MemorySource(records), "a.mail.example.com"))
    assert r.policy_domain == "example.com"


def test_non_dmarc_txt_is_ignored() -> None:
    records = {
        "_dmarc.mail.example.com": {"TXT": ["some other txt", "v=spf1 -all", "v=dmarc1; p=none"]},
        **dmarc(**{"example.com": "v=DMARC1; p=quarantine"}),
    }
    r = run(discover_policy(MemorySource(records), "mail.example.com"))
    assert r.policy is Policy.QUARANTINE
    assert r.org.walk.steps[0].texts[2] == "v=dmarc1; p=none"


@pytest.mark.parametrize("rcode", [Rcode.SERVFAIL, Rcode.TIMEOUT, Rcode.UNRESOLVABLE])
def test_error_at_domain_is_temperror(rcode: Rcode) -> None:
    src = MemorySource({}, failures={("_dmarc.example.com", "TXT"): rcode})
    r = run(discover_policy(src, "example.com"))
    assert r.status is DiscoveryStatus.TEMPERROR
    assert r.error is not None and r.error.rcode is rcode
    assert r.error.name == "_dmarc.example.com"


def test_error_mid_walk_stops_walk_and_is_temperror() -> None:
    src = MemorySource(
        dmarc(**{"example.com": "v=DMARC1; p=reject"}),
        failures={("_dmarc.mail.example.com", "TXT"): Rcode.TIMEOUT},
    )
    r = run(discover_policy(src, "a.mail.example.com"))
    assert r.status is DiscoveryStatus.TEMPERROR
    assert r.queries == ("_dmarc.a.mail.example.com", "_dmarc.mail.example.com")
    org = run(organizational_domain(src, "a.mail.example.com"))
    assert org.error is not None


def test_error_after_own_record_keeps_policy_but_flags_org() -> None:
    src = MemorySource(
        dmarc(**{"mail.example.com": "v=DMARC1; p=reject"}),
        failures={("_dmarc.com", "TXT"): Rcode.SERVFAIL},
    )
    r = run(discover_policy(src, "mail.example.com"))
    assert r.status is DiscoveryStatus.FOUND
    assert r.policy is Policy.REJECT
    assert r.org.error is not None


def test_no_record_anywhere() -> None:
    r = run(discover_policy(MemorySource({}), "example.com"))
    assert r.status is DiscoveryStatus.NONE
    assert r.none_reason is NoneReason.NO_RECORD
    assert r.org.reason is OrgReason.SELF
    assert r.org_domain == "example.com"


@pytest.mark.parametrize(
    ("text", "status", "policy"),
    [
        ("v=DMARC1; rua=mailto:d@example.com", DiscoveryStatus.FOUND, Policy.NONE),
        ("v=DMARC1; adkim=s", DiscoveryStatus.NONE, None),
        ("v=DMARC1; p=bogus; rua=mailto:d@example.com", DiscoveryStatus.FOUND, Policy.NONE),
        ("v=DMARC1; p=reject; sp=bogus", DiscoveryStatus.NONE, None),
        ("v=DMARC1; p=Reject", DiscoveryStatus.FOUND, Policy.REJECT),
    ],
)
def test_missing_or_invalid_p(text: str, status: DiscoveryStatus, policy: Policy | None) -> None:
    """RFC 9989 §4.10.1: no valid p (or invalid sp/np) -> p=none if rua is valid, else none."""
    r = run(discover_policy(MemorySource(dmarc(**{"example.com": text})), "example.com"))
    assert (r.status, r.policy) == (status, policy)
    assert r.record is not None


def test_offline_unresolvable_parent_is_assumed_absent_and_noted() -> None:
    src = MemorySource(
        dmarc(**{"example.jp": "v=DMARC1; p=reject"}),
        failures={("_dmarc.jp", "TXT"): Rcode.UNRESOLVABLE},
    )
    r = run(discover_policy(src, "mail.example.jp"))
    assert r.status is DiscoveryStatus.FOUND
    assert r.policy_domain == "example.jp"
    assert r.unresolved == ("_dmarc.jp",)
    assert r.org.error is None


def test_offline_unresolvable_domain_is_temperror() -> None:
    src = MemorySource({}, failures={("_dmarc.elsewhere.example", "TXT"): Rcode.UNRESOLVABLE})
    r = run(discover_policy(src, "elsewhere.example"))
    assert r.status is DiscoveryStatus.TEMPERROR
    assert r.error is not None and r.error.rcode is Rcode.UNRESOLVABLE
