"""Domain reports for renderer tests: real typed reports and real catalogue findings, no
network. A check is either run for real over in-memory DNS data (`fake`: its status and
findings then replaced by the ones the test is about) or returns a report built by the test
(`returning`).

Imported by the tests of this folder (`from render_fakes import ...`) and re-exported as
fixtures by conftest.py."""

from __future__ import annotations

import asyncio
import io
import string
from collections.abc import Mapping, Sequence
from dataclasses import replace

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource, RecordValue
from mailauth.dns.reverse import ReverseDns, ReverseStatus
from mailauth.domain.context import CheckContext
from mailauth.domain.dkim import DkimReport, SelectorResult
from mailauth.domain.mx import AddressCheck, MxHost, MxReport
from mailauth.domain.registry import caps
from mailauth.domain.results import CheckResult
from mailauth.domain.runner import (
    DOMAIN_CHECKS,
    CheckFunction,
    CheckSpec,
    DomainReport,
    check_domain,
)
from mailauth.findings import CATALOGUE
from mailauth.model import CheckReport, Finding, Status
from mailauth.records.dkim_key import DkimKey
from mailauth.render.environment import Environment

SPF_RECORD = "v=spf1 ip4:192.0.2.0/25 include:_spf.esp.example ?all"
LONG_RECORD = "v=spf1 " + " ".join(f"ip4:198.51.100.{n}" for n in range(40)) + " -all"

Records = Mapping[str, Mapping[str, Sequence[RecordValue]]]

# example.jp as the sample report shows it: SPF with one include, DMARC p=reject.
ZONE: Records = {
    "example.jp": {"TXT": [SPF_RECORD]},
    "_spf.esp.example": {"TXT": ["v=spf1 ip4:203.0.113.0/24 -all"]},
    "_dmarc.example.jp": {"TXT": ["v=DMARC1; p=reject"]},
}


def spf_zone(record: str, domain: str = "example.jp") -> Records:
    """`domain` publishing `record` as its one TXT record."""
    return {domain: {"TXT": [record]}}


def fake(name: str, status: Status, *findings: Finding) -> CheckFunction:
    """The real check `name` over the DNS data given to `build`, reporting `status` and
    exactly `findings`: the renderer tests pin what is rendered, not what the check judges."""
    check = {spec.name: spec.run for spec in DOMAIN_CHECKS}[name]

    async def run(ctx: CheckContext, domain: str) -> CheckResult:
        return replace(await check(ctx, domain), status=status, findings=findings)

    return run


def returning(report: CheckResult) -> CheckFunction:
    """A check that returns `report` as built by the test."""

    async def run(ctx: CheckContext, domain: str) -> CheckResult:
        return report

    return run


def dkim_report(status: Status = Status.PASS, *findings: Finding) -> DkimReport:
    """One 2048-bit RSA key under selector s1, two selectors tried."""
    key = DkimKey(record="v=DKIM1; k=rsa; p=MIIB", key_type="rsa", key_bits=2048)
    selector = SelectorResult(
        "s1", "s1._domainkey.example.jp", Status.PASS, named=False, rcode=Rcode.NOERROR, key=key
    )
    return DkimReport(status=status, findings=findings, selectors=(selector,), tried=("s1", "s2"))


def mx_report(
    *hosts: MxHost, status: Status = Status.PASS, findings: tuple[Finding, ...] = ()
) -> MxReport:
    return MxReport(status=status, findings=findings, hosts=hosts)


def mx_host(name: str, address: str, *, ptr: str | None = None, cname: str | None = None) -> MxHost:
    """An MX host of preference 10 with one address; its reverse DNS (when `ptr` is given)
    names `ptr` without a forward-confirmation verdict."""
    reverse = ReverseDns(address, ReverseStatus.UNKNOWN, (ptr,)) if ptr else None
    cnames = (cname,) if cname else ()
    return MxHost(name, 10, (AddressCheck(address, reverse),), cnames)


def catalogued(fid: str, fix_record: str | None = None) -> Finding:
    """A finding of a real catalogue id with every template field filled with 'X'."""
    entry = CATALOGUE[fid]
    names = {
        n.split(".")[0].split("[")[0]
        for t in (entry.title, entry.detail, entry.consequence, entry.fix)
        for _, n, _, _ in string.Formatter().parse(t)
        if n
    }
    return Finding(fid, entry.severity, {n: "X" for n in names}, fix_record)


def build(
    domain: str = "example.jp", records: Records | None = None, **checks: CheckFunction
) -> DomainReport:
    dns = MemorySource(records or {})
    specs = [CheckSpec(n, run, cap=caps()[n], report_type=CheckReport) for n, run in checks.items()]
    return asyncio.run(check_domain(dns, domain, checks=specs))


def sample_report() -> DomainReport:
    return build(
        records=ZONE,
        spf=fake("spf", Status.WARN, catalogued("core.internal-error", fix_record=LONG_RECORD)),
        dmarc=fake("dmarc", Status.PASS),
        dkim=returning(dkim_report()),
        mx=returning(mx_report(mx_host("mx1.example.jp", "192.0.2.25"))),
    )


def plain_env() -> Environment:
    return Environment(io.StringIO(), io.StringIO(), colors=False)


def color_env() -> Environment:
    return Environment(io.StringIO(), io.StringIO(), colors=True, width=100)


def output(env: Environment) -> str:
    stream = env.stdout
    assert isinstance(stream, io.StringIO)
    return stream.getvalue()
