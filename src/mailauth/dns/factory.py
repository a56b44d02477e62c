"""Build the run's `DnsSource` from the user's options (the CLI's one entry to the DNS layer).

Zone files given -> offline `ZoneSource`; otherwise live DNS through the given nameservers, or
the system's resolvers. Always wrapped in a per-run `CachingSource`; a `DeadlineSource` sits
under the cache when a run deadline is set, so cached answers stay instant after it passes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mailauth.dns.cache import CachingSource
from mailauth.dns.deadline import DeadlineSource
from mailauth.dns.interface import DnsSource


def build_source(
    zone_paths: Sequence[str | Path] = (),
    nameservers: Sequence[str] = (),
    timeout: float = 5.0,
    retries: int = 1,
    deadline: float | None = None,
    *,
    blocking: bool = False,
) -> CachingSource:
    """Raises `ZoneLoadError` for a bad zone file and `ValueError` for a bad nameserver;
    after that, DNS problems are answers, never exceptions. `blocking`: the live client
    answers without an event loop (`LiveSource.blocking`, for `concurrency.run_blocking`)."""
    inner: DnsSource
    # Each backend is imported only when used: dns.zone is not needed for a live run, nor
    # the live client offline (start-up time, bench/startup.py).
    if zone_paths:
        from mailauth.dns.zonefile import ZoneSource

        inner = ZoneSource.from_paths(list(zone_paths))
    else:
        from mailauth.dns.live import LiveSource, parse_nameserver

        servers = [parse_nameserver(ns) for ns in nameservers] if nameservers else None
        if blocking:
            inner = LiveSource.blocking(servers, timeout=timeout, retries=retries)
        else:
            inner = LiveSource(servers, timeout=timeout, retries=retries)
    if deadline is not None:
        inner = DeadlineSource(inner, deadline)
    return CachingSource(inner)
