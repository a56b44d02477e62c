"""RFC 9989 rules not covered elsewhere, one test per rule, each citing its section:
the tree walk's label shortcut and stop rule (§4.10), Organizational Domain selection
(§4.10.2 examples), policy discovery details (§4.10.1, §3.2.13), tag defaults (§4.7)
and external report destinations (§11.6, aggregate-reporting draft §3)."""

from __future__ import annotations

import asyncio

import pytest

from mailauth.dns.memory import MemorySource
from mailauth.dns.orgdomain import (
    DiscoveryStatus,
    NoneReason,
    OrgReason,
    PolicySource,
    PolicyTag,
    discover_policy,
    organizational_domain,
    walk_targets,
)
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.domain.dmarc import check_dmarc
from mailauth.records.dmarc import Policy, PsdFlag, parse_dmarc

Records = dict[str, dict[str, list[str]]]


def dmarc(**names: str) -> Records:
    return {f"_dmarc.{n}": {"TXT": [v]} for n, v in names.items()}


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_nine_labels_skip_to_seven_after_the_first_query() -> None:
    """§4.10 step 4: x >= 8 removes labels until 7 remain, so for nine labels the
    eight-label parent is never queried (the first place the shortcut skips a name)."""
    assert walk_targets("a.b.c.d.e.f.g.example.com") == [
        "a.b.c.d.e.f.g.example.com",
        "c.d.e.f.g.example.com",
        "d.e.f.g.example.com",
        "e.f.g.example.com",
        "f.g.example.com",
        "g.example.com",
        "example.com",
        "com",
    ]


def test_section_5_1_8_zone_cut_record_is_never_discovered() -> None:
    """§5.1.8: psd=n at b.c.d.e.f.g.example.com (eight labels) is skipped by the walk from
    mail.a.b.c.d.e.f.g.example.com; the queries are exactly the eight the RFC lists, and
    the Organizational Domain is example.com."""
    src = MemorySource(
        dmarc(
            **{
                "b.c.d.e.f.g.example.com": "v=DMARC1; p=reject; psd=n",
                "example.com": "v=DMARC1; p=none",
            }
        )
    )
    r = run(discover_policy(src, "mail.a.b.c.d.e.f.g.example.com"))
    assert r.queries == (
        "_dmarc.mail.a.b.c.d.e.f.g.example.com",
        "_dmarc.c.d.e.f.g.example.com",
        "_dmarc.d.e.f.g.example.com",
        "_dmarc.e.f.g.example.com",
        "_dmarc.f.g.example.com",
        "_dmarc.g.example.com",
        "_dmarc.example.com",
        "_dmarc.com",
    )
    assert (r.org_domain, r.policy_domain, r.policy) == ("example.com", "example.com", Policy.NONE)


def test_psd_n_at_the_starting_domain_stops_the_walk() -> None:
    """§4.10 step 2: a single record with psd=n or psd=y stops the walk, at the start too;
    §4.10.2 rule 1 makes that domain the Organizational Domain."""
    src = MemorySource(
        dmarc(
            **{"mail.example.com": "v=DMARC1; p=reject; psd=n", "example.com": "v=DMARC1; p=none"}
        )
    )
    r = run(organizational_domain(src, "mail.example.com"))
    assert (r.org_domain, r.reason) == ("mail.example.com", OrgReason.PSD_NO)
    assert r.queries == ("_dmarc.mail.example.com",)


def test_psd_u_and_invalid_psd_do_not_stop_the_walk() -> None:
    """§4.7 psd: u (the default) leaves the decision to the walk; an invalid value is
    discarded for the default (§4.8)."""
    for value in ("u", "maybe"):
        src = MemorySource(
            dmarc(
                **{
                    "mail.example.com": f"v=DMARC1; p=reject; psd={value}",
                    "example.com": "v=DMARC1; p=none",
                }
            )
        )
        r = run(organizational_domain(src, "mail.example.com"))
        assert (r.org_domain, r.reason) == ("example.com", OrgReason.FEWEST_LABELS)
    assert parse_dmarc("v=DMARC1; p=none; psd=maybe").psd_flag is PsdFlag.UNKNOWN


