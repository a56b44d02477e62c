"""Benchmark `mailauth report`: import and judge N aggregate reports (default 10,000 reports
of 100 records = 1,000,000 records), throughput and peak memory, against parsedmarc 11.1
`--offline` on the same files.

Not a timed test. The reports are generated (tests/support/dmarc_gen.py: distinct source
IPs, realistic record XML, gzip like real reports) into a temporary directory. mailauth runs
in a child process (`mailauth report --db FILE --no-resolve --format json`) so its peak RSS
is its own; parsedmarc runs in a scratch venv:

    python -m venv /tmp/bench-report-pd && /tmp/bench-report-pd/bin/pip install parsedmarc==11.1.0
    python bench/report_import.py --parsedmarc /tmp/bench-report-pd/bin/parsedmarc

parsedmarc is slow (issue 12: ~590 single-record reports/s), so it gets a subset
(`--peer-reports`, default 1,000) and its rate is compared per record. Nothing leaves the
machine: both run with --no-resolve / --offline, and as root both children run in a network
namespace of their own (`unshare -n`: no interface but a down loopback).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DAYS = 30
sys.path.insert(0, str(REPO))
from tests.support import dmarc_gen as gen  # noqa: E402


def generate(directory: Path, reports: int, records: int) -> list[Path]:
    """`reports` gzip files of `records` records each, every record its own source IP."""
    paths = []
    senders = [
        gen.Sender(f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}", 1, gen.DOMAIN, "pass",
                   ((gen.DOMAIN, "s1", "pass"),), "aligned")
        for i in range(records)
    ]  # fmt: skip
    per_day = max(1, -(-reports // DAYS))  # a month: this many reporters each day
    for n in range(reports):
        org = f"reporter{n % per_day}.example"
        begin = gen.START + (n // per_day) * gen.DAY
        xml = gen.aggregate_xml(
            org, f"bench-{n}", gen.DOMAIN, begin, [(s, 1 + n % 7) for s in senders]
        )
        path = directory / f"{org}!{gen.DOMAIN}!{begin}!{n}.xml.gz"
        path.write_bytes(gzip.compress(xml, compresslevel=6, mtime=0))
        paths.append(path)
    return paths


def _isolated(cmd: list[str]) -> list[str]:
    """`cmd` in a fresh network namespace when we may make one (root, util-linux unshare)."""
    if os.geteuid() == 0 and shutil.which("unshare"):
        return ["unshare", "-n", "--", *cmd]
    return cmd


def run_child(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of the child, and its stdout. CPU time
    is the fair measure on a shared machine (wall time there is mostly waiting)."""
    cmd = _isolated(cmd)
    start = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage.ru_maxrss
    cpu_before = usage.ru_utime + usage.ru_stime
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = usage.ru_maxrss
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    if done.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    # ru_maxrss of children is the largest child so far: run mailauth first, the peer after.
    return seconds, cpu, max(peak, before) / 1024, done.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--records", type=int, default=100, help="records per report")
    ap.add_argument("--parsedmarc", help="path of a parsedmarc 11.1 executable (scratch venv)")
    ap.add_argument("--peer-reports", type=int, default=1_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="mailauth-bench-report-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        inputs = work / "in"
        inputs.mkdir()
        paths = generate(inputs, args.reports, args.records)
        size = sum(p.stat().st_size for p in paths)
        print(f"generated {len(paths)} reports x {args.records} records "
              f"({size / 2**20:.1f} MiB gzip) in {time.perf_counter() - t0:.1f} s")  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        db = work / "dmarc.sqlite"
        cmd = [sys.executable, "-c", "from mailauth.cli.main import main; main()", "report",
               "--no-resolve", "--db", str(db), "--format", "json", str(inputs)]  # fmt: skip
        seconds, cpu, peak, out = run_child(cmd, env)
        doc = json.loads(out)
        records = doc["records"]
        print(f"mailauth: {doc['reports_read']} reports, {records} records in {seconds:.1f} s "
              f"wall, {cpu:.1f} s CPU: {doc['reports_read'] / cpu:,.0f} reports/CPU-s, "
              f"{records / cpu:,.0f} records/CPU-s; peak RSS {peak:.0f} MiB, "
              f"store {db.stat().st_size / 2**20:.0f} MiB")  # fmt: skip
        if not args.parsedmarc:
            print("parsedmarc: not run (give --parsedmarc PATH, see the docstring)")
            return
        subset = work / "peer"
        subset.mkdir()
        for p in paths[: args.peer_reports]:
            (subset / p.name).symlink_to(p)
        peer_cmd = [args.parsedmarc, "--offline", "-s", "-o", str(work / "peer-out"),
                    *map(str, sorted(subset.iterdir()))]  # fmt: skip
        p_seconds, p_cpu, p_peak, _ = run_child(peer_cmd)
        n = min(args.peer_reports, len(paths))
        p_records = n * args.records
        print(f"parsedmarc 11.1 --offline: {n} reports, {p_records} records in {p_seconds:.1f} s "
              f"wall, {p_cpu:.1f} s CPU: {n / p_cpu:,.1f} reports/CPU-s, "
              f"{p_records / p_cpu:,.0f} records/CPU-s; peak RSS {p_peak:.0f} MiB "
              "(max of both children)")  # fmt: skip
        print(f"ratio (records per CPU second): {(records / cpu) / (p_records / p_cpu):.1f}x")


if __name__ == "__main__":
    main()
