"""MTA-STS check: `_mta-sts.<domain>` TXT, the policy host's address, and the policy file.

MTA-STS (RFC 8461) protects mail sent *to* the domain against TLS downgrade. This module
judges what DNS says; fetching and judging the policy file is the separate step
`domain/mta_sts_policy.py`, run through `CheckContext.fetcher` when the record exists
(`MtaStsReport.policy_check`; `policy` is the parsed file).
"""

from __future__ import annotations

import asyncio
from dataclasses import field

from mailauth.dns.interface import DnsSource
from mailauth.dns.versioned_txt import Found, find_versioned_txt
from mailauth.domain.context import CheckContext
from mailauth.domain.inbound import accepts_no_mail
from mailauth.domain.mta_sts_policy import NotFetched, PolicyCheck, check_policy, not_fetched
from mailauth.findings.catalogue import finding
from mailauth.frozen import frozen
from mailauth.model import CheckReport, Finding, Status, status_from_findings
from mailauth.records.mta_sts import (
    MtaStsPolicy,
    MtaStsRecord,
    RecordProblem,
    is_mta_sts_text,
    parse_mta_sts_record,
    policy_url,
)


@frozen(kw_only=True)
class MtaStsReport(CheckReport):
    """`records` is every TXT string found at the name; `parsed` the one MTA-STS record
    judged. `policy_check` is the policy step (None when there is no record to announce a
    policy); `policy` the parsed file, when one was fetched."""

    check: str = "mta_sts"
    name: str = ""
    records: tuple[str, ...] = ()
    parsed: MtaStsRecord | None = None
    policy_url: str | None = None
    policy_host_addresses: tuple[str, ...] | None = None
    policy: MtaStsPolicy | None = field(default=None)
    policy_check: PolicyCheck | None = None

    @property
    def complete(self) -> bool:
        """Also incomplete when the policy's MX match could not be made (the MX lookup
        failed): an uncovered MX would have been a finding."""
        check = self.policy_check
        return super().complete and (check is None or check.matched)


async def check_mta_sts(ctx: CheckContext, domain: str) -> MtaStsReport:
    dns = ctx.dns
    name = f"_mta-sts.{domain}"
    txt = await find_versioned_txt(dns, name, is_mta_sts_text)
    if txt.found is Found.LOOKUP_FAILED:
        rcode = txt.answer.rcode.value
        failed = finding("mta_sts.lookup-failed", name=name, rdtype="TXT", rcode=rcode)
        return MtaStsReport(status=Status.ERROR, findings=(failed,), name=name)
    if txt.found is Found.NO_TXT:
        # A null MX (RFC 7505) says no mail comes in: there is no delivery to protect.
        fid = "mta_sts.null-mx" if await accepts_no_mail(dns, domain) else "mta_sts.missing"
        missing = finding(fid, name=name, domain=domain)
        return MtaStsReport(status=Status.NONE, findings=(missing,), name=name)

    findings: list[Finding] = []
    # RFC 8461 §3.1: records not beginning with v=STSv1 are discarded; not exactly one left
    # means no policy.
    parsed: MtaStsRecord | None = None
    if txt.found is Found.OTHER_TXT:
        for t in txt.texts:
            findings.append(finding("mta_sts.bad-version", name=name, record=t))
    elif txt.found is Found.MULTIPLE:
        findings.append(finding("mta_sts.multiple-records", name=name, count=len(txt.records)))
    else:
        parsed = parse_mta_sts_record(txt.records[0])
        findings.extend(_record_findings(name, parsed))

    url = policy_url(domain)
    addresses = await _policy_host(dns, domain, url, findings) if txt.records else None
    policy: PolicyCheck | None = None
    if parsed is not None:
        policy, policy_findings = await _policy(ctx, domain, url, addresses)
        findings.extend(policy_findings)
    return MtaStsReport(
        status=status_from_findings(findings),
        findings=tuple(findings),
        name=name,
        records=txt.texts,
        parsed=parsed,
        policy_url=url,
        policy_host_addresses=addresses,
        policy=policy.policy if policy is not None else None,
        policy_check=policy,
    )


async def _policy(
    ctx: CheckContext, domain: str, url: str, addresses: tuple[str, ...] | None
) -> tuple[PolicyCheck, list[Finding]]:
    """The policy step, when there is a way to reach the file: a live fetch needs an
    address for the host (its absence is already `mta_sts.no-policy-host`); the offline
    directory may hold the admin's draft before the address is published."""
    fetcher = ctx.fetcher
    if fetcher is None:
        return not_fetched(url, NotFetched.NO_FETCHER), []
    if addresses == () and not fetcher.offline:
        return not_fetched(url, NotFetched.NO_POLICY_HOST), []
    return await check_policy(fetcher, ctx.dns, domain, url)


async def _policy_host(
    dns: DnsSource, domain: str, url: str, findings: list[Finding]
) -> tuple[str, ...] | None:
    """Addresses of `mta-sts.<domain>` (RFC 8461 §3.3), or None when the lookups failed."""
    host = f"mta-sts.{domain}"
    a, aaaa = await asyncio.gather(dns.query(host, "A"), dns.query(host, "AAAA"))
    addresses = (*a.rrs, *aaaa.rrs)
    if not addresses and (a.is_error or aaaa.is_error):
        return None  # unknown, not absent
    if not addresses:
        findings.append(finding("mta_sts.no-policy-host", host=host, url=url))
    return addresses


def _record_findings(name: str, parsed: MtaStsRecord) -> list[Finding]:
    out: list[Finding] = []
    for p in parsed.problems:
        if p.code is RecordProblem.MISSING_ID:
            out.append(finding("mta_sts.missing-id", name=name, record=parsed.record))
        elif p.code is RecordProblem.BAD_ID:
            out.append(finding("mta_sts.bad-id", name=name, sts_id=p.value or ""))
        elif p.code is RecordProblem.MALFORMED_FIELD:
            out.append(finding("mta_sts.syntax", name=name, fragment=p.value or ""))
        elif p.code is RecordProblem.DUPLICATE_FIELD:
            out.append(finding("mta_sts.syntax", name=name, fragment=p.subject or ""))
        # NOT_STS cannot happen here: only records beginning with v=STSv1 are parsed.
    return out
