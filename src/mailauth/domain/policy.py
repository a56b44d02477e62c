"""The policy stage between the checks and scoring: what the user told us to leave out.

Pure, like scoring. `mailauth check --ignore ID[@DOMAIN]` and the config file (issue 13) fill
a `Policy`; baselines and expectations join here later. It runs after the checks and before
the score, so a suppressed finding neither deducts points nor appears in the list of what to
fix, yet is kept on the report (`DomainReport.suppressed`) so nothing is silently lost. A
check's status is its own verdict and is not changed by a suppression.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TypeVar

from mailauth.domain.names import normalize_domain
from mailauth.frozen import frozen
from mailauth.model import CheckReport, Finding

R = TypeVar("R", bound=CheckReport)


@frozen
class Suppression:
    """One ignored finding id, everywhere (`domain` None) or for one domain (an A-label)."""

    finding_id: str
    domain: str | None = None

    @classmethod
    def parse(cls, text: str) -> Suppression:
        """`spf.neutral-all` or `mta_sts.missing@example.com` (the form users write); the
        domain is normalised like a command-line domain (`InputError` when it is not one)."""
        fid, _, domain = text.strip().partition("@")
        return cls(fid.strip(), normalize_domain(domain) if domain.strip() else None)

    def matches(self, domain: str, f: Finding) -> bool:
        return f.id == self.finding_id and self.domain in (None, domain)


@frozen
class Policy:
    ignore: tuple[Suppression, ...] = ()

    def apply(
        self, domain: str, reports: Mapping[str, R]
    ) -> tuple[dict[str, R], tuple[Finding, ...]]:
        """The reports without the ignored findings, and the findings that were removed."""
        if not self.ignore:
            return dict(reports), ()
        kept: dict[str, R] = {}
        removed: list[Finding] = []
        for name, report in reports.items():
            keep: list[Finding] = []
            for f in report.findings:
                (removed if self._ignored(domain, f) else keep).append(f)
            changed = len(keep) != len(report.findings)
            kept[name] = replace(report, findings=tuple(keep)) if changed else report
        return kept, tuple(removed)

    def _ignored(self, domain: str, f: Finding) -> bool:
        return any(s.matches(domain, f) for s in self.ignore)

    def ignores(self, domain: str, f: Finding) -> bool:
        """Whether `f` of `domain` is suppressed (for stages after `apply`: expectations)."""
        return self._ignored(domain, f)
