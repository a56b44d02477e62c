"""DNSSEC check: are the domain's answers signed, and do they validate?

Two methods, and the report says which was used (`method`):
- `validation` (default): mailauth validates with dnspython's `dns.dnssec` from a trust
  anchor (the root KSKs built in, or `--trust-anchor FILE`) down to the zone that signs the
  domain (`dns/dnssec_chain.py`). Works offline on signed zone files.
- `resolver-ad` (`--trust-resolver-ad`): the AD flag of the resolver the run asks is taken as
  the verdict. Only as good as that resolver and the path to it (RFC 6840 §5.7).

Judged RRsets: the domain's SOA and DNSKEY at a zone apex, else its A records (`JUDGED_TYPES`).
A negative answer's NSEC proof is not validated.
"""

from __future__ import annotations

import asyncio
import functools

from mailauth.dns.dnssec_chain import Security, Validation, Validator, ZoneLink
from mailauth.dns.dnssec_reasons import ChainProblem, code_of, why
from mailauth.dns.signed import SignedSource, signed_source
from mailauth.dns.trust_anchor import TrustAnchors, root_anchors
from mailauth.domain.context import CheckContext
from mailauth.findings.catalogue import finding
from mailauth.frozen import frozen
from mailauth.model import CheckReport, Finding, Phrase, Status, status_from_findings

# Small RRsets that say whether the domain's zone is signed: its SOA and DNSKEY at a zone
# apex; elsewhere (a name inside its parent's zone) its A records. Not MX or TXT: a 64 KB
# answer would be fetched a second time, with signatures.
JUDGED_TYPES = ("SOA", "DNSKEY")
FALLBACK_TYPES = ("A",)
METHOD_VALIDATION = "validation"
METHOD_RESOLVER_AD = "resolver-ad"
# The run's DnsSource cannot answer with signatures (not a SignedSource): nothing judged.
METHOD_UNAVAILABLE = "unavailable"


@frozen
class RRsetVerdict:
    """One judged RRset: its verdict, whether it carried RRSIGs, and why."""

    name: str
    rdtype: str
    security: Security
    signed: bool
    records: int
    reason: Phrase | None = None


@frozen(kw_only=True)
class DnssecReport(CheckReport):
    check: str = "dnssec"
    method: str = METHOD_VALIDATION
    trust_anchor: str | None = None
    security: Security = Security.INDETERMINATE
    signed: bool | None = None
    zone: str | None = None
    chain: tuple[ZoneLink, ...] = ()
    rrsets: tuple[RRsetVerdict, ...] = ()

    @property
    def ran(self) -> bool:
        return self.method != METHOD_UNAVAILABLE


def anchors_of(ctx: CheckContext) -> TrustAnchors:
    return ctx.options.trust_anchors or _built_in_anchors()


@functools.cache
def _built_in_anchors() -> TrustAnchors:
    """The root KSKs, built once per process: the DNSSEC and DANE checks of every domain
    validate from them, and building them parses their DS text (~0.2 ms a time, twice per
    domain of a bulk run). Nothing changes them: the validator only reads its anchors."""
    return root_anchors()


async def check_dnssec(ctx: CheckContext, domain: str) -> DnssecReport:
    source = signed_source(ctx.dns)
    if source is None:  # a library caller's own DnsSource without signed answers
        return DnssecReport(status=Status.NONE, method=METHOD_UNAVAILABLE)
    if ctx.options.trust_resolver:
        return await _by_resolver(source, domain)
    anchors = anchors_of(ctx)
    validator = Validator(source, anchors, eager=ctx.eager)
    results = await asyncio.gather(*(validator.validate(domain, t) for t in JUDGED_TYPES))
    if not any(v.answer.records for v in results):  # not a zone apex
        results += await asyncio.gather(*(validator.validate(domain, t) for t in FALLBACK_TYPES))
    verdicts = tuple(_verdict(v) for v in results if v.answer.records or v.answer.is_error)
    chain = max((v.chain for v in results), key=len, default=())
    common = {"trust_anchor": anchors.description, "chain": chain, "rrsets": verdicts}
    signer = next((v.signer for v in results if v.signer), None)
    present = [v for v in results if v.answer.records]
    if not present:
        errors = [v for v in results if v.answer.is_error]
        if errors:
            reason = errors[0].reason or why(ChainProblem.NOTHING_TO_JUDGE)
            failed = finding("dnssec.lookup-failed", domain=domain, reason=reason)
            return DnssecReport(status=Status.ERROR, findings=(failed,), **common)  # type: ignore[arg-type]
        return DnssecReport(status=Status.NONE, signed=None, **common)  # type: ignore[arg-type]
    signed = any(v.answer.signed for v in present)
    findings = _findings(domain, present, signed)
    security = _overall(present, signed)
    status = status_from_findings(findings) if signed else Status.NONE
    return DnssecReport(
        status=status,
        findings=tuple(findings),
        security=security,
        signed=signed,
        zone=signer,
        **common,  # type: ignore[arg-type]
    )


