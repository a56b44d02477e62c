"""DMARC for one message (RFC 9989): the From domain, identifier alignment, the verdict and
the disposition a receiver would apply.

A From field may hold several addresses, and a message several From fields (a forgery adds a
second one to hide a failing domain). When they name more than one domain, DMARC is
evaluated for each author domain and the strictest result applies (RFC 7489 §6.6.1: "apply
the most strict policy selected among the checks that fail"); addresses that share one
domain are evaluated once.

Policy discovery and the Organizational Domain come from the shared RFC 9989 DNS Tree Walk
(`mailauth.dns.orgdomain`), the same code `mailauth check` uses; nothing is re-implemented.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field, replace
from typing import Any

from mailauth.concurrency import gather, gather_few
from mailauth.dns.interface import DnsSource
from mailauth.dns.orgdomain import (
    DiscoveryStatus,
    DnsFailure,
    OrgDomainResult,
    PolicyDiscovery,
    PolicyTag,
    discover_policy,
    organizational_domain,
)
from mailauth.frozen import frozen
from mailauth.message.addresses import read_from
from mailauth.message.dkim import DkimSignature
from mailauth.message.parse import ParsedMessage
from mailauth.message.spf import SpfOutcome
from mailauth.model import Result
from mailauth.names import to_alabel
from mailauth.records.dmarc import AlignmentMode, Policy

# A From field naming hundreds of domains must not cost hundreds of tree walks: the first
# ones are evaluated (a hostile message gains nothing, its own domains come first).
MAX_AUTHOR_DOMAINS = 20
# Which author decides, when several are evaluated: a failure (the stricter disposition
# first), then no verdict, then the rest; ties go to the earlier address.
_RESULT_RANK = {Result.FAIL: 4, Result.TEMPERROR: 3, Result.PERMERROR: 2, Result.NONE: 1}
_DISPOSITION_RANK = {Policy.REJECT: 2, Policy.QUARANTINE: 1, Policy.NONE: 0}


@frozen
class DmarcOutcome:
    """The DMARC verdict of a message. With several author domains, `authors` holds each
    one's outcome and the other fields are those of the author that decides (the strictest),
    except `from_domain` (None: there is no single one) and `from_addresses` (all)."""

    result: Result
    from_domain: str | None
    from_addresses: tuple[str, ...] = ()
    org_domain: str | None = None
    policy: Policy | None = None  # the published policy for this domain (p, sp or np)
    policy_tag: PolicyTag | None = None
    disposition: Policy = Policy.NONE  # what a receiver applies
    testing: bool = False
    record: str | None = None
    location: str | None = None
    spf_mode: AlignmentMode = AlignmentMode.RELAXED
    dkim_mode: AlignmentMode = AlignmentMode.RELAXED
    spf_aligned: bool = False
    dkim_aligned: tuple[str, ...] = ()  # d= of passing, aligned signatures
    failure: DnsFailure | None = None
    org_domains: dict[str, str] = field(default_factory=dict)  # domain -> its org domain
    # SPF was not evaluated (no connecting IP or no SPF domain) for an identity that could
    # have aligned: a FAIL then rests on DKIM alone, and a receiver that knew the IP may
    # have passed DMARC through SPF.
    spf_unknown: bool = False
    # d= of signatures whose key lookup failed (temperror) and that could have aligned.
    dkim_unknown: tuple[str, ...] = ()
    # Identifiers that passed but whose alignment is not known: a domain different from the
    # From domain, when the policy (and so the mode) or an Organizational Domain could not
    # be looked up. Never "not aligned": a failed lookup is not a negative answer.
    spf_align_unknown: bool = False
    dkim_align_unknown: tuple[str, ...] = ()
    authors: tuple[DmarcOutcome, ...] = ()  # one per author domain, when there are several
    authors_total: int = 0  # distinct author domains (more than `authors` past the cap)
    decided_by: str | None = None  # with several authors: the domain whose outcome applies

    @property
    def author_outcomes(self) -> tuple[DmarcOutcome, ...]:
        """Each author domain's own evaluation: `authors`, or this one for a single domain."""
        return self.authors or ((self,) if self.from_domain else ())

    @property
    def spf_alignment(self) -> bool | None:
        """Whether SPF passed aligned with From; None when that is not known."""
        return None if self.spf_align_unknown and not self.spf_aligned else self.spf_aligned

    def dkim_alignment(self, domain: str) -> bool | None:
        """Whether a passing signature with this d= aligns with From; None when not known."""
        if domain in self.dkim_aligned:
            return True
        return None if domain in self.dkim_align_unknown else False


def from_addresses(message: ParsedMessage) -> list[str]:
    """Every address in every From field (RFC 5322 §3.6.2 allows a mailbox-list), read as
    receivers read them, valid syntax or not (message/addresses.py)."""
    return [a for value in message.values("From") for a in read_from(value).addresses]


