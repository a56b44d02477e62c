"""`mailauth check` vs checkdmarc 6.0.4 over the same DNS with real latency: in-process, as
commands (start-up included), and in bulk over thousands of synthetic domains.

    python bench/check_vs_checkdmarc.py [--reps 5] [--rtt-ms 50] [--domain example.jp ...]
    python bench/check_vs_checkdmarc.py --commands-only [--baseline-src /work/main/src]
    python bench/check_vs_checkdmarc.py --bulk 1000,10000 [--bulk-reps 1] [--nofile 1024]

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

Commands: after the in-process table, each sample domain is checked as a user runs the tools,
in a fresh interpreter each time: `python -m mailauth check DOMAIN --nameserver PROXY` (this
checkout's code) against `bench/checkdmarc_cmd.py DOMAIN` (checkdmarc's library in a fresh
interpreter: its CLI's `-n` always means port 53), interleaved, median wall time.
`--commands-only` skips the in-process table; `--baseline-src DIR` times a second mailauth
(another checkout's `src/`, e.g. main's) in the same interleaved rounds, so a change is
measured against what it changes under the same load.

Bulk (`--bulk N,...`): knotd serves one zone of synthetic domains (tests/support/
synthetic_domains.py: SPF with nested ESP includes, DMARC, MX, DKIM keys at common selectors,
TLS-RPT for some) behind the latency proxy; each run is `bench/bulk_child.py` in a
fresh process that lowers RLIMIT_NOFILE to `--nofile` first. Profiles (`--bulk-profiles`,
default `sdm,full`): `sdm` SPF/DMARC/MX (those three checks through the library's `checks=`,
no existence stage, no DKIM), `full` the full check (every check, existence stage, DKIM
probes at the common selectors), `nodkim` the full check without DKIM probes (what
`mailauth check --dkim-selectors none` runs). Reported:
domains/s, complete domains, timeouts, peak RSS and RSS at 10/50/100 % (flat memory), peak
open descriptors, peak queries in flight. checkdmarc is too slow for thousands of domains
(~0.4 domains/s), so its rate is measured on the first `--checkdmarc-sample` domains (SPF,
DMARC and MX, in-process, sequential as its `check_domains` runs them) and said so.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
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
    parser.add_argument("--no-commands", action="store_true", help="skip the command timings")
    parser.add_argument("--commands-only", action="store_true", help="only the command timings")
    parser.add_argument(
        "--baseline-src", type=Path, help="also time the mailauth command of this src/ directory"
    )
    parser.add_argument("--bulk", help="bulk mode: synthetic domain counts, e.g. 1000,10000")
    parser.add_argument("--bulk-reps", type=int, default=1, help="runs per count and profile")
    parser.add_argument("--bulk-profiles", default="sdm,full", help="sdm,full,nodkim")
    parser.add_argument("--nofile", type=int, default=1024, help="RLIMIT_NOFILE of bulk runs")
    parser.add_argument("--concurrency", type=int, default=100, help="domains in flight")
    parser.add_argument("--checkdmarc-sample", type=int, default=20, help="domains timed")
    args = parser.parse_args()
    reps = max(1, min(args.reps, 50))
    domains = tuple(args.domain or DOMAINS)
    if args.bulk:
        support.install_network_guard()
        import_checkdmarc()
        return bulk_main(args)

    support.install_network_guard()
    import_checkdmarc()
    started = time.monotonic()
    results: dict[tuple[str, str, str], Series] = {}
    truncated = False
    baseline = args.baseline_src.resolve() if args.baseline_src else None
    if args.commands_only:
        with support.loopback_dns(args.rtt_ms) as (_knot, proxy):
            commands = time_commands(proxy, domains, reps, baseline)
        print_commands(commands, domains, reps, baseline)
        return 0
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
        commands = {} if args.no_commands else time_commands(proxy, domains, reps, baseline)
    print_report(results, domains, args.rtt_ms, truncated)
    if commands:
        print_commands(commands, domains, reps, baseline)
    return 0


# -- commands, start-up included ---------------------------------------------------------


BASELINE = "baseline"
CPU = " cpu"


def command_lines(
    proxy: support.LatencyProxy, domain: str, baseline: Path | None = None
) -> dict[str, tuple[list[str], str]]:
    """tool -> (argv, its PYTHONPATH)."""
    mailauth = [
        *(sys.executable, "-m", "mailauth", "check", domain),
        *("--nameserver", proxy.nameserver, "--format", "json"),
        "--no-fetch",  # like checkdmarc here: no https (MTA-STS policy, BIMI assets)
    ]
    src = str(support.REPO / "src")
    checkdmarc = [sys.executable, str(CHECKDMARC_CMD), domain, "--port", str(proxy.port)]
    lines = {"mailauth": (mailauth, src), "checkdmarc": (checkdmarc, src)}
    if baseline is not None:
        lines[BASELINE] = (mailauth, str(baseline))
    return lines


def time_commands(
    proxy: support.LatencyProxy,
    domains: tuple[str, ...],
    reps: int,
    baseline: Path | None = None,
) -> dict[tuple[str, str], list[float]]:
    """Each tool as a command on each domain, `reps` times, interleaved; wall seconds, and
    the command's CPU seconds (user + system) under `(domain, tool + CPU)`: on the shared
    machine the wall time of a command that is mostly start-up is mostly waiting for a core.
    mailauth runs with compiled bytecode, as an installed package has it: this environment
    sets PYTHONDONTWRITEBYTECODE, which made every run compile src/ (~0.5 s) while
    checkdmarc's came compiled from pip; src/ is compiled once into a PYTHONPYCACHEPREFIX."""
    env = {**os.environ, "PYTHONPATH": str(support.REPO / "src"), "MAILAUTH_LANG": "en"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "mailauth-startup-pycache")
    for src in (support.REPO / "src", *([baseline] if baseline is not None else [])):
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(src)],
            env=env, stdout=subprocess.DEVNULL, check=True,
        )  # fmt: skip
    times: dict[tuple[str, str], list[float]] = {}  # (domain, tool) and (domain, tool + CPU)
    for domain in domains:  # warm-up: the page cache, .pyc files
        for argv, src_path in command_lines(proxy, domain, baseline).values():
            run_env = {**env, "PYTHONPATH": src_path}
            subprocess.run(argv, env=run_env, capture_output=True, check=False)
    for _ in range(reps):
        for domain in domains:
            for tool, (argv, src_path) in command_lines(proxy, domain, baseline).items():
                run_env = {**env, "PYTHONPATH": src_path}
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                done = subprocess.run(
                    argv, env=run_env, capture_output=True, text=True, check=False
                )
                elapsed = time.perf_counter() - start
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
                times.setdefault((domain, tool + CPU), []).append(cpu)
                if done.returncode not in (0, 1):
                    raise support.BenchError(
                        f"{tool} {domain}: exit {done.returncode}\n{done.stderr}"
                    )
                times.setdefault((domain, tool), []).append(elapsed)
    proxy.reset()
    return times


