"""Start, with the checks, the lookups they will ask only after another answer.

A check of one domain is as slow as its longest chain of lookups that each wait for the one
before: at 50 ms per round trip, every link is 50 ms of the user's wait (issue 10). Some
links are not real dependencies: the DMARC tree walk (RFC 9989 §4.10) asks `_dmarc.<parent>`
only after `_dmarc.<domain>` has answered, yet every name it may ask is known from the domain
name. A check lists such lookups in its registry entry (`CheckSpec.prefetch`); the runner
starts them all at once here, into the run's cache, and the check, asking in its own order,
gets each answer from the cache (or joins the query in flight). The checks' results do not
change; only the order in which the queries leave does.

The prefetch tasks are the domain's: `settle` cancels any still running once its checks are
done (a walk stopped early by a psd=y/n record never reads the rest).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from mailauth.dns.interface import DnsAnswer, DnsSource

if TYPE_CHECKING:  # `settle` serves domain/first_round.py, which must not load the checks
    from mailauth.domain.registry import CheckSpec


def start_prefetch(
    source: DnsSource, domain: str, checks: Sequence[CheckSpec]
) -> list[asyncio.Task[DnsAnswer]]:
    """One task per distinct lookup the `checks` declare for `domain`, started now."""
    wanted = dict.fromkeys(
        lookup for spec in checks if spec.prefetch is not None for lookup in spec.prefetch(domain)
    )
    return start_lookups(source, wanted)


def start_lookups(
    source: DnsSource, lookups: Iterable[tuple[str, str]]
) -> list[asyncio.Task[DnsAnswer]]:
    """One task per (name, type), started now (they leave at the loop's next turn); the
    caller `settle`s them."""
    return [asyncio.ensure_future(source.query(name, rdtype)) for name, rdtype in lookups]


async def settle(tasks: Sequence[asyncio.Task[Any]]) -> None:
    """Cancel the prefetches nobody read and wait for them to end (no task outlives its
    domain; an answer that arrived is already in the cache)."""
    for task in tasks:
        if not task.done():
            task.cancel()
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)
