"""The lookups every check of one domain asks before any answer, sent while the checks load.

A `mailauth check DOMAIN` command spends ~100 ms of CPU importing the checks (their report
types, parsers and the finding catalogue) after its DNS client is ready, and then waits one
round trip for the first answers (issue 10: at 50 ms RTT, each round is 50 ms of the wait).
Those first questions need none of that code: they are known from the domain name and the
options alone. So the command starts them here, into the run's cache, before it imports the
checks; the checks, once loaded, ask in their own order and find each answer in the cache
or join the query in flight; `head_start` then starts each check as soon as its code is
loaded, and the runner awaits those tasks. Their results cannot change (the same questions
to the same source), and no question is added: tests/unit/runner/test_first_round.py holds
this list to what the checks ask first, on every sample domain.

The DMARC tree walk's parents are among them (the names `CheckSpec.prefetch` starts with
the checks, `dns/walk_names.walk_targets`). Left to the checks themselves: the DNSSEC checks'
signed questions (kept out while the run's cache did not merge those in flight; it does
now, so they could be sent early too: not measured yet). This module must stay light: it
imports no check (tests/unit/cli/test_cli_startup.py checks that the first question leaves
before `mailauth.domain.registry` loads), nor asyncio: the process entry point plans the
same round with `first_lookups` before anything else loads and sends it at once
(cli/check_early.py, dns/early.py); the tasks here then take those queries over.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

from mailauth.dns.walk_names import walk_targets
from mailauth.domain.dkim_selectors import (
    COMMON_SELECTOR_GROUPS,
    first_asked,
    named_selectors,
    probe_groups,
)

if TYPE_CHECKING:  # `first_lookups` serves cli/check_early.py too, before asyncio loads
    import asyncio

    from mailauth.dns.interface import DnsAnswer, DnsSource
    from mailauth.domain.context import CheckOptions
    from mailauth.domain.registry import CheckFunction
    from mailauth.domain.results import CheckResult
    from mailauth.fetch.interface import Fetcher

    # A check started early: the coroutine function it runs and its task.
    StartedCheck = tuple[CheckFunction, asyncio.Task[CheckResult]]


def first_lookups(
    domain: str, options: CheckOptions, wanted: Collection[str] | None = None
) -> list[tuple[str, str]]:
    """(name, type) of each plain question the checks `wanted` (None: all of them) and the
    existence stage ask of `domain` (an A-label) before any answer, each once."""

    def on(check: str) -> bool:
        return wanted is None or check in wanted

    out = [(domain, "TXT"), (domain, "MX")]  # the existence stage (domain/existence.py)
    if on("spf"):
        out += [(domain, "TXT"), (domain, "SPF")]
    if on("dmarc"):  # the tree walk, parents included (the DMARC check's prefetch)
        out += [(f"_dmarc.{target}", "TXT") for target in walk_targets(domain)]
    if on("bimi"):  # its DMARC gate walks the same tree, the parents in turn (domain/bimi.py)
        out.append((f"_dmarc.{domain}", "TXT"))
    if on("dkim"):
        out += _dkim_first(domain, options)
    if on("bimi"):
        selector = options.bimi_selector.strip().rstrip(".").lower() or "default"
        out.append((f"{selector}._bimi.{domain}", "TXT"))
    if on("mta_sts"):
        out.append((f"_mta-sts.{domain}", "TXT"))
    if on("tls_rpt"):
        out.append((f"_smtp._tls.{domain}", "TXT"))
    if on("ns"):
        out.append((domain, "NS"))
    return list(dict.fromkeys(out))


def _dkim_first(domain: str, options: CheckOptions) -> list[tuple[str, str]]:
    """The DKIM check's first questions (domain/dkim.py `_probe`): the named selectors and
    the probe groups' leaders, or with the NXDOMAIN cut `_domainkey.<domain>` and the
    canaries."""
    named, _ = named_selectors(options.selectors_for(domain))
    groups = COMMON_SELECTOR_GROUPS if options.dkim_probes is None else options.dkim_probes
    leaders, _ = probe_groups(named, groups)
    asked = first_asked(named, leaders, options.dkim_cut) if leaders else named
    cut = [f"_domainkey.{domain}"] if leaders and options.dkim_cut else []
    return [(name, "TXT") for name in (*cut, *(f"{s}._domainkey.{domain}" for s in asked))]


def start_first_round(
    source: DnsSource, domain: str, options: CheckOptions, wanted: Collection[str] | None
) -> list[asyncio.Task[DnsAnswer]]:
    """One task per first lookup, started now (they leave at the loop's next turn). The
    caller settles them once the checks are done (`domain.prefetch.settle`)."""
    from mailauth.domain.prefetch import start_lookups

    return start_lookups(source, first_lookups(domain, options, wanted))


# Each check of the registry (domain/registry.py `DOMAIN_CHECKS`), by the module that holds
# its coroutine (a test holds the two to each other): `head_start` starts it as soon as that
# module is loaded. The MX check's module is loaded first, as a lead chain.
CHECK_RUNS: dict[str, tuple[str, str]] = {
    "mx": ("mailauth.domain.mx", "check_mx"),
    "dkim": ("mailauth.domain.dkim", "check_dkim"),
    "dnssec": ("mailauth.domain.dnssec", "check_dnssec"),
    "dane": ("mailauth.domain.dane", "check_dane"),
    "mta_sts": ("mailauth.domain.mta_sts", "check_mta_sts"),
    "bimi": ("mailauth.domain.bimi", "check_bimi"),
    "dmarc": ("mailauth.domain.dmarc", "check_dmarc"),
    "tls_rpt": ("mailauth.domain.tls_rpt", "check_tls_rpt"),
    "ns": ("mailauth.domain.ns", "check_ns"),
    "smtp": ("mailauth.domain.smtp", "check_smtp"),
    "spf": ("mailauth.domain.spf", "check_spf"),
}

# The check code `domain/registry.py` imports (besides the lead chains' modules), then the
# registry and the runner: loaded one module at a time by `load_checks`.
CHECK_MODULES = (
    "mailauth.domain.dkim",
    "mailauth.domain.dnssec",
    "mailauth.domain.dane",
    "mailauth.domain.mta_sts",
    "mailauth.domain.bimi",
    "mailauth.domain.dmarc",
    "mailauth.domain.existence",
    "mailauth.domain.tls_rpt",
    "mailauth.domain.ns",
    "mailauth.domain.smtp",
    "mailauth.domain.spf",
    "mailauth.domain.registry",
    "mailauth.domain.runner",
)


class _Starter:
    """Starts the checks of one domain, each once, as their modules load: the very
    coroutine the runner would run (`CHECK_RUNS`), with the context it would give it
    (`domain/runner._check_one` for a domain checked alone: the run's source under the
    domain's deadline, its fetcher, eager lookups). The runner awaits a started check
    instead of running it again (`check_domain(started=...)`), so its lookups after the
    first round leave while the other checks load instead of after all of them (issue 10:
    the DNSSEC, DANE, MTA-STS host and second DKIM probe questions were the last to leave)."""

    def __init__(
        self,
        source: DnsSource,
        domain: str,
        options: CheckOptions,
        wanted: Collection[str] | None,
        fetcher: Fetcher | None,
        deadline: float | None,
        lead: list[asyncio.Task[Any]],
    ) -> None:
        from mailauth.dns.deadline import DeadlineSource
        from mailauth.domain.context import CheckContext

        dns: DnsSource = source if deadline is None else DeadlineSource(source, deadline)
        self.ctx = CheckContext(dns, options, fetcher=fetcher, eager=True)
        self.domain = domain
        self.wanted = wanted
        self.lead = lead
        self.started: dict[str, StartedCheck] = {}
        self.by_module = {module: (name, fn) for name, (module, fn) in CHECK_RUNS.items()}

    def loaded(self, module: str) -> None:
        """`module` was just imported: start the check it holds, if it is wanted."""
        import asyncio

        found = self.by_module.get(module)
        if found is None:
            return
        name, attribute = found
        if self.wanted is not None and name not in self.wanted:
            return
        run: CheckFunction = getattr(sys.modules[module], attribute)
        task = asyncio.ensure_future(run(self.ctx, self.domain))
        self.lead.append(task)
        self.started[name] = (run, task)


async def start_lead_chains(
    source: DnsSource,
    domain: str,
    wanted: Collection[str] | None,
    turns: int,
    starter: _Starter,
) -> None:
    """The chains of lookups that set how many round trips a check of one domain waits,
    started before the rest of the check code loads: the MX check (its hosts' addresses,
    their reverse names and those names' addresses: three rounds on any domain with mail
    hosts) and then the SPF include/redirect walk (`spf_tree.spf_lookup_tree`), each given
    `turns` of the event loop once started, so that an answer already in moves it on before
    the next module loads. The MX check is the run's own (`_Starter`); the SPF walk asks,
    in the run's cache, exactly what the SPF check will ask (the checks are functions of
    the answers alone), so that check later finds its answers there or in flight. Once the
    first answers are in (sent by the entry point, `cli/check_early.py`), the next round
    leaves before the other checks' ~40 ms of imports instead of after them (issue 10). The
    tasks join the starter's `lead`, which the caller settles with the first round's."""
    import asyncio

    if wanted is None or "mx" in wanted:
        __import__("mailauth.domain.mx")
        starter.loaded("mailauth.domain.mx")
        for _ in range(turns):
            await asyncio.sleep(0)
    if wanted is None or "spf" in wanted:
        from mailauth.domain.spf_tree import spf_lookup_tree

        starter.lead.append(asyncio.ensure_future(spf_lookup_tree(source, domain)))


async def load_checks(turns: int, loaded: Callable[[str], None] | None = None) -> None:
    """Import the check code a module at a time, with `turns` of the event loop before each:
    an answer arriving meanwhile moves its lead chain on at once (the next lookups leave)
    instead of after all ~40 ms of imports. `loaded` is told each module once imported (a
    check starts there). Without the turns the same modules load in one go (when the
    registry is first imported)."""
    import asyncio

    for name in CHECK_MODULES:
        for _ in range(turns):
            await asyncio.sleep(0)
        __import__(name)  # not importlib.import_module: -X importtime lists this
        if loaded is not None:
            loaded(name)


async def head_start(
    source: DnsSource,
    domain: str,
    options: CheckOptions,
    wanted: Collection[str] | None,
    turns: int,
    *,
    fetcher: Fetcher | None = None,
    deadline: float | None = None,
) -> tuple[list[asyncio.Task[Any]], dict[str, StartedCheck]]:
    """What `mailauth check DOMAIN` does before its checks run: the first round (taking
    over what the entry point sent), the lead chains, and the check code loaded between
    turns of the loop, each check started as its code loads (`_Starter`; `fetcher` and
    `deadline`: the run's, as the runner would give them). Returns the tasks, for the caller
    to settle once the checks are done (settled here if this is interrupted), and the
    started checks by name, for `check_domain(started=...)`."""
    import asyncio

    from mailauth.domain.prefetch import settle

    tasks: list[asyncio.Task[Any]] = list(start_first_round(source, domain, options, wanted))
    try:
        await asyncio.sleep(0)  # the loop's turn: they are sent (or taken over)
        starter = _Starter(source, domain, options, wanted, fetcher, deadline, tasks)
        await start_lead_chains(source, domain, wanted, turns, starter)
        await load_checks(turns, starter.loaded)
    except BaseException:
        await settle(tasks)
        raise
    return tasks, starter.started
