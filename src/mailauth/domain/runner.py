"""Run every domain check over one DnsSource, concurrently, and collect a scored report.

The registry `DOMAIN_CHECKS` is the one place that lists the checks: adding one (DNSSEC) is
one line. Checks are imported lazily, so `mailauth --help` stays fast and a library user who
imports `mailauth` pays nothing until a check runs. The runner never prints: a check that
raises is turned into an ERROR report carrying `core.internal-error`, and the other checks'
results still reach the user.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from mailauth.dns.interface import DnsSource
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.domain.names import normalize_domain, to_unicode
from mailauth.findings import finding
from mailauth.model import CheckFailed, Finding, Status
from mailauth.providers import ProviderVerdict, judge_providers
from mailauth.scoring import ScoreCard, score

if TYPE_CHECKING:  # the checks themselves are imported when they first run
    from mailauth.domain.results import CheckResult

__all__ = [
    "DOMAIN_CHECKS",
    "CheckFunction",
    "DomainReport",
    "check_domain",
    "check_domains",
    "normalize_domain",
]

log = logging.getLogger(__name__)

CheckFunction = Callable[[CheckContext, str], Awaitable["CheckResult"]]


def _lazy(name: str) -> CheckFunction:
    """`mailauth.domain.<name>.check_<name>`, imported on first call."""

    async def run(ctx: CheckContext, domain: str) -> CheckResult:
        module = importlib.import_module(f"mailauth.domain.{name}")
        check = cast(CheckFunction, getattr(module, f"check_{name}"))
        return await check(ctx, domain)

    run.__name__ = run.__qualname__ = f"check_{name}"
    return run


# Report order = this order (text sections, JSON keys). Names are the JSON keys.
DOMAIN_CHECKS: tuple[tuple[str, CheckFunction], ...] = (
    ("spf", _lazy("spf")),
    ("dmarc", _lazy("dmarc")),
    ("dkim", _lazy("dkim")),
    ("bimi", _lazy("bimi")),
    ("mx", _lazy("mx")),
    ("mta_sts", _lazy("mta_sts")),
    ("tls_rpt", _lazy("tls_rpt")),
)


@dataclass(frozen=True)
class DomainReport:
    """Everything `mailauth check` knows about one domain."""

    domain: str  # A-label, what was queried
    unicode_domain: str  # the same name as people write it
    checks: Mapping[str, CheckResult]
    score: ScoreCard

    @property
    def providers(self) -> tuple[ProviderVerdict, ...]:
        """Gmail, Yahoo and Outlook.com sender rules, judged from the checks (derived, pure)."""
        return judge_providers(self.checks)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """All findings, worst first; ties keep check order, then the check's own order."""
        return tuple(f for _, f in self.located_findings())

    def located_findings(self) -> list[tuple[str, Finding]]:
        """(check name, finding) pairs, worst first: the check a finding was reported by."""
        pairs = [(name, f) for name, report in self.checks.items() for f in report.findings]
        return sorted(pairs, key=lambda pair: pair[1].severity.rank)

    @property
    def errors(self) -> tuple[str, ...]:
        """Checks that gave no verdict (lookups failed, or an internal error)."""
        return tuple(name for name, r in self.checks.items() if r.status is Status.ERROR)

    @property
    def scored(self) -> bool:
        """False when no check gave a verdict: a score of 100 would then describe nothing
        (an unreachable nameserver is not a perfect domain)."""
        return len(self.errors) < len(self.checks)


async def _guarded(name: str, check: CheckFunction, ctx: CheckContext, domain: str) -> CheckResult:
    try:
        return await check(ctx, domain)
    except Exception as exc:  # a bug in a check must not take the whole report down
        log.debug("check %s failed on %s", name, domain, exc_info=True)
        error = f"{type(exc).__name__}: {exc}"
        return CheckFailed(
            check=name,
            status=Status.ERROR,
            findings=(finding("core.internal-error", check=name, error=error),),
        )


async def check_domain(
    dns: DnsSource,
    domain: str,
    options: CheckOptions | None = None,
    *,
    checks: Sequence[tuple[str, CheckFunction]] = DOMAIN_CHECKS,
) -> DomainReport:
    """Run every check on `domain` concurrently and score the result.

    `domain` may be typed by a person (`日本語.jp`, `Example.JP.`): it is normalised first and
    `InputError` is raised when it cannot be a mail domain. `checks` lets tests and library
    users run a subset or add their own.
    """
    name = normalize_domain(domain)
    ctx = CheckContext(dns, options or CheckOptions())
    reports = await asyncio.gather(*(_guarded(n, c, ctx, name) for n, c in checks))
    by_name = {n: r for (n, _), r in zip(checks, reports, strict=True)}
    card = score(f for r in reports for f in r.findings)
    return DomainReport(name, to_unicode(name), by_name, card)


async def check_domains(
    dns: DnsSource,
    domains: Sequence[str],
    options: CheckOptions | None = None,
    *,
    checks: Sequence[tuple[str, CheckFunction]] = DOMAIN_CHECKS,
) -> list[DomainReport]:
    """Several domains over one source (its cache is shared), in the order given.

    Every name is validated before any query, so one typo does not waste a slow run.
    """
    names = [normalize_domain(d) for d in domains]
    return list(
        await asyncio.gather(*(check_domain(dns, n, options, checks=checks) for n in names))
    )
