"""One bulk run of `mailauth check` in a fresh process, under a lowered open-files limit.

    python bench/bulk_child.py --nameserver 127.0.0.1:PORT --count N [--profile sdm|full]
                               [--nofile 1024] [--concurrency C]

Started by `check_vs_checkdmarc.py --bulk` (and by tests/integration/test_bulk_check.py), so
the limit, the memory and the start-up are this run's alone. It first lowers RLIMIT_NOFILE
(`ulimit -n`) with resource.setrlimit, then checks the synthetic domains
d000000.synth ... through mailauth's streaming runner (`iter_domain_reports`, what
`mailauth check --domains-file` runs) over a live source pointed at the nameserver, and
prints one JSON line: domains, how many are complete, DNS answers by rcode, wall and CPU
seconds, peak RSS, RSS at 10/50/100 % of the run (flat memory shows as equal numbers), the
most file descriptors open at once and the most queries in flight.

Profiles: `sdm` runs the SPF, DMARC and MX checks (the library's `checks=`; the CLI has no
switch for it yet); `full` runs every check with the existence stage and DKIM probes at the
common selectors, as `mailauth check` does by default; `nodkim` is `full` without DKIM
probes, what `mailauth check --dkim-selectors none` runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.support.synthetic_domains import domain_names  # noqa: E402

from mailauth.dns.cache import CachingSource  # noqa: E402
from mailauth.dns.interface import DnsAnswer  # noqa: E402
from mailauth.dns.live import LiveSource, parse_nameserver  # noqa: E402
from mailauth.domain.context import CheckOptions  # noqa: E402
from mailauth.domain.runner import DOMAIN_CHECKS, iter_domain_reports  # noqa: E402

PROFILES = {
    "sdm": tuple(spec for spec in DOMAIN_CHECKS if spec.name in ("spf", "dmarc", "mx")),
    "full": DOMAIN_CHECKS,
    "nodkim": DOMAIN_CHECKS,
}
OPTIONS = {"nodkim": CheckOptions(dkim_probes=())}


class CountingSource:
    """Counts every answer of the live source by rcode (timeouts must be zero)."""

    def __init__(self, inner: LiveSource) -> None:
        self.inner = inner
        self.rcodes: Counter[str] = Counter()

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        answer = await self.inner.query(name, rdtype)
        self.rcodes[answer.rcode.value] += 1
        return answer


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mib() -> float:
    """This process's own peak RSS (VmHWM). Not `ru_maxrss`: on Linux that keeps the peak of
    the process before `exec`, here the benchmark's parent (~85 MiB with checkdmarc), so
    every run reported the parent's figure."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def run(args: argparse.Namespace) -> dict[str, object]:
    live = LiveSource([parse_nameserver(args.nameserver)], timeout=args.timeout, retries=1)
    counting = CountingSource(live)
    source = CachingSource(counting)
    names = domain_names(args.count)
    marks = {max(1, args.count // 10): "10%", max(1, args.count // 2): "50%", args.count: "100%"}
    rss: dict[str, float] = {}
    done = complete = 0
    peak_fds = open_fds()
    reports = iter_domain_reports(
        source,
        names,
        OPTIONS.get(args.profile),
        checks=PROFILES[args.profile],
        concurrency=args.concurrency,
        deadline=args.deadline,
    )
    async for report in reports:
        done += 1
        complete += report.complete
        if done % 50 == 0:
            peak_fds = max(peak_fds, open_fds())
        if done in marks:
            rss[marks[done]] = round(rss_mib(), 1)
    return {
        "domains": done,
        "complete": complete,
        "rcodes": dict(counting.rcodes),
        "rss_mib": rss,
        "peak_fds": peak_fds,
        "peak_in_flight": live.peak_in_flight,
        "cache_entries": source.size,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nameserver", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="sdm")
    parser.add_argument("--nofile", type=int, default=1024)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--deadline", type=float, default=30.0)
    args = parser.parse_args()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (args.nofile, min(hard, max(args.nofile, 1))))
    start, cpu = time.perf_counter(), time.process_time()
    result = asyncio.run(run(args))
    result["wall_s"] = round(time.perf_counter() - start, 3)
    result["cpu_s"] = round(time.process_time() - cpu, 3)
    result["peak_rss_mib"] = round(peak_rss_mib(), 1)
    result["nofile"] = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
