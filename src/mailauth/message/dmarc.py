"""DMARC for one message (RFC 9989): the From domain, identifier alignment, the verdict and
the disposition a receiver would apply.

Policy discovery and the Organizational Domain come from the shared RFC 9989 DNS Tree Walk
(`mailauth.dns.orgdomain`), the same code `mailauth check` uses; nothing is re-implemented.
"""

from __future__ import annotations

import asyncio
import email.utils
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from mailauth.dns.interface import DnsSource
from mailauth.dns.orgdomain import (
    DiscoveryStatus,
    DnsFailure,
    OrgDomainResult,
    PolicyDiscovery,
    discover_policy,
    organizational_domain,
)
from mailauth.message.dkim import DkimSignature
from mailauth.message.parse import ParsedMessage
from mailauth.message.spf import SpfOutcome
from mailauth.model import Result
from mailauth.records.dmarc import AlignmentMode


@dataclass(frozen=True)
class DmarcOutcome:
    result: Result
    from_domain: str | None
    from_addresses: tuple[str, ...] = ()
    org_domain: str | None = None
    policy: str | None = None  # the published policy for this domain (p, sp or np)
    policy_tag: str | None = None
    disposition: str = "none"  # what a receiver applies: none | quarantine | reject
    testing: bool = False
    record: str | None = None
    location: str | None = None
    spf_mode: str = "r"
    dkim_mode: str = "r"
    spf_aligned: bool = False
    dkim_aligned: tuple[str, ...] = ()  # d= of passing, aligned signatures
    failure: DnsFailure | None = None
    org_domains: dict[str, str] = field(default_factory=dict)  # domain -> its org domain


def from_addresses(message: ParsedMessage) -> list[str]:
    """Every address in every From field (RFC 5322 §3.6.2 allows a mailbox-list)."""
    pairs = email.utils.getaddresses(message.values("From"))
    return [addr for _, addr in pairs if "@" in addr]


def domain_of(address: str) -> str:
    """The A-label, lower-case domain of an address (IDN From domains compare as A-labels)."""
    domain = address.rsplit("@", 1)[1].strip().strip(">").rstrip(".").lower()
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def author_domain(message: ParsedMessage) -> str | None:
    """The one domain of the From addresses (RFC 9989 §4.4), or None when there is no From
    address or they name several domains (then there is nothing to evaluate against)."""
    return _single_domain(from_addresses(message))


def _single_domain(addresses: Sequence[str]) -> str | None:
    domains = {domain_of(a) for a in addresses}
    return domains.pop() if len(domains) == 1 else None


async def evaluate_dmarc(
    dns: DnsSource,
    message: ParsedMessage,
    spf: SpfOutcome,
    dkim: Sequence[DkimSignature],
    discovery: PolicyDiscovery | None = None,
) -> DmarcOutcome:
    """The DMARC verdict. `discovery`: the policy of `author_domain(message)` when the caller
    already looked it up (verify does, concurrently with DKIM and SPF)."""
    addresses = tuple(from_addresses(message))
    from_domain = _single_domain(addresses)
    if from_domain is None:
        return DmarcOutcome(Result.PERMERROR, None, addresses)
    if discovery is None:
        discovery = await discover_policy(dns, from_domain)
    if discovery.status is DiscoveryStatus.TEMPERROR:
        return DmarcOutcome(Result.TEMPERROR, from_domain, addresses, failure=discovery.error)
    record = discovery.record
    spf_mode = record.spf_mode.value if record else "r"
    dkim_mode = record.dkim_mode.value if record else "r"
    orgs = await _org_domains(dns, from_domain, discovery, spf, dkim)
    spf_state = _aligned(spf.domain, from_domain, spf_mode, orgs) if _passed(spf) else False
    dkim_states = {
        s.domain: _aligned(s.domain, from_domain, dkim_mode, orgs) for s in dkim if _passed(s)
    }
    spf_ok = spf_state is True
    dkim_ok = tuple(d for d, state in dkim_states.items() if state is True)
    base = DmarcOutcome(
        Result.NONE,
        from_domain,
        addresses,
        org_domain=discovery.org_domain,
        spf_mode=spf_mode,
        dkim_mode=dkim_mode,
        spf_aligned=spf_ok,
        dkim_aligned=dkim_ok,
        org_domains={d: org.org_domain for d, org in orgs.items()},
    )
    if discovery.status is DiscoveryStatus.NONE or record is None or discovery.policy is None:
        return base
    passed = spf_ok or bool(dkim_ok)
    unknown = [d for d, state in ((spf.domain, spf_state), *dkim_states.items()) if state is None]
    if not passed and unknown:
        # RFC 9989 §5.3.6: a query needed for relaxed alignment did not complete, so the
        # message can neither pass nor fail, and no policy is applied.
        walks = (orgs[from_domain], *(orgs[d] for d in unknown if d))
        failure = next(w.error for w in walks if w.error is not None)
        return replace(base, result=Result.TEMPERROR, failure=failure)
    applied = discovery.applied_policy
    return replace(
        base,
        result=Result.PASS if passed else Result.FAIL,
        policy=discovery.policy.value,
        policy_tag=discovery.policy_tag.value if discovery.policy_tag else None,
        disposition="none" if passed or applied is None else applied.value,
        testing=discovery.testing,
        record=record.text,
        location=discovery.location,
    )


def _passed(outcome: SpfOutcome | DkimSignature) -> bool:
    return outcome.result is Result.PASS and bool(outcome.domain)


async def _org_domains(
    dns: DnsSource,
    from_domain: str,
    discovery: PolicyDiscovery,
    spf: SpfOutcome,
    dkim: Sequence[DkimSignature],
) -> dict[str, OrgDomainResult]:
    """Organizational Domains of From's domain and of every authenticated domain that
    differs from it (RFC 9989 §4.10.2): only those are needed for relaxed alignment."""
    orgs = {from_domain: discovery.org}
    wanted = {spf.domain} if _passed(spf) and spf.domain else set()
    wanted |= {s.domain for s in dkim if _passed(s)}
    others = sorted(d for d in wanted if d and d not in orgs)
    found = await asyncio.gather(*(organizational_domain(dns, d) for d in others))
    orgs.update(zip(others, found, strict=True))
    return orgs


def _aligned(
    domain: str | None, from_domain: str, mode: str, orgs: dict[str, OrgDomainResult]
) -> bool | None:
    """RFC 9989 §4.4.1/§4.4.2: strict = identical; relaxed = same Organizational Domain.
    None when relaxed alignment hangs on a tree walk that a failed query cut short."""
    if not domain:
        return False
    domain = domain.lower().rstrip(".")
    if domain == from_domain:
        return True
    if mode == AlignmentMode.STRICT.value:
        return False
    mine, theirs = orgs.get(domain), orgs.get(from_domain)
    if mine is None or theirs is None:
        return False
    if mine.error is not None or theirs.error is not None:
        return None
    return mine.org_domain == theirs.org_domain
