"""Run the domain checks over a DnsSource: one domain (`check_domain`) or a stream of them
(`iter_domain_reports`), as a pipeline of pure stages.

    names -> checks + existence (concurrent, per domain) -> combined results of two checks
          (domain/smtp_mta_sts.py) -> policy (ignored ids)
          -> existence (a name that does not exist overrules the checks) -> score -> report

The checks come from the typed registry (`domain/registry.py`); the existence stage
(`domain/existence.py`) runs beside them and is not one of them. The runner never prints: a
check that raises becomes a `CheckFailed` report carrying `core.internal-error`, and the other
checks' results still reach the user. Over many domains, at most `concurrency` are in flight,
each under its own deadline, and reports are yielded in input order as soon as each is done,
so a renderer can write the first report before the last domain is looked up and memory does
not grow with the number of domains. Each domain has at most `PER_DOMAIN_QUERIES` queries in
flight (`dns/bounded.py`) when several share the run; the live source caps the whole run's.
A domain checked alone is not capped, and lookups a check would ask only after another
answer but that are known early (the DMARC tree walk's parents, `domain/prefetch.py`; the
PTR of an MX host's volunteered address, `CheckContext.eager`) start at once, so it costs as
many round trips as its longest real chain of lookups and no more (issue 10).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Iterable, Mapping, Sequence
from dataclasses import field, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from mailauth.dns.bounded import BoundedSource
from mailauth.dns.deadline import DeadlineSource
from mailauth.dns.interface import DnsSource
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.domain.existence import SECTION as EXISTENCE_SECTION
from mailauth.domain.existence import ExistenceReport, check_existence
from mailauth.domain.gc_budget import bulk_gc
from mailauth.domain.names import normalize_domain, to_unicode
from mailauth.domain.policy import Policy
from mailauth.domain.prefetch import settle, start_prefetch
from mailauth.domain.registry import (
    DOMAIN_CHECKS,
    STAGE_CAPS,
    CheckFunction,
    CheckSpec,
    caps,
)
from mailauth.domain.results import CheckResult
from mailauth.domain.smtp_mta_sts import combine as combine_smtp_mta_sts
from mailauth.fetch.interface import Fetcher
from mailauth.findings import finding
from mailauth.frozen import frozen
from mailauth.model import CheckFailed, Finding, Status
from mailauth.providers import ProviderVerdict, judge_providers
from mailauth.scoring import ScoreCard, score

if TYPE_CHECKING:
    from mailauth.domain.first_round import StartedCheck

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


@frozen
class DomainReport:
    """Everything `mailauth check` knows about one domain. `suppressed` holds the findings
    the policy removed (`Policy.ignore`): not listed, not scored, kept for the record.

    `existence` is the existence stage's verdict (None when it did not run). When it says the
    domain does not exist (`domain.nxdomain`), the checks' findings are moved to `subsumed`:
    every "missing" finding would propose records at a name that cannot hold any. The
    checks' data and statuses stay as they were looked up."""

    domain: str  # A-label, what was queried
    unicode_domain: str  # the same name as people write it
    checks: Mapping[str, CheckResult]
    score: ScoreCard
    suppressed: tuple[Finding, ...] = field(default=(), compare=False)
    existence: ExistenceReport | None = None
    subsumed: tuple[Finding, ...] = field(default=(), compare=False)
    # Unmet `[expect]` keys of the configuration (domain/expect.py): unscored, listed last
    # among equals, and they fail the run (issue 13).
    expectations: tuple[Finding, ...] = field(default=(), compare=False)
    # When the checks finished (UTC): `mailauth stats` keeps the newest report of a domain
    # scanned twice (issue 13). None for a report assembled by hand.
    checked_at: datetime | None = field(default=None, compare=False)

    @property
    def target(self) -> str:
        """The domain as people write it (`render.interface.Reportable`)."""
        return self.unicode_domain

    @property
    def exists(self) -> bool | None:
        """Whether the domain exists in DNS: None when unknown (a lookup failed, not
        resolvable offline, or the existence stage did not run)."""
        return self.existence.exists if self.existence is not None else None

    @property
    def nonexistent(self) -> bool:
        """The domain does not exist and that verdict stands (`domain.nxdomain` was not
        suppressed): it overrules everything the checks found."""
        return self.existence is not None and bool(self.existence.findings)

    @property
    def providers(self) -> tuple[ProviderVerdict, ...]:
        """Gmail, Yahoo and Outlook.com sender rules, judged from the checks and the existence
        stage (derived, pure); without that stage the checks alone decide."""
        exists = self.exists if self.existence is not None else True
        return judge_providers(self.checks, exists=exists)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """All findings, worst first; ties keep check order, then the check's own order."""
        return tuple(f for _, f in self.located_findings())

    def located_findings(self) -> list[tuple[str, Finding]]:
        """(check name, finding) pairs, worst first: the check a finding was reported by
        (`domain` for the existence stage's, which come first among equals)."""
        stage = self.existence.findings if self.existence is not None else ()
        pairs = [(EXISTENCE_SECTION, f) for f in stage]
        pairs += [(name, f) for name, report in self.checks.items() for f in report.findings]
        pairs += [("expect", f) for f in self.expectations]
        return sorted(pairs, key=lambda pair: pair[1].severity.rank)

    @property
    def errors(self) -> tuple[str, ...]:
        """Checks that gave no verdict (lookups failed, or an internal error). Empty when the
        domain does not exist: that is the verdict, whatever a check could not look up."""
        if self.nonexistent:
            return ()
        return tuple(name for name, r in self.checks.items() if r.status is Status.ERROR)

    @property
    def partial(self) -> tuple[str, ...]:
        """Checks that gave a verdict on part of what they needed (some lookups failed or
        are not resolvable offline): what they did not see could only add findings."""
        if self.nonexistent:
            return ()
        return tuple(
            name
            for name, r in self.checks.items()
            if r.status is not Status.ERROR and r.ran and not r.complete
        )

    @property
    def skipped(self) -> tuple[str, ...]:
        """Checks left out by the user (`mailauth check --checks`): no verdict, so the
        report is incomplete (score an upper bound, grade provisional)."""
        return tuple(name for name, r in self.checks.items() if r.status is Status.SKIPPED)

    @property
    def complete(self) -> bool:
        """Every check saw everything it needed. When not, the score covers what was seen:
        it is an upper bound (unseen findings could only deduct) and the grade provisional.
        A domain that does not exist is complete: no lookup could change its verdict."""
        if self.nonexistent:
            return True
        return self.score.complete and all(r.complete for r in self.checks.values())

    @property
    def scored(self) -> bool:
        """False when no check gave a verdict: a score of 100 would then describe nothing
        (an unreachable nameserver is not a perfect domain). A check the user did not ask
        for (`--smtp`, `CheckReport.ran`) gives no verdict either way."""
        ran = [name for name, r in self.checks.items() if r.ran]
        return len(self.errors) < len(ran)


