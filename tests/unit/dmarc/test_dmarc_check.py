"""check_dmarc over in-memory DNS: status rules, lookup failures, fix records, JSON data."""

from __future__ import annotations

import asyncio

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.domain.dmarc import DmarcReport, check_dmarc
from mailauth.model import Status
from mailauth.records.dmarc import parse_dmarc
from mailauth.records.dmarc_rewrite import rebuild, repair_version
from mailauth.render.check_json import dmarc_json


def check(
    records: dict[str, dict[str, list[str]]], domain: str = "example.com", **kw: object
) -> DmarcReport:
    src = MemorySource(records, **kw)  # type: ignore[arg-type]
    return asyncio.run(check_dmarc(CheckContext(src, CheckOptions()), domain))


def ids(report: DmarcReport) -> set[str]:
    return {f.id for f in report.findings}


def test_good_record_passes() -> None:
    r = check({"_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject; rua=mailto:d@example.com"]}})
    assert r.status is Status.PASS
    assert not r.findings
    data = dmarc_json(r)
    assert data["record"] == "v=DMARC1; p=reject; rua=mailto:d@example.com"
    assert data["policy"] == "reject"
    assert data["location"] == "_dmarc.example.com"
    assert data["org_domain"] == "example.com"
    assert data["tags"]["p"] == "reject"
    assert "pct" not in data["tags"]


def test_lookup_failed_is_error() -> None:
    r = check({}, failures={("_dmarc.example.com", "TXT"): Rcode.SERVFAIL})
    assert r.status is Status.ERROR
    (f,) = r.findings
    assert f.id == "dmarc.lookup-failed"
    assert f.params == {"name": "_dmarc.example.com", "rdtype": "TXT", "rcode": "SERVFAIL"}


def test_missing_is_none_with_first_step_fix() -> None:
    r = check({})
    assert r.status is Status.NONE
    (f,) = r.findings
    assert f.id == "dmarc.missing"
    assert f.fix_record == "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com"


def test_policy_none_fix_keeps_other_tags() -> None:
    r = check(
        {"_dmarc.example.com": {"TXT": ["v=DMARC1; rua=mailto:d@example.com; p=none; adkim=s"]}}
    )
    (f,) = [f for f in r.findings if f.id == "dmarc.policy-none"]
    assert f.fix_record == "v=DMARC1; p=quarantine; adkim=s; rua=mailto:d@example.com"
    assert r.status is Status.WARN


def test_testing_mode_reports_applied_policy() -> None:
    r = check(
        {"_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject; t=y; rua=mailto:d@example.com"]}}
    )
    (f,) = [f for f in r.findings if f.id == "dmarc.testing"]
    assert f.params["applied"] == "quarantine"
    assert f.fix_record == "v=DMARC1; p=reject; rua=mailto:d@example.com"
    assert dmarc_json(r)["applied_policy"] == "quarantine"


def test_external_report_authorization() -> None:
    records = {
        "_dmarc.example.com": {
            "TXT": [
                "v=DMARC1; p=reject; rua=mailto:a@ok.example,"
                "mailto:b@no.example,mailto:c@sub.example.com"
            ]
        },
        "example.com._report._dmarc.ok.example": {"TXT": ["v=DMARC1"]},
    }
    r = check(records)
    unauthorized = [
        f.params["dest"] for f in r.findings if f.id == "dmarc.external-report-unauthorized"
    ]
    assert unauthorized == ["no.example"]
    auth = {a["destination"]: a["authorized"] for a in dmarc_json(r)["report_authorization"]}
    assert auth == {"ok.example": True, "no.example": False}


def test_external_report_lookup_failure_is_unknown_not_a_finding() -> None:
    records = {"_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject; rua=mailto:a@far.example"]}}
    r = check(records, failures={("example.com._report._dmarc.far.example", "TXT"): Rcode.TIMEOUT})
    assert "dmarc.external-report-unauthorized" not in ids(r)
    assert dmarc_json(r)["report_authorization"][0]["authorized"] is None