def _findings(domain: str, present: list[Validation], signed: bool) -> list[Finding]:
    bad = [v for v in present if v.status is Security.BOGUS]
    if bad:
        out: list[Finding] = []
        for v in bad:
            expired = code_of(v.reason) is ChainProblem.SIGNATURE_EXPIRED
            fid = "dnssec.signature-expired" if expired else "dnssec.bogus"
            out.append(finding(fid, name=v.name, rdtype=v.rdtype, reason=v.reason))
        return out
    if not signed:
        types = ", ".join(dict.fromkeys(v.rdtype for v in present))
        reason = why(ChainProblem.UNSIGNED_TYPES, types=types)
        return [finding("dnssec.unsigned", domain=domain, reason=reason)]
    insecure = [v for v in present if v.status is Security.INSECURE]
    if insecure:
        link = insecure[0].chain[-1] if insecure[0].chain else None
        zone = link.zone if link else domain
        reason = insecure[0].reason or why(ChainProblem.NO_DS, zone=zone)
        return [finding("dnssec.missing-ds", zone=zone, reason=reason)]
    unknown = [v for v in present if v.status is Security.INDETERMINATE]
    if unknown:
        return [finding("dnssec.not-validated", domain=domain, reason=unknown[0].reason)]
    return []


def _overall(present: list[Validation], signed: bool) -> Security:
    states = {v.status for v in present}
    for state in (Security.BOGUS, Security.INDETERMINATE, Security.INSECURE):
        if state in states:
            return state
    return Security.SECURE if signed else Security.INSECURE


def _verdict(v: Validation) -> RRsetVerdict:
    return RRsetVerdict(
        v.name, v.rdtype, v.status, v.answer.signed, len(v.answer.records), v.reason
    )


async def _by_resolver(source: SignedSource, domain: str) -> DnssecReport:
    """`--trust-resolver-ad`: the resolver's AD flag is the verdict (no validation here)."""
    answers = await asyncio.gather(*(source.query_signed(domain, t) for t in JUDGED_TYPES))
    if not any(a.records for a in answers):
        answers += await asyncio.gather(*(source.query_signed(domain, t) for t in FALLBACK_TYPES))
    present = [a for a in answers if a.records]
    rrsets = tuple(
        RRsetVerdict(
            a.qname,
            a.rdtype,
            Security.SECURE if a.authenticated else Security.INDETERMINATE,
            a.signed,
            len(a.records),
            None if a.authenticated else why(ChainProblem.RESOLVER_NO_AD),
        )
        for a in present
    )
    common = {"method": METHOD_RESOLVER_AD, "rrsets": rrsets}
    if not present:
        errors = [a for a in answers if a.is_error]
        if errors:
            first = errors[0]
            reason = why(
                ChainProblem.LOOKUP_FAILED,
                name=first.qname or domain,
                rdtype=first.rdtype,
                rcode=first.rcode.value,
            )
            failed = finding("dnssec.lookup-failed", domain=domain, reason=reason)
            return DnssecReport(status=Status.ERROR, findings=(failed,), **common)  # type: ignore[arg-type]
        return DnssecReport(status=Status.NONE, **common)  # type: ignore[arg-type]
    signed = any(a.signed for a in present)
    if all(a.authenticated for a in present):
        return DnssecReport(
            status=Status.PASS,
            security=Security.SECURE,
            signed=signed,
            **common,  # type: ignore[arg-type]
        )
    if not signed:
        reason = why(ChainProblem.RESOLVER_UNSIGNED)
        unsigned = finding("dnssec.unsigned", domain=domain, reason=reason)
        return DnssecReport(
            status=Status.NONE,
            findings=(unsigned,),
            security=Security.INSECURE,
            signed=False,
            **common,  # type: ignore[arg-type]
        )
    offline = any(a.authenticated is None for a in present)
    reason = why(ChainProblem.OFFLINE_NO_AD if offline else ChainProblem.RESOLVER_NOT_VALIDATING)
    note = finding("dnssec.not-validated", domain=domain, reason=reason)
    return DnssecReport(
        status=Status.WARN,
        findings=(note,),
        signed=signed,
        **common,  # type: ignore[arg-type]
    )
