"""TLS-RPT record parser (RFC 8460 §3) and check, with a property test on the parser."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailauth.dns.interface import DnsSource, Rcode
from mailauth.dns.memory import MemorySource
from mailauth.dns.zonefile import ZoneSource
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.domain.runner import check_domain
from mailauth.domain.tls_rpt import TlsRptReport, check_tls_rpt
from mailauth.model import Severity, Status
from mailauth.records.tls_rpt import RptProblem, parse_tls_rpt, valid_report_uri
from mailauth.render.check_json import tls_rpt_json

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "zones"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("v=TLSRPTv1; rua=mailto:tls@example.com", None),
        ("v=TLSRPTv1;rua=mailto:a@example.com,https://r.example.com/tls;", None),
        ("v=TLSRPTv1; rua=mailto:a@example.com , mailto:b@example.com", None),
        ("v=TLSRPTv1; rua=https://r.example.com/x?a=b", None),
        ("v=TLSRPTv1; rua=mailto:a@example.com; ext=1", None),
        ("rua=mailto:a@example.com; v=TLSRPTv1", RptProblem.NOT_TLSRPT),
        ("v=TLSRPTv2; rua=mailto:a@example.com", RptProblem.NOT_TLSRPT),
        ("v=TLSRPTv1", RptProblem.MISSING_RUA),
        ("v=TLSRPTv1; rua=", RptProblem.BAD_URI),
        ("v=TLSRPTv1; rua=tls@example.com", RptProblem.BAD_URI),
        ("v=TLSRPTv1; rua=http://r.example.com/", RptProblem.BAD_URI),
        ("v=TLSRPTv1; rua=mailto:a@example.com; junk", RptProblem.MALFORMED_FIELD),
        ("v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@x.com", RptProblem.DUPLICATE_FIELD),
    ],
)
def test_record_problems(text: str, problem: RptProblem | None) -> None:
    record = parse_tls_rpt(text)
    found = [p.code for p in record.problems]
    if problem is None:
        assert not found and record.usable
    else:
        assert problem in found


def test_rua_list() -> None:
    record = parse_tls_rpt("v=TLSRPTv1; rua=mailto:a@example.com,ftp://x,https://r.example.com/")
    assert record.rua == ("mailto:a@example.com", "ftp://x", "https://r.example.com/")
    assert record.valid_rua == ("mailto:a@example.com", "https://r.example.com/")
    assert record.usable


@pytest.mark.parametrize(
    ("uri", "ok"),
    [
        ("mailto:tlsrpt@example.jp", True),
        ("MAILTO:tlsrpt@example.jp", True),
        ("mailto:a%2Bb@example.jp", True),
        ("https://reports.example.jp/tlsrpt", True),
        ("https://[2001:db8::1]/r", True),
        ("mailto:@example.jp", False),
        ("mailto:a@localhost", False),
        ("mailto:a b@example.jp", False),
        ("https://", False),
        ("https://x.example:99999/", False),
        ("http://reports.example.jp/", False),
        ("", False),
    ],
)
def test_valid_report_uri(uri: str, ok: bool) -> None:
    assert valid_report_uri(uri) is ok


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=300),
        st.text(max_size=120).map(lambda t: "v=TLSRPTv1; rua=" + t),
    )
)
def test_parser_never_raises(text: str) -> None:
    record = parse_tls_rpt(text)
    assert isinstance(record.usable, bool)


def run(dns: DnsSource, domain: str = "example.com") -> TlsRptReport:
    return asyncio.run(check_tls_rpt(CheckContext(dns, CheckOptions()), domain))


def ids(report: TlsRptReport) -> list[str]:
    return [f.id for f in report.findings]


def rpt(*records: str, sts: bool = False) -> MemorySource:
    data = {"_smtp._tls.example.com": {"TXT": list(records)}}
    if sts:
        data["_mta-sts.example.com"] = {"TXT": ["v=STSv1; id=1"]}
    return MemorySource(data)


def test_check_valid() -> None:
    report = run(rpt("v=TLSRPTv1; rua=mailto:tls@example.com"))
    assert report.status is Status.PASS and not report.findings
    assert tls_rpt_json(report)["rua"] == ["mailto:tls@example.com"]


def test_check_missing_is_info_with_fix_record() -> None:
    """The proposal is the bare record value, like every check's; the text says where."""
    report = run(MemorySource())
    assert report.status is Status.NONE and ids(report) == ["tls_rpt.missing"]
    assert report.findings[0].severity is Severity.INFO
    assert report.findings[0].fix_record == "v=TLSRPTv1; rua=mailto:tlsrpt@example.com"
    assert "at _smtp._tls.example.com " in report.findings[0].fix


