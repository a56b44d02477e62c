"""The existence stage (issue 8, item 4): a domain that does not exist is said so first, scores
0 and gets no advice to publish records at a name that cannot hold any; a name that exists
in any way (another type, a wildcard, an empty non-terminal, a CNAME) is judged as usual."""

from __future__ import annotations

import asyncio

import pytest

from mailauth.dns.interface import DnsAnswer, Rcode
from mailauth.dns.memory import MemorySource
from mailauth.domain.existence import (
    PROBE_TYPES,
    Existence,
    check_existence,
    judge_existence,
)
from mailauth.domain.policy import Policy, Suppression
from mailauth.domain.registry import DOMAIN_CHECKS
from mailauth.domain.runner import DomainReport, check_domain
from mailauth.providers import Rule, State
from mailauth.render.json import domain_json

NAME = "typo.example"
# The parent exists and publishes DMARC: the tree walk finds it for the nonexistent child.
PARENT = {
    "example": {"TXT": ["v=spf1 -all"]},
    "_dmarc.example": {"TXT": ["v=DMARC1; p=reject; rua=mailto:d@example"]},
}


def answer(rcode: Rcode, rdtype: str = "TXT", cnames: tuple[str, ...] = ()) -> DnsAnswer:
    return DnsAnswer(NAME, rdtype, rcode, cnames=cnames)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([answer(Rcode.NXDOMAIN, t) for t in PROBE_TYPES], Existence.NXDOMAIN),
        ([answer(Rcode.NXDOMAIN), answer(Rcode.NOERROR, "MX")], Existence.EXISTS),
        # A dangling CNAME: the last name is NXDOMAIN, the name itself has a record.
        ([answer(Rcode.NXDOMAIN, cnames=("gone.example",))], Existence.EXISTS),
        ([answer(Rcode.NXDOMAIN), answer(Rcode.SERVFAIL, "MX")], Existence.UNKNOWN),
        ([answer(Rcode.UNRESOLVABLE, t) for t in PROBE_TYPES], Existence.UNKNOWN),
        ([answer(Rcode.TIMEOUT)], Existence.UNKNOWN),
        ([], Existence.UNKNOWN),
    ],
)
def test_judge_existence(answers: list[DnsAnswer], expected: Existence) -> None:
    assert judge_existence(answers) is expected


def test_a_name_with_records_costs_no_address_query() -> None:
    """TXT and MX are what the SPF and MX checks ask anyway; A/AAAA only when needed."""
    dns = MemorySource({NAME: {"MX": ["10 mx.example"]}})
    report = asyncio.run(check_existence(dns, NAME))
    assert report.existence is Existence.EXISTS and report.exists is True
    assert sorted(dns.log) == [(NAME, "MX"), (NAME, "TXT")]


def test_nxdomain_for_one_type_only_is_not_a_missing_domain() -> None:
    """Some servers answer NXDOMAIN for a type they do not serve; the A record proves the
    name exists."""
    dns = MemorySource(
        {NAME: {"A": ["192.0.2.1"]}},
        failures={(NAME, "TXT"): Rcode.NXDOMAIN, (NAME, "MX"): Rcode.NXDOMAIN},
    )
    assert asyncio.run(check_existence(dns, NAME)).existence is Existence.EXISTS


def run(dns: MemorySource, policy: Policy | None = None) -> DomainReport:
    return asyncio.run(check_domain(dns, NAME, policy=policy))


def test_a_domain_that_does_not_exist_scores_zero_with_one_finding() -> None:
    report = run(MemorySource(PARENT))
    assert report.exists is False and report.nonexistent
    assert [f.id for f in report.findings] == ["domain.nxdomain"]
    assert report.located_findings()[0][0] == "domain"
    assert (report.score.score, report.score.grade) == (0, "F")
    assert [d.finding_id for d in report.score.deductions] == ["domain.nxdomain"]
    # The checks ran (their data and statuses are kept) but their findings are set aside:
    # none proposes a record at the typo.
    assert list(report.checks) == [spec.name for spec in DOMAIN_CHECKS]
    assert not any(r.findings for r in report.checks.values())
    subsumed = {f.id for f in report.subsumed}
    assert {"spf.missing", "mx.no-mail-host", "tls_rpt.missing"} <= subsumed
    assert not any(f.fix_record for f in report.findings)
    assert report.errors == () and report.score.complete


def test_every_provider_audience_is_unmet() -> None:
    report = run(MemorySource(PARENT))
    for provider in report.providers:
        for audience in provider.audiences:
            assert audience.verdict is State.UNMET
            assert Rule.DOMAIN_EXISTS in audience.unmet


def test_lookups_that_fail_under_a_missing_domain_give_no_error() -> None:
    """The verdict is known (F) whatever a check could not look up under the name."""
    dns = MemorySource(PARENT, failures={("_dmarc.example", "TXT"): Rcode.SERVFAIL})
    report = run(dns)
    assert report.checks["dmarc"].status.value == "error"
    assert report.errors == () and report.scored
    assert domain_json(report)["complete"] is True


def test_an_existing_domain_is_judged_by_its_checks() -> None:
    report = run(MemorySource({**PARENT, NAME: {"A": ["192.0.2.1"]}}))
    assert report.exists is True and not report.nonexistent
    assert "spf.missing" in {f.id for f in report.findings}
    assert report.subsumed == ()
    assert all(
        a.verdict is not State.UNMET or Rule.DOMAIN_EXISTS not in a.unmet
        for p in report.providers
        for a in p.audiences
    )


def test_unknown_existence_is_never_nxdomain() -> None:
    dns = MemorySource(PARENT, failures={(NAME, "*"): Rcode.TIMEOUT})
    report = run(dns)
    assert report.exists is None and not report.nonexistent
    assert "domain.nxdomain" not in {f.id for f in report.findings}
    assert domain_json(report)["domain_exists"] is None


def test_ignoring_nxdomain_gives_the_checks_findings_back() -> None:
    policy = Policy(ignore=(Suppression.parse("domain.nxdomain"),))
    report = run(MemorySource(PARENT), policy)
    assert report.exists is False and not report.nonexistent
    assert "spf.missing" in {f.id for f in report.findings}
    assert [f.id for f in report.suppressed] == ["domain.nxdomain"]


def test_the_stage_runs_with_custom_checks_only_when_asked() -> None:
    checks = DOMAIN_CHECKS[:1]
    plain = asyncio.run(check_domain(MemorySource(), NAME, checks=checks))
    assert plain.existence is None and plain.exists is None
    asked = asyncio.run(check_domain(MemorySource(), NAME, checks=checks, existence=True))
    assert asked.nonexistent and [f.id for f in asked.findings] == ["domain.nxdomain"]


def test_json_says_whether_the_domain_exists() -> None:
    missing = domain_json(run(MemorySource(PARENT)))
    assert missing["domain_exists"] is False
    assert [f["check"] for f in missing["findings"]] == ["domain"]
    assert (missing["score"], missing["grade"]) == (0, "F")
    assert "domain" not in missing["spf"]  # the check objects keep their shape
    present = domain_json(run(MemorySource({**PARENT, NAME: {"TXT": ["v=spf1 -all"]}})))
    assert present["domain_exists"] is True