def domain_of(address: str) -> str:
    """The A-label, lower-case domain of an address (IDN From domains compare as A-labels,
    spelled as `mailauth check` spells them); as written, lower-cased, when it has none."""
    domain = address.rsplit("@", 1)[-1].strip().strip(">").rstrip(".")
    try:
        return to_alabel(domain)
    except UnicodeError:
        return domain.lower()


def author_domain(message: ParsedMessage) -> str | None:
    """The one domain of the From addresses (RFC 9989 §4.4), or None when there is no From
    address or they name several domains."""
    domains = author_domains(message)
    return domains[0] if len(domains) == 1 else None


def author_domains(message: ParsedMessage) -> tuple[str, ...]:
    """The distinct domains of the From addresses, in the order they appear."""
    return _unique(domain_of(a) for a in from_addresses(message))


async def evaluate_dmarc(
    dns: DnsSource,
    message: ParsedMessage,
    spf: SpfOutcome,
    dkim: Sequence[DkimSignature],
    discoveries: Mapping[str, PolicyDiscovery] | None = None,
) -> DmarcOutcome:
    """The DMARC verdict. `discoveries`: the policies of author domains the caller already
    looked up (verify does, concurrently with DKIM and SPF); the others are looked up here."""
    addresses = tuple(from_addresses(message))
    domains = _unique(domain_of(a) for a in addresses)
    known = discoveries or {}
    if not domains:
        return DmarcOutcome(Result.PERMERROR, None, addresses)
    if len(domains) == 1:
        return await _evaluate(dns, domains[0], addresses, spf, dkim, known.get(domains[0]))
    # Several author domains: each is evaluated, the strictest decides (RFC 7489 §6.6.1).
    evaluated = domains[:MAX_AUTHOR_DOMAINS]
    authors: list[DmarcOutcome] = await gather(
        *(_evaluate(dns, d, _at(addresses, d), spf, dkim, known.get(d)) for d in evaluated)
    )
    decides = max(authors, key=_strictness)
    return replace(
        decides,
        from_domain=None,
        from_addresses=addresses,
        authors=tuple(authors),
        authors_total=len(domains),
        decided_by=decides.from_domain,
    )


def _at(addresses: Sequence[str], domain: str) -> tuple[str, ...]:
    return tuple(a for a in addresses if domain_of(a) == domain)


def _strictness(outcome: DmarcOutcome) -> tuple[int, int]:
    return _RESULT_RANK.get(outcome.result, 0), _DISPOSITION_RANK[outcome.disposition]


async def _evaluate(
    dns: DnsSource,
    from_domain: str,
    addresses: tuple[str, ...],
    spf: SpfOutcome,
    dkim: Sequence[DkimSignature],
    discovery: PolicyDiscovery | None,
) -> DmarcOutcome:
    """DMARC for one author domain (RFC 9989 §4.4-§4.10)."""
    if discovery is None:
        discovery = await discover_policy(dns, from_domain)
    if discovery.status is DiscoveryStatus.TEMPERROR:
        # Without the policy the alignment modes are unknown: any signature whose key lookup
        # failed might have aligned. An identifier identical to the From domain aligns in
        # either mode (RFC 9989 §4.4.1); any other one is not known, never "not aligned".
        failed = _unique(s.domain for s in dkim if s.result is Result.TEMPERROR)
        passing = _unique(s.domain for s in dkim if _passed(s))
        spf_same = _passed(spf) and _same(spf.domain, from_domain)
        return DmarcOutcome(
            Result.TEMPERROR,
            from_domain,
            addresses,
            failure=discovery.error,
            spf_aligned=spf_same,
            dkim_aligned=tuple(d for d in passing if _same(d, from_domain)),
            dkim_unknown=failed,
            spf_align_unknown=_passed(spf) and not spf_same,
            dkim_align_unknown=tuple(d for d in passing if not _same(d, from_domain)),
        )
    record = discovery.record
    spf_mode = record.spf_mode if record else AlignmentMode.RELAXED
    dkim_mode = record.dkim_mode if record else AlignmentMode.RELAXED
    orgs = await _org_domains(dns, from_domain, discovery, spf, dkim)
    # Alignment with From of each identifier that passed or gave no final result: True,
    # False, or None when relaxed alignment hangs on a tree walk a failed query cut short.
    spf_state = _aligned(spf.domain, from_domain, spf_mode, orgs)
    dkim_states = [
        (s, _aligned(s.domain, from_domain, dkim_mode, orgs)) for s in dkim if _counts(s)
    ]
    states: list[tuple[SpfOutcome | DkimSignature, bool | None]] = [(spf, spf_state), *dkim_states]
    spf_ok = _passed(spf) and spf_state is True
    dkim_ok = _unique(s.domain for s, state in dkim_states if _passed(s) and state is True)
    # `is not False`: "might align" (aligned, or not known).
    dkim_unknown = _unique(
        s.domain for s, state in dkim_states if s.result is Result.TEMPERROR and state is not False
    )
    spf_temperror = spf.result is Result.TEMPERROR and spf_state is not False
    spf_unknown = not _spf_evaluated(spf) and (not spf.domain or spf_state is not False)
    walk_unknown = _unique(o.domain for o, state in states if _passed(o) and state is None)
    dkim_walk_unknown = _unique(
        s.domain for s, state in dkim_states if _passed(s) and state is None
    )
    # Every outcome below shares these fields; each is built once, by one constructor
    # call (a `dataclasses.replace` of a first outcome walked its ~25 fields again, ~1.5 %
    # of a small message's verify, issue 10).
    common: dict[str, Any] = {
        "org_domain": discovery.org_domain,
        "spf_mode": spf_mode,
        "dkim_mode": dkim_mode,
        "spf_aligned": spf_ok,
        "dkim_aligned": dkim_ok,
        "org_domains": {d: org.org_domain for d, org in orgs.items()},
        "spf_unknown": spf_unknown,
        "dkim_unknown": dkim_unknown,
        "spf_align_unknown": _passed(spf) and spf_state is None,
        "dkim_align_unknown": dkim_walk_unknown,
    }
    if discovery.status is DiscoveryStatus.NONE or record is None or discovery.policy is None:
        return DmarcOutcome(Result.NONE, from_domain, addresses, **common)
    passed = spf_ok or bool(dkim_ok)
    if not passed and (walk_unknown or dkim_unknown or spf_temperror):
        # No aligned pass, but one might have been: a query needed for relaxed alignment
        # did not complete (RFC 9989 §5.3.6), or SPF or DKIM returned temperror for an
        # identifier that could align (RFC 7489 §6.6.2: only final results give a final
        # verdict). Neither pass nor fail, and no policy is applied; a receiver defers.
        # The failed query is named here only for a walk: SPF's and DKIM's own failed
        # lookups are reported by their findings.
        walks = (orgs[from_domain], *(orgs[d] for d in walk_unknown)) if walk_unknown else ()
        failure = next((w.error for w in walks if w.error is not None), None)
        return DmarcOutcome(Result.TEMPERROR, from_domain, addresses, failure=failure, **common)
    applied = discovery.applied_policy
    return DmarcOutcome(
        Result.PASS if passed else Result.FAIL,
        from_domain,
        addresses,
        policy=discovery.policy,
        policy_tag=discovery.policy_tag,
        disposition=Policy.NONE if passed or applied is None else applied,
        testing=discovery.testing,
        record=record.text,
        location=discovery.location,
        **common,
    )