@pytest.mark.parametrize(
    ("records", "org"),
    [
        # The three examples closing §4.10.2, for the starting domain a.mail.example.com.
        (
            {"mail.example.com": "v=DMARC1; p=none", "example.com": "v=DMARC1; p=none"},
            "example.com",
        ),
        ({"mail.example.com": "v=DMARC1; p=none; psd=n"}, "mail.example.com"),
        ({"com": "v=DMARC1; p=reject; psd=y"}, "example.com"),
    ],
)
def test_section_4_10_2_examples(records: dict[str, str], org: str) -> None:
    r = run(organizational_domain(MemorySource(dmarc(**records)), "a.mail.example.com"))
    assert r.org_domain == org


def test_psd_y_below_a_plain_record_gives_the_name_one_label_below() -> None:
    """§4.10.2 rule 2 is checked in longest-to-shortest order after rule 1: a plain record
    at x.a.example.com does not stop the walk; psd=y at example.com makes a.example.com
    the Organizational Domain of y.x.a.example.com."""
    src = MemorySource(
        dmarc(**{"x.a.example.com": "v=DMARC1; p=none", "example.com": "v=DMARC1; p=reject; psd=y"})
    )
    r = run(organizational_domain(src, "y.x.a.example.com"))
    assert (r.org_domain, r.reason, r.psd_domain) == (
        "a.example.com",
        OrgReason.BELOW_PSD,
        "example.com",
    )


def test_noerror_at_dmarc_label_proves_existence_without_another_query() -> None:
    """§3.2.13 / RFC 8020: a name exists unless it is NXDOMAIN; _dmarc.sub.example.com
    answering NOERROR (here: a non-DMARC TXT) proves sub.example.com exists, so sp applies
    and no A query is made."""
    records = dmarc(**{"example.com": "v=DMARC1; p=reject; sp=quarantine; np=none"})
    records["_dmarc.sub.example.com"] = {"TXT": ["not a dmarc record"]}
    src = MemorySource(records)
    r = run(discover_policy(src, "sub.example.com"))
    assert (r.policy, r.policy_tag, r.domain_exists) == (Policy.QUARANTINE, PolicyTag.SP, True)
    assert all(rdtype == "TXT" for _, rdtype in src.log)


def test_psd_record_np_applies_to_a_nonexistent_name_below_it() -> None:
    """§4.10.1: for a PSD's record, sp or np applies by existence, as for an
    Organizational Domain's."""
    src = MemorySource(dmarc(**{"example": "v=DMARC1; p=reject; np=quarantine; psd=y"}))
    r = run(discover_policy(src, "ghost.example"))
    assert r.source is PolicySource.PSD
    assert (r.policy, r.policy_tag, r.domain_exists) == (Policy.QUARANTINE, PolicyTag.NP, False)


@pytest.mark.parametrize(
    ("text", "status", "policy"),
    [
        # §4.10.1: no valid p, rua with at least one syntactically valid URI -> p=none.
        ("v=DMARC1; rua=https://reports.example.com/dmarc", DiscoveryStatus.FOUND, Policy.NONE),
        # A bare address is not a URI: no valid rua, so no DMARC processing at all.
        ("v=DMARC1; rua=dmarc@example.com", DiscoveryStatus.NONE, None),
        # An invalid np with a valid rua: the whole record acts as p=none.
        (
            "v=DMARC1; p=reject; np=bogus; rua=mailto:d@example.com",
            DiscoveryStatus.FOUND,
            Policy.NONE,
        ),
    ],
)
def test_record_without_valid_policy(
    text: str, status: DiscoveryStatus, policy: Policy | None
) -> None:
    r = run(discover_policy(MemorySource(dmarc(**{"example.com": text})), "example.com"))
    assert (r.status, r.policy) == (status, policy)
    if status is DiscoveryStatus.NONE:
        assert r.none_reason is NoneReason.NO_VALID_POLICY


