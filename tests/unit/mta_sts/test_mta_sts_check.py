"""MTA-STS record check over in-memory DNS and the sample zones."""

from __future__ import annotations

import asyncio
from pathlib import Path

from mailauth.dns.interface import DnsSource, Rcode
from mailauth.dns.memory import MemorySource
from mailauth.dns.zonefile import ZoneSource
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.domain.mta_sts import MtaStsReport, check_mta_sts
from mailauth.model import Severity, Status
from mailauth.render.check_json import mta_sts_json

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "zones"
HOST = {"mta-sts.example.com": {"A": ["192.0.2.80"]}}


def run(dns: DnsSource, domain: str = "example.com") -> MtaStsReport:
    return asyncio.run(check_mta_sts(CheckContext(dns, CheckOptions()), domain))


def ids(report: MtaStsReport) -> list[str]:
    return [f.id for f in report.findings]


def txt(*records: str, host: bool = True) -> MemorySource:
    data = {"_mta-sts.example.com": {"TXT": list(records)}}
    return MemorySource({**data, **(HOST if host else {})})


def test_valid_record() -> None:
    report = run(txt("v=STSv1; id=20260101T000000"))
    assert report.status is Status.PASS and not report.findings
    data = mta_sts_json(report)
    assert data["record"] == "v=STSv1; id=20260101T000000" and data["id"] == "20260101T000000"
    assert data["policy_url"] == "https://mta-sts.example.com/.well-known/mta-sts.txt"
    assert data["policy_host_addresses"] == ["192.0.2.80"]
    # No fetcher: the policy step says it did not fetch.
    assert data["policy"]["status"] == "not-fetched"
    assert data["policy"]["reason"] == "no-fetcher"


def test_absent_is_none_with_explanation() -> None:
    report = run(MemorySource())
    assert report.status is Status.NONE and ids(report) == ["mta_sts.missing"]
    assert report.findings[0].severity is Severity.INFO
    assert "TLS" in report.findings[0].consequence


def test_lookup_failure() -> None:
    dns = MemorySource(failures={("_mta-sts.example.com", "TXT"): Rcode.SERVFAIL})
    report = run(dns)
    assert report.status is Status.ERROR and ids(report) == ["mta_sts.lookup-failed"]


def test_other_txt_beside_the_record_is_ignored() -> None:
    report = run(txt("some-verification=1", "v=STSv1; id=1"))
    assert report.status is Status.PASS and mta_sts_json(report)["record"] == "v=STSv1; id=1"


def test_only_non_sts_records() -> None:
    report = run(txt("id=1; v=STSv1"))
    assert ids(report) == ["mta_sts.bad-version"] and report.status is Status.WARN


def test_several_records() -> None:
    report = run(txt("v=STSv1; id=1", "v=STSv1; id=2"))
    assert ids(report) == ["mta_sts.multiple-records"]
    assert mta_sts_json(report)["record"] is None


def test_id_problems() -> None:
    assert ids(run(txt("v=STSv1"))) == ["mta_sts.missing-id"]
    report = run(txt("v=STSv1; id=2026.11.01"))
    assert ids(report) == ["mta_sts.bad-id"] and report.findings[0].params["sts_id"] == "2026.11.01"


def test_syntax() -> None:
    assert ids(run(txt("v=STSv1; id=1; oops"))) == ["mta_sts.syntax"]


def test_policy_host_without_address() -> None:
    report = run(txt("v=STSv1; id=1", host=False))
    assert ids(report) == ["mta_sts.no-policy-host"]
    assert report.findings[0].params["host"] == "mta-sts.example.com"
    assert mta_sts_json(report)["policy_host_addresses"] == []


def test_policy_host_lookup_failure_is_unknown() -> None:
    dns = MemorySource(
        {"_mta-sts.example.com": {"TXT": ["v=STSv1; id=1"]}},
        failures={("mta-sts.example.com", "*"): Rcode.TIMEOUT},
    )
    report = run(dns)
    assert not report.findings and mta_sts_json(report)["policy_host_addresses"] is None


def test_no_host_lookup_without_a_record() -> None:
    """Without a record only the domain's MX is asked (is it a null MX?), not the host."""
    dns = MemorySource()
    run(dns)
    assert dns.log == [("_mta-sts.example.com", "TXT"), ("example.com", "MX")]


def test_samples() -> None:
    zones = ZoneSource.from_paths([SAMPLES])
    good = run(zones, "example.jp")
    assert good.status is Status.PASS and mta_sts_json(good)["id"] == "20261101T000000"
    # Its policy is not fetched here (no fetcher): the record alone is fine.
    assert ids(run(zones, "broken.example")) == []
    assert ids(run(zones, "lists.example")) == ["mta_sts.missing"]


def test_null_mx_domain_needs_no_mta_sts() -> None:
    """RFC 7505 null MX: no mail comes in, so a missing MTA-STS policy leaves nothing
    unprotected; said at info level, without mta_sts.missing's downgrade warning."""
    report = run(MemorySource({"example.com": {"MX": ["0 ."]}}))
    assert report.status is Status.NONE and ids(report) == ["mta_sts.null-mx"]
    (f,) = report.findings
    assert f.severity is Severity.INFO and f.fix_record is None
    assert "downgrade" not in f.consequence


def test_a_null_mx_next_to_real_ones_still_receives_mail() -> None:
    dns = MemorySource({"example.com": {"MX": ["0 .", "10 mx.example.com."]}})
    assert ids(run(dns)) == ["mta_sts.missing"]


def test_a_failed_mx_lookup_is_not_a_null_mx() -> None:
    dns = MemorySource(failures={("example.com", "MX"): Rcode.SERVFAIL})
    assert ids(run(dns)) == ["mta_sts.missing"]


def test_samples_null_mx_subdomain() -> None:
    """samples: noreply.example.jp has a null MX and `v=spf1 -all`."""
    zones = ZoneSource.from_paths([SAMPLES])
    assert ids(run(zones, "noreply.example.jp")) == ["mta_sts.null-mx"]
