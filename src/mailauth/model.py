"""Verdict vocabularies and the result shapes every check returns.

Enums instead of bare strings so a verdict can never drift (`temperr` vs `temperror`):
the words are exactly RFC 8601's, and JSON output uses `.value`.
"""

from __future__ import annotations

from dataclasses import field
from enum import Enum
from typing import Any

from mailauth.frozen import frozen


class Severity(str, Enum):
    """How much a finding hurts delivery. Ordered: CRITICAL is worst."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for CRITICAL .. 4 for INFO, so `sorted(key=rank)` puts the worst first."""
        return _SEVERITY_ORDER.index(self)

    def at_least(self, other: Severity) -> bool:
        """True when this severity is as bad as `other` or worse (`--fail-on`)."""
        return self.rank <= other.rank


_SEVERITY_ORDER = list(Severity)


class Result(str, Enum):
    """Authentication results, RFC 8601 §2.7 words exactly."""

    PASS = "pass"
    FAIL = "fail"
    SOFTFAIL = "softfail"
    NEUTRAL = "neutral"
    NONE = "none"
    TEMPERROR = "temperror"
    PERMERROR = "permerror"
    POLICY = "policy"


class Status(str, Enum):
    """The one-word summary of a domain check, for tables and `--format json`."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    NONE = "none"
    ERROR = "error"
    # Not run: the user left the check out (`mailauth check --checks`). No verdict, no
    # findings; the report is then incomplete (its score an upper bound).
    SKIPPED = "skipped"


@frozen
class Finding:
    """One thing wrong (or worth knowing), identified by a stable catalogue id.

    The human text (title, detail, consequence, advice) is not stored here: it is rendered
    from the catalogue with `params`, so the same finding can be shown in English or Japanese.
    `fix_record` is language-free: the exact DNS record (or header) to publish, when computable.
    """

    id: str
    severity: Severity
    params: dict[str, Any] = field(default_factory=dict)
    fix_record: str | None = None

    @property
    def check(self) -> str:
        """The group the finding is scored and reported under: its catalogue section."""
        from mailauth.findings.catalogue import check_of

        return check_of(self.id)

    def text(self, lang: str = "en") -> FindingText:
        from mailauth.findings.catalogue import describe

        return describe(self, lang)

    @property
    def title(self) -> str:
        return self.text().title

    @property
    def detail(self) -> str:
        return self.text().detail

    @property
    def consequence(self) -> str:
        return self.text().consequence

    @property
    def fix(self) -> str:
        """Advice in words, followed by the exact record when one could be computed."""
        return self.text().fix


@frozen
class Phrase:
    """A finding parameter that is itself words: a UI-catalogue key and its values, rendered
    in the report's language when the finding is (an SPF problem, an ARC reason). Passing
    English text as a parameter would leave it untranslated in a Japanese report."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


@frozen
class FindingText:
    """A finding rendered into one language."""

    title: str
    detail: str
    consequence: str
    fix: str


@frozen(kw_only=True)
class CheckReport:
    """What one domain check returns. Subclasses add their typed data fields.

    Renderers take the closed union of the subclasses (`mailauth.domain.results.CheckResult`)
    and match on it exhaustively: a new check gets its JSON projection and text view in
    `render/`, and mypy fails until it has both.
    """

    check: str
    status: Status
    findings: tuple[Finding, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether the check saw everything it needed. False when it gave no verdict (ERROR)
        or reports a finding that says part of it could not be evaluated (catalogue
        `scored=False`); a check that can be partial in other ways (an SPF include that could
        not be fetched) says so by overriding this. An incomplete check's findings may miss
        some, so a score built on them is only an upper bound."""
        from mailauth.findings.catalogue import is_scored

        return self.status is not Status.ERROR and all(is_scored(f.id) for f in self.findings)

    @property
    def ran(self) -> bool:
        """Whether the check looked at anything. False for an opt-in check the user did not
        ask for (`--smtp`): its NONE status is no verdict on the domain."""
        return True


@frozen(kw_only=True)
class CheckFailed(CheckReport):
    """A check that raised instead of returning its report: no data, status ERROR, and the
    `core.internal-error` finding. The other checks' reports still reach the user."""

    status: Status = Status.ERROR


@frozen(kw_only=True)
class CheckSkipped(CheckReport):
    """A check the user left out (`mailauth check --checks spf,dmarc,mx`): no data, no
    findings, status SKIPPED. It keeps its JSON key (the schema requires every check) and
    looked at nothing, so it says nothing about the domain: `ran` is False (like `smtp`
    without `--smtp`) and it is not `complete`, so the report's score is an upper bound and
    its grade provisional instead of silently counting the check as clean."""

    status: Status = Status.SKIPPED

    @property
    def complete(self) -> bool:
        return False

    @property
    def ran(self) -> bool:
        return False


def worst(findings: tuple[Finding, ...] | list[Finding]) -> Severity | None:
    """The worst severity among findings, or None when there are none."""
    return min((f.severity for f in findings), key=lambda s: s.rank, default=None)


def status_from_findings(findings: tuple[Finding, ...] | list[Finding]) -> Status:
    """Default status rule for a check whose record exists and could be evaluated:
    any critical/high finding fails it, medium/low warn, info only passes."""
    w = worst(findings)
    if w in (Severity.CRITICAL, Severity.HIGH):
        return Status.FAIL
    if w in (Severity.MEDIUM, Severity.LOW):
        return Status.WARN
    return Status.PASS
