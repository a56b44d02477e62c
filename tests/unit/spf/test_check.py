"""check_spf: findings, statuses, fix records and JSON data, over MemorySource and the samples."""

from __future__ import annotations

import asyncio
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.dns.zonefile import ZoneSource
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.domain.spf import SpfReport, check_spf
from mailauth.findings.catalogue import CATALOGUE
from mailauth.model import Severity, Status
from mailauth.records.spf_rewrite import txt_presentation
from mailauth.render.check_json import spf_json


def check(records: dict, domain: str = "example.com", **kw: object) -> SpfReport:
    src = MemorySource(records, **kw)  # type: ignore[arg-type]
    return asyncio.run(check_spf(CheckContext(src, CheckOptions()), domain))


def ids(report: SpfReport) -> list[str]:
    return [f.id for f in report.findings]


def one(report: SpfReport, fid: str):  # type: ignore[no-untyped-def]
    found = [f for f in report.findings if f.id == fid]
    assert len(found) == 1, ids(report)
    return found[0]


@pytest.fixture(scope="module")
def samples() -> ZoneSource:
    return ZoneSource.from_paths(["samples/zones"])


def test_toomany_sample_reports_the_limit_with_breakdown(samples: ZoneSource) -> None:
    report = asyncio.run(check_spf(CheckContext(samples, CheckOptions()), "toomany.example"))
    assert report.status is Status.FAIL
    f = one(report, "spf.too-many-lookups")
    assert f.params["count"] == 14 == report.dns_lookups
    assert f.params["tipping_include"] == "include:_spf2.toomany.example"
    assert f.params["tipping_term"] == "a:out4.toomany.example"
    assert "include:_spf1.toomany.example: 4" in f.params["breakdown"]
    assert "include:_spf2.toomany.example: 5" in f.params["breakdown"]
    data = spf_json(report)
    costs = {i["term"]: i["cost"] for i in data["includes"]}
    assert costs == {
        "mx": 1,
        "a": 1,
        "include:_spf1.toomany.example": 4,
        "include:_spf2.toomany.example": 5,
        "include:_spf3.toomany.example": 3,
    }
    spf2 = data["includes"][3]
    assert (spf2["lookups"], spf2["subtree_lookups"]) == (2, 4)
    assert [c["cost"] for c in spf2["children"]] == [2, 2]
    assert data["tipping_point"]["top"] == "include:_spf2.toomany.example"


def test_example_jp_sample_has_nothing_worse_than_info(samples: ZoneSource) -> None:
    report = asyncio.run(check_spf(CheckContext(samples, CheckOptions()), "example.jp"))
    assert report.status is Status.PASS
    assert all(f.severity is Severity.INFO for f in report.findings), ids(report)
    assert report.dns_lookups == 1 and report.records_found == 1


def test_broken_sample(samples: ZoneSource) -> None:
    report = asyncio.run(check_spf(CheckContext(samples, CheckOptions()), "broken.example"))
    assert set(ids(report)) == {"spf.include-no-spf", "spf.neutral-all", "spf.ptr-used"}
    assert one(report, "spf.neutral-all").fix_record == (
        "v=spf1 a mx ptr include:nospf.broken.example ~all"
    )


def test_missing_record_is_status_none() -> None:
    report = check({"example.com": {"TXT": ["google-site-verification=x"]}})
    assert report.status is Status.NONE
    assert ids(report) == ["spf.missing"]
    assert one(report, "spf.missing").severity is Severity.HIGH
    assert report.record is None and spf_json(report)["records_found"] == 0


@pytest.mark.parametrize("rcode", [Rcode.SERVFAIL, Rcode.TIMEOUT, Rcode.UNRESOLVABLE])
def test_lookup_failure_is_status_error(rcode: Rcode) -> None:
    report = check({}, failures={("example.com", "TXT"): rcode})
    assert report.status is Status.ERROR
    f = one(report, "spf.lookup-failed")
    assert f.params == {"name": "example.com", "rdtype": "TXT", "rcode": rcode.value}


