"""Run the domain checks over a DnsSource: one domain (`check_domain`) or a stream of them
(`iter_domain_reports`), as a pipeline of pure stages.

    names -> checks (concurrent, per domain) -> policy (ignored ids) -> score -> report

The checks come from the typed registry (`domain/registry.py`). The runner never prints: a
check that raises becomes a `CheckFailed` report carrying `core.internal-error`, and the other
checks' results still reach the user. Over many domains, at most `concurrency` are in flight,
each under its own deadline, and reports are yielded in input order as soon as each is done,
so a renderer can write the first report before the last domain is looked up and memory does
not grow with the number of domains.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from mailauth.dns.deadline import DeadlineSource
from mailauth.dns.interface import DnsSource
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.domain.names import normalize_domain, to_unicode
from mailauth.domain.policy import Policy
from mailauth.domain.registry import DOMAIN_CHECKS, CheckFunction, CheckSpec, caps
from mailauth.domain.results import CheckResult
from mailauth.findings import finding
from mailauth.model import CheckFailed, Finding, Status
from mailauth.providers import ProviderVerdict, judge_providers
from mailauth.scoring import ScoreCard, score

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DOMAIN_CHECKS",
    "CheckFunction",
    "CheckSpec",
    "DomainReport",
    "check_domain",
    "check_domains",
    "iter_domain_reports",
    "normalize_domain",
]

log = logging.getLogger(__name__)

# Domains in flight at once over one source. Each runs 7 checks that fan out into dozens of
# queries; 50 domains keep a live resolver busy without exhausting sockets or memory.
DEFAULT_CONCURRENCY = 50


@dataclass(frozen=True)
class DomainReport:
    """Everything `mailauth check` knows about one domain. `suppressed` holds the findings
    the policy removed (`Policy.ignore`): not listed, not scored, kept for the record."""

    domain: str  # A-label, what was queried
    unicode_domain: str  # the same name as people write it
    checks: Mapping[str, CheckResult]
    score: ScoreCard
    suppressed: tuple[Finding, ...] = field(default=(), compare=False)

    @property
    def target(self) -> str:
        """The domain as people write it (`render.interface.Reportable`)."""
        return self.unicode_domain

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


async def _guarded(spec: CheckSpec, ctx: CheckContext, domain: str) -> CheckResult:
    try:
        return await spec.run(ctx, domain)
    except Exception as exc:  # a bug in a check must not take the whole report down
        log.debug("check %s failed on %s", spec.name, domain, exc_info=True)
        error = f"{type(exc).__name__}: {exc}"
        return CheckFailed(
            check=spec.name,
            findings=(finding("core.internal-error", check=spec.name, error=error),),
        )


async def _run_checks(
    ctx: CheckContext, name: str, checks: Sequence[CheckSpec]
) -> dict[str, CheckResult]:
    reports = await asyncio.gather(*(_guarded(spec, ctx, name) for spec in checks))
    return {spec.name: r for spec, r in zip(checks, reports, strict=True)}


def assemble(
    name: str,
    reports: Mapping[str, CheckResult],
    policy: Policy,
    checks: Sequence[CheckSpec] = DOMAIN_CHECKS,
) -> DomainReport:
    """The pure stages after the checks: policy, then scoring."""
    kept, suppressed = policy.apply(name, reports)
    card = score((f for r in kept.values() for f in r.findings), caps(checks))
    return DomainReport(name, to_unicode(name), kept, card, suppressed)


async def _check_one(
    dns: DnsSource,
    name: str,
    options: CheckOptions,
    checks: Sequence[CheckSpec],
    policy: Policy,
    deadline: float | None,
) -> DomainReport:
    source: DnsSource = DeadlineSource(dns, deadline) if deadline is not None else dns
    reports = await _run_checks(CheckContext(source, options), name, checks)
    return assemble(name, reports, policy, checks)


async def check_domain(
    dns: DnsSource,
    domain: str,
    options: CheckOptions | None = None,
    *,
    checks: Sequence[CheckSpec] = DOMAIN_CHECKS,
    policy: Policy | None = None,
    deadline: float | None = None,
) -> DomainReport:
    """Run every check on `domain` concurrently and score the result.

    `domain` may be typed by a person (`日本語.jp`, `Example.JP.`): it is normalised first and
    `InputError` is raised when it cannot be a mail domain. `checks` lets tests and library
    users run a subset or add their own; `deadline` bounds this domain's lookups (seconds).
    """
    name = normalize_domain(domain)
    return await _check_one(
        dns, name, options or CheckOptions(), checks, policy or Policy(), deadline
    )


async def iter_domain_reports(
    dns: DnsSource,
    domains: Iterable[str],
    options: CheckOptions | None = None,
    *,
    checks: Sequence[CheckSpec] = DOMAIN_CHECKS,
    policy: Policy | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    deadline: float | None = None,
) -> AsyncIterator[DomainReport]:
    """Reports of `domains` in the order given, each yielded as soon as it and those before
    it are done, with at most `concurrency` domains in flight over the one shared source.

    Every name is validated before any query, so one typo does not waste a slow run
    (`InputError`). `deadline` is per domain (seconds from the moment its checks start).
    Closing the iterator early cancels the domains still in flight.
    """
    names = [normalize_domain(d) for d in domains]
    opts, pol = options or CheckOptions(), policy or Policy()
    width = max(1, concurrency)
    window: deque[asyncio.Task[DomainReport]] = deque()
    pending = iter(names)
    try:
        for name in pending:
            window.append(asyncio.ensure_future(_check_one(dns, name, opts, checks, pol, deadline)))
            if len(window) >= width:
                yield await window.popleft()
        while window:
            yield await window.popleft()
    finally:
        for task in window:
            task.cancel()
        if window:
            await asyncio.gather(*window, return_exceptions=True)


async def check_domains(
    dns: DnsSource,
    domains: Sequence[str],
    options: CheckOptions | None = None,
    *,
    checks: Sequence[CheckSpec] = DOMAIN_CHECKS,
    policy: Policy | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> list[DomainReport]:
    """Several domains over one source (its cache is shared), in the order given: the
    collected `iter_domain_reports`, for callers that want them all at once."""
    stream = iter_domain_reports(
        dns, domains, options, checks=checks, policy=policy, concurrency=concurrency
    )
    return [report async for report in stream]
