"""`mailauth check` as a survey runs it, end to end: the command with a domains file,
streaming JSON Lines to a file, at 50 ms simulated RTT; and a scan killed half-way and
continued with --resume.

    python bench/bulk_resume.py [--counts 1000,10000] [--rtt-ms 50] [--reps 1]
                                [--dkim-selectors none] [--nofile 1024] [--no-resume]
                                [--checks all|spf,dmarc,mx]

Knot serves the synthetic domains (tests/support/synthetic_domains.py) behind the latency
proxy (bench/latency_proxy.py). Each run is `python -m mailauth check --domains-file F
--nameserver PROXY --dkim-selectors none --no-fetch --format jsonl -o OUT` in a fresh
process under `ulimit -n`; the table gives domains per second (wall clock, start-up
included), the child's peak RSS (from wait4's rusage), and the reports written. The resume
row kills a scan of the largest count with SIGKILL once half of the reports are written,
then runs the same command with --resume and checks that every domain is in the file
exactly once; it reports the seconds the resumed run took and how many it checked.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import support


def command(listing: Path, out: Path, nameserver: str, selectors: str, *extra: str) -> list[str]:
    return [
        *(sys.executable, "-m", "mailauth", "check", "--domains-file", str(listing)),
        *("--nameserver", nameserver, "--dkim-selectors", selectors, "--no-fetch"),
        *("--format", "jsonl", "-o", str(out), *extra),
    ]


def launch(argv: list[str], nofile: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(support.REPO / "src"), "MAILAUTH_LANG": "en"}

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

    return subprocess.Popen(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=limit
    )


def finish(proc: subprocess.Popen[bytes], *, poll: bool = True) -> tuple[int, float, float]:
    """Exit status, peak RSS (MiB) and CPU seconds of a child. The peak is VmHWM read
    while the child runs: wait4's ru_maxrss also counts the parent's memory that fork
    copied before the exec."""
    peak = 0
    while True:
        if poll:
            peak = max(peak, support.high_water_kib(proc.pid))
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG if poll else 0)
        if pid:
            break
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, peak / 1024, usage.ru_utime + usage.ru_stime


def lines(path: Path) -> int:
    if not path.exists():
        return 0
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def timed_scan(
    listing: Path, out: Path, nameserver: str, args: argparse.Namespace
) -> dict[str, Any]:
    extra = ("--checks", args.checks)
    proc = launch(command(listing, out, nameserver, args.dkim_selectors, *extra), args.nofile)
    start = time.perf_counter()
    status, rss, cpu = finish(proc)
    wall = time.perf_counter() - start
    if status not in (0, 1, 3):
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise support.BenchError(f"scan failed ({status}): {err[-2000:]}")
    reports = [json.loads(x) for x in out.read_text().splitlines()]
    complete = sum(1 for r in reports if r["complete"])
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_rss_mib": rss,
        "reports": len(reports),
        "complete": complete,
    }


def resume_run(
    listing: Path, out: Path, nameserver: str, count: int, args: argparse.Namespace
) -> dict[str, Any]:
    argv = command(listing, out, nameserver, args.dkim_selectors, "--checks", args.checks)
    proc = launch(argv, args.nofile)
    while lines(out) < count // 2 and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    finish(proc, poll=False)
    before = lines(out)
    start = time.perf_counter()
    status, rss, _cpu = finish(launch([*argv, "--resume"], args.nofile))
    wall = time.perf_counter() - start
    domains = [json.loads(x)["domain"] for x in out.read_text().splitlines()]
    once = len(domains) == len(set(domains)) == count
    return {
        "killed_at": before,
        "resumed_wall_s": wall,
        "peak_rss_mib": rss,
        "status": status,
        "exactly_once": once,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="1000,10000")
    parser.add_argument("--rtt-ms", type=float, default=50.0)
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--dkim-selectors", default="none")
    parser.add_argument("--nofile", type=int, default=1024)
    parser.add_argument("--no-resume", action="store_true")
    parser.add_argument("--checks", default="all", help="check --checks: the survey profile")
    args = parser.parse_args()
    from tests.support.synthetic_domains import domain_names, write_zone  # after `support`

    support.install_network_guard()
    counts = [int(c) for c in args.counts.split(",")]
    work = Path(tempfile.mkdtemp(prefix="mailauth-bulk-resume-"))
    zone = write_zone(work / "zone", max(counts))
    load = [os.getloadavg()[0]]
    rows = []
    with support.loopback_dns(args.rtt_ms, [zone]) as (_knot, proxy):
        for rep in range(max(1, args.reps)):
            for count in counts:
                listing = work / f"domains-{count}.txt"
                listing.write_text("".join(f"{n}\n" for n in domain_names(count)))
                out = work / f"scan-{count}-{rep}.jsonl"
                r = timed_scan(listing, out, proxy.nameserver, args)
                queries, _tcp, _peak = proxy.counts()
                load.append(os.getloadavg()[0])
                rate = count / r["wall_s"]
                print(f"  {count}: {rate:.0f} domains/s, {r}", flush=True)
                rows.append(
                    [
                        count,
                        f"{rate:.0f}",
                        f"{count / r['cpu_s']:.0f}",
                        f"{r['wall_s']:.1f}",
                        f"{r['peak_rss_mib']:.0f}",
                        f"{r['complete']}/{r['reports']}",
                        f"{queries / count:.1f}",
                    ]
                )
        resumed = None
        if not args.no_resume:
            count = max(counts)
            listing = work / f"domains-{count}.txt"
            resumed = resume_run(listing, work / "killed.jsonl", proxy.nameserver, count, args)
            load.append(os.getloadavg()[0])
    print(
        f"\nmailauth check --domains-file, --checks {args.checks}, --dkim-selectors "
        f"{args.dkim_selectors}, "
        f"{args.rtt_ms:g} ms RTT, ulimit -n {args.nofile}, {os.cpu_count()} CPUs, load average "
        f"{min(load):.1f}-{max(load):.1f}"
    )
    headers = [
        "domains",
        "domains/s",
        "per CPU-s",
        "wall s",
        "peak RSS MiB",
        "complete",
        "queries/domain",
    ]
    print(support.table(headers, rows))
    if resumed is not None:
        print(
            f"\nresume: SIGKILL after {resumed['killed_at']} reports; --resume checked the "
            f"rest in {resumed['resumed_wall_s']:.1f} s (peak RSS "
            f"{resumed['peak_rss_mib']:.0f} MiB, exit {resumed['status']}); every domain "
            f"exactly once: {resumed['exactly_once']}"
        )
    return 0


if __name__ == "__main__":
    support.run_main(main)
