"""The analysis against synthetic reports with known ground truth: a month of reports for
a domain whose senders are known (tests/support/dmarc_gen.py) must give exactly those
sources, classes, fixes and services, and the staged verdict — with the PTR lookups done
by the zone files offline and by knotd on loopback (`any_dns`)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from tests.support import dmarc_gen as gen

from mailauth.dns.interface import DnsSource
from mailauth.report.analysis import DomainAnalysis
from mailauth.report.run import run_report
from mailauth.report.store import SqliteStore


def _write(tmp: Path, reports: list[tuple[str, bytes]]) -> list[str]:
    paths = []
    for name, data in reports:
        path = tmp / name
        path.write_bytes(data)
        paths.append(str(path))
    return paths


def _analyse(
    tmp: Path, dns: DnsSource | None, senders: tuple[gen.Sender, ...], **kw: object
) -> DomainAnalysis:
    paths = _write(tmp, list(gen.month(gen.DOMAIN, senders, **kw)))  # type: ignore[arg-type]
    store = SqliteStore()
    analysis, summary = asyncio.run(run_report(store, paths, dns))
    assert summary.reports_read == len(paths) and not summary.unreadable
    (domain,) = analysis.domains
    assert domain.domain == gen.DOMAIN
    return domain


def test_failing_domain_classes_fixes_and_services(tmp_path: Path, any_dns: DnsSource) -> None:
    d = _analyse(tmp_path, any_dns, gen.FAILING_DOMAIN)
    by_ip = {s.ip: s for s in d.sources}
    assert set(by_ip) == {s.ip for s in gen.FAILING_DOMAIN}
    for sender in gen.FAILING_DOMAIN:
        got = by_ip[sender.ip]
        assert got.messages == 30 * sender.per_day, sender
        assert got.cls.value == sender.expected_class, sender
        fix_id = got.fix.key.removeprefix("report.fix.") if got.fix else None
        assert fix_id == sender.expected_fix, sender
        if sender.expected_service:
            assert got.service is not None and got.service.name == sender.expected_service
    assert by_ip["198.18.40.11"].fix is not None
    assert by_ip["198.18.40.11"].fix.params["include"] == "sendgrid.net"
    assert by_ip["198.18.40.50"].fix is not None
    assert by_ip["198.18.40.50"].fix.params["selector"] == "app2024"
    # PTR and organizational domain through the DnsSource
    assert by_ip["198.18.40.10"].ptr == "a8-30.smtp-out.amazonses.com"
    assert by_ip["198.18.40.10"].org_domain == "amazonses.com"
    assert by_ip["198.18.40.40"].ptr == "mx1.shop.report.test"
    assert by_ip["198.18.40.40"].org_domain == "report.test"
    assert by_ip["198.18.40.30"].ptr is None
    total = 30 * sum(s.per_day for s in gen.FAILING_DOMAIN)
    assert d.messages == total
    assert d.dmarc_pass_messages == 30 * gen.OWN_MTA.per_day
    v = d.verdict
    assert not v.quarantine_safe and not v.reject_safe
    assert v.next_record == "v=DMARC1; p=none"
    assert v.legitimate_failing_per_day == gen.SES.per_day + gen.SENDGRID.per_day + gen.APP.per_day
    keys = [r.key for r in v.reasons]
    assert "report.reason.legitimate-failing" in keys
    failing = next(r for r in v.reasons if r.key == "report.reason.legitimate-failing")
    assert "Amazon SES" in failing.params["sources"] and "SendGrid" in failing.params["sources"]
    # the three actions: biggest failing volume first
    assert [a.key for a in d.actions] == [
        "report.fix.dkim-own-domain",
        "report.fix.spf-include",
        "report.fix.publish-selector",
    ]
    assert d.evidence.days == 30 and d.evidence.reports == 90
    assert set(d.evidence.reporters) == set(gen.REPORTERS)
    assert len(d.days) == 30 and all(p.messages == total // 30 for p in d.days)


def test_without_ptr_a_service_known_only_by_its_ptr_is_not_recognised(tmp_path: Path) -> None:
    d = _analyse(tmp_path, None, gen.FAILING_DOMAIN)
    by_ip = {s.ip: s for s in d.sources}
    assert by_ip["198.18.40.11"].ptr is None
    assert by_ip["198.18.40.11"].cls.value == "unauthenticated"  # SendGrid: only its PTR says so
    assert by_ip["198.18.40.10"].service is not None  # SES: its DKIM d= says so


@pytest.mark.parametrize(
    ("p", "testing", "record"),
    [
        ("none", False, "v=DMARC1; p=quarantine; t=y"),
        ("quarantine", True, "v=DMARC1; p=quarantine"),
        ("quarantine", False, "v=DMARC1; p=reject"),
        ("reject", False, "v=DMARC1; p=reject"),
    ],
)
def test_clean_domain_staged_path(tmp_path: Path, p: str, testing: bool, record: str) -> None:
    d = _analyse(tmp_path, None, gen.CLEAN_DOMAIN, p=p, testing=testing)
    classes = {s.ip: s.cls.value for s in d.sources}
    assert classes == {s.ip: s.expected_class for s in gen.CLEAN_DOMAIN}
    assert d.verdict.quarantine_safe and d.verdict.reject_safe
    assert d.verdict.next_record == record
    assert d.verdict.legitimate_failing_per_day == 0


def test_few_days_are_not_enough_for_reject(tmp_path: Path) -> None:
    d = _analyse(tmp_path, None, gen.CLEAN_DOMAIN, days=3, p="quarantine")
    assert d.verdict.quarantine_safe and not d.verdict.reject_safe
    assert "report.reason.too-few-days" in [r.key for r in d.verdict.reasons]
    assert d.verdict.next_record == "v=DMARC1; p=quarantine"


def test_much_forwarded_mail_holds_reject(tmp_path: Path) -> None:
    heavy = gen.Sender("198.18.40.20", 100, "forwarder.report.test", "pass",
                       ((gen.DOMAIN, "s1", "fail"),), "forwarded", reason="forwarded")  # fmt: skip
    d = _analyse(tmp_path, None, (gen.OWN_MTA, heavy), p="quarantine")
    assert d.verdict.quarantine_safe and not d.verdict.reject_safe
    assert "report.reason.forwarded" in [r.key for r in d.verdict.reasons]


def test_a_domain_whose_mail_all_fails_gets_a_caution(tmp_path: Path) -> None:
    d = _analyse(tmp_path, None, (gen.SPOOF, gen.SPOOF2), days=8)
    assert {s.cls.value for s in d.sources} == {"unauthenticated"}
    keys = [r.key for r in d.verdict.reasons]
    assert (
        "report.reason.nothing-passes" in keys and "report.reason.all-legitimate-pass" not in keys
    )
    assert d.verdict.quarantine_safe  # nothing legitimate would be quarantined
