"""BIMI record check: the Assertion Record receivers would use, and whether DMARC lets them.

Discovery follows draft-brand-indicators-for-message-identification-10 §7.2: the record at
`<selector>._bimi.<domain>`, else the same selector at the Organizational Domain (found with
the RFC 9989 tree walk shared with DMARC). The DMARC prerequisite follows §7.1.

Nothing is fetched here. The logo/certificate step is a `BimiAssetChecker`: the one in
`CheckContext.bimi_assets`, else `FetchingAssetChecker` over `CheckContext.fetcher`
(domain/bimi_assets.py). It is handed the finished report and returns the logo and
certificate it found with their findings, which are merged in; `receivers` then says
whether Gmail, Apple Mail and Yahoo would show the logo.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from mailauth.dns.interface import DnsAnswer, DnsSource
from mailauth.dns.orgdomain import DiscoveryStatus, PolicyDiscovery, discover_policy
from mailauth.dns.versioned_txt import Found, VersionedTxt, find_versioned_txt
from mailauth.domain.bimi_asset_model import (
    NOT_FETCHED_CERTIFICATE,
    NOT_FETCHED_LOGO,
    CertificateAsset,
    LogoAsset,
    ReceiverVerdict,
    receiver_verdicts,
)
from mailauth.domain.context import CheckContext
from mailauth.findings.catalogue import finding
from mailauth.frozen import frozen
from mailauth.model import CheckReport, Finding, Status, status_from_findings
from mailauth.records.bimi import (
    BimiProblemCode,
    BimiRecord,
    BimiUrl,
    UrlProblem,
    is_bimi_text,
    looks_like_bimi,
    parse_bimi,
)
from mailauth.records.dmarc import Policy

if TYPE_CHECKING:
    from mailauth.domain.bimi_assets import BimiAssets


class BimiAssetChecker(Protocol):
    """The fetch step: given a report whose record is valid, fetch and validate the logo
    (SVG Tiny PS) and the mark certificate, and return them with their findings. It must
    never raise, must honour its own time budget, and must refuse the URLs the record
    check already flagged (`BimiUrl.usable` is False) — those are never to be fetched."""

    async def check(self, report: BimiReport) -> BimiAssets: ...


@frozen
class DmarcGate:
    """§7.1: is DMARC at enforcement for the domain and its organizational domain?
    `enforced` is None when a DMARC lookup failed (the DMARC check reports that).
    `domain` is the one of the two that fails the test (or the checked domain)."""

    enforced: bool | None
    setting: str | None = None  # the offending tag, e.g. "p=none", "sp=none", "t=y"
    location: str | None = None
    domain: str | None = None


@frozen(kw_only=True)
class BimiReport(CheckReport):
    check: str = "bimi"
    domain: str
    selector: str
    record: BimiRecord | None = None
    location: str | None = None  # the DNS name the record used was found at
    fallback: bool = False  # True when it came from the organizational domain
    dmarc: DmarcGate | None = None
    org_domain: str | None = None  # the author domain's organizational domain (RFC 9989)
    logo: LogoAsset = NOT_FETCHED_LOGO
    certificate: CertificateAsset = NOT_FETCHED_CERTIFICATE

    @property
    def receivers(self) -> tuple[ReceiverVerdict, ...]:
        """Would Gmail, Apple Mail and Yahoo show the logo, and why not."""
        record = self.record
        return receiver_verdicts(
            usable=bool(record and record.valid and not record.declined and record.locations),
            declined=self.declined,
            enforced=self.dmarc.enforced if self.dmarc else None,
            logo=self.logo,
            certificate=self.certificate,
            has_certificate_url=bool(record and record.authority),
        )

    @property
    def logo_url(self) -> str | None:
        return self.record.logo_url if self.record else None

    @property
    def authority_url(self) -> str | None:
        return self.record.authority_url if self.record else None

    @property
    def declined(self) -> bool:
        return bool(self.record and self.record.declined)


async def check_bimi(ctx: CheckContext, domain: str) -> BimiReport:
    """Check the BIMI Assertion Record for `options.bimi_selector` (default "default")."""
    dns, options, assets = ctx.dns, ctx.options, ctx.bimi_assets
    selector = options.bimi_selector.strip().rstrip(".").lower() or "default"
    name = f"{selector}._bimi.{domain}"
    policy, txt = await asyncio.gather(
        discover_policy(dns, domain), find_versioned_txt(dns, name, is_bimi_text)
    )
    findings: list[Finding] = []

    def report(status: Status, **kw: Any) -> BimiReport:
        return BimiReport(
            status=status,
            findings=tuple(findings),
            domain=domain,
            selector=selector,
            org_domain=policy.org.org_domain,
            **kw,
        )

    if txt.found is Found.LOOKUP_FAILED:
        _failed(findings, txt.answer)
        return report(Status.ERROR)
    records = _candidates(txt, name, findings)
    location, fallback = name, False
    org = policy.org.org_domain
    walk_error = policy.org.error
    if not records and walk_error is not None:
        # §7.2 step 6 needs the Organizational Domain, which the DMARC tree walk could not
        # establish: which record applies is unknown (and a receiver seeing the same
        # failure gets no DMARC result, so it shows no logo either).
        findings.append(
            finding(
                "bimi.lookup-failed",
                name=walk_error.name,
                rdtype=walk_error.rdtype,
                rcode=walk_error.rcode.value,
            )
        )
        return report(Status.ERROR)
    if not records and org != domain:
        org_name = f"{selector}._bimi.{org}"
        org_txt = await find_versioned_txt(dns, org_name, is_bimi_text)
        if org_txt.found is Found.LOOKUP_FAILED:
            _failed(findings, org_txt.answer)
            return report(Status.ERROR)
        records = _candidates(org_txt, org_name, findings)
        if records:
            location, fallback = org_name, True
            findings.append(finding("bimi.inherited", domain=domain, name=name, location=org_name))
    if len(records) > 1:
        findings.append(finding("bimi.multiple-records", name=location, count=len(records)))
        return report(status_from_findings(findings), location=location, fallback=fallback)
    if not records:
        if not findings:  # nothing BIMI-like anywhere: absent, which is not a fault
            findings.append(finding("bimi.missing", name=name))
            return report(Status.NONE)
        return report(status_from_findings(findings))

    record = records[0]
    if record.declined:
        findings.append(finding("bimi.declined", name=location))
        return report(Status.NONE, record=record, location=location, fallback=fallback)
    findings.extend(_record_findings(record, location))
    gate: DmarcGate | None = None
    if record.valid:
        gate = await dmarc_gate(dns, policy)
        if gate.enforced is False and gate.setting is None:
            findings.append(finding("bimi.dmarc-missing", domain=gate.domain or domain))
        elif gate.enforced is False:
            findings.append(
                finding("bimi.dmarc-not-enforced", location=gate.location, setting=gate.setting)
            )
    result = report(
        status_from_findings(findings),
        record=record,
        location=location,
        fallback=fallback,
        dmarc=gate,
    )
    if assets is None and ctx.fetcher is not None:
        from mailauth.domain.bimi_assets import FetchingAssetChecker

        assets = FetchingAssetChecker.with_pem_roots(ctx.fetcher, options.mark_roots)
    if assets is not None and record.valid:
        # The fetch step (logo SVG + VMC/CMC): see BimiAssetChecker. Flagged URLs are skipped.
        found = await assets.check(result)
        merged = (*result.findings, *found.findings)
        result = replace(
            result,
            findings=merged,
            status=status_from_findings(merged),
            logo=found.logo,
            certificate=found.certificate,
        )
    return result


def _failed(findings: list[Finding], answer: DnsAnswer) -> None:
    findings.append(
        finding("bimi.lookup-failed", name=answer.qname, rdtype="TXT", rcode=answer.rcode.value)
    )


def _candidates(txt: VersionedTxt, name: str, findings: list[Finding]) -> list[BimiRecord]:
    """§7.2 steps 4/7: keep records starting with v=BIMI1; report v= records of another
    version (they are discarded, so discovery may still fall back)."""
    for text in txt.others:
        if looks_like_bimi(text):
            findings.append(finding("bimi.invalid-version", name=name, record=text))
    return [parse_bimi(text) for text in txt.records]


_URL_IDS = {
    UrlProblem.NOT_HTTPS: "bimi.url-not-https",
    UrlProblem.MALFORMED: "bimi.url-malformed",
    UrlProblem.USERINFO: "bimi.url-userinfo",
    UrlProblem.IP_LITERAL: "bimi.url-ip-literal",
    UrlProblem.PRIVATE_HOST: "bimi.url-private-host",
    UrlProblem.TOO_LONG: "bimi.url-too-long",
    UrlProblem.NOT_SVG: "bimi.logo-not-svg",
    UrlProblem.NOT_PEM: "bimi.authority-not-pem",
}


def _record_findings(record: BimiRecord, name: str) -> list[Finding]:
    out: list[Finding] = []
    for p in record.problems:
        tag, value = p.subject or "", p.value or ""
        if p.code is BimiProblemCode.VERSION_CASE:
            out.append(finding("bimi.version-case", value=value))
        elif p.code is BimiProblemCode.DUPLICATE_TAG:
            out.append(finding("bimi.duplicate-tag", tag=tag, name=name))
        elif p.code is BimiProblemCode.MALFORMED_TAG:
            out.append(finding("bimi.malformed-tag", text=value))
        elif p.code is BimiProblemCode.UNKNOWN_TAG:
            out.append(finding("bimi.unknown-tag", tag=tag, value=value))
        elif p.code is BimiProblemCode.INVALID_VALUE:
            out.append(finding("bimi.invalid-value", tag=tag, value=value))
        elif p.code is BimiProblemCode.MULTIPLE_LOCATIONS:
            out.append(finding("bimi.multiple-locations", value=value))
    if not record.locations:
        out.append(finding("bimi.location-missing", name=name))
    urls: list[tuple[str, BimiUrl]] = [("l", u) for u in record.locations]
    if record.authority is not None:
        urls.append(("a", record.authority))
    elif record.locations:
        out.append(finding("bimi.no-authority", name=name))
    for tag, url in urls:
        for problem in url.problems:
            shown = url.raw if len(url.raw) <= 200 else url.raw[:200] + "…"
            out.append(
                finding(
                    _URL_IDS[problem.code],
                    tag=tag,
                    url=shown,
                    host=url.host or "",
                    length=len(url.raw),
                )
            )
    return out


def _offending(d: PolicyDiscovery) -> str | None:
    """The first DMARC setting that disqualifies BIMI for `d.domain` (§7.1 steps 7-9).

    Step 7: the policy that applies to the domain is none (p, sp or np, whichever RFC 9989
    §4.10.1 selects: np only ever applies to a domain that does not exist). Step 8: the
    record carries sp=none, whichever domain it is applied to; an np=none that does not
    apply to the domain is not in the draft's list, and Mail::BIMI ignores it too. Step 9
    (quarantine with pct below 100) has no RFC 9989 form; its nearest is t=y (§A.6: pct=0
    became t=y), which asks receivers not to apply the policy as published, so any t=y
    counts as not at enforcement here (stricter than the letter for p=reject; t=y).
    """
    record, policy, tag = d.record, d.policy, d.policy_tag
    if record is None or policy is None or tag is None:
        return None
    if d.fallback_none or policy is Policy.NONE:
        return f"{tag.value}=none"
    if record.testing:
        return "t=y"
    if record.sp is Policy.NONE:
        return "sp=none"
    return None


async def dmarc_gate(dns: DnsSource, d: PolicyDiscovery) -> DmarcGate:
    """BIMI's DMARC prerequisite for the domain and its organizational domain (§7.1).

    The organizational domain is judged by its own policy (its p), even when the subdomain
    inherits the same record through sp: `p=none; sp=reject` leaves the organizational
    domain at none, which step 7 forbids.
    """
    discoveries = [d]
    if d.status is DiscoveryStatus.FOUND and d.domain != d.org_domain:
        discoveries.append(await discover_policy(dns, d.org_domain))
    for item in discoveries:
        if item.status is DiscoveryStatus.TEMPERROR:
            return DmarcGate(None, location=item.location, domain=item.domain)
        if item.status is DiscoveryStatus.NONE:
            return DmarcGate(False, location=item.location, domain=item.domain)
        setting = _offending(item)
        if setting is not None:
            return DmarcGate(False, setting, item.location, item.domain)
    return DmarcGate(True, location=d.location, domain=d.domain)
