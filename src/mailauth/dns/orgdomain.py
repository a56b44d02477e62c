"""DMARC policy discovery and the Organizational Domain, from the RFC 9989 DNS Tree Walk.

RFC 9989 replaced RFC 7489's public suffix list with a walk up the DNS (§4.10 "DNS Tree Walk"):
query `_dmarc.<name>` at the starting name, then at shorter and shorter names up to the TLD,
stopping early at a record carrying psd=y or psd=n, and never making more than eight queries.
The walk itself is `mailauth.dns.treewalk` (its names are re-exported here).

Two questions are answered from the same walk (shared by `mailauth check` and `verify`):
- `organizational_domain(dns, domain)` — §4.10.2 "Identifier Alignment Evaluation": which
  domain is the Organizational Domain of `domain` (relaxed alignment compares these).
- `discover_policy(dns, domain)` — §4.10.1 "DMARC Policy Discovery": which record applies to
  `domain` (its own, its Organizational Domain's, or its Public Suffix Domain's) and which of
  its policies (p, sp or np) applies to exactly this domain.

DNS failures are values: a query that fails (SERVFAIL, timeout, offline-unresolvable...) ends
the walk and the result carries it as `error`, which callers report as temperror (§5.3.6).
Section numbers are those of draft-ietf-dmarc-dmarcbis-41, the text published as RFC 9989.
"""

from __future__ import annotations

from enum import Enum

from mailauth.dns.interface import DnsSource, Rcode
from mailauth.dns.treewalk import (
    MAX_QUERIES,
    DnsFailure,
    StepOutcome,
    TreeWalk,
    WalkStep,
    classify,
    labels,
    tree_walk,
    walk_targets,
)
from mailauth.frozen import frozen
from mailauth.records.dmarc import DmarcRecord, Policy, PsdFlag, policy_set

__all__ = [
    "MAX_QUERIES",
    "DiscoveryStatus",
    "DnsFailure",
    "NoneReason",
    "OrgDomainResult",
    "OrgReason",
    "PolicyDiscovery",
    "PolicySource",
    "PolicyTag",
    "StepOutcome",
    "TreeWalk",
    "WalkStep",
    "classify",
    "discover_policy",
    "labels",
    "organizational_domain",
    "select_org_domain",
    "tree_walk",
    "walk_targets",
]


class OrgReason(str, Enum):
    """Which rule of RFC 9989 §4.10.2 chose the Organizational Domain."""

    PSD_NO = "psd=n"  # rule 1: a record with psd=n
    BELOW_PSD = "below-psd"  # rule 2: one label below a record with psd=y
    FEWEST_LABELS = "fewest-labels"  # rule 3: the record with the fewest labels
    SELF = "self"  # no record found: the domain is its own Organizational Domain


@frozen
class OrgDomainResult:
    """The Organizational Domain of `domain`. When `error` is set the walk could not finish
    and `org_domain` is only the best guess from the queries that did answer."""

    domain: str
    org_domain: str
    reason: OrgReason
    walk: TreeWalk
    psd_domain: str | None = None  # where a psd=y record stopped the walk

    @property
    def error(self) -> DnsFailure | None:
        return self.walk.error

    @property
    def queries(self) -> tuple[str, ...]:
        return self.walk.queries


class DiscoveryStatus(str, Enum):
    FOUND = "found"  # a record applies and gives a policy
    NONE = "none"  # DMARC does not apply to this domain (see `none_reason`)
    TEMPERROR = "temperror"  # a query needed for the answer failed (see `error`)


class NoneReason(str, Enum):
    NO_RECORD = "no-record"  # no DMARC record at the domain, its org domain or PSD
    MULTIPLE_RECORDS = "multiple-records"  # the domain publishes several DMARC records
    NO_VALID_POLICY = "no-valid-policy"  # p missing/invalid and no valid rua (§4.10.1)


class PolicySource(str, Enum):
    """Where the applied record sits relative to the domain (RFC 9989 §4.10.1 list)."""

    DOMAIN = "domain"
    ORGANIZATIONAL = "organizational"
    PSD = "psd"


class PolicyTag(str, Enum):
    P = "p"
    SP = "sp"
    NP = "np"


