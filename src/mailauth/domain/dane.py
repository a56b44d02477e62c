"""DANE check (RFC 7672): the TLSA records at `_25._tcp.<mx host>` of each MX host.

Each TLSA RRset is validated like the DNSSEC check validates the domain (`dns/dnssec_chain`,
the same trust anchors and options): DANE senders use TLSA only when it is secure, and defer
mail when it is bogus. Records are judged for SMTP use (usages DANE-TA 2 / DANE-EE 3; PKIX
0/1 are not for SMTP) and for rollover safety (two usable records).

A domain whose MX hosts are someone else's (a hosted mail provider) cannot publish TLSA for
them: it is shown the upgrade (`dane.missing-hosted`, info), never a deduction. Matching the
presented certificate against the records needs `--smtp` (see the SMTP check).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from mailauth.dns.dnssec_chain import Security, Validator
from mailauth.dns.dnssec_reasons import ChainProblem, why
from mailauth.dns.interface import normalize_name
from mailauth.dns.signed import signed_source
from mailauth.domain.context import CheckContext
from mailauth.domain.dnssec import anchors_of
from mailauth.findings.catalogue import finding
from mailauth.frozen import frozen
from mailauth.model import CheckReport, Finding, Phrase, Status, status_from_findings

if TYPE_CHECKING:  # the TLSA parser loads when a host has TLSA records (most have none)
    from mailauth.records.tlsa import TlsaRecord

# As the MX check: the most preferred hosts only.
MAX_DANE_HOSTS = 10


@frozen
class DaneHost:
    """One MX host: its TLSA name and records, their DNSSEC verdict, and whether the host
    belongs to the checked domain (`hosted`: it does not)."""

    host: str
    name: str
    records: tuple[TlsaRecord, ...] = ()
    dnssec: Security = Security.INDETERMINATE
    hosted: bool = False
    rollover_safe: bool | None = None
    reason: Phrase | None = None


@frozen(kw_only=True)
class DaneReport(CheckReport):
    check: str = "dane"
    hosts: tuple[DaneHost, ...] = ()
    available: bool = True  # False: the DNS source cannot answer with signatures

    @property
    def ran(self) -> bool:
        return self.available


async def check_dane(ctx: CheckContext, domain: str) -> DaneReport:
    answer = await ctx.dns.query(domain, "MX")
    if answer.is_error:
        reason = why(ChainProblem.LOOKUP_FAILED, name=domain, rdtype="MX", rcode=answer.rcode.value)
        failed = finding("dane.lookup-failed", name=domain, reason=reason)
        return DaneReport(status=Status.ERROR, findings=(failed,))
    names = [normalize_name(h) for _, h in sorted(answer.mx())]
    names = list(dict.fromkeys(n for n in names if n))[:MAX_DANE_HOSTS]
    if not names:  # no MX or null MX: no SMTP server to protect
        return DaneReport(status=Status.NONE)
    source = signed_source(ctx.dns)
    if source is None:  # a library caller's own DnsSource without signed answers
        return DaneReport(status=Status.NONE, available=False)
    validator = Validator(source, anchors_of(ctx), eager=ctx.eager)
    hosts = await asyncio.gather(*(_host(validator, domain, n) for n in names))
    findings = _findings(domain, hosts)
    if not any(h.records for h in hosts):
        status = Status.ERROR if any(f.id == "dane.lookup-failed" for f in findings) else None
        return DaneReport(
            status=status or Status.NONE, findings=tuple(findings), hosts=tuple(hosts)
        )
    return DaneReport(
        status=status_from_findings(findings), findings=tuple(findings), hosts=tuple(hosts)
    )


async def _host(validator: Validator, domain: str, host: str) -> DaneHost:
    name = f"_25._tcp.{host}"
    hosted = not (host == domain or host.endswith("." + domain))
    v = await validator.validate(name, "TLSA")
    if v.answer.is_error:
        return DaneHost(host, name, hosted=hosted, reason=v.reason, dnssec=v.status)
    if not v.answer.records:  # no TLSA: the chain's verdict is no lookup failure
        return DaneHost(host, name, hosted=hosted, dnssec=v.status)
    from mailauth.records.tlsa import parse_tlsa, rollover_safe

    records = tuple(parse_tlsa(t) for t in v.answer.records)
    safe = rollover_safe(list(records)) if records else None
    return DaneHost(host, name, records, v.status, hosted, safe, v.reason)


def _findings(domain: str, hosts: tuple[DaneHost, ...] | list[DaneHost]) -> list[Finding]:
    out: list[Finding] = []
    for h in hosts:
        if not h.records:
            if h.reason is not None and h.dnssec is Security.INDETERMINATE:
                out.append(finding("dane.lookup-failed", name=h.name, reason=h.reason))
            continue
        if h.dnssec is Security.BOGUS:
            out.append(finding("dane.tlsa-bogus", name=h.name, reason=h.reason))
        elif h.dnssec is Security.INSECURE:
            out.append(finding("dane.tlsa-insecure", name=h.name, reason=h.reason))
        out.extend(_record_findings(h))
    with_tlsa = [h for h in hosts if h.records]
    failed = any(f.id == "dane.lookup-failed" for f in out)
    if not with_tlsa and not failed:
        listed = ", ".join(h.host for h in hosts)
        fid = "dane.missing-hosted" if all(h.hosted for h in hosts) else "dane.missing"
        out.append(finding(fid, domain=domain, hosts=listed))
    return out


def _record_findings(h: DaneHost) -> list[Finding]:
    from mailauth.records.tlsa import TlsaProblem  # loaded with the records (`_host`)

    out: list[Finding] = []
    for r in h.records:
        for p in r.problems:
            if p is TlsaProblem.PKIX_USAGE:
                out.append(
                    finding(
                        "dane.pkix-usage",
                        name=h.name,
                        record=r.text,
                        mnemonic=r.mnemonic,
                        usage=r.usage,
                        selector=r.selector,
                        matching=r.matching,
                    )
                )
            else:
                values = {"usage": r.usage, "selector": r.selector, "matching": r.matching}
                problem = Phrase(f"dane.problem.{p.value}", values)
                out.append(finding("dane.tlsa-syntax", name=h.name, record=r.text, problem=problem))
    usable = [r for r in h.records if r.usable]
    if len(usable) == 1:
        out.append(finding("dane.single-record", name=h.name, record=usable[0].text))
    return out
