"""MX check over in-memory DNS (edge cases) and the sample zones."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from mailauth.dns.interface import DnsSource, Rcode
from mailauth.dns.memory import MemorySource
from mailauth.dns.zonefile import ZoneSource
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.domain.mx import MAX_PTR_CHECKS, MxReport, check_mx
from mailauth.model import Status
from mailauth.render.check_json import mx_json

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "zones"


def run(dns: DnsSource, domain: str = "example.com") -> MxReport:
    return asyncio.run(check_mx(CheckContext(dns, CheckOptions()), domain))


def ids(report: MxReport) -> list[str]:
    return [f.id for f in report.findings]


def host(report: MxReport, name: str) -> dict[str, Any]:
    return next(h for h in mx_json(report)["hosts"] if h["name"] == name)


def zone(
    failures: dict[tuple[str, str], Rcode] | None = None, **extra: dict[str, list[str]]
) -> MemorySource:
    """example.com with MX mx1 (192.0.2.1, FCrDNS) plus `extra` names and `failures`."""
    records: dict[str, dict[str, list[str]]] = {
        "example.com": {"MX": ["10 mx1.example.com"]},
        "mx1.example.com": {"A": ["192.0.2.1"]},
        "1.2.0.192.in-addr.arpa": {"PTR": ["mx1.example.com"]},
    }
    records.update(extra)
    return MemorySource(records, failures or {})


def test_clean_mx_with_fcrdns() -> None:
    report = run(zone())
    assert report.status is Status.PASS and not report.findings
    assert mx_json(report) == {
        "status": "pass",
        "hosts": [
            {
                "name": "mx1.example.com",
                "preference": 10,
                "addresses": [
                    {
                        "address": "192.0.2.1",
                        "ptr": "mx1.example.com",
                        "ptrs": ["mx1.example.com"],
                        "fcrdns": True,
                    }
                ],
                "cname": None,
                "ip_literal": False,
            }
        ],
        "null_mx": False,
        "implicit_mx": False,
    }


def test_hosts_sorted_by_preference_and_ipv6_reverse() -> None:
    dns = zone(
        **{
            "example.com": {"MX": ["20 mx1.example.com", "5 mx6.example.com"]},
            "mx6.example.com": {"AAAA": ["2001:db8::25"]},
            "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa": {
                "PTR": ["mx6.example.com"]
            },
        }
    )
    report = run(dns)
    assert [h["name"] for h in mx_json(report)["hosts"]] == ["mx6.example.com", "mx1.example.com"]
    assert host(report, "mx6.example.com")["addresses"][0]["fcrdns"] is True
    assert not report.findings


def test_mx_lookup_failure_is_error() -> None:
    report = run(MemorySource(failures={("example.com", "MX"): Rcode.SERVFAIL}))
    assert report.status is Status.ERROR and ids(report) == ["mx.lookup-failed"]
    assert report.findings[0].params == {"name": "example.com", "rdtype": "MX", "rcode": "SERVFAIL"}


def test_no_mx_falls_back_to_address() -> None:
    report = run(MemorySource({"example.com": {"A": ["192.0.2.9"], "AAAA": ["2001:db8::9"]}}))
    assert report.status is Status.NONE and ids(report) == ["mx.implicit"]
    assert report.findings[0].params["addresses"] == "192.0.2.9, 2001:db8::9"
    assert mx_json(report)["implicit_mx"] is True


def test_no_mx_no_address_cannot_receive() -> None:
    assert ids(run(MemorySource({"example.com": {"TXT": ["x"]}}))) == ["mx.no-mail-host"]
    assert ids(run(MemorySource())) == ["mx.no-mail-host"]  # NXDOMAIN


def test_no_mx_and_address_lookup_failing_is_error() -> None:
    dns = MemorySource({"example.com": {}}, failures={("example.com", "A"): Rcode.TIMEOUT})
    report = run(dns)
    assert report.status is Status.ERROR and ids(report) == ["mx.lookup-failed"]


def test_null_mx() -> None:
    report = run(MemorySource({"example.com": {"MX": ["0 ."]}}))
    assert ids(report) == ["mx.null-mx"] and mx_json(report)["null_mx"] is True
    assert mx_json(report)["hosts"] == []


def test_null_mx_with_others() -> None:
    dns = zone(**{"example.com": {"MX": ["0 .", "10 mx1.example.com"]}})
    report = run(dns)
    assert ids(report) == ["mx.null-mx-with-others"] and report.status is Status.FAIL
    assert mx_json(report)["null_mx"] is True and len(mx_json(report)["hosts"]) == 1


def test_cname_target() -> None:
    dns = zone(
        **{
            "example.com": {"MX": ["10 mail.example.com"]},
            "mail.example.com": {"CNAME": ["mx1.example.com"]},
        }
    )
    report = run(dns)
    assert ids(report) == ["mx.target-is-cname"]
    assert host(report, "mail.example.com")["cname"] == "mx1.example.com"
    assert host(report, "mail.example.com")["addresses"][0]["fcrdns"] is True


@pytest.mark.parametrize("target", ["192.0.2.1", "[192.0.2.1]", "2001:db8::1"])
def test_ip_literal_target(target: str) -> None:
    dns = MemorySource({"example.com": {"MX": [f"10 {target}"]}})
    report = run(dns)
    assert ids(report) == ["mx.target-is-ip", "mx.no-usable-host"]
    assert mx_json(report)["hosts"][0]["ip_literal"] is True


def test_target_without_address() -> None:
    dns = zone(**{"example.com": {"MX": ["10 mx1.example.com", "20 gone.example.com"]}})
    report = run(dns)
    assert ids(report) == ["mx.target-no-address"]
    assert report.findings[0].params["host"] == "gone.example.com"


def test_no_host_has_an_address() -> None:
    report = run(MemorySource({"example.com": {"MX": ["10 gone.example.com"]}}))
    assert ids(report) == ["mx.target-no-address", "mx.no-usable-host"]
    assert report.status is Status.FAIL


def test_host_lookup_failure_is_not_absence() -> None:
    dns = MemorySource(
        {"example.com": {"MX": ["10 mx.elsewhere.example"]}},
        failures={("mx.elsewhere.example", "*"): Rcode.TIMEOUT},
    )
    report = run(dns)
    assert ids(report) == ["mx.host-lookup-failed"]
    assert report.status is Status.PASS  # info only: nothing known is wrong


def test_missing_ptr() -> None:
    dns = zone(**{"1.2.0.192.in-addr.arpa": {}})
    report = run(dns)
    assert ids(report) == ["mx.no-ptr"] and report.status is Status.WARN
    addr = host(report, "mx1.example.com")["addresses"][0]
    assert addr["ptr"] is None and addr["ptrs"] == [] and addr["fcrdns"] is None


def test_ptr_not_forward_confirmed() -> None:
    dns = zone(
        **{
            "1.2.0.192.in-addr.arpa": {"PTR": ["host.isp.example"]},
            "host.isp.example": {"A": ["198.51.100.7"]},
        }
    )
    report = run(dns)
    assert ids(report) == ["mx.no-fcrdns"]
    assert report.findings[0].params["ptr"] == "host.isp.example"
    assert host(report, "mx1.example.com")["addresses"][0]["fcrdns"] is False


def test_fcrdns_any_of_several_ptrs() -> None:
    dns = zone(
        **{
            "1.2.0.192.in-addr.arpa": {"PTR": ["other.example.net", "mx1.example.com"]},
            "other.example.net": {"A": ["198.51.100.7"]},
        }
    )
    assert not run(dns).findings


def test_ptr_lookup_failure_is_unknown() -> None:
    dns = MemorySource(
        {"example.com": {"MX": ["10 mx1.example.com"]}, "mx1.example.com": {"A": ["192.0.2.1"]}},
        failures={("1.2.0.192.in-addr.arpa", "PTR"): Rcode.SERVFAIL},
    )
    report = run(dns)
    assert not report.findings
    assert host(report, "mx1.example.com")["addresses"][0]["fcrdns"] is None


def test_forward_lookup_failure_is_unknown() -> None:
    dns = MemorySource(
        {
            "example.com": {"MX": ["10 mx1.example.com"]},
            "mx1.example.com": {"A": ["192.0.2.1"]},
            "1.2.0.192.in-addr.arpa": {"PTR": ["host.isp.example"]},
        },
        failures={("host.isp.example", "A"): Rcode.TIMEOUT},
    )
    report = run(dns)
    assert not report.findings
    assert host(report, "mx1.example.com")["addresses"][0]["fcrdns"] is None


@pytest.mark.parametrize("rcode", [Rcode.REFUSED, Rcode.UNRESOLVABLE])
def test_failed_lookups_are_unknown_live_and_offline_alike(rcode: Rcode) -> None:
    """knot answers REFUSED for a zone it does not serve where the offline source says
    UNRESOLVABLE: neither is evidence of a missing or non-matching PTR."""
    ptr_failed = MemorySource(
        {"example.com": {"MX": ["10 mx1.example.com"]}, "mx1.example.com": {"A": ["192.0.2.1"]}},
        failures={("1.2.0.192.in-addr.arpa", "PTR"): rcode},
    )
    report = run(ptr_failed)
    assert not report.findings
    addr = host(report, "mx1.example.com")["addresses"][0]
    assert (addr["ptrs"], addr["fcrdns"]) == (None, None)
    # One PTR name cannot be resolved, the other resolves elsewhere: the first might confirm.
    forward_failed = zone(
        {("a.isp.example", "A"): rcode},
        **{
            "1.2.0.192.in-addr.arpa": {"PTR": ["a.isp.example", "b.isp.example"]},
            "b.isp.example": {"A": ["198.51.100.7"]},
        },
    )
    report = run(forward_failed)
    assert not report.findings
    addr = host(report, "mx1.example.com")["addresses"][0]
    assert (addr["ptrs"], addr["fcrdns"]) == (["a.isp.example", "b.isp.example"], None)


def test_shared_address_reported_once() -> None:
    dns = MemorySource(
        {
            "example.com": {"MX": ["10 a.example.com", "20 b.example.com"]},
            "a.example.com": {"A": ["192.0.2.1"]},
            "b.example.com": {"A": ["192.0.2.1"]},
        }
    )
    report = run(dns)
    assert ids(report) == ["mx.no-ptr"]
    assert dns.log.count(("1.2.0.192.in-addr.arpa", "PTR")) == 1


def test_reverse_checks_are_bounded() -> None:
    count = MAX_PTR_CHECKS + 8
    addrs = [f"198.51.100.{i}" for i in range(count)]
    dns = MemorySource(
        {"example.com": {"MX": ["10 big.example.com"]}, "big.example.com": {"A": addrs}}
    )
    report = run(dns)
    ptr_queries = [n for n, t in dns.log if t == "PTR"]
    assert len(ptr_queries) == MAX_PTR_CHECKS
    assert len(host(report, "big.example.com")["addresses"]) == count


@pytest.fixture(scope="module")
def samples() -> ZoneSource:
    return ZoneSource.from_paths([SAMPLES])


def test_sample_example_jp(samples: ZoneSource) -> None:
    report = run(samples, "example.jp")
    assert report.status is Status.PASS and not report.findings
    hosts = mx_json(report)["hosts"]
    assert [(h["name"], h["preference"]) for h in hosts] == [
        ("mx1.example.jp", 10),
        ("mx2.example.jp", 20),
    ]
    assert all(a["fcrdns"] for h in hosts for a in h["addresses"])


def test_sample_noreply_null_mx(samples: ZoneSource) -> None:
    assert ids(run(samples, "noreply.example.jp")) == ["mx.null-mx"]


def test_sample_broken_example(samples: ZoneSource) -> None:
    report = run(samples, "broken.example")
    assert ids(report) == ["mx.target-is-cname"]
    assert host(report, "mail.broken.example")["cname"] == "server.broken.example"