@frozen
class PolicyDiscovery:
    """The DMARC record and policy that apply to exactly `domain`.

    `policy` is the published policy for this domain (p for the domain itself, sp for an
    existing subdomain, np for a non-existent one); `applied_policy` is what a receiver applies
    after t=y testing mode. `record` is set whenever a record was selected, even if it turned
    out unusable (status NONE, reason NO_VALID_POLICY), so a checker can show it.
    """

    domain: str
    status: DiscoveryStatus
    org: OrgDomainResult
    record: DmarcRecord | None = None
    policy_domain: str | None = None
    source: PolicySource | None = None
    policy: Policy | None = None
    policy_tag: PolicyTag | None = None
    fallback_none: bool = False  # p=none assumed because p/sp/np invalid and rua valid
    none_reason: NoneReason | None = None
    domain_exists: bool | None = None  # None when not needed (no np) or not determined
    error: DnsFailure | None = None

    @property
    def location(self) -> str | None:
        """The DNS name the applied record was published at, e.g. `_dmarc.example.jp`."""
        return f"_dmarc.{self.policy_domain}" if self.policy_domain else None

    @property
    def org_domain(self) -> str:
        return self.org.org_domain

    @property
    def queries(self) -> tuple[str, ...]:
        """The `_dmarc` TXT names queried, in order (at most MAX_QUERIES)."""
        return self.org.queries

    @property
    def unresolved(self) -> tuple[str, ...]:
        """Offline only: walk names outside the loaded zones, assumed to have no record."""
        return self.org.walk.unresolved

    @property
    def from_psd(self) -> bool:
        return self.source is PolicySource.PSD

    @property
    def testing(self) -> bool:
        return self.record is not None and self.record.testing

    @property
    def applied_policy(self) -> Policy | None:
        """RFC 9989 §4.7 tag t: under t=y receivers apply one level weaker than published."""
        if self.policy is None:
            return None
        return self.policy.weaker() if self.testing else self.policy


def select_org_domain(walk: TreeWalk) -> OrgDomainResult:
    """RFC 9989 §4.10.2: from the records found, longest name first —
    1. psd=n: that domain; 2. psd=y (not at the starting domain): one label below it;
    3. otherwise the record with the fewest labels. No record: the domain itself."""
    found = [s for s in walk.steps if s.record is not None]
    for step in found:
        assert step.record is not None
        if step.record.psd is PsdFlag.NO:
            return OrgDomainResult(walk.domain, step.domain, OrgReason.PSD_NO, walk)
        if step.record.psd is PsdFlag.YES and step.domain != walk.domain:
            below = _one_label_below(walk.domain, step.domain)
            return OrgDomainResult(walk.domain, below, OrgReason.BELOW_PSD, walk, step.domain)
    if found:
        return OrgDomainResult(walk.domain, found[-1].domain, OrgReason.FEWEST_LABELS, walk)
    return OrgDomainResult(walk.domain, walk.domain, OrgReason.SELF, walk)


def _one_label_below(domain: str, ancestor: str) -> str:
    own, anc = labels(domain), labels(ancestor)
    return ".".join(own[-(len(anc) + 1) :])


async def organizational_domain(dns: DnsSource, domain: str) -> OrgDomainResult:
    """The Organizational Domain of `domain` by the RFC 9989 DNS Tree Walk (§4.10.2).
    Relaxed alignment holds when two names have the same Organizational Domain."""
    return select_org_domain(await tree_walk(dns, domain))


