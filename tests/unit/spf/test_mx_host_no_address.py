"""`spf.mx-host-no-address` (issue 8, item 7b): checkdmarc warns when an SPF `mx` term names
MX hosts without an address and mailauth was silent; the term authorizes nothing through
them, and some receivers count each empty address lookup as a void lookup."""

from __future__ import annotations

import asyncio

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.domain.context import CheckContext
from mailauth.domain.spf import SpfReport, check_spf
from mailauth.model import Severity


def check(records: dict[str, dict[str, list[str]]], **kw: object) -> SpfReport:
    src = MemorySource(records, **kw)  # type: ignore[arg-type]
    return asyncio.run(check_spf(CheckContext(src), "example.com"))


def found(report: SpfReport) -> list[dict[str, object]]:
    return [f.params for f in report.findings if f.id == "spf.mx-host-no-address"]


def test_hosts_without_address_are_named() -> None:
    report = check(
        {
            "example.com": {
                "TXT": ["v=spf1 mx -all"],
                "MX": ["10 a.example.com", "20 gone.example.com", "30 ok.example.com"],
            },
            "a.example.com": {"TXT": ["no address here"]},
            "ok.example.com": {"AAAA": ["2001:db8::25"]},
        }
    )
    (params,) = found(report)
    assert params["hosts"] == "a.example.com, gone.example.com"
    assert params["term"] == "mx" and params["target"] == "example.com"
    (f,) = [f for f in report.findings if f.id == "spf.mx-host-no-address"]
    assert f.severity is Severity.MEDIUM
    assert "gone.example.com" in f.text().detail
    # Not a void lookup in this report's own count (see spf_tree's docstring).
    assert report.void_lookups == 0


def test_in_an_include_and_with_a_domain_spec() -> None:
    report = check(
        {
            "example.com": {"TXT": ["v=spf1 include:esp.example -all"]},
            "esp.example": {"TXT": ["v=spf1 mx:mail.esp.example -all"]},
            "mail.esp.example": {"MX": ["10 out.esp.example"]},
        }
    )
    (params,) = found(report)
    assert params == {
        "term": "mx:mail.esp.example",
        "name": "esp.example",
        "target": "mail.esp.example",
        "hosts": "out.esp.example",
    }


def test_no_finding_when_every_host_has_an_address_or_is_unknown() -> None:
    report = check(
        {
            "example.com": {"TXT": ["v=spf1 mx -all"], "MX": ["10 a.example", "20 b.example"]},
            "a.example": {"A": ["192.0.2.1"]},
        },
        failures={("b.example", "A"): Rcode.SERVFAIL, ("b.example", "AAAA"): Rcode.SERVFAIL},
    )
    assert found(report) == []


def test_a_null_mx_is_not_a_host() -> None:
    report = check({"example.com": {"TXT": ["v=spf1 mx -all"], "MX": ["0 ."]}})
    assert found(report) == []


def test_each_host_is_looked_up_once_for_the_whole_tree() -> None:
    src = MemorySource(
        {
            "example.com": {"TXT": ["v=spf1 mx mx:example.com -all"], "MX": ["10 m.example"]},
            "m.example": {"A": ["192.0.2.1"]},
        }
    )
    asyncio.run(check_spf(CheckContext(src), "example.com"))
    assert src.log.count(("m.example", "A")) == 1
    assert src.log.count(("m.example", "AAAA")) == 1