def test_plus_all_is_critical_with_fix() -> None:
    report = check({"example.com": {"TXT": ["v=spf1 ip4:192.0.2.1 +all"]}})
    f = one(report, "spf.plus-all")
    assert f.severity is Severity.CRITICAL
    assert f.fix_record == "v=spf1 ip4:192.0.2.1 -all"
    assert report.status is Status.FAIL


def test_pass_everyone_cidr_and_included_plus_all_count_as_plus_all() -> None:
    report = check(
        {
            "example.com": {"TXT": ["v=spf1 ip4:0.0.0.0/0 include:lax.example -all"]},
            "lax.example": {"TXT": ["v=spf1 all"]},
        }
    )
    terms = sorted(f.params["term"] for f in report.findings if f.id == "spf.plus-all")
    assert terms == ["all", "ip4:0.0.0.0/0"]


@pytest.mark.parametrize(
    ("record", "fid", "fix"),
    [
        ("v=spf1 mx ?all", "spf.neutral-all", "v=spf1 mx ~all"),
        ("v=spf1 mx", "spf.no-all", "v=spf1 mx ~all"),
        ("v=spf1 mx ~all", "spf.softfail-all", "v=spf1 mx -all"),
    ],
)
def test_all_qualifier_advice(record: str, fid: str, fix: str) -> None:
    report = check(
        {
            "example.com": {"TXT": [record], "MX": ["10 mx.example.com"]},
            # the MX host has an address (without one, spf.mx-host-no-address is reported)
            "mx.example.com": {"A": ["192.0.2.25"]},
        }
    )
    assert ids(report) == [fid]
    assert one(report, fid).fix_record == fix


def test_hard_fail_all_gets_no_advice_and_redirect_policy_is_followed() -> None:
    assert ids(check({"example.com": {"TXT": ["v=spf1 ip4:192.0.2.1 -all"]}})) == []
    report = check(
        {
            "example.com": {"TXT": ["v=spf1 redirect=_spf.example.com"]},
            "_spf.example.com": {"TXT": ["v=spf1 ip4:192.0.2.1 ?all"]},
        }
    )
    f = one(report, "spf.neutral-all")
    assert f.params["name"] == "_spf.example.com"
    assert f.fix_record is None  # the all lives in another record


def test_redirect_to_domain_without_spf() -> None:
    report = check({"example.com": {"TXT": ["v=spf1 redirect=nospf.example"]}, "nospf.example": {}})
    f = one(report, "spf.include-no-spf")
    assert f.params["term"] == "redirect=nospf.example"
    assert "spf.no-all" not in ids(report)


def test_multiple_records_get_a_merged_fix() -> None:
    report = check(
        {
            "example.com": {
                "TXT": ["v=spf1 ip4:192.0.2.1 mx -all", "v=spf1 include:esp.example ~all"]
            }
        }
    )
    f = one(report, "spf.multiple-records")
    assert f.params["count"] == 2
    assert f.fix_record == "v=spf1 ip4:192.0.2.1 mx include:esp.example -all"


def test_syntax_error_names_the_term() -> None:
    report = check({"example.com": {"TXT": ["v=spf1 ip4:192.0.2.1/33 -all"]}})
    f = one(report, "spf.syntax-error")
    assert f.params["term"] == "ip4:192.0.2.1/33"


def test_include_servfail_is_reported_as_temperror_style_finding() -> None:
    report = check(
        {"example.com": {"TXT": ["v=spf1 include:bad.example -all"]}},
        failures={("bad.example", "TXT"): Rcode.SERVFAIL},
    )
    f = one(report, "spf.include-lookup-failed")
    assert f.severity is Severity.MEDIUM
    assert (f.params["target"], f.params["rcode"]) == ("bad.example", "SERVFAIL")
    assert report.status is Status.WARN