async def _guarded(
    spec: CheckSpec,
    ctx: CheckContext,
    domain: str,
    started: Awaitable[CheckResult] | None = None,
) -> CheckResult:
    """The check's result; `started`: the same check already running (`_started`)."""
    try:
        return await (started if started is not None else spec.run(ctx, domain))
    except Exception as exc:  # a bug in a check must not take the whole report down
        log.debug("check %s failed on %s", spec.name, domain, exc_info=True)
        # The exception's name only: its message is the program's English, whatever the
        # report's language; --debug shows the traceback for a bug report (issue 14).
        error = type(exc).__name__
        return CheckFailed(
            check=spec.name,
            findings=(finding("core.internal-error", check=spec.name, error=error),),
        )


def _started(
    spec: CheckSpec, started: Mapping[str, StartedCheck] | None
) -> asyncio.Task[CheckResult] | None:
    """The task of this very check started before the runner (domain/first_round.py
    `head_start`, with the context `_check_one` gives a domain checked alone): only when it
    runs the spec's own coroutine function (not a stand-in: a check left out by --checks)."""
    found = started.get(spec.name) if started else None
    return found[1] if found is not None and found[0] is spec.run else None


async def _run_checks(
    ctx: CheckContext,
    name: str,
    checks: Sequence[CheckSpec],
    started: Mapping[str, StartedCheck] | None = None,
) -> dict[str, CheckResult]:
    reports = await asyncio.gather(
        *(_guarded(spec, ctx, name, _started(spec, started)) for spec in checks)
    )
    # Post-check stage: results that need two checks' reports (the SMTP probe against the
    # MTA-STS policy), computed from the reports alone, never by fetching again.
    return combine_smtp_mta_sts({spec.name: r for spec, r in zip(checks, reports, strict=True)})


