"""Bulk scans against knotd on loopback (issue 13): 5,000 synthetic domains streamed to a
JSON Lines file, in bounded memory; SIGKILL mid-scan then `--resume`; Ctrl-C; `--shard`
parts that add up to one run; `--qps` held to at the server side.

Every run is `python -m mailauth check` in a child process, as a survey runs it. The scans
use `--dkim-selectors none --no-fetch` (SPF/DMARC survey profile, nothing leaves loopback)
to keep the suite fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.support.counting_relay import CountingRelay, most_in_window
from tests.support.knot import KnotServer, serving
from tests.support.peak_rss import high_water_kib
from tests.support.synthetic_domains import domain_names, write_zone

REPO = Path(__file__).resolve().parents[2]
COUNT = 5000
KILL_AFTER = 1000  # reports in the file when the scan is killed
SHARDED = 900  # the domains of the shard runs (~300 each)
# Peak RSS per domain more in the bigger run, at most. Streaming holds no report; what grows
# is the answer cache, bounded at 50,000 answers (~7 KiB per domain of this profile, full at
# ~7,500 domains; measured with tracemalloc). Holding every report would add ~14 KiB per
# domain (a DomainReport of these zones; its JSON line is ~9 KB) on top.
RSS_GROWTH_PER_DOMAIN_KIB = 11
TIMESTAMP_KEYS = frozenset({"checked_at"})  # differ between runs by nature

pytestmark = [pytest.mark.timeout(900), pytest.mark.knot]


@pytest.fixture(scope="module")
def knot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnotServer]:
    with serving([write_zone(tmp_path_factory.mktemp("synth5k"), COUNT)]) as server:
        yield server


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src"), "MAILAUTH_LANG": "en"}


def scan_args(listing: Path, out: Path, nameserver: str, *extra: str) -> list[str]:
    return [
        *(sys.executable, "-m", "mailauth", "check", "--domains-file", str(listing)),
        *("--nameserver", nameserver, "--timeout", "3", "--dkim-selectors", "none"),
        *("--no-fetch", "--format", "jsonl", "-o", str(out), *extra),
    ]


class Child:
    """A scan in a child process; `wait()` gives its status and peak RSS (KiB)."""

    def __init__(self, argv: list[str], workdir: Path) -> None:
        self.stderr_path = workdir / f"stderr.{time.monotonic_ns()}"
        with open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(
                argv, stdout=subprocess.DEVNULL, stderr=err, env=_env(), cwd=workdir
            )

    def wait(self, timeout: float = 600) -> tuple[int, int]:
        """Exit status and peak RSS in KiB: the child's VmHWM, read while it runs (wait4's
        ru_maxrss would count this test process's memory, copied into the child by fork
        before the exec)."""
        deadline = time.monotonic() + timeout
        peak = 0
        while True:
            peak = max(peak, high_water_kib(self.proc.pid))
            pid, status = os.waitpid(self.proc.pid, os.WNOHANG)
            if pid:
                self.proc.returncode = os.waitstatus_to_exitcode(status)
                return self.proc.returncode, peak
            if time.monotonic() > deadline:
                self.proc.kill()
                pytest.fail(f"scan did not end in {timeout} s: {self.stderr}")
            time.sleep(0.05)

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def wait_for_lines(self, out: Path, lines: int, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if out.exists() and count_lines(out) >= lines:
                return
            if self.proc.poll() is not None:
                pytest.fail(f"scan ended early ({self.proc.returncode}): {self.stderr}")
            time.sleep(0.05)
        pytest.fail(f"no {lines} reports in {timeout} s")


def count_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def read_reports(path: Path) -> list[dict[str, Any]]:
    """Every line of a scan file, each of which must be a whole report."""
    text = path.read_text(encoding="utf-8")
    assert text == "" or text.endswith("\n"), "the file ends in a torn line"
    return [json.loads(line) for line in text.splitlines()]


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    """A report without what differs between two runs over the same data (timestamps)."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in TIMESTAMP_KEYS}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    result: dict[str, Any] = strip(report)
    return result


