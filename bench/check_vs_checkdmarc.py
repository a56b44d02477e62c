"""`mailauth check` vs checkdmarc 6.0.4, both in-process, over the same DNS with real latency.

    python bench/check_vs_checkdmarc.py [--reps 5] [--rtt-ms 50] [--domain example.jp ...]

Needs Debian's knotd and checkdmarc importable (not a mailauth dependency; install it in a
scratch venv: `python -m venv --system-site-packages /tmp/bench && /tmp/bench/bin/pip install
checkdmarc==6.0.4`, then run this script with /tmp/bench/bin/python).

Set-up: knotd serves samples/zones on a free loopback port; bench/latency_proxy.py sits in
front of it and delays every query by one round trip (default 50 ms, a typical resolver to
authoritative RTT) and logs it. Both tools get only the proxy as nameserver, and a fresh
cache every run (mailauth: a new `build_source`; checkdmarc: its module-level ExpiringDict
caches cleared). Each run is timed wall-clock, runs of the two tools are interleaved, and one
untimed warm-up run per tool comes first (imports, first-use costs).

Three comparisons per domain, because the tools do not check the same things:
- `as shipped`: mailauth's seven checks, including DKIM keys at ~40 common selectors (checkdmarc
  checks no DKIM keys) vs checkdmarc's network-free parts: DNSSEC, SOA, NS, MTA-STS record, MX
  (addresses, PTR, TLSA; no STARTTLS probe), SPF, DMARC, TLS-RPT, BIMI record.
- `same records`: SPF, DMARC, MX, MTA-STS record, TLS-RPT, BIMI record in both.
- `SPF+DMARC+MX`: only those three in both.
checkdmarc's MTA-STS policy download and BIMI logo/VMC download go through the system resolver
and HTTPS, so they are never called (only their DNS records are looked up); its STARTTLS probe
is off (`check_mx_tls=False`). The test suite's network guard is installed in this process:
any attempt to leave loopback aborts the benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import support
from mailauth.dns.factory import build_source
from mailauth.domain.runner import DOMAIN_CHECKS, check_domain

DOMAINS = ("example.jp", "broken.example", "toomany.example")
DNS_TIMEOUT = 5.0
RUN_DEADLINE = 60.0  # mailauth's own per-run deadline; no run here should come near it

MAILAUTH_SETS: dict[str, tuple[str, ...]] = {
    "as shipped": tuple(spec.name for spec in DOMAIN_CHECKS),
    "same records": ("spf", "dmarc", "bimi", "mx", "mta_sts", "tls_rpt"),
    "SPF+DMARC+MX": ("spf", "dmarc", "mx"),
}
CHECKDMARC_SETS: dict[str, tuple[str, ...]] = {
    "as shipped": ("dnssec", "soa", "ns", "mta_sts", "mx", "spf", "dmarc", "tls_rpt", "bimi"),
    "same records": ("mta_sts", "mx", "spf", "dmarc", "tls_rpt", "bimi"),
    "SPF+DMARC+MX": ("mx", "spf", "dmarc"),
}


@dataclass
class Series:
    """Every timed run of one tool on one domain with one set of checks."""

    seconds: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    tcp: list[int] = field(default_factory=list)
    in_flight: list[int] = field(default_factory=list)
    problems: set[str] = field(default_factory=set)

    def add(self, seconds: float, log: support.QueryLog, problems: list[str]) -> None:
        self.seconds.append(seconds)
        self.queries.append(log.count)
        self.tcp.append(log.by_transport()["tcp"])
        self.in_flight.append(log.max_in_flight)
        self.problems.update(problems)

    def queries_text(self) -> str:
        lo, hi = min(self.queries), max(self.queries)
        return str(lo) if lo == hi else f"{lo}-{hi}"


# -- mailauth ---------------------------------------------------------------------------


def mailauth_run(nameserver: str, domain: str, names: tuple[str, ...]) -> list[str]:
    """One `check_domain` with a fresh source (fresh cache); returns checks that errored."""
    checks = [spec for spec in DOMAIN_CHECKS if spec.name in names]
    source = build_source(
        nameservers=[nameserver],
        timeout=DNS_TIMEOUT,
        retries=1,
        deadline=time.monotonic() + RUN_DEADLINE,
    )
    report = asyncio.run(check_domain(source, domain, checks=checks))
    return [f"mailauth {name}: status error" for name in report.errors]


# -- checkdmarc -------------------------------------------------------------------------


def import_checkdmarc() -> Any:
    try:
        import checkdmarc
    except ImportError:
        raise support.BenchError(
            "checkdmarc is not importable. It is not a mailauth dependency; install it in a "
            "scratch venv:\n  python -m venv --system-site-packages /tmp/bench && "
            "/tmp/bench/bin/pip install checkdmarc==6.0.4\nand run this script with "
            "/tmp/bench/bin/python"
        ) from None
    if checkdmarc.__version__ != "6.0.4":
        print(f"note: checkdmarc {checkdmarc.__version__}, numbers were taken with 6.0.4")
    return checkdmarc


def clear_checkdmarc_caches() -> None:
    """checkdmarc keeps DNS answers, DNSSEC verdicts and nameserver failures in module-level
    ExpiringDicts for the life of the process; a fair "fresh run" starts with them empty."""
    from expiringdict import ExpiringDict

    for name, module in list(sys.modules.items()):
        if name == "checkdmarc" or name.startswith("checkdmarc."):
            for value in vars(module).values():
                if isinstance(value, ExpiringDict):
                    value.clear()


def checkdmarc_parts(port: int) -> dict[str, Callable[[str], Any]]:
    """checkdmarc's per-record functions, in `check_domains` order, pointed at the proxy.
    Only DNS: the MTA-STS policy and BIMI logo/VMC downloads are left out (see module doc)."""
    import checkdmarc
    from checkdmarc.bimi import query_bimi_record
    from checkdmarc.dnssec import check_dnssec
    from checkdmarc.mta_sts import parse_mta_sts_record, query_mta_sts_record
    from dns.nameserver import Do53Nameserver

    ns = [Do53Nameserver("127.0.0.1", port)]
    kw: dict[str, Any] = {"nameservers": ns, "timeout": DNS_TIMEOUT}

    def mta_sts(domain: str) -> Any:
        record = query_mta_sts_record(domain, **kw)
        return parse_mta_sts_record(record["record"])

    return {
        "dnssec": lambda d: check_dnssec(d, **kw),
        "soa": lambda d: checkdmarc.check_soa(d, **kw),
        "ns": lambda d: checkdmarc.check_ns(d, **kw),
        "mta_sts": mta_sts,
        "mx": lambda d: checkdmarc.check_mx(d, check_mx_tls=False, **kw),
        "spf": lambda d: checkdmarc.check_spf(d, **kw),
        "dmarc": lambda d: checkdmarc.check_dmarc(d, **kw),
        "tls_rpt": lambda d: checkdmarc.check_smtp_tls_reporting(d, **kw),
        "bimi": lambda d: query_bimi_record(d, **kw),
    }


def checkdmarc_run(
    parts: dict[str, Callable[[str], Any]], domain: str, names: tuple[str, ...]
) -> list[str]:
    """Returns parts that ended in a DNS-level error (a timeout would distort the timing)."""
    clear_checkdmarc_caches()
    problems = []
    for name in names:
        try:
            result = parts[name](domain)
        except Exception as exc:  # its query_* functions raise for a missing record
            result = {"error": f"{type(exc).__name__}: {exc}"}
        text = str(result.get("error", "")) if isinstance(result, dict) else ""
        if "timed out" in text.lower() or "servfail" in text.lower():
            problems.append(f"checkdmarc {name}: {text[:80]}")
    return problems


# -- driver -----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="timed runs per tool and set (1-50)")
    parser.add_argument("--rtt-ms", type=float, default=50.0, help="simulated round trip")
    parser.add_argument("--domain", action="append", help="domain from samples/zones (repeat)")
    parser.add_argument("--budget", type=float, default=900.0, help="stop after this many s")
    args = parser.parse_args()
    reps = max(1, min(args.reps, 50))
    domains = tuple(args.domain or DOMAINS)

    support.install_network_guard()
    import_checkdmarc()
    started = time.monotonic()
    results: dict[tuple[str, str, str], Series] = {}
    truncated = False
    with support.loopback_dns(args.rtt_ms) as (_knot, proxy):
        parts = checkdmarc_parts(proxy.port)
        tools: dict[str, Callable[[str, str], list[str]]] = {
            "mailauth": lambda d, s: mailauth_run(proxy.nameserver, d, MAILAUTH_SETS[s]),
            "checkdmarc": lambda d, s: checkdmarc_run(parts, d, CHECKDMARC_SETS[s]),
        }
        for tool in tools.values():  # warm-up: imports and first-use costs, untimed
            tool(domains[0], "as shipped")
        proxy.reset()
        support.assert_no_network_violation("warm-up")
        for rep in range(reps):
            for domain in domains:
                for set_name in MAILAUTH_SETS:
                    for tool_name, tool in tools.items():
                        start = time.perf_counter()
                        problems = tool(domain, set_name)
                        elapsed = time.perf_counter() - start
                        log = proxy.reset()
                        support.assert_no_network_violation(f"{tool_name} on {domain}")
                        key = (domain, set_name, tool_name)
                        results.setdefault(key, Series()).add(elapsed, log, problems)
            if time.monotonic() - started > args.budget and rep + 1 < reps:
                truncated = True
                print(f"budget of {args.budget:.0f} s spent: stopping after {rep + 1} reps")
                break
    print_report(results, domains, args.rtt_ms, truncated)
    return 0


def print_report(
    results: dict[tuple[str, str, str], Series],
    domains: tuple[str, ...],
    rtt_ms: float,
    truncated: bool,
) -> None:
    any_series = next(iter(results.values()))
    print(
        f"mailauth check vs checkdmarc: {len(any_series.seconds)} timed runs each, "
        f"{rtt_ms:g} ms simulated RTT, fresh caches, {os.cpu_count()} CPUs"
        + (" (truncated by budget)" if truncated else "")
    )
    print("time = median wall time of a run; q = queries sent (tcp of them); par = most queries")
    print("in flight at once; ratio = checkdmarc time / mailauth time (>1: mailauth faster)\n")
    rows = []
    problems: set[str] = set()
    for domain in domains:
        for set_name in MAILAUTH_SETS:
            m = results[(domain, set_name, "mailauth")]
            c = results[(domain, set_name, "checkdmarc")]
            problems |= m.problems | c.problems
            mt, ct = support.median_ms(m.seconds), support.median_ms(c.seconds)
            rows.append(
                [
                    domain,
                    set_name,
                    f"{mt:.0f}",
                    f"{m.queries_text()} ({max(m.tcp)})",
                    str(max(m.in_flight)),
                    f"{ct:.0f}",
                    f"{c.queries_text()} ({max(c.tcp)})",
                    str(max(c.in_flight)),
                    f"{ct / mt:.1f}x",
                ]
            )
    headers = ["domain", "checks", "mailauth ms", "q", "par", "checkdmarc ms", "q", "par"]
    print(support.table([*headers, "ratio"], rows))
    if problems:
        print("\nDNS problems during timed runs (timings above may include timeouts):")
        for p in sorted(problems):
            print(f"  {p}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except support.BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
