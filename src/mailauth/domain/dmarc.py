"""DMARC check (RFC 9989): which policy protects this exact domain, and what is wrong with it.

Discovery is the RFC 9989 DNS Tree Walk shared with `verify` (`mailauth.dns.orgdomain`);
this module judges the outcome: the record's tags, the policy that applies to the domain
(p, sp or np), its reporting addresses and their external-destination authorization.
"""

from __future__ import annotations

import asyncio

from mailauth.dns.interface import DnsSource, Rcode
from mailauth.dns.orgdomain import (
    DiscoveryStatus,
    NoneReason,
    PolicyDiscovery,
    PolicySource,
    PolicyTag,
    discover_policy,
    walk_targets,
)
from mailauth.domain.context import CheckContext
from mailauth.domain.inbound import mailbox_domain
from mailauth.findings.catalogue import finding
from mailauth.frozen import frozen
from mailauth.model import CheckReport, Finding, Status, status_from_findings
from mailauth.records.dmarc import (
    DMARC_VERSION,
    AlignmentMode,
    DmarcRecord,
    Policy,
    ProblemCode,
    ReportUri,
    is_dmarc_text,
    looks_like_dmarc,
)
from mailauth.records.dmarc_rewrite import Proposals, repair_version

# Report addresses every receiver serves: RFC 7489 §6.2 required two ("MAY impose a limit ...
# but MUST support ... at least two"); RFC 9989 §4.6 asks for all (SHOULD), see its §C.7.
MAX_REPORT_URIS = 2


@frozen
class ReportAuthorization:
    """RFC 9989 §11.6 / aggregate-reporting draft: a report destination outside the domain's
    organization must opt in with a v=DMARC1 TXT record at `name`.
    `authorized` is None when the lookup failed (nothing can be said)."""

    tag: str
    uri: str
    destination: str
    name: str
    authorized: bool | None
    rcode: Rcode


@frozen(kw_only=True)
class DmarcReport(CheckReport):
    """`discovery` is the full tree-walk outcome."""

    check: str = "dmarc"
    domain: str
    discovery: PolicyDiscovery
    published: tuple[str, ...] = ()  # DMARC-looking TXT strings at _dmarc.<domain>
    authorizations: tuple[ReportAuthorization, ...] = ()

    @property
    def record(self) -> DmarcRecord | None:
        return self.discovery.record

    @property
    def record_text(self) -> str | None:
        """The record that applies, else the first DMARC-looking string published at
        `_dmarc.<domain>` (one that could not be used), else None."""
        record = self.record
        return record.text if record else (self.published[0] if self.published else None)


def walk_lookups(domain: str) -> list[tuple[str, str]]:
    """Every `_dmarc` name the tree walk may ask (RFC 9989 §4.10), known from `domain` alone:
    the runner starts them at once (`CheckSpec.prefetch`) while the walk, which asks them in
    turn and may stop early, reads them from the run's cache. At most 8 names; only a walk
    stopped early by a psd=y/n record leaves some unread."""
    return [(f"_dmarc.{target}", "TXT") for target in walk_targets(domain)]


async def check_dmarc(ctx: CheckContext, domain: str) -> DmarcReport:
    """Check the DMARC policy that applies to `domain` (RFC 9989 §4.10.1)."""
    dns = ctx.dns
    d = await discover_policy(dns, domain)
    start = d.org.walk.steps[0] if d.org.walk.steps else None
    published = tuple(t for t in (start.texts if start else ()) if looks_like_dmarc(t))
    findings: list[Finding] = []

    def report(status: Status, auth: tuple[ReportAuthorization, ...] = ()) -> DmarcReport:
        return DmarcReport(
            status=status,
            findings=tuple(findings),
            domain=domain,
            discovery=d,
            published=published,
            authorizations=auth,
        )

    if d.status is DiscoveryStatus.TEMPERROR:
        err = d.error or d.org.error
        name, rdtype, rcode = (err.name, err.rdtype, err.rcode.value) if err else ("", "TXT", "")
        findings.append(finding("dmarc.lookup-failed", name=name, rdtype=rdtype, rcode=rcode))
        return report(Status.ERROR)

    name = f"_dmarc.{domain}"
    broken = [t for t in published if not is_dmarc_text(t)]
    for text in broken:
        findings.append(
            finding(
                "dmarc.invalid-version", name=name, record=text, fix_record=repair_version(text)
            )
        )
    if d.status is DiscoveryStatus.NONE and d.none_reason is NoneReason.MULTIPLE_RECORDS:
        count = sum(1 for t in published if is_dmarc_text(t))
        findings.append(finding("dmarc.multiple-records", name=name, count=count))
        return report(status_from_findings(findings))
    if d.status is DiscoveryStatus.NONE and d.record is None:
        if broken:
            return report(status_from_findings(findings))
        first = _starter_record(await _report_address(dns, domain, d.org_domain))
        findings.append(finding("dmarc.missing", domain=domain, name=name, fix_record=first))
        return report(Status.NONE)

    record = d.record
    assert record is not None and d.policy_domain is not None
    where = d.location or name
    own = d.source is not PolicySource.PSD
    rua = None
    if own and not any(u.usable for u in record.rua):
        rua = await _report_address(dns, d.policy_domain, d.org_domain)
    proposals = Proposals(record, rua)
    if own:
        findings.extend(_record_findings(proposals, where, _reported_none(d)))
    if d.status is DiscoveryStatus.NONE:  # NO_VALID_POLICY: §4.10.1 "no DMARC processing"
        # The owner's record made usable (p=none added unless a valid p is there: then an
        # invalid sp or np broke it). A PSD's record is not the owner's to edit.
        repaired = proposals.enforcing("p", Policy.NONE) if own else None
        findings.insert(
            0, finding("dmarc.no-policy", name=where, record=record.text, fix_record=repaired)
        )
        return report(status_from_findings(findings))

    own_first = None  # for a domain under a PSD's policy: the record of its own to publish
    if d.source is PolicySource.PSD:
        own_first = _starter_record(await _report_address(dns, d.org_domain, d.org_domain))
    findings.extend(_policy_findings(d, domain, proposals, own_first))
    auth: tuple[ReportAuthorization, ...] = ()
    if own:
        auth = await _authorize(dns, record, d.policy_domain, d.org_domain)
        for a in auth:
            if a.authorized is False:
                findings.append(
                    finding(
                        "dmarc.external-report-unauthorized",
                        tag=a.tag,
                        uri=a.uri,
                        dest=a.destination,
                        name=a.name,
                    )
                )
    return report(status_from_findings(findings), auth)


