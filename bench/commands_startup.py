"""One verification and one check as commands, start-up included, like hyperfine would time
them: `mailauth verify samples/messages/good.eml` against dkimpy's `dkimverify` on the same
message, and `mailauth check example.jp` against checkdmarc (bench/checkdmarc_cmd.py, when
checkdmarc is importable), with knotd on loopback serving samples/zones at no added latency.

    python bench/commands_startup.py                      # this checkout
    python bench/commands_startup.py --baseline main      # and an earlier commit's src/
    /tmp/bench/bin/python bench/commands_startup.py       # with checkdmarc installed there
    python bench/commands_startup.py --baseline main --no-check \
        --message samples/messages/arc-broken.eml --verify-format json   # verify rows only

The commands take turns run by run (one untimed round first); the numbers are medians of the
wall time. Every `src/` is compiled first into a PYTHONPYCACHEPREFIX, as an installed package
is: this environment sets PYTHONDONTWRITEBYTECODE, which would make every mailauth start
compile its sources while dkimpy's and checkdmarc's come compiled from pip. The network guard
of the test suite runs in dkimverify's and checkdmarc's processes (dkimverify's resolver is
pointed at knot), so nothing leaves loopback.

`--no-pyc` times mailauth as this environment runs a checkout instead: PYTHONDONTWRITEBYTECODE
set and no prefix, so mailauth's sources are compiled on every start (the peers, the standard
library and the other site-packages still load their `__pycache__` from the installation).
Each row also gives the CPU time (user + system) of the command: on a loaded machine the wall
time is mostly waiting for a core.

`--instructions` counts instead of timing: each command runs once untimed, then once under
valgrind's cachegrind (`--cache-sim=no`), which reports the instructions it executed in user
space (`I refs`). The count repeats to ~0.1 % from run to run whatever the load, where the
CPU medians of this shared machine move by ±5-10 %, so a change of 1 % can be seen in one
run (issue 10, start-up). It leaves out the kernel's time (file system, sockets) and cache
misses, so it is a proxy: the ratios come out a little higher than the CPU ratios.

    python bench/commands_startup.py --instructions --no-check --baseline main
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from startup import compiled_srcs

import support  # bench/ is on sys.path: these scripts run as `python bench/NAME.py`

MESSAGE = support.SAMPLE_MESSAGES / "good.eml"
DOMAIN = "example.jp"
CHECKDMARC_CMD = Path(__file__).with_name("checkdmarc_cmd.py")
_DKIMVERIFY = (
    "import sys; sys.path.insert(0, {repo!r}); from tests.support import netguard; "
    "netguard.install(); import dns.resolver as r, runpy; "
    "res = r.Resolver(configure=False); res.nameservers = ['127.0.0.1']; res.port = {port}; "
    "r.default_resolver = res; sys.argv = ['dkimverify']; "
    "runpy.run_module('dkim.dkimverify', run_name='__main__')"
)


def _env(src: Path | None, pyc: bool = True) -> dict[str, str]:
    env = {**os.environ, "MAILAUTH_LANG": "en"}
    if pyc:
        prefix = Path(tempfile.gettempdir()) / "mailauth-startup-pycache"
        env["PYTHONPYCACHEPREFIX"] = str(prefix)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env.pop("PYTHONPYCACHEPREFIX", None)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def commands(
    port: int,
    srcs: dict[str, Path],
    pyc: bool = True,
    message: Path = MESSAGE,
    verify_args: tuple[str, ...] = (),
    check: bool = True,
) -> dict[str, tuple[list[str], dict[str, str]]]:
    """dkimverify reads `message` on stdin (`run`); `verify_args` are added to each
    `mailauth verify` (`--format json`); `check`: also the check rows."""
    ns = f"127.0.0.1:{port}"
    out: dict[str, tuple[list[str], dict[str, str]]] = {
        "dkimverify": (
            [sys.executable, "-c", _DKIMVERIFY.format(repo=str(support.REPO), port=port)],
            _env(None),
        )
    }
    for name, src in srcs.items():
        verify = ["verify", str(message), "--nameserver", ns, *verify_args]
        argv = [sys.executable, "-m", "mailauth", *verify]
        out[f"mailauth verify ({name})"] = (argv, _env(src, pyc))
    if not check:
        return out
    if importlib.util.find_spec("checkdmarc") is not None:
        argv = [sys.executable, str(CHECKDMARC_CMD), DOMAIN, "--port", str(port)]
        out["checkdmarc"] = (argv, _env(None))
    for name, src in srcs.items():
        check = ["check", DOMAIN, "--nameserver", ns, "--no-fetch"]
        argv = [sys.executable, "-m", "mailauth", *check]
        out[f"mailauth check ({name})"] = (argv, _env(src, pyc))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=15, help="timed runs per command")
    parser.add_argument("--baseline", metavar="REV", help="also time src/ of this commit")
    parser.add_argument(
        "--no-pyc", action="store_true", help="mailauth without compiled bytecode (see above)"
    )
    parser.add_argument(
        "--message", type=Path, default=MESSAGE, help="the message both verifiers read"
    )
    parser.add_argument(
        "--verify-format", metavar="FORMAT", help="`mailauth verify --format FORMAT` (json)"
    )
    parser.add_argument("--no-check", action="store_true", help="time the verify rows only")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count each command's instructions under valgrind instead of timing (see above)",
    )
    args = parser.parse_args()
    verify_args = ("--format", args.verify_format) if args.verify_format else ()
    knotd = support.require_knotd()
    with tempfile.TemporaryDirectory(prefix="mailauth-commands-") as tmp:
        srcs = compiled_srcs(args.baseline, Path(tmp))
        knot = support.start_knot(
            support.collect_zone_files([support.SAMPLE_ZONES]), knotd, startup_timeout=120.0
        )
        try:
            cmds = commands(
                knot.address[1], srcs, not args.no_pyc, args.message, verify_args, not args.no_check
            )
            if args.instructions:
                counts = instructions(cmds, args.message)
            else:
                times, cpu = run(cmds, args.reps, args.message)
        finally:
            knot.stop()
    if args.instructions:
        report_instructions(counts)
    else:
        report(times, cpu)
    return 0


_VALGRIND = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
_I_REFS = re.compile(rb"I\s+refs:\s+([\d,]+)")


def instructions(
    cmds: dict[str, tuple[list[str], dict[str, str]]], message: Path = MESSAGE
) -> dict[str, int]:
    """The instructions each command executes (cachegrind's `I refs`), after one untimed
    run that fills the bytecode caches."""
    counts: dict[str, int] = {}
    for name, (argv, env) in cmds.items():
        for prefix in ([], _VALGRIND):
            with message.open("rb") as stdin:
                done = subprocess.run(
                    [*prefix, *argv], stdin=stdin, env=env, capture_output=True, check=False
                )
            if done.returncode not in (0, 1):
                raise support.BenchError(f"{name}: exit {done.returncode}\n{done.stderr[-2000:]!r}")
        found = _I_REFS.search(done.stderr)
        if found is None:
            raise support.BenchError(f"{name}: no instruction count (is valgrind installed?)")
        counts[name] = int(found.group(1).replace(b",", b""))
    return counts


def report_instructions(counts: dict[str, int]) -> None:
    peers = {"verify": "dkimverify", "check": "checkdmarc"}
    rows = []
    for name, count in counts.items():
        peer = next((p for w, p in peers.items() if name.startswith(f"mailauth {w}")), None)
        ratio = f"{count / counts[peer]:.2f}x" if peer in counts else "-"
        rows.append([name, f"{count / 1e6:.1f}", ratio])
    print(support.table(["command", "M instructions", "/ peer's"], rows))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(
    cmds: dict[str, tuple[list[str], dict[str, str]]], reps: int, message: Path = MESSAGE
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall times and CPU times (user + system of the child) per command. On a loaded
    machine the wall time is mostly waiting for a core; the CPU time is what the command
    costs, so both are reported."""
    times: dict[str, list[float]] = {name: [] for name in cmds}
    cpu: dict[str, list[float]] = {name: [] for name in cmds}
    loads = [os.getloadavg()[0]]
    for rep in range(reps + 1):
        for name, (argv, env) in cmds.items():
            with message.open("rb") as stdin:
                started, cpu_before = time.perf_counter(), _cpu()
                done = subprocess.run(argv, stdin=stdin, env=env, capture_output=True, check=False)
                elapsed, spent = time.perf_counter() - started, _cpu() - cpu_before
            if done.returncode not in (0, 1):
                raise support.BenchError(f"{name}: exit {done.returncode}\n{done.stderr[-2000:]!r}")
            if rep:  # the first round is the warm-up
                times[name].append(elapsed)
                cpu[name].append(spent)
        loads.append(os.getloadavg()[0])
    print(
        f"{reps} runs each, interleaved, {os.cpu_count()} CPUs, "
        f"load average {min(loads):.1f}-{max(loads):.1f}"
    )
    return times, cpu


def report(times: dict[str, list[float]], cpu: dict[str, list[float]]) -> None:
    peers = {"verify": "dkimverify", "check": "checkdmarc"}
    rows = []
    for name, runs in times.items():
        peer = next((p for w, p in peers.items() if name.startswith(f"mailauth {w}")), None)
        ratio = cpu_ratio = "-"
        if peer in times:
            ratio = f"{statistics.median(runs) / statistics.median(times[peer]):.2f}x"
            cpu_ratio = f"{statistics.median(cpu[name]) / statistics.median(cpu[peer]):.2f}x"
        rows.append(
            [
                name,
                f"{support.median_ms(runs):.0f}",
                f"{min(runs) * 1000:.0f}",
                ratio,
                f"{support.median_ms(cpu[name]):.0f}",
                cpu_ratio,
            ]
        )
    headers = ["command", "median ms", "min ms", "time / peer's", "CPU ms", "CPU / peer's"]
    print(support.table(headers, rows))


if __name__ == "__main__":
    support.run_main(main)