@pytest.mark.parametrize(
    ("records", "failures"),
    [
        # RFC 7208 §4.6.4 counts the lookups behind an include; one that cannot be fetched
        # hides them, so the total is only a lower bound.
        (
            {
                "example.com": {"TXT": ["v=spf1 include:ok.example include:bad.example -all"]},
                "ok.example": {"TXT": ["v=spf1 a mx -all"]},
            },
            {("bad.example", "TXT"): Rcode.SERVFAIL},
        ),
        (
            {"example.com": {"TXT": ["v=spf1 redirect=bad.example"]}},
            {("bad.example", "TXT"): Rcode.TIMEOUT},
        ),
        # An a term that fails counts one lookup, but whether it is void is unknown.
        (
            {"example.com": {"TXT": ["v=spf1 a:host.example -all"]}},
            {("host.example", "A"): Rcode.SERVFAIL},
        ),
    ],
)
def test_a_failed_lookup_makes_the_counts_lower_bounds(records: dict, failures: dict) -> None:
    report = check(records, failures=failures)
    data = spf_json(report)
    assert data["lookups_complete"] is False
    f = one(report, "spf.include-lookup-failed")
    assert f.params["count"] == data["dns_lookups"] == report.dns_lookups
    consequence = CATALOGUE[f.id].consequence.format(**f.params)
    assert f"DNS lookup count in this report ({report.dns_lookups}) is only a lower bound" in (
        consequence
    )


def test_include_servfail_hides_the_lookups_behind_it() -> None:
    ok = {
        "example.com": {"TXT": ["v=spf1 include:inc.example -all"]},
        "inc.example": {"TXT": ["v=spf1 a mx include:deep.example -all"]},
        "deep.example": {"TXT": ["v=spf1 a -all"]},
    }
    complete = check(ok)
    assert spf_json(complete)["lookups_complete"] is True and complete.dns_lookups == 5
    broken = check(ok, failures={("inc.example", "TXT"): Rcode.SERVFAIL})
    assert spf_json(broken)["lookups_complete"] is False and broken.dns_lookups == 1


def test_macro_include_and_loop_leave_the_count_incomplete() -> None:
    macro = check({"example.com": {"TXT": ["v=spf1 include:%{i}._spf.example.com -all"]}})
    assert "spf.macro-include" in ids(macro)
    assert spf_json(macro)["lookups_complete"] is False
    loop = check(
        {
            "example.com": {"TXT": ["v=spf1 include:a.example -all"]},
            "a.example": {"TXT": ["v=spf1 include:example.com -all"]},
        }
    )
    assert "spf.include-loop" in ids(loop)
    assert spf_json(loop)["lookups_complete"] is False


def test_offline_unresolvable_include_is_only_information() -> None:
    report = check(
        {"example.com": {"TXT": ["v=spf1 include:_spf.google.com -all"]}},
        failures={("_spf.google.com", "TXT"): Rcode.UNRESOLVABLE},
    )
    assert one(report, "spf.include-lookup-failed").severity is Severity.INFO


def test_deprecated_spf_rrtype_alongside_missing_txt() -> None:
    report = check({"example.com": {"SPF": ["v=spf1 -all"]}})
    assert ids(report) == ["spf.missing", "spf.deprecated-spf-rrtype"]
    assert report.status is Status.NONE


def test_data_has_the_contract_fields() -> None:
    report = check(
        {
            "example.com": {"TXT": [["v=spf1 ip4:192.0.2.1 ", "include:a.example -all"]]},
            "a.example": {"TXT": ["v=spf1 a:gone.example -all"]},
        }
    )
    data = spf_json(report)
    for key in ("record", "dns_lookups", "void_lookups", "includes", "records_found"):
        assert key in data
    assert data["record"] == "v=spf1 ip4:192.0.2.1 include:a.example -all"
    assert data["strings"] == [21, 22]
    assert (data["dns_lookups"], data["void_lookups"]) == (2, 1)
    assert data["includes"][0]["children"][0]["void"] is True


def test_every_emitted_finding_renders_completely() -> None:
    report = check(
        {
            "example.com": {
                "TXT": [
                    "v=spf1 ptr a:g1.example a:g2.example a:g3.example include:l.example "
                    "include:%{i}.x.example -all exp=e.example foo=bar"
                ],
            },
            "l.example": {"TXT": ["v=spf1 include:example.com"]},
        }
    )
    assert {
        "spf.ptr-used",
        "spf.too-many-void-lookups",
        "spf.include-loop",
        "spf.macro-include",
        "spf.unknown-modifier",
    } <= set(ids(report))
    for f in report.findings:
        assert f.id in CATALOGUE
        for text in (f.title, f.detail, f.consequence, f.fix):
            assert not re.search(r"(?<!%)\{[a-z_]+\}", text), (f.id, text)


