"""`mailauth verify FILE` as a command at a given round-trip time: wall time and the
sequential round trips of its lookups, this checkout and optionally an earlier commit's
`src/`, interleaved run by run.

Why: one message is verified without an event loop (concurrency.run_blocking, issue 10),
and a blocking client could make the lookups follow one another where the event loop
overlapped them. This measures what a user with a distant resolver waits for, and the
round trips from the latency proxy's timeline (bench/support.py `QueryLog`), so that a
regression in overlap shows whatever the load.

    python bench/verify_latency.py                          # this checkout, 50 ms RTT
    python bench/verify_latency.py --baseline main --reps 9 --rtt-ms 50

knotd serves samples/zones on loopback behind bench/latency_proxy.py; nothing leaves it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from startup import compiled_env, compiled_srcs

import support  # bench/ is on sys.path: these scripts run as `python bench/NAME.py`

MESSAGES = ("good.eml", "arc-broken.eml", "bulk-no-unsubscribe.eml", "broken-domain.eml")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", metavar="REV", help="also time this commit's src/")
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--rtt-ms", type=float, default=50.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mailauth-verify-latency-") as tmp:
        srcs = compiled_srcs(args.baseline, Path(tmp))
        times: dict[tuple[str, str], list[float]] = {}
        rounds: dict[tuple[str, str], list[int]] = {}
        with support.loopback_dns(args.rtt_ms) as (_, proxy):
            for rep in range(args.reps + 1):  # the first round untimed (start-up cache)
                for name, src in srcs.items():
                    for message in MESSAGES:
                        argv = [sys.executable, "-m", "mailauth", "verify"]
                        argv += [str(support.SAMPLE_MESSAGES / message)]
                        argv += ["--nameserver", proxy.nameserver]
                        proxy.reset()
                        start = time.perf_counter()
                        env = compiled_env(src)
                        subprocess.run(argv, env=env, capture_output=True, check=False)
                        elapsed = time.perf_counter() - start
                        log = proxy.reset()
                        if rep:
                            times.setdefault((name, message), []).append(elapsed)
                            rounds.setdefault((name, message), []).append(
                                max(log.round_of_each(), default=0)
                            )
    rows = []
    for (name, message), seconds in times.items():
        base = times.get((args.baseline, message)) if args.baseline else None
        ratio = statistics.median(seconds) / statistics.median(base) if base else None
        rows.append(
            [
                message,
                name,
                f"{support.median_ms(seconds):.0f}",
                f"{min(seconds) * 1000:.0f}",
                "-" if ratio is None else f"{ratio:.2f}x",
                statistics.median(rounds[(name, message)]),
            ]
        )
    rows.sort(key=lambda r: (str(r[0]), str(r[1]) != "this"))
    load = os.getloadavg()[0]
    print(f"{args.reps} runs each, interleaved, {args.rtt_ms:.0f} ms RTT, load {load:.1f}")
    headers = ["message", "src", "median ms", "min ms", "/ baseline", "round trips"]
    print(support.table(headers, rows))
    return 0


if __name__ == "__main__":
    support.run_main(main)