def print_commands(
    times: dict[tuple[str, str], list[float]],
    domains: tuple[str, ...],
    reps: int,
    baseline: Path | None = None,
) -> None:
    print(f"\nas commands (start-up included), median of {reps} runs each, interleaved:")
    rows = []
    for domain in domains:
        m = support.median_ms(times[(domain, "mailauth")])
        c = support.median_ms(times[(domain, "checkdmarc")])
        m_cpu = support.median_ms(times[(domain, "mailauth" + CPU)])
        row = [domain, f"{m:.0f}", f"{c:.0f}", f"{m / c:.2f}x", f"{m_cpu:.0f}"]
        if baseline is not None:
            b = support.median_ms(times[(domain, BASELINE)])
            b_cpu = support.median_ms(times[(domain, BASELINE + CPU)])
            row += [f"{b:.0f}", f"{b / c:.2f}x", f"{b_cpu:.0f}"]
        rows.append(row)
    headers = ["domain", "mailauth check ms", "checkdmarc ms", "mailauth/checkdmarc", "CPU ms"]
    if baseline is not None:
        headers += ["baseline ms", "baseline/checkdmarc", "baseline CPU ms"]
        print(f"baseline: mailauth from {baseline}")
    print(support.table(headers, rows))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


# -- bulk --------------------------------------------------------------------------------

BULK_CHILD = Path(__file__).with_name("bulk_child.py")
CHECKDMARC_CMD = Path(__file__).with_name("checkdmarc_cmd.py")
PROFILE_NAMES = {"sdm": "SPF/DMARC/MX", "full": "full check", "nodkim": "no DKIM probes"}


