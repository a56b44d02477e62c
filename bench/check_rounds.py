"""How many sequential round trips one `mailauth check DOMAIN` costs: the critical path the
network latency multiplies (issue 10: at 50 ms RTT, each round is 50 ms of a command's time).

    python bench/check_rounds.py [--rtt-ms 50] [--domain example.jp ...] [--timeline]

knotd serves samples/zones behind bench/latency_proxy.py, which logs when each query arrived
and when its answer went back; `support.QueryLog.rounds` counts the rounds (a query's round
is one more than the deepest round answered before it arrived). Each domain is checked once
as a command (`python -m mailauth check DOMAIN --nameserver PROXY --no-fetch`, this
checkout's src/) and once in-process (`check_domain` with a fresh source), after an untimed
warm-up. Not a timing: the counts do not depend on the machine's speed or load as long as
the client sends what it can before the first answers return (a larger `--rtt-ms` makes that
surer on a loaded machine).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time

import support
from mailauth.dns.factory import build_source
from mailauth.domain.runner import check_domain

DOMAINS = ("example.jp", "broken.example", "toomany.example")


def in_process(nameserver: str, domain: str) -> None:
    source = build_source(nameservers=[nameserver], timeout=5.0, deadline=time.monotonic() + 60)
    asyncio.run(check_domain(source, domain))


def as_command(nameserver: str, domain: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(support.REPO / "src"), "MAILAUTH_LANG": "en"}
    argv = [sys.executable, "-m", "mailauth", "check", domain, "--nameserver", nameserver]
    done = subprocess.run(
        [*argv, "--format", "json", "--no-fetch"], env=env, capture_output=True, check=False
    )
    if done.returncode not in (0, 1):
        raise support.BenchError(f"{domain}: exit {done.returncode}\n{done.stderr.decode()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rtt-ms", type=float, default=50.0)
    parser.add_argument("--domain", action="append", help="domain from samples/zones (repeat)")
    parser.add_argument("--timeline", action="store_true", help="print each round's queries")
    args = parser.parse_args()
    domains = tuple(args.domain or DOMAINS)
    support.install_network_guard()
    rows = []
    with support.loopback_dns(args.rtt_ms) as (_knot, proxy):
        in_process(proxy.nameserver, domains[0])  # warm-up
        proxy.reset()
        for domain in domains:
            row: list[object] = [domain]
            for how, run in (("command", as_command), ("in-process", in_process)):
                run(proxy.nameserver, domain)
                log = proxy.reset()
                support.assert_no_network_violation(domain)
                row += [log.rounds, log.count, log.by_transport()["tcp"]]
                if args.timeline:
                    print(f"\n{domain} ({how}):\n{log.timeline()}")
            rows.append(row)
    print(f"\nsequential round trips per check, {args.rtt_ms:g} ms RTT:")
    headers = ["domain", "command rounds", "queries", "tcp", "in-process rounds", "queries", "tcp"]
    print(support.table(headers, rows))
    return 0


if __name__ == "__main__":
    support.run_main(main)
