"""Where the wall time of one `mailauth check DOMAIN` command goes, at a given RTT: the phases
between start and exit, read from the latency proxy's timeline (issue 10).

    python bench/check_phases.py [--rtt-ms 50] [--reps 9] [--domain example.jp ...]
                                 [--baseline-src /work/main/src]

Each run is `python -m mailauth check DOMAIN --nameserver PROXY --no-fetch --format json`
(compiled bytecode, as check_vs_checkdmarc.py times it) behind bench/latency_proxy.py; the
proxy logs when each query arrived and when its answer left (time.monotonic, the same clock
as this process's). Per run:

- `first`: start -> the first query arrives (interpreter, imports, option parsing: CPU);
- `r2 gap`: the first answer of round 1 leaves the proxy -> the first query of round 2
  arrives. A few ms when the checks are loaded and waiting before the first answers come
  back; larger when the CPU between the first query and the second round (the checks'
  imports, their first steps) is more than one round trip;
- `last answer`: start -> the last answer leaves the proxy; `tail`: that -> exit (the last
  checks' work, the report, interpreter exit); `total`: start -> exit;
- `CPU`: user + system time of the command; `rounds`: sequential round trips
  (`support.QueryLog.rounds`, as bench/check_rounds.py counts them).

Medians over `--reps` runs, the checkouts interleaved run by run (one untimed run each
first). On the shared machine the wall columns move with the load; CPU much less.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import support

DOMAINS = ("example.jp", "broken.example", "toomany.example")
PYCACHE = Path(tempfile.gettempdir()) / "mailauth-startup-pycache"  # as check_vs_checkdmarc.py
COLUMNS = ("first", "r2 gap", "last answer", "tail", "total", "CPU", "rounds")


def run_once(proxy: support.LatencyProxy, src: Path, domain: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src), "MAILAUTH_LANG": "en"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    argv = [sys.executable, "-m", "mailauth", "check", domain, "--nameserver", proxy.nameserver]
    proxy.reset()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run(
        [*argv, "--no-fetch", "--format", "json"], env=env, capture_output=True, check=False
    )
    end = time.monotonic()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise support.BenchError(f"{domain}: exit {done.returncode}\n{done.stderr.decode()}")
    log = proxy.reset()
    rounds = log.round_of_each()
    arrived = [t[0] for t in log.times]
    answered = [t[1] for t in log.times if t[1] is not None]
    round1 = [t[1] for t, r in zip(log.times, rounds, strict=True) if r == 1 and t[1]]
    round2 = [t[0] for t, r in zip(log.times, rounds, strict=True) if r == 2]
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return {
        "first": (min(arrived) - start) * 1e3,
        "r2 gap": (min(round2) - min(round1)) * 1e3 if round1 and round2 else float("nan"),
        "last answer": (max(answered) - start) * 1e3,
        "tail": (end - max(answered)) * 1e3,
        "total": (end - start) * 1e3,
        "CPU": cpu * 1e3,
        "rounds": float(log.rounds),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rtt-ms", type=float, default=50.0)
    parser.add_argument("--reps", type=int, default=9)
    parser.add_argument("--domain", action="append", help="domain from samples/zones (repeat)")
    parser.add_argument("--baseline-src", type=Path, help="also this src/ directory (main's)")
    args = parser.parse_args()
    domains = tuple(args.domain or DOMAINS)
    srcs = {"this checkout": support.REPO / "src"}
    if args.baseline_src is not None:
        srcs["baseline"] = args.baseline_src.resolve()
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(PYCACHE)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for src in srcs.values():  # compiled once, as an installed package is
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(src)],
            env=env, stdout=subprocess.DEVNULL, check=True,
        )  # fmt: skip
    support.install_network_guard()
    runs: dict[tuple[str, str], list[dict[str, float]]] = {}
    with support.loopback_dns(args.rtt_ms) as (_knot, proxy):
        for domain in domains:  # untimed: page cache, first-use costs
            for src in srcs.values():
                run_once(proxy, src, domain)
        for _ in range(max(1, args.reps)):
            for domain in domains:
                for name, src in srcs.items():
                    runs.setdefault((domain, name), []).append(run_once(proxy, src, domain))
    rows = []
    for (domain, name), series in runs.items():
        medians = [statistics.median(r[c] for r in series) for c in COLUMNS]
        rows.append([domain, name, *(f"{m:.0f}" for m in medians)])
    print(f"mailauth check as a command at {args.rtt_ms:g} ms RTT, ms, median of {args.reps}:")
    print(support.table(["domain", "src", *COLUMNS], rows))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, src in srcs.items():
        print(f"{name}: {src}")
    return 0


if __name__ == "__main__":
    support.run_main(main)
