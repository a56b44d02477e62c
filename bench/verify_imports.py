"""What the message and DNS side of one `mailauth verify` costs to import, per message, for this
checkout and (with --baseline REV) an earlier commit's src/, against knotd on loopback.

    python bench/verify_imports.py --baseline main
    python bench/verify_imports.py --runs 10 good.eml unsigned.eml

Each run is `verify MESSAGE --nameserver knot` in a fresh interpreter under
`python -X importtime`; the trees take turns run by run. For every module the smallest self
time over the runs is kept (the run least disturbed by other work on a shared machine), and
summed: over all modules, and over the side issue 10's verify start-up work gave this branch
(our message/, dns/ and records/ modules, dnspython, pyspf, cryptography, idna, asyncio).
Compiled bytecode, as commands_startup.py does (PYTHONPYCACHEPREFIX per tree).
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from startup import export_src

import support  # bench/ is on sys.path: these scripts run as `python bench/NAME.py`

CLI = "import sys; sys.argv = ['mailauth', *{args!r}]; from mailauth.cli.main import main; main()"
OURS = ("mailauth.message", "mailauth.dns", "mailauth.records", "mailauth.names")
THEIRS = ("dns", "spf", "cryptography", "_cffi_backend", "idna", "asyncio")


def side_of(module: str) -> str | None:
    """The group a module is counted in on the message/DNS side, None for the rest."""
    if module.startswith(OURS):
        return ".".join(module.split(".")[:2])
    top = module.split(".")[0]
    return top if top in THEIRS else None


def self_times(stderr: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in stderr.splitlines():
        if line.startswith("import time:") and "cumulative" not in line:
            parts = line.split("|")
            out[parts[2].strip()] = int(parts[0].split(":")[1])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("messages", nargs="*", default=["good.eml"], help="in samples/messages")
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--baseline", metavar="REV", help="also measure src/ of this commit")
    args = parser.parse_args()
    knotd = support.require_knotd()
    with tempfile.TemporaryDirectory(prefix="mailauth-verify-imports-") as tmp:
        srcs = {"this": support.REPO / "src"}
        if args.baseline:
            srcs[args.baseline] = export_src(args.baseline, Path(tmp))
        envs = {}
        for name, src in srcs.items():
            env = {**os.environ, "PYTHONPATH": str(src), "MAILAUTH_LANG": "en"}
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / f"pyc-{name}")
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            subprocess.run(
                [sys.executable, "-m", "compileall", "-q", str(src)], env=env, check=True
            )
            envs[name] = env
        files = support.collect_zone_files([support.SAMPLE_ZONES])
        knot = support.start_knot(files, knotd, startup_timeout=120.0)
        try:
            for message in args.messages:
                report(message, measure(message, knot.nameserver, envs, args.runs))
        finally:
            knot.stop()
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


def measure(
    message: str, nameserver: str, envs: dict[str, dict[str, str]], runs: int
) -> dict[str, dict[str, int]]:
    path = support.SAMPLE_MESSAGES / message
    code = CLI.format(args=["verify", str(path), "--nameserver", nameserver])
    best: dict[str, dict[str, int]] = {name: {} for name in envs}
    for _ in range(runs):
        for name, env in envs.items():
            done = subprocess.run(
                [sys.executable, "-X", "importtime", "-c", code],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode not in (0, 1):
                raise support.BenchError(f"{name}: exit {done.returncode}\n{done.stderr[-2000:]}")
            for module, us in self_times(done.stderr).items():
                best[name][module] = min(best[name].get(module, us), us)
    return best


def report(message: str, best: dict[str, dict[str, int]]) -> None:
    print(message)
    for name, times in best.items():
        groups: collections.Counter[str] = collections.Counter()
        for module, us in times.items():
            group = side_of(module)
            if group is not None:
                groups[group] += us
        side, total = sum(groups.values()) / 1000, sum(times.values()) / 1000
        print(f"  {name:<10} message/DNS side {side:6.1f} ms   all modules {total:6.1f} ms")
        print("             " + ", ".join(f"{g} {us / 1000:.1f}" for g, us in groups.most_common()))


if __name__ == "__main__":
    support.run_main(main)