def test_check_missing_next_to_mta_sts_is_low() -> None:
    report = run(MemorySource({"_mta-sts.example.com": {"TXT": ["v=STSv1; id=1"]}}))
    assert ids(report) == ["tls_rpt.missing-with-mta-sts"] and report.status is Status.NONE
    assert report.findings[0].severity is Severity.LOW


def test_check_lookup_failure() -> None:
    dns = MemorySource(failures={("_smtp._tls.example.com", "TXT"): Rcode.TIMEOUT})
    report = run(dns)
    assert report.status is Status.ERROR and ids(report) == ["tls_rpt.lookup-failed"]


def test_check_record_problems() -> None:
    assert ids(run(rpt("v=TLSRPTv2; rua=mailto:a@example.com"))) == ["tls_rpt.bad-version"]
    assert ids(
        run(rpt("v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@x.com"))
    ) == ["tls_rpt.multiple-records"]
    assert ids(run(rpt("v=TLSRPTv1;"))) == ["tls_rpt.missing-rua"]
    bad = run(rpt("v=TLSRPTv1; rua=mailto:a@example.com,http://x.example/"))
    assert ids(bad) == ["tls_rpt.bad-rua"] and bad.findings[0].params["uri"] == "http://x.example/"
    assert ids(run(rpt("v=TLSRPTv1; rua=mailto:a@example.com; ???"))) == ["tls_rpt.syntax"]


def test_check_ignores_unrelated_txt() -> None:
    report = run(rpt("hello", "v=TLSRPTv1; rua=mailto:a@example.com"))
    assert report.status is Status.PASS


def test_samples() -> None:
    zones = ZoneSource.from_paths([SAMPLES])
    assert run(zones, "example.jp").status is Status.PASS
    # broken.example publishes MTA-STS (its policy is in enforce mode) and no TLS-RPT.
    assert ids(run(zones, "broken.example")) == ["tls_rpt.missing-with-mta-sts"]


NULL_MX = {"example.com": {"MX": ["0 ."]}}


def test_null_mx_domain_gets_no_report_address_proposed() -> None:
    """RFC 7505 null MX: nothing is delivered, so nothing to report, and no mailbox at the
    domain could receive a report: info, and no record proposed (it used to propose
    rua=mailto:tlsrpt@ the very domain that cannot receive mail)."""
    report = run(MemorySource(NULL_MX))
    assert report.status is Status.NONE and ids(report) == ["tls_rpt.null-mx"]
    (f,) = report.findings
    assert f.severity is Severity.INFO and f.fix_record is None


def test_null_mx_wins_over_a_published_mta_sts() -> None:
    """An MTA-STS record at a null-MX domain protects nothing, so TLS-RPT is not needed."""
    dns = MemorySource({**NULL_MX, "_mta-sts.example.com": {"TXT": ["v=STSv1; id=1"]}})
    assert ids(run(dns)) == ["tls_rpt.null-mx"]


def test_samples_null_mx_subdomain() -> None:
    """`mailauth check noreply.example.jp --zone samples/zones/`: no check proposes an
    address at the domain, and MTA-STS/TLS-RPT say at info level they are not needed."""
    zones = ZoneSource.from_paths([SAMPLES])
    assert ids(run(zones, "noreply.example.jp")) == ["tls_rpt.null-mx"]
    report = asyncio.run(check_domain(zones, "noreply.example.jp"))
    for check in ("mta_sts", "tls_rpt"):
        assert {f.severity for f in report.checks[check].findings} == {Severity.INFO}
    assert all("@noreply.example.jp" not in (f.fix_record or "") for f in report.findings)