async def discover_policy(dns: DnsSource, domain: str) -> PolicyDiscovery:
    """The DMARC record and policy that apply to exactly `domain` (RFC 9989 §4.10.1).

    One walk from `domain` serves both policy discovery and the Organizational Domain, so the
    query budget stays at MAX_QUERIES (plus one existence query when an np tag matters).
    """
    org = select_org_domain(await tree_walk(dns, domain))
    walk = org.walk
    start = walk.steps[0] if walk.steps else None
    if start is None:
        return PolicyDiscovery(
            org.domain, DiscoveryStatus.NONE, org, none_reason=NoneReason.NO_RECORD
        )
    if start.outcome in (StepOutcome.ERROR, StepOutcome.UNKNOWN):
        # The domain's own record is unknowable: nothing can be concluded (§5.3.6).
        return _temperror(org, DnsFailure(start.name, "TXT", start.rcode))
    if start.outcome is StepOutcome.MULTIPLE:
        # §4.10 step 2 discards the set. Like RFC 7489 §6.6.3 and the mailauth conformance
        # cases, we do not fall back to a parent record the domain owner did not choose.
        return PolicyDiscovery(
            org.domain, DiscoveryStatus.NONE, org, none_reason=NoneReason.MULTIPLE_RECORDS
        )
    if start.record is not None:
        return _apply(org, start.record, org.domain, PolicySource.DOMAIN, PolicyTag.P)
    if walk.error is not None:
        return _temperror(org, walk.error)
    # The domain has no record: its Organizational Domain's record applies, else its PSD's.
    org_step = walk.step(org.org_domain)
    chosen: WalkStep | None = None
    if org_step is not None and org_step.record is not None and org.org_domain != org.domain:
        chosen, source = org_step, PolicySource.ORGANIZATIONAL
    elif org.psd_domain is not None:
        chosen, source = walk.step(org.psd_domain), PolicySource.PSD
    if chosen is None or chosen.record is None:
        return PolicyDiscovery(
            org.domain, DiscoveryStatus.NONE, org, none_reason=NoneReason.NO_RECORD
        )
    # §4.10.1: for a subdomain, sp if it exists, np if it does not; p when neither is given.
    tag, exists = PolicyTag.SP, None
    if chosen.record.np is not None or chosen.record.invalid("np"):
        existence = await _exists(dns, org.domain, start)
        if isinstance(existence, DnsFailure):
            return _temperror(org, existence)
        exists = existence
        tag = PolicyTag.NP if exists is False else PolicyTag.SP
    return _apply(org, chosen.record, chosen.domain, source, tag, exists)


async def _exists(dns: DnsSource, domain: str, start: WalkStep) -> bool | DnsFailure | None:
    """RFC 9989 §3.2.13 / §A.4: a domain exists unless a query for it gets NXDOMAIN. When
    `_dmarc.<domain>` answered NOERROR, the domain exists (RFC 8020) and no query is needed."""
    if start.rcode is Rcode.NOERROR:
        return True
    answer = await dns.query(domain, "A")
    if answer.rcode is Rcode.UNRESOLVABLE:
        return None  # offline and outside the zone files: unknown, sp is applied
    if answer.is_error:
        return DnsFailure(domain, "A", answer.rcode)
    # A CNAME whose target is NXDOMAIN still exists itself (RFC 6604 §2: the rcode is the
    # target's; §A.4: "if any RR exists for a domain, then the domain exists").
    return not answer.is_nxdomain or bool(answer.cnames)


def _temperror(org: OrgDomainResult, error: DnsFailure | None) -> PolicyDiscovery:
    return PolicyDiscovery(org.domain, DiscoveryStatus.TEMPERROR, org, error=error)


def _apply(
    org: OrgDomainResult,
    record: DmarcRecord,
    policy_domain: str,
    source: PolicySource,
    tag: PolicyTag,
    exists: bool | None = None,
) -> PolicyDiscovery:
    policies = policy_set(record)
    if policies is None:
        return PolicyDiscovery(
            org.domain,
            DiscoveryStatus.NONE,
            org,
            record=record,
            policy_domain=policy_domain,
            source=source,
            none_reason=NoneReason.NO_VALID_POLICY,
            domain_exists=exists,
        )
    # §4.7: an absent sp means p; an absent np means sp, else p. An invalid tag counts as
    # absent (§4.8 discards it), so a record acted on as "p=none" (§4.10.1) names p.
    if tag is PolicyTag.NP and record.np is None:
        tag = PolicyTag.SP
    if tag is PolicyTag.SP and record.sp is None:
        tag = PolicyTag.P
    policy = {PolicyTag.P: policies.p, PolicyTag.SP: policies.sp, PolicyTag.NP: policies.np}[tag]
    return PolicyDiscovery(
        org.domain,
        DiscoveryStatus.FOUND,
        org,
        record=record,
        policy_domain=policy_domain,
        source=source,
        policy=policy,
        policy_tag=tag,
        fallback_none=policies.fallback,
        domain_exists=exists,
    )
