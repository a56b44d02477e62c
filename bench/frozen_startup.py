"""What `@frozen` (src/mailauth/frozen.py) saves at start-up: compiles and CPU per command.

    python bench/frozen_startup.py --port PORT [--baseline /work/main/src] [--runs 9]
    python bench/frozen_startup.py --port PORT --cachegrind     # instruction counts too

`mailauth verify samples/messages/good.eml` and `mailauth check example.jp --no-fetch`
against a knotd serving samples/zones on 127.0.0.1:PORT, each run with this checkout's
src/ and with the baseline src/, taking turns (one untimed round first). Sources come
compiled from a PYTHONPYCACHEPREFIX, as an installed package's are. Reported: the number
of run-time compiles (audit event `compile` with filename `<string>`: the dataclass
machinery's `exec`s), and the median CPU time (user + system, getrusage of the children;
wall time on the shared machine is mostly waiting for a core). `--cachegrind` adds
valgrind's instruction count of one run each (load-independent).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from startup import compile_src, compiled_env

import support  # bench/ is on sys.path: these scripts run as `python bench/NAME.py`

_COUNTING = (
    "import sys, runpy\n"
    "n = [0]\n"
    "def hook(event, args):\n"
    "    if event == 'compile' and args[1] == '<string>':\n"
    "        n[0] += 1\n"
    "sys.addaudithook(hook)\n"
    "sys.argv = ['mailauth'] + sys.argv[1:]\n"
    "try:\n"
    "    runpy.run_module('mailauth', run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    "sys.stderr.write(f'COMPILES={n[0]}\\n')\n"
)


def _commands(port: int) -> dict[str, list[str]]:
    ns = f"127.0.0.1:{port}"
    message = str(support.SAMPLE_MESSAGES / "good.eml")
    return {
        "verify good.eml": ["verify", message, "--nameserver", ns],
        "check example.jp": ["check", "example.jp", "--nameserver", ns, "--no-fetch"],
    }


def _cpu_of(argv: list[str], env: dict[str, str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _compiles(args: list[str], env: dict[str, str]) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _COUNTING, *args], env=env, capture_output=True, text=True
    )
    found = re.search(r"COMPILES=(\d+)", done.stderr)
    return int(found.group(1)) if found else -1


def _instructions(args: list[str], env: dict[str, str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cg.out"
        done = subprocess.run(
            [
                "valgrind",
                "--tool=cachegrind",
                "--cache-sim=no",
                f"--cachegrind-out-file={out}",
                sys.executable,
                "-m",
                "mailauth",
                *args,
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
        return int(found.group(1).replace(",", "")) if found else -1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--baseline", type=Path, default=Path("/work/main/src"))
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--cachegrind", action="store_true")
    options = parser.parse_args()
    srcs = {"baseline": options.baseline.resolve(), "this": support.REPO / "src"}
    for src in srcs.values():
        compile_src(src)
    commands = _commands(options.port)
    cpu: dict[tuple[str, str], list[float]] = {(c, s): [] for c in commands for s in srcs}
    for round_ in range(options.runs + 1):
        for command, args in commands.items():
            for name, src in srcs.items():
                seconds = _cpu_of([sys.executable, "-m", "mailauth", *args], compiled_env(src))
                if round_:
                    cpu[command, name].append(seconds)
    print(f"load average: {os.getloadavg()[0]:.2f}, runs: {options.runs}")
    headers = ["command", "src", "compiles", "CPU median ms"]
    if options.cachegrind:
        headers.append("instructions (M)")
    rows = []
    for command, args in commands.items():
        for name, src in srcs.items():
            row: list[object] = [
                command,
                name,
                _compiles(args, compiled_env(src)),
                f"{statistics.median(cpu[command, name]) * 1000:.0f}",
            ]
            if options.cachegrind:
                row.append(f"{_instructions(args, compiled_env(src)) / 1e6:.0f}")
            rows.append(row)
        base = statistics.median(cpu[command, "baseline"])
        this = statistics.median(cpu[command, "this"])
        rows.append(
            [command, "this/baseline", "", f"{this / base:.3f}"]
            + [""] * (1 if options.cachegrind else 0)
        )
    print(support.table(headers, rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