def by_domain(reports: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out = {r["domain"]: comparable(r) for r in reports}
    assert len(out) == len(reports), "a domain reported twice"
    return out


@pytest.fixture(scope="module")
def listing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("list") / "domains.txt"
    path.write_text("# synthetic survey\n" + "".join(f"{n}\n" for n in domain_names(COUNT)))
    return path


@dataclass
class Killed:
    """The survey scan: SIGKILLed mid-way, then continued with --resume."""

    out: Path
    before: list[dict[str, Any]]  # the file as the kill left it
    after: list[dict[str, Any]]  # the file after --resume
    resumed_rss: int  # peak RSS (KiB) of the resumed run (~4,000 domains)
    manifests: tuple[dict[str, Any], dict[str, Any]]  # after the kill, after the resume


@pytest.fixture(scope="module")
def killed(knot: KnotServer, listing: Path, tmp_path_factory: pytest.TempPathFactory) -> Killed:
    work = tmp_path_factory.mktemp("killed")
    out = work / "scan.jsonl"
    first = Child(scan_args(listing, out, knot.nameserver), work)
    first.wait_for_lines(out, KILL_AFTER)
    first.proc.send_signal(signal.SIGKILL)
    assert first.wait()[0] == -signal.SIGKILL
    before = read_reports(out)  # every line written whole: valid as it stands
    manifest = json.loads((work / "scan.jsonl.manifest.json").read_text())
    # A kill inside the write itself would leave a torn line; make one to see it repaired.
    torn = json.dumps({"domain": "d004999.synth", "spf": {"status": "pass"}})[:40]
    with open(out, "a", encoding="utf-8") as f:
        f.write(torn)
    second = Child(scan_args(listing, out, knot.nameserver, "--resume"), work)
    status, rss = second.wait()
    assert status in (0, 1), second.stderr
    assert second.stderr == ""  # piped: no progress bar, no message
    after = read_reports(out)
    resumed = json.loads((work / "scan.jsonl.manifest.json").read_text())
    return Killed(out, before, after, rss, (manifest, resumed))


@pytest.fixture(scope="module")
def shards(knot: KnotServer, tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, int]]:
    """The first SHARDED domains (some listed twice) scanned as --shard 1/3, 2/3, 3/3:
    each part's file and its run's peak RSS (KiB)."""
    work = tmp_path_factory.mktemp("shards")
    names = domain_names(COUNT)[:SHARDED]
    part_list = work / "part.txt"
    part_list.write_text("\n".join(names) + "\n" + "\n".join(names[:20]) + "\n")
    runs = []
    for k in (1, 2, 3):
        out = work / f"shard{k}.jsonl"
        child = Child(scan_args(part_list, out, knot.nameserver, "--shard", f"{k}/3"), work)
        status, rss = child.wait()
        assert status in (0, 1), child.stderr
        runs.append((out, rss))
    return runs


def test_sigkill_leaves_whole_lines_and_resume_completes_exactly_once(killed: Killed) -> None:
    assert KILL_AFTER <= len(killed.before) < COUNT
    assert len(killed.after) == COUNT
    assert sorted(by_domain(killed.after)) == domain_names(COUNT)  # one report per domain
    assert killed.after[: len(killed.before)] == killed.before  # nothing written was lost
    assert all(r["complete"] for r in killed.after)


def test_the_manifest_of_a_killed_and_resumed_scan(killed: Killed, listing: Path) -> None:
    at_kill, resumed = killed.manifests
    assert at_kill["interrupted"] is True and at_kill["finished_at"] is None
    assert resumed["completed"] == COUNT and resumed["interrupted"] is False
    assert [r["resumed_from"] for r in resumed["runs"]] == [0, len(killed.before)]
    assert resumed["runs"][0]["interrupted"] is True
    assert resumed["input"]["domains"] == resumed["domains"] == COUNT


def test_three_shards_add_up_to_one_run(shards: list[tuple[Path, int]], killed: Killed) -> None:
    merged: dict[str, dict[str, Any]] = {}
    for out, _ in shards:
        part = by_domain(read_reports(out))
        assert not set(part) & set(merged), "a domain in two shards"
        assert SHARDED / 3 * 0.8 < len(part) < SHARDED / 3 * 1.2, len(part)  # a fair split
        merged.update(part)
    # The same reports, modulo timestamps, as the one (killed and resumed) run of all.
    whole = by_domain(killed.after)
    assert merged == {n: whole[n] for n in domain_names(COUNT)[:SHARDED]}


