"""The RFC 9989 DNS Tree Walk itself: which `_dmarc.<name>` TXT queries are made, in which
order, and what each one yielded (§4.10 "DNS Tree Walk").

Both questions asked of a walk (the Organizational Domain and the applicable policy) live in
`mailauth.dns.orgdomain`, which re-exports these names; this module only walks.
Section numbers are those of draft-ietf-dmarc-dmarcbis-41, the text published as RFC 9989.
"""

from __future__ import annotations

import functools
from enum import Enum

from mailauth.dns.interface import DnsAnswer, DnsSource, Rcode
from mailauth.dns.versioned_txt import Found, select_versioned
from mailauth.dns.walk_names import MAX_QUERIES as MAX_QUERIES  # re-exported, as the next two
from mailauth.dns.walk_names import labels as labels
from mailauth.dns.walk_names import walk_targets as walk_targets
from mailauth.frozen import frozen
from mailauth.records.dmarc import DmarcRecord, PsdFlag, is_dmarc_text, parse_dmarc

# A record text read once for the next walks that meet it: verifying a folder of mail walks
# the same few `_dmarc` names for every message (issue 10: reading the record was a fifth of
# a small message's DMARC work). DmarcRecord is frozen and nobody changes its tag dicts.
_is_dmarc = functools.lru_cache(maxsize=256)(is_dmarc_text)
_parsed = functools.lru_cache(maxsize=256)(parse_dmarc)


class StepOutcome(str, Enum):
    """What one `_dmarc.<name>` TXT query yielded (RFC 9989 §4.10 steps 2 and 6)."""

    RECORD = "record"  # exactly one TXT record starting with v=DMARC1
    NONE = "none"  # NXDOMAIN, NODATA, or only non-DMARC TXT records
    MULTIPLE = "multiple"  # several DMARC records: all discarded
    ERROR = "error"  # the query failed: no verdict possible
    # Offline only: the name is outside every loaded zone file (Rcode.UNRESOLVABLE). The walk
    # goes on as if there were no record there, and says so (`TreeWalk.unresolved`): with zone
    # files for example.jp but not for jp, `_dmarc.jp` cannot be known, and failing every
    # offline check for it would make --zone useless.
    UNKNOWN = "unknown"


@frozen
class DnsFailure:
    """A query that got no usable answer; callers turn it into `<check>.lookup-failed`."""

    name: str
    rdtype: str
    rcode: Rcode


@frozen
class WalkStep:
    """One query of the walk. `texts` keeps every TXT string found at the name (joined per
    record), so a checker can point at a malformed `v=dmarc1` the walk had to discard."""

    domain: str
    outcome: StepOutcome
    rcode: Rcode
    record: DmarcRecord | None = None
    texts: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"_dmarc.{self.domain}"


@frozen
class TreeWalk:
    """The queries made for one starting domain, in order (at most MAX_QUERIES)."""

    domain: str
    steps: tuple[WalkStep, ...]

    @property
    def queries(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.steps)

    @property
    def error(self) -> DnsFailure | None:
        for s in self.steps:
            if s.outcome is StepOutcome.ERROR:
                return DnsFailure(s.name, "TXT", s.rcode)
        return None

    @property
    def unresolved(self) -> tuple[str, ...]:
        """Names the walk could not see offline and assumed to have no record."""
        return tuple(s.name for s in self.steps if s.outcome is StepOutcome.UNKNOWN)

    def step(self, domain: str) -> WalkStep | None:
        return next((s for s in self.steps if s.domain == domain), None)


def classify(domain: str, answer: DnsAnswer) -> WalkStep:
    """Turn one TXT answer into a walk step (RFC 9989 §4.10 step 2/6): keep only records that
    start with v=DMARC1; several of them are all discarded."""
    if answer.rcode is Rcode.UNRESOLVABLE:
        return WalkStep(domain, StepOutcome.UNKNOWN, answer.rcode)
    if answer.is_error:
        return WalkStep(domain, StepOutcome.ERROR, answer.rcode)
    txt = select_versioned(answer, _is_dmarc)
    if txt.found is Found.ONE:
        record = _parsed(txt.records[0])
        return WalkStep(domain, StepOutcome.RECORD, answer.rcode, record, txt.texts)
    if txt.found is Found.MULTIPLE:
        return WalkStep(domain, StepOutcome.MULTIPLE, answer.rcode, None, txt.texts)
    return WalkStep(domain, StepOutcome.NONE, answer.rcode, None, txt.texts)


async def tree_walk(dns: DnsSource, domain: str) -> TreeWalk:
    """Query `_dmarc.<target>` for each target in turn; stop at a record with psd=y or psd=n
    (§4.10 step 2/6), at the first failed query, or after the single-label name."""
    start = ".".join(labels(domain))
    steps: list[WalkStep] = []
    for target in walk_targets(domain):
        step = classify(target, await dns.query(f"_dmarc.{target}", "TXT"))
        steps.append(step)
        if step.outcome is StepOutcome.ERROR:
            break
        if step.record is not None and step.record.psd in (PsdFlag.YES, PsdFlag.NO):
            break
    return TreeWalk(start, tuple(steps))