def bulk_child(
    args: argparse.Namespace, nameserver: str, count: int, profile: str
) -> dict[str, Any]:
    argv = [
        *(sys.executable, str(BULK_CHILD), "--nameserver", nameserver),
        *("--count", str(count), "--profile", profile, "--nofile", str(args.nofile)),
        *("--concurrency", str(args.concurrency)),
    ]
    env = {**os.environ, "PYTHONPATH": str(support.REPO / "src")}
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise support.BenchError(f"bulk run failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def checkdmarc_rate(port: int, count: int) -> tuple[float, int]:
    """checkdmarc's SPF/DMARC/MX over the first `count` synthetic domains: (domains/s,
    domains whose parts raised a DNS-level error)."""
    from tests.support.synthetic_domains import domain_names

    parts = checkdmarc_parts(port)
    clear_checkdmarc_caches()
    names = domain_names(count)
    start = time.perf_counter()
    problems = sum(bool(checkdmarc_run(parts, d, CHECKDMARC_SETS["SPF+DMARC+MX"])) for d in names)
    return count / (time.perf_counter() - start), problems


def bulk_main(args: argparse.Namespace) -> int:
    from tests.support.synthetic_domains import write_zone

    counts = [int(c) for c in args.bulk.split(",")]
    profiles = [p.strip() for p in args.bulk_profiles.split(",") if p.strip()]
    unknown = [p for p in profiles if p not in PROFILE_NAMES]
    if unknown or not profiles:
        raise support.BenchError(f"--bulk-profiles: choose from {', '.join(PROFILE_NAMES)}")
    zone = write_zone(Path(tempfile.mkdtemp(prefix="mailauth-bench-")), max(counts))
    runs: dict[tuple[int, str], list[dict[str, Any]]] = {}
    load = [os.getloadavg()[0]]
    with support.loopback_dns(args.rtt_ms, [zone]) as (_knot, proxy):
        proxy.counts()
        for _ in range(max(1, args.bulk_reps)):
            for count in counts:
                for profile in profiles:  # interleaved: profile by profile, count by count
                    result = bulk_child(args, proxy.nameserver, count, profile)
                    queries, tcp, proxy_peak = proxy.counts()
                    result.update(queries=queries, tcp=tcp, proxy_peak=proxy_peak)
                    runs.setdefault((count, profile), []).append(result)
                    load.append(os.getloadavg()[0])
                    print(f"  {count} {profile}: {summary_line(result)}", flush=True)
        rate, problems = checkdmarc_rate(proxy.port, args.checkdmarc_sample)
        support.assert_no_network_violation("checkdmarc")
    print_bulk(args, runs, rate, problems, load)
    return 0


def summary_line(r: dict[str, Any]) -> str:
    return (
        f"{r['domains'] / r['wall_s']:.0f}/s ({r['domains'] / r['cpu_s']:.0f} per CPU-s), "
        f"{r['complete']}/{r['domains']} complete, "
        f"timeouts {r['rcodes'].get('TIMEOUT', 0)}, peak RSS {r['peak_rss_mib']} MiB, "
        f"fds {r['peak_fds']}, in flight {r['peak_in_flight']}"
    )


def print_bulk(
    args: argparse.Namespace,
    runs: dict[tuple[int, str], list[dict[str, Any]]],
    rate: float,
    problems: int,
    load: list[float],
) -> None:
    print(
        f"\nbulk check, {args.rtt_ms:g} ms RTT, RLIMIT_NOFILE {args.nofile}, concurrency "
        f"{args.concurrency}, {os.cpu_count()} CPUs, load average {min(load):.1f}-{max(load):.1f}"
    )
    rows = []
    for (count, profile), results in sorted(runs.items()):
        med = statistics.median(r["domains"] / r["wall_s"] for r in results)
        complete = min(r["complete"] for r in results)
        timeouts = max(r["rcodes"].get("TIMEOUT", 0) for r in results)
        rss = max(r["peak_rss_mib"] for r in results)
        steps = results[-1]["rss_mib"]
        rows.append(
            [
                PROFILE_NAMES[profile],
                str(count),
                str(len(results)),
                f"{med:.0f}",
                f"{complete}/{count}",
                str(timeouts),
                f"{rss:.0f}",
                "/".join(f"{steps[k]:.0f}" for k in ("10%", "50%", "100%")),
                str(max(r["peak_fds"] for r in results)),
                str(max(r["peak_in_flight"] for r in results)),
                f"{statistics.median(r['queries'] / count for r in results):.1f}",
                f"{statistics.median(r['domains'] / r['cpu_s'] for r in results):.0f}",
                f"{med / rate:.0f}x",
            ]
        )
    headers = [
        "profile", "domains", "runs", "domains/s", "complete", "timeouts", "peak RSS MiB",
        "RSS 10/50/100%", "peak fds", "in flight", "q/domain", "per CPU-s", "vs checkdmarc",
    ]  # fmt: skip
    print(support.table(headers, rows))
    print(
        "\ndomains/s: median over the runs; per CPU-s: domains per second of the bulk process's"
        " own CPU time\n(what one free core would do; the machine is shared, see the load)"
    )
    print(
        f"\ncheckdmarc 6.0.4, SPF/DMARC/MX in-process, first {args.checkdmarc_sample} domains "
        f"only (it is sequential): {rate:.2f} domains/s"
        + (f", {problems} with DNS errors" if problems else "")
    )


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
    support.run_main(main)
