"""Verdict vocabularies and the result shapes every check returns.

Enums instead of bare strings so a verdict can never drift (`temperr` vs `temperror`):
the words are exactly RFC 8601's, and JSON output uses `.value`. `CheckReport` and its two
no-verdict forms are defined in check_report.py and imported from here on first use.
"""

from __future__ import annotations

from dataclasses import field
from enum import Enum
from typing import TYPE_CHECKING, Any

from mailauth.frozen import frozen

if TYPE_CHECKING:
    from mailauth.check_report import CheckFailed as CheckFailed
    from mailauth.check_report import CheckReport as CheckReport
    from mailauth.check_report import CheckSkipped as CheckSkipped


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


if not TYPE_CHECKING:  # mypy sees the imports above, and no __getattr__ hiding a typo
    _CHECK_REPORT_TYPES = frozenset({"CheckReport", "CheckFailed", "CheckSkipped"})

    def __getattr__(name: str) -> Any:
        """What a domain check returns lives in check_report.py and is imported from here
        as before (PEP 562): `mailauth verify` builds no domain check report, so its start
        does not create these classes (issue 10, start-up)."""
        if name not in _CHECK_REPORT_TYPES:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from mailauth import check_report

        value = getattr(check_report, name)
        globals()[name] = value  # later uses are a plain attribute lookup
        return value


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
