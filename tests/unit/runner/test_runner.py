"""check_domain/check_domains: concurrency, crash containment, ordering, normalisation."""

from __future__ import annotations

import asyncio

import pytest

from mailauth import check_domain as public_check_domain
from mailauth.dns.memory import MemorySource
from mailauth.dns.orgdomain import discover_policy
from mailauth.domain.context import CheckContext
from mailauth.domain.dmarc import DmarcReport
from mailauth.domain.registry import caps
from mailauth.domain.results import CheckResult
from mailauth.domain.runner import (
    DOMAIN_CHECKS,
    CheckFunction,
    CheckSpec,
    check_domain,
    check_domains,
)
from mailauth.domain.spf import SpfReport
from mailauth.errors import InputError
from mailauth.model import CheckReport, Finding, Severity, Status


def fake(
    name: str, *findings: Finding, status: Status = Status.PASS, seen: list[str] | None = None
) -> CheckFunction:
    """A check returning a real report of its type (SPF unless `name` is dmarc) with `status`
    and `findings`; the domain it was asked about is appended to `seen`."""

    async def run(ctx: CheckContext, domain: str) -> CheckResult:
        if seen is not None:
            seen.append(domain)
        if name == "dmarc":
            discovery = await discover_policy(ctx.dns, domain)
            return DmarcReport(status=status, findings=findings, domain=domain, discovery=discovery)
        return SpfReport(status=status, findings=findings)

    return run


def spec(name: str, run: CheckFunction) -> CheckSpec:
    """A registry entry for a fake check; real check names keep their real cap."""
    report_type = DmarcReport if name == "dmarc" else SpfReport
    return CheckSpec(name, run, cap=caps().get(name, 30), report_type=report_type)


def test_registry_lists_every_domain_check_once() -> None:
    names = [spec.name for spec in DOMAIN_CHECKS]
    assert names == [
        "spf", "dmarc", "dkim", "bimi", "mx", "mta_sts", "tls_rpt", "dnssec", "dane", "smtp", "ns"
    ]  # fmt: skip


def test_public_api_exports_the_runner() -> None:
    assert public_check_domain is check_domain


def test_checks_run_concurrently() -> None:
    started: list[str] = []
    release = asyncio.Event()

    def waiting(name: str) -> CheckFunction:
        async def run(ctx: CheckContext, domain: str) -> CheckReport:
            started.append(name)
            if len(started) == 3:
                release.set()
            await asyncio.wait_for(release.wait(), 2)  # deadlocks if run one by one
            return CheckReport(check=name, status=Status.PASS)

        return run

    checks = [spec(n, waiting(n)) for n in ("a", "b", "c")]
    report = asyncio.run(check_domain(MemorySource(), "example.jp", checks=checks))
    assert sorted(started) == ["a", "b", "c"]
    assert list(report.checks) == ["a", "b", "c"]


def test_a_crashing_check_becomes_an_error_report() -> None:
    async def boom(ctx: CheckContext, domain: str) -> CheckReport:
        raise RuntimeError("kaput")

    checks = [spec("spf", fake("spf")), spec("dmarc", boom)]
    report = asyncio.run(check_domain(MemorySource(), "example.jp", checks=checks))
    assert report.checks["spf"].status is Status.PASS
    broken = report.checks["dmarc"]
    assert broken.status is Status.ERROR
    (finding,) = broken.findings
    assert finding.id == "core.internal-error"
    # The exception's name only: its message is English in any language (issue 14).
    assert "RuntimeError" in finding.detail and "kaput" not in finding.detail
    assert report.errors == ("dmarc",)
    assert not report.score.complete


def test_checks_receive_the_normalised_domain() -> None:
    seen: list[str] = []
    report = asyncio.run(
        check_domain(MemorySource(), " 日本語.JP. ", checks=[spec("spf", fake("spf", seen=seen))])
    )
    assert report.domain == "xn--wgv71a119e.jp"
    assert report.unicode_domain == "日本語.jp"
    assert seen == ["xn--wgv71a119e.jp"]


def test_invalid_domain_raises_input_error_before_any_query() -> None:
    dns = MemorySource()
    with pytest.raises(InputError):
        asyncio.run(check_domain(dns, "exa mple", checks=[spec("spf", fake("spf"))]))
    assert dns.log == []


def test_findings_are_worst_first_and_located() -> None:
    low = Finding("spf.a", Severity.LOW)
    crit = Finding("dmarc.b", Severity.CRITICAL)
    med = Finding("spf.c", Severity.MEDIUM)
    checks = [spec("spf", fake("spf", low, med)), spec("dmarc", fake("dmarc", crit))]
    report = asyncio.run(check_domain(MemorySource(), "example.jp", checks=checks))
    assert [f.id for f in report.findings] == ["dmarc.b", "spf.c", "spf.a"]
    assert report.located_findings()[0] == ("dmarc", crit)


def test_score_comes_from_all_findings() -> None:
    checks = [spec("spf", fake("spf", Finding("spf.missing", Severity.HIGH)))]
    report = asyncio.run(check_domain(MemorySource(), "example.jp", checks=checks))
    assert report.score.score == 65
    assert report.score.deductions[0].finding_id == "spf.missing"


def test_check_domains_keeps_order_and_validates_all_first() -> None:
    checks = [spec("spf", fake("spf"))]
    reports = asyncio.run(check_domains(MemorySource(), ["b.example", "a.example"], checks=checks))
    assert [r.domain for r in reports] == ["b.example", "a.example"]
    with pytest.raises(InputError):
        asyncio.run(check_domains(MemorySource(), ["ok.example", "1.2.3.4"], checks=checks))


def test_default_registry_runs_against_memory_source() -> None:
    dns = MemorySource(
        records={
            "example.jp": {"TXT": ["v=spf1 -all"], "MX": ["0 ."]},
            "_dmarc.example.jp": {"TXT": ["v=DMARC1; p=reject"]},
        }
    )
    report = asyncio.run(check_domain(dns, "example.jp"))
    assert list(report.checks) == [spec.name for spec in DOMAIN_CHECKS]
    internal = [f for f in report.findings if f.id == "core.internal-error"]
    assert not internal, [f.detail for f in internal]