@pytest.mark.parametrize(
    ("text", "applied"),
    [
        ("v=DMARC1; p=reject; t=y", Policy.QUARANTINE),
        ("v=DMARC1; p=quarantine; t=y", Policy.NONE),
        ("v=DMARC1; p=none; t=y", Policy.NONE),  # "no effect on any policy that is none"
        ("v=DMARC1; p=reject; t=n", Policy.REJECT),
        ("v=DMARC1; p=reject; t=maybe", Policy.REJECT),  # invalid -> default n (§4.8)
    ],
)
def test_t_tag(text: str, applied: Policy) -> None:
    """§4.7 t: y applies the policy one level below the published one."""
    r = run(discover_policy(MemorySource(dmarc(**{"example.com": text})), "example.com"))
    assert r.applied_policy is applied


def test_historic_tags_have_no_effect() -> None:
    """Appendix C.5.2: pct, rf and ri were removed; pct=0 no longer weakens anything."""
    r = run(
        discover_policy(
            MemorySource(dmarc(**{"example.com": "v=DMARC1; p=reject; pct=0; rf=afrf; ri=3600"})),
            "example.com",
        )
    )
    assert r.applied_policy is Policy.REJECT
    assert r.record is not None and r.record.historic == {"pct": "0", "rf": "afrf", "ri": "3600"}


def test_inherited_record_authorizes_reports_under_the_policy_domain() -> None:
    """Aggregate-reporting draft §3: the authorization name is built from "the domain name
    from which the policy was retrieved" (example.com, not the checked subdomain), and a
    destination inside the same Organizational Domain needs no authorization."""
    records = dmarc(
        **{
            "example.com": (
                "v=DMARC1; p=reject; rua=mailto:a@reports.example.com,mailto:b@thirdparty.example"
            )
        }
    )
    records["sub.example.com"] = {"A": ["192.0.2.1"]}
    src = MemorySource(records)
    r = run(check_dmarc(CheckContext(src, CheckOptions()), "sub.example.com"))
    names = [a.name for a in r.authorizations]
    assert names == ["example.com._report._dmarc.thirdparty.example"]
    assert [f.id for f in r.findings if f.id.startswith("dmarc.external")] == [
        "dmarc.external-report-unauthorized"
    ]


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        ("v=DMARC1; rua=mailto:d@example.com", "sub.example.com"),
        ("v=DMARC1; p=reject; sp=bogus; rua=mailto:d@example.com", "sub.example.com"),
        ("v=DMARC1; p=reject; np=bogus; rua=mailto:d@example.com", "ghost.example.com"),
    ],
)
def test_record_acted_on_as_p_none_names_p_for_subdomains(text: str, domain: str) -> None:
    """§4.10.1: a record with no valid p (or an invalid sp/np) and a valid rua is acted on
    "as if a record containing p=none was retrieved"; invalid tags are discarded (§4.8),
    so for a subdomain the policy is p's (§4.7 sp/np absent). Regression: the report said
    sp=none (or np=none) for a record that has no valid sp (or np)."""
    records = dmarc(**{"example.com": text})
    records["sub.example.com"] = {"A": ["192.0.2.1"]}
    r = run(discover_policy(MemorySource(records), domain))
    assert (r.policy, r.policy_tag, r.fallback_none) == (Policy.NONE, PolicyTag.P, True)


def test_a_dangling_cname_is_an_existing_domain() -> None:
    """§A.4: "if any RR exists for a domain, then the domain exists". A CNAME whose target
    is NXDOMAIN gets rcode NXDOMAIN (RFC 6604 §2), but the name itself exists, so sp
    applies, not np (regression: np was applied)."""
    records = dmarc(**{"example.com": "v=DMARC1; p=reject; sp=quarantine; np=none"})
    records["old.example.com"] = {"CNAME": ["gone.example.net"]}
    r = run(discover_policy(MemorySource(records), "old.example.com"))
    assert (r.policy, r.policy_tag, r.domain_exists) == (Policy.QUARANTINE, PolicyTag.SP, True)
