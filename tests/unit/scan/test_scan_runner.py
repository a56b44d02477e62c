"""The scan loop's graceful stop (scan/runner.py): after the stop no domain starts, every
domain that already finished is handed out (also ahead of a slower one before it), and the
rest are cancelled."""

from __future__ import annotations

import asyncio
import os
import signal

from mailauth.dns.interface import DnsAnswer, Rcode
from mailauth.domain.context import CheckOptions
from mailauth.domain.policy import Policy
from mailauth.scan.runner import StopSignal, graceful_stop, scan_reports


class Timed:
    """NXDOMAIN for every name, after a delay set per domain (the slow one hangs)."""

    def __init__(self, slow: str) -> None:
        self.slow = slow
        self.asked: set[str] = set()

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        domain = ".".join(name.split(".")[-2:])
        if domain.startswith("d"):  # not the org-domain walk (_dmarc.test)
            self.asked.add(domain)
        await asyncio.sleep(30 if domain == self.slow else 0.001)
        return DnsAnswer(name, rdtype, Rcode.NXDOMAIN)


def names(count: int) -> list[str]:
    return [f"d{i}.test" for i in range(count)]


async def collect(
    source: Timed, stop: StopSignal, count: int, width: int, stop_after: int | None = None
) -> list[str]:
    """The domains reported, in order; with `stop_after`, the stop comes once that many are
    reported and every other check but one (the hanging domain's) has finished."""
    out = []
    stopper: asyncio.Task[None] | None = None
    reports = scan_reports(
        source,
        names(count),
        CheckOptions(dkim_probes=()),
        stop,
        policy=Policy(),
        concurrency=width,
        deadline=None,
        fetcher=None,
    )
    async for report in reports:
        out.append(report.domain)
        if len(out) == stop_after:
            stopper = asyncio.ensure_future(stop_once_only_one_check_runs(stop))
    if stopper is not None:
        await stopper
    return out


async def stop_once_only_one_check_runs(stop: StopSignal) -> None:
    """The stop, once every domain check but one has finished: the moment the test is
    about. (It was a fixed 0.3 s after the second report, which on a loaded machine could
    come before the others had finished, and which also stopped the run without a stop.)"""

    def running() -> int:
        return sum(
            getattr(task.get_coro(), "__name__", "") == "check_domain"
            for task in asyncio.all_tasks()
        )

    while running() > 1:
        await asyncio.sleep(0.01)
    stop.stop(signal.SIGINT)


def test_without_a_stop_every_domain_in_order() -> None:
    source = Timed(slow="none.test")
    got = asyncio.run(collect(source, StopSignal(), 6, 3))
    assert got == names(6)


def test_a_stop_hands_out_the_finished_and_starts_nothing_more() -> None:
    source = Timed(slow="d2.test")  # d2 hangs: d3 and d4 finish behind it
    got = asyncio.run(asyncio.wait_for(collect(source, StopSignal(), 50, 5, stop_after=2), 10))
    assert got[:2] == ["d0.test", "d1.test"]
    assert "d2.test" not in got and {"d3.test", "d4.test", "d5.test", "d6.test"} <= set(got)
    assert len(source.asked) == 7  # the window: d2 and the four behind it, nothing after


def test_sigterm_inside_the_block_sets_the_stop() -> None:
    async def main() -> int | None:
        stop = StopSignal()
        with graceful_stop(stop):
            os.kill(os.getpid(), signal.SIGTERM)
            await asyncio.wait_for(stop.event.wait(), 5)
        return stop.signum

    assert asyncio.run(main()) == signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