def test_invalid_version_fix() -> None:
    assert repair_version("v=dmarc1; p=reject") == "v=DMARC1; p=reject"
    assert repair_version("v=DMARC1 p=reject; rua=mailto:a@b.example") == (
        "v=DMARC1; p=reject; rua=mailto:a@b.example"
    )
    assert repair_version("p=none; v=DMARC1") == "v=DMARC1; p=none"
    assert repair_version("v=DMARC") is None


def test_rebuild_orders_and_drops() -> None:
    r = parse_dmarc("v=DMARC1; rua=mailto:a@b.example; pct=10; zz=1; aspf=q; p=none")
    assert rebuild(r) == "v=DMARC1; p=none; rua=mailto:a@b.example"
    assert rebuild(r, set_tags={"p": "reject"}, drop=("rua",)) == "v=DMARC1; p=reject"


def test_multiple_records_fail() -> None:
    r = check({"_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject", "v=DMARC1; p=none"]}})
    assert r.status is Status.FAIL
    assert ids(r) == {"dmarc.multiple-records"}


def test_invalid_version_with_parent_record() -> None:
    records = {
        "_dmarc.mail.example.com": {"TXT": ["v=dmarc1; p=reject"]},
        "_dmarc.example.com": {"TXT": ["v=DMARC1; p=quarantine; rua=mailto:d@example.com"]},
    }
    r = check(records, "mail.example.com")
    assert {"dmarc.invalid-version", "dmarc.inherited"} <= ids(r)
    assert r.status is Status.FAIL
    assert dmarc_json(r)["policy"] == "quarantine"


PARENT_WEAK = "v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com"


def test_inherited_sp_none_is_reported_once() -> None:
    """sub.example.com inherits `p=reject; sp=none` (RFC 9989 §4.10.1: sp for an existing
    subdomain). Its one problem is that its policy is none: dmarc.policy-none says so with
    the fix (sp=quarantine); dmarc.subdomain-policy-weaker for the same sp=none would count
    the same weakness twice with a second fix (regression)."""
    r = check(
        {"_dmarc.example.com": {"TXT": [PARENT_WEAK]}, "sub.example.com": {"A": ["192.0.2.1"]}},
        "sub.example.com",
    )
    assert [f.id for f in r.findings] == ["dmarc.inherited", "dmarc.policy-none"]
    (none,) = [f for f in r.findings if f.id == "dmarc.policy-none"]
    assert none.params == {"domain": "sub.example.com", "tag": "sp", "name": "_dmarc.example.com"}
    assert none.fix_record == "v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@example.com"


def test_inherited_np_none_is_reported_once_for_a_nonexistent_subdomain() -> None:
    """np applies to a subdomain that does not exist (RFC 9989 §3.2.13: NXDOMAIN)."""
    r = check(
        {"_dmarc.example.com": {"TXT": ["v=DMARC1; p=reject; np=none; rua=mailto:d@x.example"]}},
        "ghost.example.com",
    )
    assert r.discovery.policy_tag is not None and r.discovery.policy_tag.value == "np"
    assert "dmarc.policy-none" in ids(r)
    assert "dmarc.subdomain-policy-weaker" not in ids(r)


def test_other_weaker_subdomain_tag_is_still_reported() -> None:
    """Only the tag already reported as the domain's none policy is skipped: the parent's
    np=quarantine (weaker than p=reject) is a different weakness of the same record."""
    r = check(
        {
            "_dmarc.example.com": {
                "TXT": [PARENT_WEAK.replace("sp=none", "sp=none; np=quarantine")]
            },
            "sub.example.com": {"A": ["192.0.2.1"]},
        },
        "sub.example.com",
    )
    weaker = [f.params["tag"] for f in r.findings if f.id == "dmarc.subdomain-policy-weaker"]
    assert weaker == ["np"]


def test_weaker_subdomain_policy_is_reported_on_the_domain_itself() -> None:
    """For example.com its p=reject applies (no policy-none), so sp=none is reported only
    as dmarc.subdomain-policy-weaker."""
    r = check({"_dmarc.example.com": {"TXT": [PARENT_WEAK]}})
    assert ids(r) == {"dmarc.subdomain-policy-weaker"}