def test_txt_presentation_splits_long_records() -> None:
    short = "v=spf1 -all"
    assert txt_presentation(short) == short
    long = "v=spf1 " + " ".join(f"ip4:198.51.100.{i}" for i in range(30)) + " -all"
    out = txt_presentation(long)
    parts = re.findall(r'"([^"]*)"', out)
    assert "".join(parts) == long and all(len(p) <= 255 for p in parts)


def test_a_broken_all_is_a_syntax_error_not_also_a_missing_all() -> None:
    report = check({"example.com": {"TXT": ["v=spf1 ip4:192.0.2.1 -all."]}})
    assert ids(report) == ["spf.syntax-error"]


_WORDS = st.sampled_from(
    [
        "include:a.example",
        "include:example.com",
        "redirect=a.example",
        "redirect=example.com",
        "a",
        "mx",
        "ptr",
        "exists:%{i}.x.example",
        "ip4:192.0.2.1",
        "ip4:0.0.0.0/0",
        "+all",
        "-all",
        "?all",
        "~all",
        "a:%{d}",
        "include:%{o}",
        "exp=e.example",
        "x=y",
        "bad%",
        "/",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, max_size=12), st.lists(_WORDS, max_size=6))
def test_check_never_raises_and_always_has_a_status(root: list[str], inc: list[str]) -> None:
    report = check(
        {
            "example.com": {"TXT": ["v=spf1 " + " ".join(root)], "MX": ["10 mx.example.com"]},
            "a.example": {"TXT": ["v=spf1 " + " ".join(inc)]},
        }
    )
    assert report.status in Status
    for f in report.findings:
        assert f.text().detail


def test_hostile_txt_data_gives_findings_not_exceptions() -> None:
    big = [b"v=spf1 "] + [b"ip4:192.0.2.1 " * 18] * 255  # ~64 KB in 256 strings
    many = [f"verification-{i}=x" for i in range(49)] + ["v=spf1 -all"]
    not_utf8 = [[b"v=spf1 a:\xff\xfe.example -all"]]
    report = check({"example.com": {"TXT": [big]}})
    assert "spf.record-too-long" in ids(report)
    assert ids(check({"example.com": {"TXT": many}})) == []
    assert ids(check({"example.com": {"TXT": not_utf8}})) == ["spf.syntax-error"]


def test_plus_all_fix_removes_every_term_that_passes_anyone() -> None:
    """A fix that left the second `ip4:0.0.0.0/0` in place would still pass everyone."""
    report = check({"example.com": {"TXT": ["v=spf1 ip4:0.0.0.0/0 mx ip4:0.0.0.0/0 +all"]}})
    fixes = {f.fix_record for f in report.findings if f.id == "spf.plus-all"}
    assert fixes == {"v=spf1 mx -all"}


def test_plus_all_in_a_record_with_a_syntax_error_gets_no_fix() -> None:
    """A proposed record must parse cleanly and keep every other term, so none is offered
    for a record that has an invalid term (which the proposal would silently drop)."""
    report = check({"example.com": {"TXT": ["v=spf1 ip4:192.0.2.300 +all"]}})
    assert one(report, "spf.plus-all").fix_record is None
    assert "spf.syntax-error" in ids(report)


def test_merged_fix_takes_the_first_all_found_and_keeps_unknown_modifiers() -> None:
    report = check(
        {"example.com": {"TXT": ["v=spf1 mx foo=bar", "v=spf1 MX ip4:192.0.2.1 -all ptr"]}}
    )
    assert one(report, "spf.multiple-records").fix_record == (
        "v=spf1 mx ip4:192.0.2.1 -all foo=bar"
    )


def test_merge_with_two_values_of_one_modifier_is_not_mechanical() -> None:
    report = check({"example.com": {"TXT": ["v=spf1 mx foo=a -all", "v=spf1 a foo=b -all"]}})
    assert one(report, "spf.multiple-records").fix_record is None


def test_merged_fix_never_proposes_plus_all() -> None:
    report = check({"example.com": {"TXT": ["v=spf1 mx +all", "v=spf1 a ?all"]}})
    assert one(report, "spf.multiple-records").fix_record == "v=spf1 mx a ?all"
