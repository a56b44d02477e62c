"""The lookups every check of one domain asks before any answer, sent while the checks load.

A `mailauth check DOMAIN` command spends ~100 ms of CPU importing the checks (their report
types, parsers and the finding catalogue) after its DNS client is ready, and then waits one
round trip for the first answers (issue 10: at 50 ms RTT, each round is 50 ms of the wait).
Those first questions need none of that code: they are known from the domain name and the
options alone. So the command starts them here, into the run's cache, before it imports the
checks; the checks, once loaded, ask in their own order and find each answer in the cache
or join the query in flight. Their results cannot change (the same questions to the same
source), and no question is added: tests/unit/runner/test_first_round.py holds this list to
what the checks ask first, on every sample domain.

The DMARC tree walk's parents are among them (the names `CheckSpec.prefetch` starts with
the checks, `dns/walk_names.walk_targets`). Left to the checks themselves: the DNSSEC checks'
signed questions (kept out while the run's cache did not merge those in flight; it does
now, so they could be sent early too: not measured yet). This module must stay light: it
imports no check (tests/unit/cli/test_cli_startup.py checks that the first question leaves
before `mailauth.domain.registry` loads).
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection

from mailauth.dns.interface import DnsAnswer, DnsSource
from mailauth.dns.walk_names import walk_targets
from mailauth.domain.context import CheckOptions
from mailauth.domain.dkim_selectors import (
    COMMON_SELECTOR_GROUPS,
    first_asked,
    named_selectors,
    probe_groups,
)
from mailauth.domain.prefetch import start_lookups


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
    return start_lookups(source, first_lookups(domain, options, wanted))
