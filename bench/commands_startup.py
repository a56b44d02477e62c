"""One verification and one check as commands, start-up included, like hyperfine would time
them: `mailauth verify samples/messages/good.eml` against dkimpy's `dkimverify` on the same
message, and `mailauth check example.jp` against checkdmarc (bench/checkdmarc_cmd.py, when
checkdmarc is importable), with knotd on loopback serving samples/zones at no added latency.

    python bench/commands_startup.py                      # this checkout
    python bench/commands_startup.py --baseline main      # and an earlier commit's src/
    /tmp/bench/bin/python bench/commands_startup.py       # with checkdmarc installed there

The commands take turns run by run (one untimed round first); the numbers are medians of the
wall time. Every `src/` is compiled first into a PYTHONPYCACHEPREFIX, as an installed package
is: this environment sets PYTHONDONTWRITEBYTECODE, which would make every mailauth start
compile its sources while dkimpy's and checkdmarc's come compiled from pip. The network guard
of the test suite runs in dkimverify's and checkdmarc's processes (dkimverify's resolver is
pointed at knot), so nothing leaves loopback.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from startup import export_src

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


def _env(src: Path | None) -> dict[str, str]:
    env = {**os.environ, "MAILAUTH_LANG": "en"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "mailauth-startup-pycache")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def commands(port: int, srcs: dict[str, Path]) -> dict[str, tuple[list[str], dict[str, str]]]:
    ns = f"127.0.0.1:{port}"
    out: dict[str, tuple[list[str], dict[str, str]]] = {
        "dkimverify": (
            [sys.executable, "-c", _DKIMVERIFY.format(repo=str(support.REPO), port=port)],
            _env(None),
        )
    }
    for name, src in srcs.items():
        verify = ["verify", str(MESSAGE), "--nameserver", ns]
        out[f"mailauth verify ({name})"] = ([sys.executable, "-m", "mailauth", *verify], _env(src))
    if importlib.util.find_spec("checkdmarc") is not None:
        argv = [sys.executable, str(CHECKDMARC_CMD), DOMAIN, "--port", str(port)]
        out["checkdmarc"] = (argv, _env(None))
    for name, src in srcs.items():
        check = ["check", DOMAIN, "--nameserver", ns, "--no-fetch"]
        out[f"mailauth check ({name})"] = ([sys.executable, "-m", "mailauth", *check], _env(src))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=15, help="timed runs per command")
    parser.add_argument("--baseline", metavar="REV", help="also time src/ of this commit")
    args = parser.parse_args()
    knotd = support.find_knotd()
    if knotd is None:
        raise support.BenchError("knotd is not installed (Debian: apt-get install -y knot)")
    with tempfile.TemporaryDirectory(prefix="mailauth-commands-") as tmp:
        srcs = {"this": support.REPO / "src"}
        if args.baseline:
            srcs[args.baseline] = export_src(args.baseline, Path(tmp))
        for src in srcs.values():
            subprocess.run(
                [sys.executable, "-m", "compileall", "-q", str(src)],
                env=_env(src), stdout=subprocess.DEVNULL, check=True,
            )  # fmt: skip
        knot = support.start_knot(
            support.collect_zone_files([support.SAMPLE_ZONES]), knotd, startup_timeout=120.0
        )
        try:
            times = run(commands(knot.address[1], srcs), args.reps)
        finally:
            knot.stop()
    report(times, args.reps)
    return 0


def run(cmds: dict[str, tuple[list[str], dict[str, str]]], reps: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in cmds}
    loads = [os.getloadavg()[0]]
    for rep in range(reps + 1):
        for name, (argv, env) in cmds.items():
            with MESSAGE.open("rb") as stdin:
                started = time.perf_counter()
                done = subprocess.run(argv, stdin=stdin, env=env, capture_output=True, check=False)
                elapsed = time.perf_counter() - started
            if done.returncode not in (0, 1):
                raise support.BenchError(f"{name}: exit {done.returncode}\n{done.stderr[-2000:]!r}")
            if rep:  # the first round is the warm-up
                times[name].append(elapsed)
        loads.append(os.getloadavg()[0])
    print(
        f"{reps} runs each, interleaved, {os.cpu_count()} CPUs, "
        f"load average {min(loads):.1f}-{max(loads):.1f}"
    )
    return times


def report(times: dict[str, list[float]], reps: int) -> None:
    peers = {"verify": "dkimverify", "check": "checkdmarc"}
    rows = []
    for name, runs in times.items():
        peer = next((p for w, p in peers.items() if name.startswith(f"mailauth {w}")), None)
        ratio = "-"
        if peer in times:
            ratio = f"{statistics.median(runs) / statistics.median(times[peer]):.2f}x"
        rows.append([name, f"{support.median_ms(runs):.0f}", f"{min(runs) * 1000:.0f}", ratio])
    print(support.table(["command", "median ms", "min ms", "time / peer's"], rows))


if __name__ == "__main__":
    sys.exit(main())
