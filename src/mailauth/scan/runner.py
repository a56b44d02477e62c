"""The scan loop of a bulk `check`: domains in a window of `concurrency`, reports in input
order, and a graceful stop.

`iter_domain_reports` (domain/runner.py) is what a library caller uses; a scan adds one
thing to it: on the first Ctrl-C (SIGINT) or SIGTERM (what Kubernetes, systemd and Slurm
send before they kill) it stops starting new domains, hands out every report that has
already finished (also ones that finished ahead of a slower domain before them, so they
come out of input order), cancels the domains still in flight and ends. The caller writes
what it got and exits 130 (143 for SIGTERM) with a message saying how to continue
(`--resume`). A second Ctrl-C interrupts at once, as before.
"""

from __future__ import annotations

import asyncio
import itertools
import signal
import threading
from collections import deque
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from mailauth.domain.gc_budget import bulk_gc

if TYPE_CHECKING:
    from mailauth.dns.interface import DnsSource
    from mailauth.domain.context import CheckOptions
    from mailauth.domain.first_round import StartedCheck
    from mailauth.domain.policy import Policy
    from mailauth.domain.registry import CheckSpec
    from mailauth.domain.runner import DomainReport
    from mailauth.fetch.interface import Fetcher


class StopSignal:
    """Which signal asked the scan to stop (None: none yet)."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.event = asyncio.Event()

    @property
    def stopped(self) -> bool:
        return self.signum is not None

    def stop(self, signum: int) -> None:
        if self.signum is None:
            self.signum = signum
            self.event.set()


@contextmanager
def graceful_stop(stop: StopSignal) -> Iterator[None]:
    """While the block runs (inside the event loop), SIGINT and SIGTERM ask `stop` to stop;
    a second SIGINT raises KeyboardInterrupt at once. Nothing is installed outside the main
    thread (an embedding application keeps its own handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    loop = asyncio.get_running_loop()

    def on_signal(signum: int) -> None:
        if stop.stopped and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.stop(signum)

    installed = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, on_signal, signum)
        except (NotImplementedError, RuntimeError, ValueError):  # not on this platform
            continue
        installed.append(signum)
    try:
        yield
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)


async def scan_reports(
    dns: DnsSource,
    names: Iterable[str],
    options: CheckOptions,
    stop: StopSignal,
    *,
    policy: Policy,
    concurrency: int,
    deadline: float | None,
    fetcher: Fetcher | None,
    checks: Sequence[CheckSpec] | None = None,
    started: Mapping[str, StartedCheck] | None = None,
) -> AsyncIterator[DomainReport]:
    """Reports of `names` (A-labels) in input order, at most `concurrency` in flight; after
    `stop`, the reports already finished and then nothing. `checks`: the registry with some
    checks skipped (`domain/profile.py`); the existence stage runs either way. `started`:
    checks of a domain checked alone already running (domain/first_round.py `head_start`).

    The checks are imported here, when the scan starts, not with this module: `check`
    imports it before its DNS source exists, and a domain checked alone sends its first
    lookups before the check code loads (domain/first_round.py; issue 10)."""
    from mailauth.domain.registry import DOMAIN_CHECKS
    from mailauth.domain.runner import check_domain

    width = max(1, concurrency)
    window: deque[asyncio.Task[DomainReport]] = deque()
    pending = iter(names)
    first = list(itertools.islice(pending, 2))
    bounded = len(first) > 1  # one domain alone sends every lookup at once (domain/runner.py)

    def start(name: str) -> None:
        job = check_domain(
            dns,
            name,
            options,
            checks=checks if checks is not None else DOMAIN_CHECKS,
            policy=policy,
            deadline=deadline,
            existence=True,
            fetcher=fetcher,
            bounded=bounded,
            started=None if bounded else started,
        )
        window.append(asyncio.ensure_future(job))

    with bulk_gc():  # as iter_domain_reports: cyclic GC was a quarter of a bulk run's CPU
        try:
            for name in itertools.chain(first, pending):
                if stop.stopped:
                    break
                start(name)
                while len(window) >= width and not stop.stopped:
                    if await _first_or_stop(window[0], stop):
                        yield await window.popleft()
            while window and not stop.stopped:
                if await _first_or_stop(window[0], stop):
                    yield await window.popleft()
            if stop.stopped:
                for task in [t for t in window if t.done() and not t.cancelled()]:
                    if task.exception() is None:
                        window.remove(task)
                        yield task.result()
        finally:
            for task in window:
                task.cancel()
            if window:
                await asyncio.gather(*window, return_exceptions=True)


async def _first_or_stop(task: asyncio.Task[DomainReport], stop: StopSignal) -> bool:
    """Wait for `task` or the stop, whichever comes first; True when `task` is done."""
    if task.done():
        return True
    waiter = asyncio.ensure_future(stop.event.wait())
    try:
        await asyncio.wait((task, waiter), return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()
    return task.done()
