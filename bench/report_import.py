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

On a shared machine one run says little: `--runs N` takes turns (mailauth, parsedmarc,
and with `--baseline REF` mailauth as of that git commit, each on a fresh store) and
prints every run, then the medians and the ratio of the medians; `--peer-runs N` runs
parsedmarc in the first N turns only. Each child's CPU time
and peak RSS are its own (os.wait4).

mailauth runs with compiled bytecode of its own (an untimed first run fills the cache),
as an installed package does and as parsedmarc's venv has (`--no-pyc`: compile every
module in every run, what a src/ without __pycache__ under PYTHONDONTWRITEBYTECODE
gave before 2026-12-06 17:00); `--venv` also runs it in a scratch venv, as parsedmarc
runs, without the system Python's .pth start-up hooks (see `Mailauth`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
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
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if child.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} failed ({child.returncode}):\n{stderr[-3000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout


def checkout(ref: str, into: Path) -> Path:
    """The src/ tree of git commit `ref`, for a before/after comparison."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", ref, "src"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


class Mailauth:
    """How a mailauth child runs: its `src`, its compiled bytecode (a cache of its own,
    `PYTHONPYCACHEPREFIX`, filled by an untimed first run, as `pip install` compiles an
    installed package and parsedmarc's venv has its .pyc; `--no-pyc` compiles every
    module in every run, as a src/ without __pycache__ under PYTHONDONTWRITEBYTECODE
    did), and its interpreter: `sys.executable` with this Python's site-packages, or with
    `--venv` a scratch venv's (no site-packages of its own, like parsedmarc's), with the
    system site-packages on PYTHONPATH as a plain path, so its packages are found but
    their .pth start-up hooks (this sandbox has one that imports certifi) do not run."""

    def __init__(self, src: Path, pycache: Path | None, python: str, extra: list[str]) -> None:
        self.src = src
        self.pycache = pycache
        self.python = python
        self.extra = extra

    def env(self) -> dict[str, str]:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(self.src), *self.extra])}
        if self.pycache is not None:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(self.pycache)
        return env

    def run(self, db: Path, inputs: Path) -> tuple[float, float, float, dict[str, int]]:
        cmd = [self.python, "-c", "from mailauth.cli.main import main; main()", "report",
               "--no-resolve", "--db", str(db), "--format", "json", str(inputs)]  # fmt: skip
        seconds, cpu, peak, out = run_child(cmd, self.env())
        db.unlink()
        return seconds, cpu, peak, json.loads(out)


def scratch_venv(work: Path) -> tuple[str, list[str]]:
    """A venv without pip or site-packages of its own (`--venv`), and the system
    site-packages to put on PYTHONPATH."""
    import site

    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(work / "venv")],
                   check=True)  # fmt: skip
    return str(work / "venv" / "bin" / "python"), site.getsitepackages()


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--records", type=int, default=100, help="records per report")
    ap.add_argument("--parsedmarc", help="path of a parsedmarc 11.1 executable (scratch venv)")
    ap.add_argument("--peer-reports", type=int, default=1_000)
    ap.add_argument("--runs", type=int, default=1, help="interleaved runs of each")
    ap.add_argument("--peer-runs", type=int, help="runs of parsedmarc (default: --runs); "
                    "it is slow, and one run of it is as steady as two of mailauth")  # fmt: skip
    ap.add_argument("--baseline", help="also run mailauth as of this git commit")
    ap.add_argument("--no-pyc", action="store_true", help="no compiled bytecode for "
                    "mailauth (each run compiles every module it imports)")  # fmt: skip
    ap.add_argument("--venv", action="store_true", help="run mailauth in a scratch venv, "
                    "as parsedmarc runs (no .pth start-up hooks of the system Python)")  # fmt: skip
    args = ap.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="mailauth-bench-report-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        inputs = work / "in"
        inputs.mkdir()
        paths = generate(inputs, args.reports, args.records)
        size = sum(p.stat().st_size for p in paths)
        print(f"generated {len(paths)} reports x {args.records} records "
              f"({size / 2**20:.1f} MiB gzip) in {time.perf_counter() - t0:.1f} s")  # fmt: skip
        subset = work / "peer"
        subset.mkdir()
        for p in paths[: args.peer_reports]:
            (subset / p.name).symlink_to(p)
        n_peer = min(args.peer_reports, len(paths))
        srcs = {"mailauth": REPO / "src"}
        if args.baseline:
            (work / "base").mkdir()
            srcs[f"mailauth@{args.baseline}"] = checkout(args.baseline, work / "base")
        python, extra = scratch_venv(work) if args.venv else (sys.executable, [])
        tools = {
            name: Mailauth(src, None if args.no_pyc else work / f"pyc-{n}", python, extra)
            for n, (name, src) in enumerate(srcs.items())
        }
        warm = work / "warm"
        warm.mkdir()
        shutil.copy(paths[0], warm)
        for tool in tools.values():  # fills the bytecode cache; not timed
            tool.run(work / "dmarc.sqlite", warm)
        print(f"mailauth: {'no compiled bytecode' if args.no_pyc else 'compiled bytecode'}, "
              f"{'a scratch venv' if args.venv else sys.executable}")  # fmt: skip
        rates: dict[str, list[float]] = {name: [] for name in tools}
        rates["parsedmarc"] = []
        for run in range(1, args.runs + 1):
            for name, tool in tools.items():
                seconds, cpu, peak, doc = tool.run(work / "dmarc.sqlite", inputs)
                records = doc["records"]
                rates[name].append(records / cpu)
                print(f"run {run} {name}: {doc['reports_read']} reports, {records} records in "
                      f"{seconds:.1f} s wall, {cpu:.1f} s CPU: {doc['reports_read'] / cpu:,.0f} "
                      f"reports/CPU-s, {records / cpu:,.0f} records/CPU-s; peak RSS "
                      f"{peak:.0f} MiB; load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
            peer_runs = args.runs if args.peer_runs is None else args.peer_runs
            if not args.parsedmarc or run > peer_runs:
                continue
            out = work / "peer-out"
            peer_cmd = [args.parsedmarc, "--offline", "-s", "-o", str(out),
                        *map(str, sorted(subset.iterdir()))]  # fmt: skip
            p_seconds, p_cpu, p_peak, _ = run_child(peer_cmd)
            shutil.rmtree(out, ignore_errors=True)
            p_records = n_peer * args.records
            rates["parsedmarc"].append(p_records / p_cpu)
            print(f"run {run} parsedmarc 11.1 --offline: {n_peer} reports, {p_records} records in "
                  f"{p_seconds:.1f} s wall, {p_cpu:.1f} s CPU: {n_peer / p_cpu:,.1f} "
                  "reports/CPU-s, "
                  f"{p_records / p_cpu:,.0f} records/CPU-s; peak RSS {p_peak:.0f} MiB; "
                  f"load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
        print(f"\nmedians over {args.runs} interleaved run(s), load average {load:.1f} at start, "
              f"{os.getloadavg()[0]:.1f} at end (records per CPU second):")  # fmt: skip
        for name, values in rates.items():
            if values:
                print(f"  {name:24s} {_median(values):>9,.0f}")
        peer = _median(rates["parsedmarc"])
        for name in tools:
            if rates["parsedmarc"]:
                print(f"ratio {name} / parsedmarc: {_median(rates[name]) / peer:.1f}x")
        if args.baseline:
            base = _median(rates[f"mailauth@{args.baseline}"])
            now = _median(rates["mailauth"])
            print(f"ratio mailauth / mailauth@{args.baseline}: {now / base:.2f}x")


if __name__ == "__main__":
    main()