def _passed(outcome: SpfOutcome | DkimSignature) -> bool:
    return outcome.result is Result.PASS and bool(outcome.domain)


def _unique(domains: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(d for d in domains if d))


def _counts(outcome: SpfOutcome | DkimSignature) -> bool:
    """Whether the identifier's alignment matters: it passed, or it gave no final result."""
    return outcome.result in (Result.PASS, Result.TEMPERROR) and bool(outcome.domain)


def _spf_evaluated(spf: SpfOutcome) -> bool:
    """check_host ran: `evaluate_spf` needs the connecting IP and a MAIL FROM or HELO domain."""
    return spf.identity.ip is not None and spf.identity.domain is not None


async def _org_domains(
    dns: DnsSource,
    from_domain: str,
    discovery: PolicyDiscovery,
    spf: SpfOutcome,
    dkim: Sequence[DkimSignature],
) -> dict[str, OrgDomainResult]:
    """Organizational Domains of From's domain and of every domain that differs from it and
    passed or might have passed (temperror, SPF not evaluated) (RFC 9989 §4.10.2): only those
    are needed for relaxed alignment."""
    orgs = {from_domain: discovery.org}
    wanted = {spf.domain} if spf.domain and (_counts(spf) or not _spf_evaluated(spf)) else set()
    wanted |= {s.domain for s in dkim if _counts(s)}
    others = sorted(d for d in wanted if d and d not in orgs)
    found = await gather_few(organizational_domain(dns, d) for d in others)
    orgs.update(zip(others, found, strict=True))
    return orgs


def _aligned(
    domain: str | None, from_domain: str, mode: AlignmentMode, orgs: dict[str, OrgDomainResult]
) -> bool | None:
    """RFC 9989 §4.4.1/§4.4.2: strict = identical; relaxed = same Organizational Domain.
    None when relaxed alignment hangs on a tree walk that a failed query cut short."""
    if not domain:
        return False
    if _same(domain, from_domain):
        return True  # identical: aligned in both modes, whatever a tree walk returned
    domain = domain.lower().rstrip(".")
    if mode is AlignmentMode.STRICT:
        return False
    mine, theirs = orgs.get(domain), orgs.get(from_domain)
    if mine is None or theirs is None:
        return None  # not looked up: not known (only identifiers that count are looked up)
    if mine.error is not None or theirs.error is not None:
        return None
    return mine.org_domain == theirs.org_domain


def _same(domain: str | None, from_domain: str) -> bool:
    """An identifier names the From domain itself: compared as A-labels, lower case, without
    a final dot (a d= may be written in U-labels or upper case)."""
    if not domain:
        return False
    name = domain.strip().rstrip(".")
    try:
        name = to_alabel(name)
    except UnicodeError:
        name = name.lower()
    return name == from_domain