async def _existence(dns: DnsSource, name: str) -> ExistenceReport:
    try:
        return await check_existence(dns, name)
    except Exception:  # like a crashing check: the checks' results still reach the user
        log.debug("existence stage failed on %s", name, exc_info=True)
        return ExistenceReport(status=Status.ERROR)


def assemble(
    name: str,
    reports: Mapping[str, CheckResult],
    policy: Policy,
    checks: Sequence[CheckSpec] = DOMAIN_CHECKS,
    existence: ExistenceReport | None = None,
) -> DomainReport:
    """The pure stages after the checks: policy, the existence verdict, then scoring."""
    kept, suppressed = policy.apply(name, reports)
    subsumed: tuple[Finding, ...] = ()
    stage: tuple[Finding, ...] = ()
    if existence is not None:
        kept_stage, dropped = policy.apply(name, {EXISTENCE_SECTION: existence})
        existence, suppressed = kept_stage[EXISTENCE_SECTION], (*suppressed, *dropped)
        stage = existence.findings
        if stage:  # the domain does not exist: nothing the checks found applies to it
            kept, subsumed = _set_aside(kept)
    findings = (*stage, *(f for r in kept.values() for f in r.findings))
    card = score(findings, {**caps(checks), **STAGE_CAPS})
    return DomainReport(
        name, to_unicode(name), kept, card, suppressed, existence=existence, subsumed=subsumed
    )


def _set_aside(
    reports: Mapping[str, CheckResult],
) -> tuple[dict[str, CheckResult], tuple[Finding, ...]]:
    """The reports without their findings, and the findings."""
    moved = tuple(f for r in reports.values() for f in r.findings)
    return {name: replace(r, findings=()) for name, r in reports.items()}, moved


def _wants_existence(checks: Sequence[CheckSpec], existence: bool | None) -> bool:
    """The existence stage runs with the registry's checks, and with other checks only when
    asked: a caller running checks of its own gets exactly what they find."""
    return existence if existence is not None else checks is DOMAIN_CHECKS


async def _check_one(
    dns: DnsSource,
    name: str,
    options: CheckOptions,
    checks: Sequence[CheckSpec],
    policy: Policy,
    deadline: float | None,
    existence: bool = True,
    fetcher: Fetcher | None = None,
    bounded: bool = True,
    started: Mapping[str, StartedCheck] | None = None,
) -> DomainReport:
    """One domain's checks and existence stage. `bounded`: one of many domains sharing the
    run. Its queries in flight are capped (`dns/bounded.py`) so that it shares the run's cap
    with the others, and nothing is started before its turn (`domain/prefetch.py`,
    `CheckContext.eager`): the run is bound by CPU, not latency. A domain checked alone has
    nobody to share with: every independent lookup leaves at once (a cap of 32 pushed a
    single check's 33rd query into the next round trip), and lookups known early start
    early."""
    source: DnsSource = DeadlineSource(dns, deadline) if deadline is not None else dns
    if bounded:
        source = BoundedSource(source)  # this domain's share of the queries in flight
    # Lookups started before their turn save round trips, which is what a domain checked
    # alone waits for; many domains at once are bound by CPU, where they only cost tasks.
    prefetch = [] if bounded else start_prefetch(source, name, checks)
    try:
        ctx = CheckContext(source, options, fetcher=fetcher, eager=not bounded)
        run = _run_checks(ctx, name, checks, None if bounded else started)
        if not existence:
            report = assemble(name, await run, policy, checks)
        else:
            reports, stage = await asyncio.gather(run, _existence(source, name))
            report = assemble(name, reports, policy, checks, stage)
    finally:
        await settle(prefetch)
    return replace(report, checked_at=datetime.now(timezone.utc).replace(microsecond=0))