def test_memory_does_not_grow_with_the_number_of_domains(
    shards: list[tuple[Path, int]], killed: Killed
) -> None:
    """Peak RSS of a ~300-domain run (a shard) against the resumed run (~4,000 domains)."""
    small_rss = max(rss for _, rss in shards)
    small = max(count_lines(out) for out, _ in shards)
    big = len(killed.after) - len(killed.before)
    per_domain = (killed.resumed_rss - small_rss) / (big - small)
    print(f"peak RSS {small_rss} KiB ({small} domains), {killed.resumed_rss} KiB ({big})")
    assert per_domain < RSS_GROWTH_PER_DOMAIN_KIB, (small_rss, killed.resumed_rss)


def test_the_manifest_beside_the_output(knot: KnotServer, tmp_path: Path) -> None:
    names = domain_names(COUNT)[:50]
    small = tmp_path / "fifty.txt"
    small.write_text("\n".join(names) + "\n")
    out = tmp_path / "fifty.jsonl"
    child = Child(scan_args(small, out, knot.nameserver, "--shard", "1/1"), tmp_path)
    assert child.wait()[0] in (0, 1), child.stderr
    manifest = json.loads((tmp_path / "fifty.jsonl.manifest.json").read_text())
    assert manifest["input"]["path"] == str(small)
    assert manifest["input"]["sha256"] == hashlib.sha256(small.read_bytes()).hexdigest()
    assert manifest["input"]["domains"] == manifest["domains"] == manifest["completed"] == 50
    assert manifest["shard"] == "1/1" and manifest["interrupted"] is False
    assert manifest["dns"]["resolvers"] == [knot.nameserver]
    assert manifest["options"]["dkim_selectors"] == "none"
    assert manifest["started_at"] <= manifest["finished_at"]
    assert manifest["mailauth_version"]


def test_ctrl_c_writes_what_finished_and_exits_130(
    knot: KnotServer, listing: Path, tmp_path: Path
) -> None:
    out = tmp_path / "stopped.jsonl"
    child = Child(scan_args(listing, out, knot.nameserver), tmp_path)
    child.wait_for_lines(out, 300)
    child.proc.send_signal(signal.SIGINT)
    status, _ = child.wait(timeout=120)
    assert status == 130, child.stderr
    assert "interrupted:" in child.stderr and "--resume" in child.stderr
    assert "Traceback" not in child.stderr
    reports = read_reports(out)
    assert len(by_domain(reports)) >= 300
    manifest = json.loads((tmp_path / "stopped.jsonl.manifest.json").read_text())
    assert manifest["interrupted"] is True and manifest["completed"] == len(reports)
    assert manifest["finished_at"] is not None


def test_qps_limits_the_queries_the_server_sees(knot: KnotServer, tmp_path: Path) -> None:
    qps, count = 100, 50
    relay = CountingRelay(knot.address)
    try:
        small = tmp_path / "few.txt"
        small.write_text("\n".join(domain_names(count)) + "\n")
        out = tmp_path / "few.jsonl"
        argv = scan_args(small, out, relay.nameserver, "--qps", str(qps))
        child = Child(argv, tmp_path)
        assert child.wait()[0] in (0, 1), child.stderr
        arrivals = list(relay.arrivals)
    finally:
        relay.close()
    reports = read_reports(out)
    assert len(reports) == count and all(r["complete"] for r in reports)
    assert len(arrivals) > 2 * qps  # enough queries for the limit to matter
    burst = 10  # qps / 10
    # The limiter lets at most qps * W + burst go in any W seconds; at the server a send
    # delayed by a busy machine may land in the next window, hence the generous slack.
    assert most_in_window(arrivals, 2.0) <= 2 * qps + burst + qps // 2
    # And the queries were spread: at least (n - burst) / qps seconds from first to last,
    # which load can only lengthen.
    assert arrivals[-1] - arrivals[0] >= (len(arrivals) - burst) / qps * 0.95
