"""`domain/first_round.py` lists exactly the plain questions the checks ask before any
answer: a command sends them before the check code loads (issue 10), so a name missing here
costs that time again and a name too many is a query nobody needed.

The truth is taken from the checks themselves: `check_domain` runs over a source that holds
every answer back until the checks stop asking, and what was asked by then is the first
round (the DMARC tree walk's parents included: the runner starts them with the checks).
Minus what the list leaves to the checks on purpose: the DNSSEC checks' signed questions
(asked apart, below).
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from mailauth.dns.cache import CachingSource
from mailauth.dns.interface import DnsAnswer, DnsSource, normalize_name
from mailauth.dns.signed import SignedAnswer, signed_source
from mailauth.dns.zonefile import ZoneSource
from mailauth.domain.context import CheckOptions
from mailauth.domain.first_round import first_lookups, head_start, start_first_round
from mailauth.domain.prefetch import settle
from mailauth.domain.profile import select
from mailauth.domain.runner import check_domain

if TYPE_CHECKING:
    from mailauth.domain.first_round import StartedCheck

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "zones"
DOMAINS = sorted(p.stem for p in SAMPLES.glob("*.zone") if not p.stem.endswith(".arpa"))


class HeldBack:
    """Records every question and answers none until `release`."""

    def __init__(self, inner: DnsSource) -> None:
        self.inner = inner
        self.plain: list[tuple[str, str]] = []
        self.signed: list[tuple[str, str]] = []
        self.gate = asyncio.Event()

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        self.plain.append((name, rdtype))
        await self.gate.wait()
        return await self.inner.query(name, rdtype)

    async def query_signed(self, name: str, rdtype: str) -> SignedAnswer:
        self.signed.append((name, rdtype))
        await self.gate.wait()
        inner = signed_source(self.inner)
        assert inner is not None
        return await inner.query_signed(name, rdtype)

    async def settled(self) -> None:
        """Until nothing new is asked for a while: everyone waits for an answer."""
        seen, still = -1, 0
        while still < 20:
            await asyncio.sleep(0)
            now = len(self.plain) + len(self.signed)
            seen, still = now, still + 1 if now == seen else 0


@pytest.fixture(scope="module")
def zones() -> ZoneSource:
    return ZoneSource.from_paths(sorted(SAMPLES.glob("*.zone")))


def first_round(
    zones: ZoneSource, domain: str, options: CheckOptions, wanted: frozenset[str] | None
) -> HeldBack:
    async def run() -> HeldBack:
        held = HeldBack(zones)
        # as `mailauth check` runs them (scan/runner.py): the existence stage with any checks
        job = check_domain(
            CachingSource(held), domain, options, checks=select(wanted), existence=True
        )
        task = asyncio.ensure_future(job)
        await held.settled()
        first = HeldBack(zones)
        first.plain, first.signed = list(held.plain), list(held.signed)
        held.gate.set()
        await task
        return first

    return asyncio.run(run())


def keys(lookups: Collection[tuple[str, str]]) -> set[tuple[str, str]]:
    return {(normalize_name(n), t.upper()) for n, t in lookups}


VARIANTS = {
    "command": (CheckOptions(dkim_cut=False), None),
    "cut": (CheckOptions(), None),
    "named": (
        CheckOptions(selectors=("Mail.", "s1", "bad selector!", "x" * 300), dkim_cut=False),
        None,
    ),
    "no-probes": (CheckOptions(dkim_probes=(), bimi_selector="Brand."), None),
    "file-probes": (CheckOptions(dkim_probes=(("a", "b"), ("c",)), dkim_cut=False), None),
    "profile": (CheckOptions(dkim_cut=False), frozenset({"spf", "mx", "dkim"})),
    "bimi-only": (CheckOptions(), frozenset({"bimi"})),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("domain", DOMAINS)
def test_the_list_is_what_the_checks_ask_first(
    zones: ZoneSource, domain: str, variant: str
) -> None:
    options, wanted = VARIANTS[variant]
    seen = first_round(zones, domain, options, wanted)
    assert keys(first_lookups(domain, options, wanted)) == keys(seen.plain)


def test_a_single_check_asks_its_signed_questions_apart(zones: ZoneSource) -> None:
    """What the list leaves out on purpose is all there is besides it."""
    seen = first_round(zones, "example.jp", CheckOptions(dkim_cut=False), None)
    assert keys(seen.signed) == {("example.jp", "SOA"), ("example.jp", "DNSKEY"), ("", "DNSKEY")}


def test_early_questions_are_not_asked_again(zones: ZoneSource) -> None:
    """Started first, they are answered once: the checks read them from the run's cache or
    join them in flight, and the report is the same."""
    options = CheckOptions(dkim_cut=False)

    async def run(early: bool) -> tuple[list[tuple[str, str]], object]:
        source = CachingSource(zones)
        tasks = start_first_round(source, "broken.example", options, None) if early else []
        report = await check_domain(source, "broken.example", options)
        await asyncio.gather(*tasks)
        return source.stats.log, report

    plain_log, plain_report = asyncio.run(run(False))
    early_log, early_report = asyncio.run(run(True))
    assert len(early_log) == len(set(early_log)) == len(plain_log)
    assert set(early_log) == set(plain_log)
    assert early_report == plain_report


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("wanted", [None, frozenset({"spf", "dkim"}), frozenset({"mx"})])
def test_the_lead_chains_ask_only_what_the_checks_ask(
    zones: ZoneSource, domain: str, wanted: frozenset[str] | None
) -> None:
    """The SPF walk and the MX check started before the other checks load
    (`start_lead_chains`), and every other check started as its module loads, as
    `mailauth check DOMAIN` does: every question reaches the source once, none that the
    checks do not ask, the report is the same, and each wanted check ran once (its started
    task is the report's)."""
    options = CheckOptions(dkim_cut=False)
    checks = select(wanted)

    async def run(lead: bool) -> tuple[list[tuple[str, str]], object]:
        source = CachingSource(zones)
        tasks: list[asyncio.Task[Any]] = []
        started: dict[str, StartedCheck] = {}
        if lead:
            tasks, started = await head_start(source, domain, options, wanted, turns=8)
            expected = {s.name for s in checks if wanted is None or s.name in wanted}
            assert set(started) == expected
        report = await check_domain(
            source, domain, options, checks=checks, existence=True, started=started
        )
        await settle(tasks)
        for name, (_, task) in started.items():
            assert task.done() and not task.cancelled()
            assert report.checks[name] == task.result()
        return source.stats.log, replace(report, checked_at=None)

    plain_log, plain_report = asyncio.run(run(False))
    lead_log, lead_report = asyncio.run(run(True))
    assert len(lead_log) == len(set(lead_log))
    assert set(lead_log) == set(plain_log)
    assert lead_report == plain_report


def test_load_checks_loads_every_check_of_the_registry() -> None:
    """`load_checks` imports the check code module by module (between turns of the loop):
    every check's module is among them or the lead chains', so nothing is left for one
    import in a go, and every name it lists exists."""
    from mailauth.domain.first_round import CHECK_MODULES
    from mailauth.domain.registry import DOMAIN_CHECKS

    lead = {"mailauth.domain.mx", "mailauth.domain.spf_tree"}
    for spec in DOMAIN_CHECKS:
        assert spec.run.__module__ in {*CHECK_MODULES, *lead}, spec.name
    for name in CHECK_MODULES:
        __import__(name)


def test_every_check_of_the_registry_is_started_by_its_own_coroutine() -> None:
    """`CHECK_RUNS` names, for each check of the registry, the module and coroutine the
    registry runs: the runner takes a started check only when it is that very function."""
    import sys

    from mailauth.domain.first_round import CHECK_RUNS
    from mailauth.domain.registry import DOMAIN_CHECKS

    assert set(CHECK_RUNS) == {spec.name for spec in DOMAIN_CHECKS}
    for spec in DOMAIN_CHECKS:
        module, attribute = CHECK_RUNS[spec.name]
        __import__(module)
        assert getattr(sys.modules[module], attribute) is spec.run, spec.name
