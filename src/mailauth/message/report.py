"""`MessageReport`: everything `mailauth verify` found out about one message.

Typed fields for the renderers and library users; the JSON projection (issue 3's shape:
`dkim[]`, `spf`, `dmarc`, `arc`, `authentication_results`...) is `render/message_json.py`.
"""

from __future__ import annotations

from dataclasses import field

from mailauth.dns.reverse import ReverseDns
from mailauth.frozen import frozen
from mailauth.message.arc import ArcOutcome
from mailauth.message.authresults import AuthResults, Difference
from mailauth.message.dkim import DkimSignature
from mailauth.message.dmarc import DmarcOutcome
from mailauth.message.received import Hop
from mailauth.message.spf import SpfOutcome
from mailauth.model import Finding, Result
from mailauth.scoring import ScoreCard


@frozen
class MessageReport:
    """Everything `verify` found about one message: each protocol's verdict, the findings
    and their score, and the Authentication-Results field it would add."""

    file: str
    subject: str | None
    dkim: tuple[DkimSignature, ...]
    dkim_total: int
    spf: SpfOutcome
    dmarc: DmarcOutcome
    arc: ArcOutcome
    authentication_results: str
    score: ScoreCard
    findings: tuple[Finding, ...] = ()
    receiving_hop: Hop | None = None
    fcrdns: ReverseDns | None = None  # of the connecting IP, when known
    earlier_results: tuple[AuthResults, ...] = ()
    differences: tuple[Difference, ...] = ()
    from_header: str | None = None  # the From field decoded for display (issue 14)
    # Findings `--ignore` removed (message/policy.py): not listed, not scored, kept.
    suppressed: tuple[Finding, ...] = field(default=(), compare=False)

    @property
    def target(self) -> str:
        """The file the message came from (`render.interface.Reportable`)."""
        return self.file

    @property
    def from_domain(self) -> str | None:
        return self.dmarc.from_domain

    @property
    def no_verdict(self) -> bool:
        """DMARC could not be decided because a lookup failed (CLI exit 3)."""
        return self.dmarc.result is Result.TEMPERROR

    def dkim_aligned(self, sig: DkimSignature) -> bool:
        return sig.result is Result.PASS and sig.domain in self.dmarc.dkim_aligned

    def dkim_alignment(self, sig: DkimSignature) -> bool | None:
        """Whether the signature passed aligned with From: None when it passed and whether
        it aligns is not known (a lookup it depends on failed). With several author domains:
        aligned with any of them."""
        if sig.result is not Result.PASS:
            return False
        return _any([a.dkim_alignment(sig.domain) for a in self.dmarc.author_outcomes])

    @property
    def spf_alignment(self) -> bool | None:
        """Whether SPF passed aligned with From (with any author domain, when several);
        None when that is not known."""
        return _any([a.spf_alignment for a in self.dmarc.author_outcomes])


def _any(states: list[bool | None]) -> bool | None:
    """True if any is True, else None if any is not known, else False."""
    if True in states:
        return True
    return None if None in states else False
