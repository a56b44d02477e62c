"""The SMTP check's probes (`--smtp`): each MX host's STARTTLS dialogue, certificate and DANE
match, turned into `SmtpHost` values and findings (domain/smtp.py has the report types and
the check's entry, which imports this module only when `--smtp` asks).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from mailauth.dns.dnssec_chain import Security, Validator
from mailauth.dns.interface import normalize_name
from mailauth.dns.signed import signed_source
from mailauth.domain.context import CheckContext, SmtpOptions
from mailauth.domain.dnssec import anchors_of
from mailauth.domain.smtp import SmtpHost, SmtpReport
from mailauth.domain.smtp_probe import Probe, ProbeOutcome, probe
from mailauth.domain.smtp_reasons import SmtpProblem, trust_why, why
from mailauth.findings.catalogue import finding
from mailauth.model import Finding, Phrase, Status, status_from_findings
from mailauth.records.tlsa import parse_tlsa

MAX_SMTP_HOSTS = 10
OLD_TLS = ("TLSv1", "TLSv1.1", "SSLv3")


async def probe_hosts(ctx: CheckContext, settings: SmtpOptions, domain: str) -> SmtpReport:
    """The SMTP check of `domain` with `--smtp` given (`settings`)."""
    answer = await ctx.dns.query(domain, "MX")
    if answer.is_error:
        reason = why(SmtpProblem.MX_LOOKUP_FAILED, rcode=answer.rcode.value)
        failed = finding("smtp.lookup-failed", host=domain, reason=reason)
        return SmtpReport(status=Status.ERROR, findings=(failed,), requested=True)
    names = [normalize_name(h) for _, h in sorted(answer.mx())]
    names = list(dict.fromkeys(n for n in names if n))[:MAX_SMTP_HOSTS]
    if not names:
        return SmtpReport(status=Status.NONE, requested=True)
    # Certificates are judged with cryptography.x509: imported when --smtp asks (start-up).
    from mailauth.domain.smtp_cert import load_roots

    roots = load_roots(settings.ca_file)
    source = signed_source(ctx.dns)
    validator = Validator(source, anchors_of(ctx), eager=ctx.eager) if source is not None else None
    now = dt.datetime.now(dt.timezone.utc)
    hosts = await asyncio.gather(*(_host(ctx, settings, validator, roots, n, now) for n in names))
    findings = [f for h in hosts for f in _findings(h)]
    return SmtpReport(
        status=status_from_findings(findings), findings=tuple(findings), requested=True,
        hosts=tuple(hosts),
    )  # fmt: skip


async def _host(
    ctx: CheckContext,
    settings: SmtpOptions,
    validator: Validator | None,
    roots: object,
    host: str,
    now: dt.datetime,
) -> SmtpHost:
    address, why = await _address(ctx, host)
    if address is None:
        return SmtpHost(host, "no-address", port=settings.port, detail=why)
    seen: Probe = await probe(address, settings.port, host, settings.timeout)
    base = SmtpHost(host, _STATUS[seen.outcome], address, settings.port, seen.banner,
                    detail=seen.detail)  # fmt: skip
    if seen.outcome is not ProbeOutcome.TLS:
        return base
    from mailauth.domain.smtp_cert import judge

    cert = judge(seen.chain, host, roots, now)  # type: ignore[arg-type]
    ready = bool(cert and cert.name_matches and cert.trusted and not cert.expired)
    dane = await _dane(validator, host, seen.chain)
    return SmtpHost(
        host, "tls", address, settings.port, seen.banner, seen.tls_version, seen.cipher, cert,
        len(seen.chain), ready, dane,
    )  # fmt: skip


_STATUS = {
    ProbeOutcome.TLS: "tls",
    ProbeOutcome.UNREACHABLE: "not-tested",
    ProbeOutcome.NO_STARTTLS: "no-starttls",
    ProbeOutcome.TLS_FAILED: "tls-failed",
    ProbeOutcome.SMTP_ERROR: "smtp-error",
}


async def _address(ctx: CheckContext, host: str) -> tuple[str | None, Phrase | None]:
    """The first A (else AAAA) address of `host`, through the run's DnsSource."""
    rcodes = []
    for rdtype in ("A", "AAAA"):
        answer = await ctx.dns.query(host, rdtype)
        if answer.rrs:
            return answer.rrs[0], None
        rcodes.append(answer.rcode.value)
    return None, why(SmtpProblem.NO_ADDRESS, a=rcodes[0], aaaa=rcodes[1])


async def _dane(validator: Validator | None, host: str, chain: tuple[bytes, ...]) -> bool | None:
    if validator is None:
        return None
    v = await validator.validate(f"_25._tcp.{host}", "TLSA")
    if v.status is not Security.SECURE or not v.answer.records:
        return None
    usable = [r for r in (parse_tlsa(t) for t in v.answer.records) if r.usable]
    if not usable:
        return None
    from mailauth.domain.smtp_cert import tlsa_matches

    return any(tlsa_matches(r, chain) for r in usable)


def _findings(h: SmtpHost) -> list[Finding]:
    where: dict[str, Any] = {"host": h.host, "address": h.address or "", "port": h.port}
    if h.status == "no-address":
        return [finding("smtp.lookup-failed", host=h.host, reason=h.detail)]
    if h.status == "not-tested":
        return [finding("smtp.not-tested", **where, reason=h.detail)]
    if h.status == "no-starttls":
        return [finding("smtp.no-starttls", **where, reason=h.detail)]
    if h.status in ("tls-failed", "smtp-error"):
        return [finding("smtp.tls-failed", **where, reason=h.detail)]
    out: list[Finding] = []
    if h.tls_version in OLD_TLS:
        out.append(finding("smtp.old-tls", **where, version=h.tls_version))
    c = h.certificate
    if c is not None:
        if c.expired:
            out.append(finding("smtp.certificate-expired", **where,
                               not_after=c.not_after.date().isoformat()))  # fmt: skip
        elif c.days_left < _expiring_days():
            out.append(finding("smtp.certificate-expiring", **where, days=c.days_left,
                               not_after=c.not_after.date().isoformat()))  # fmt: skip
        if not c.name_matches:
            out.append(finding("smtp.certificate-name-mismatch", **where,
                               names=", ".join(c.names) or "-"))  # fmt: skip
        if c.trusted is False:
            reason = trust_why(c.trust_code, **c.trust_params) if c.trust_code else "-"
            out.append(finding("smtp.certificate-untrusted", **where, reason=reason))
    if h.dane_match is False:
        out.append(finding("smtp.dane-mismatch", **where))
    return out


def _expiring_days() -> int:
    from mailauth.domain.smtp_cert import EXPIRING_DAYS

    return EXPIRING_DAYS