async def check_domain(
    dns: DnsSource,
    domain: str,
    options: CheckOptions | None = None,
    *,
    checks: Sequence[CheckSpec] = DOMAIN_CHECKS,
    policy: Policy | None = None,
    deadline: float | None = None,
    existence: bool | None = None,
    fetcher: Fetcher | None = None,
    bounded: bool = False,
    started: Mapping[str, StartedCheck] | None = None,
) -> DomainReport:
    """Run every check on `domain` concurrently and score the result.

    `domain` may be typed by a person (`日本語.jp`, `Example.JP.`): it is normalised first and
    `InputError` is raised when it cannot be a mail domain. `checks` lets tests and library
    users run a subset or add their own; `deadline` bounds this domain's lookups (seconds).
    `existence`: run the existence stage (default: with the registry's checks only).
    `fetcher` answers the checks' https fetches (`CheckContext.fetcher`; None: nothing is
    fetched and the report says so). `bounded`: for a caller running many domains at once
    over one source: cap this domain's queries in flight (`PER_DOMAIN_QUERIES`) and start
    nothing early (see `_check_one`); alone (the default), every lookup leaves as soon as it
    is known, and `started` (domain/first_round.py `head_start`) gives checks of this domain
    already running with this call's context: they are awaited, not run again.
    """
    name = normalize_domain(domain)
    wanted = _wants_existence(checks, existence)
    opts, pol = options or CheckOptions(), policy or Policy()
    return await _check_one(
        dns, name, opts, checks, pol, deadline, wanted, fetcher, bounded, started
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
    existence: bool | None = None,
    fetcher: Fetcher | None = None,
) -> AsyncIterator[DomainReport]:
    """Reports of `domains` in the order given, each yielded as soon as it and those before
    it are done, with at most `concurrency` domains in flight over the one shared source.

    Every name is validated before any query, so one typo does not waste a slow run
    (`InputError`). `deadline` is per domain (seconds from the moment its checks start).
    Closing the iterator early cancels the domains still in flight. `existence` and
    `fetcher` as for `check_domain`.
    """
    names = [normalize_domain(d) for d in domains]
    opts, pol = options or CheckOptions(), policy or Policy()
    wanted = _wants_existence(checks, existence)
    width = max(1, concurrency)
    bounded = len(names) > 1  # one domain shares the run with nobody (`_check_one`)
    window: deque[asyncio.Task[DomainReport]] = deque()
    pending = iter(names)
    with bulk_gc():  # issue 10: a quarter of a bulk run's CPU was cyclic GC
        try:
            for name in pending:
                window.append(
                    asyncio.ensure_future(
                        _check_one(dns, name, opts, checks, pol, deadline, wanted, fetcher, bounded)
                    )
                )
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
    existence: bool | None = None,
    fetcher: Fetcher | None = None,
) -> list[DomainReport]:
    """Several domains over one source (its cache is shared), in the order given: the
    collected `iter_domain_reports`, for callers that want them all at once."""
    stream = iter_domain_reports(
        dns,
        domains,
        options,
        checks=checks,
        policy=policy,
        concurrency=concurrency,
        existence=existence,
        fetcher=fetcher,
    )
    return [report async for report in stream]