async def _report_address(dns: DnsSource, domain: str, org_domain: str) -> str | None:
    """The rua a proposed record uses, at a domain that can receive the reports: `domain`,
    else its Organizational Domain when `domain` has a null MX (RFC 7505), else None (none
    of them receives mail). The admin replaces it with a mailbox they read."""
    where = await mailbox_domain(dns, domain, org_domain)
    return f"mailto:dmarc-reports@{where}" if where else None


def _starter_record(address: str | None) -> str | None:
    """What to publish first: monitoring only, with reports, before moving to enforcement.
    None without a report address: p=none without reports tells the owner nothing."""
    return f"v={DMARC_VERSION}; p=none; rua={address}" if address else None


def _policy_findings(
    d: PolicyDiscovery, domain: str, proposals: Proposals, own_first: str | None
) -> list[Finding]:
    """Findings about the policy that applies to this domain (after the tree walk).
    `own_first`: when a PSD's policy applies, the record to publish at the organizational
    domain instead."""
    record, policy, tag = d.record, d.policy, d.policy_tag
    assert record is not None and policy is not None and tag is not None
    out: list[Finding] = []
    direct = d.source is PolicySource.DOMAIN
    if d.source is PolicySource.PSD:
        out.append(
            finding(
                "dmarc.psd-policy",
                domain=domain,
                psd_domain=d.policy_domain,
                org_domain=d.org_domain,
                policy=policy.value,
                fix_record=own_first,
            )
        )
    elif not direct:
        out.append(
            finding(
                "dmarc.inherited",
                domain=domain,
                policy_domain=d.policy_domain,
                tag=tag.value,
                policy=policy.value,
            )
        )
    if d.fallback_none:
        bad = [t for t in ("p", "sp", "np") if record.invalid(t)]
        bad = (["p"] if "p" not in record.tags else []) + bad
        out.append(
            finding(
                "dmarc.policy-fallback",
                name=d.location,
                tags=", ".join(f"{t}={record.tags[t]}" if t in record.tags else t for t in bad),
                fix_record=proposals.enforcing("p", Policy.NONE) if direct else None,
            )
        )
    if policy is Policy.NONE:
        fix = None
        if direct or not d.fallback_none:
            fix = proposals.enforcing(tag.value, Policy.QUARANTINE, drop=("t",))
        out.append(
            finding(
                "dmarc.policy-none",
                domain=domain,
                tag=tag.value,
                name=d.location,
                fix_record=fix,
            )
        )
    elif record.testing:
        out.append(
            finding(
                "dmarc.testing",
                name=d.location,
                policy=policy.value,
                applied=policy.weaker().value,
                fix_record=proposals.reporting(drop=("t",)),
            )
        )
    return out


def _reported_none(d: PolicyDiscovery) -> PolicyTag | None:
    """The sp or np tag whose `none` `dmarc.policy-none` already reports for this domain.

    A subdomain that inherits `p=reject; sp=none` has one problem, its own policy is none;
    `dmarc.subdomain-policy-weaker` for that same tag would count it twice (with a second,
    different fix). The weaker finding stays for the other tag and for the domain's own
    record, where it is the only report of the weakness.
    """
    if d.policy is Policy.NONE and d.policy_tag in (PolicyTag.SP, PolicyTag.NP):
        return d.policy_tag
    return None


def _record_findings(
    proposals: Proposals, name: str, reported: PolicyTag | None = None
) -> list[Finding]:
    """Findings about the record at `name` itself (grammar, tags, reporting addresses).
    `reported`: a subdomain tag whose none policy is reported elsewhere (`_reported_none`)."""
    record = proposals.record
    out: list[Finding] = []
    clean = proposals.cleaned()
    for p in record.problems:
        tag, value = p.subject or "", p.value or ""
        if p.code is ProblemCode.INVALID_VALUE and tag not in ("p", "sp", "np"):
            out.append(
                finding("dmarc.invalid-value", name=name, tag=tag, value=value, fix_record=clean)
            )
        elif p.code is ProblemCode.MALFORMED_TAG:
            out.append(finding("dmarc.malformed-tag", name=name, text=value, fix_record=clean))
        elif p.code is ProblemCode.UNKNOWN_TAG:
            out.append(
                finding("dmarc.unknown-tag", name=name, tag=tag, value=value, fix_record=clean)
            )
        elif p.code is ProblemCode.HISTORIC_TAG:
            out.append(
                finding("dmarc.historic-tag", name=name, tag=tag, value=value, fix_record=clean)
            )
        elif p.code is ProblemCode.DUPLICATE_TAG:
            out.append(finding("dmarc.duplicate-tag", name=name, tag=tag, fix_record=clean))
        elif p.code is ProblemCode.TAG_NAME_CASE:
            out.append(finding("dmarc.tag-name-case", name=name, tag=tag, fix_record=clean))
        elif p.code is ProblemCode.BAD_URI:
            out.append(finding("dmarc.report-uri-invalid", tag=tag, uri=value))
        elif p.code is ProblemCode.UNSUPPORTED_URI_SCHEME:
            out.append(finding("dmarc.report-uri-scheme", tag=tag, uri=value))
        elif p.code is ProblemCode.OBSOLETE_SIZE:
            out.append(finding("dmarc.report-size-obsolete", tag=tag, uri=value))
    if not any(u.usable for u in record.rua):
        fix = proposals.reporting() if proposals.rua else None
        out.append(finding("dmarc.no-rua", name=name, fix_record=fix))
    for tag, uris in (("rua", record.rua), ("ruf", record.ruf)):
        # Only addresses a receiver can use count: the others are reported on their own.
        usable = [u for u in uris if u.usable]
        if len(usable) > MAX_REPORT_URIS:
            out.append(
                finding(
                    "dmarc.too-many-report-uris",
                    name=name,
                    tag=tag,
                    count=len(usable),
                    extra=", ".join(u.raw for u in usable[MAX_REPORT_URIS:]),
                )
            )
    if record.p is not None:
        for tag, sub in (("sp", record.sp), ("np", record.np)):
            if reported is not None and tag == reported.value:
                continue
            if sub is not None and sub.strength < record.p.strength:
                out.append(
                    finding(
                        "dmarc.subdomain-policy-weaker",
                        name=name,
                        tag=tag,
                        value=sub.value,
                        p=record.p.value,
                        fix_record=proposals.as_strict_as_p(tag),
                    )
                )
    modes = (("adkim", record.adkim), ("aspf", record.aspf))
    strict = [f"{tag}=s" for tag, mode in modes if mode is AlignmentMode.STRICT]
    if strict:
        out.append(finding("dmarc.strict-alignment", tags=", ".join(strict)))
    return out


def _external(uri: ReportUri, org_domain: str, policy_domain: str) -> bool:
    dest = uri.domain or ""
    return not any(dest == d or dest.endswith("." + d) for d in (org_domain, policy_domain))


async def _authorize(
    dns: DnsSource, record: DmarcRecord, policy_domain: str, org_domain: str
) -> tuple[ReportAuthorization, ...]:
    """Query `<policy_domain>._report._dmarc.<dest>` for every external rua/ruf destination."""
    todo: list[tuple[str, ReportUri, str]] = []
    for tag, uris in (("rua", record.rua), ("ruf", record.ruf)):
        for uri in uris:
            if uri.usable and uri.domain and _external(uri, org_domain, policy_domain):
                todo.append((tag, uri, f"{policy_domain}._report._dmarc.{uri.domain}"))
    answers = await asyncio.gather(*(dns.query(name, "TXT") for _, _, name in todo))
    out: list[ReportAuthorization] = []
    for (tag, uri, name), answer in zip(todo, answers, strict=True):
        authorized: bool | None = None
        if not answer.is_error:
            authorized = any(is_dmarc_text(t) for t in answer.texts())
        out.append(
            ReportAuthorization(tag, uri.raw, uri.domain or "", name, authorized, answer.rcode)
        )
    return tuple(out)


__all__ = ["DmarcReport", "ReportAuthorization", "check_dmarc"]
