"""How long `mailauth --version`, `--help`, `import mailauth` and one `verify` / `check` over
the sample zone files take to start, and which heavy modules they import (dkimpy, pyspf,
dnspython, rich...).

Each case runs in a fresh interpreter under `python -X importtime`, several times; the
numbers are medians. "imports ms" is the import time the case adds to a bare interpreter
(the sum of its top-level imports that `python -c pass` does not make, under importtime);
"wall ms" is the whole process, timed in a separate plain run. With `--baseline REV` the
same cases run against the `src/` of an earlier commit too (`git archive`, into a temporary
directory), side by side; the two checkouts take turns run by run. Each `src/` is compiled
first into its own PYTHONPYCACHEPREFIX, as an installed package is (this environment sets
PYTHONDONTWRITEBYTECODE, which would make every run compile mailauth's sources):

    python bench/startup.py                     # this checkout
    python bench/startup.py --baseline b13db7d  # before/after

No network: the cases import modules, print help, or answer from samples/zones/ (--zone).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CLI = "import sys; sys.argv = ['mailauth', *{args!r}]; from mailauth.cli.main import main; main()"
CASES: dict[str, str] = {
    "import mailauth": "import mailauth",
    "mailauth --version": CLI.format(args=["--version"]),
    "mailauth --help": CLI.format(args=["--help"]),
    "mailauth check --help": CLI.format(args=["check", "--help"]),
    "verify good.eml --zone": CLI.format(
        args=[
            "verify",
            str(REPO / "samples/messages/good.eml"),
            "--zone",
            str(REPO / "samples/zones"),
        ]
    ),
    "check example.jp --zone": CLI.format(
        args=["check", "example.jp", "--zone", str(REPO / "samples/zones")]
    ),
}
# What a start-up should not pay for: the verification libraries, the DNS client, the
# terminal renderer, the event loop, and the crypto behind dkimpy.
HEAVY = ("dkim", "spf", "dns.resolver", "dns", "rich", "asyncio", "cryptography", "nacl", "idna")


@dataclass(frozen=True)
class Run:
    wall_ms: float
    imports_ms: float
    modules: frozenset[str]


@dataclass(frozen=True)
class Result:
    wall_ms: float
    imports_ms: float
    heavy: tuple[str, ...]


def _imports(stderr: str) -> tuple[dict[str, int], set[str]]:
    """Top-level imports with their cumulative microseconds, and every module imported."""
    top: dict[str, int] = {}
    every: set[str] = set()
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line[len("import time:") :].split("|")
        every.add(name.strip())
        if not name.startswith("  "):  # one space: imported by the code itself, not nested
            top[name.strip()] = int(cumulative)
    return top, every


def compiled_env(src: Path) -> dict[str, str]:
    """Compiled bytecode in a cache of this `src/`'s own (see the docstring)."""
    env = {**os.environ, "PYTHONPATH": str(src), "MAILAUTH_LANG": "en"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "mailauth-startup-pycache")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_src(src: Path) -> None:
    """`src` compiled into the cache `compiled_env` points at, as an installed package is."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(src)],
        env=compiled_env(src),
        stdout=subprocess.DEVNULL,
        check=True,
    )


def _run(code: str, src: Path, startup: set[str]) -> Run:
    """One plain run, timed (what a user waits for), and one under -X importtime, parsed."""
    env = compiled_env(src)
    started = time.perf_counter()
    plain = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=False)
    wall = (time.perf_counter() - started) * 1000
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if plain.returncode or done.returncode:
        raise SystemExit(f"{code!r} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    top, every = _imports(done.stderr)
    added = sum(us for name, us in top.items() if name not in startup) / 1000
    return Run(wall, added, frozenset(every))


def _startup_modules(src: Path) -> set[str]:
    env = compiled_env(src)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "pass"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return _imports(done.stderr)[1]


def _checked_source(src: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(src)}
    code = "import mailauth, pathlib; print(pathlib.Path(mailauth.__file__).resolve())"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    if not out.startswith(str(src.resolve())):
        raise SystemExit(f"mailauth imported from {out}, not from {src}")


def measure(srcs: list[Path], reps: int) -> list[dict[str, Result]]:
    """Every case for every `src/`, the checkouts taking turns run by run."""
    startups = []
    for src in srcs:
        _checked_source(src)
        compile_src(src)
        startups.append(_startup_modules(src))
    runs: list[dict[str, list[Run]]] = [{case: [] for case in CASES} for _ in srcs]
    for _ in range(reps):
        for case, code in CASES.items():
            for i, src in enumerate(srcs):
                runs[i][case].append(_run(code, src, startups[i]))
    out = []
    for per_case in runs:
        results: dict[str, Result] = {}
        for case, done in per_case.items():
            seen = frozenset().union(*(r.modules for r in done))
            results[case] = Result(
                statistics.median(r.wall_ms for r in done),
                statistics.median(r.imports_ms for r in done),
                tuple(m for m in HEAVY if m in seen),
            )
        out.append(results)
    return out


def bare_interpreter_ms(reps: int) -> float:
    times = []
    for _ in range(reps):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def compiled_srcs(baseline: str | None, into: Path) -> dict[str, Path]:
    """This checkout's `src/` ("this") and, with `baseline`, that commit's exported under
    `into`: each compiled as an installed package is (`compile_src`), for scripts that
    compare the two."""
    srcs = {"this": REPO / "src"}
    if baseline:
        srcs[baseline] = export_src(baseline, into)
    for src in srcs.values():
        compile_src(src)
    return srcs


def export_src(rev: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", rev, "src"],
        capture_output=True,
        check=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):  # 3.12, and 3.10.12+
            tar.extractall(into, filter="data")
        else:  # pragma: no cover - our own repository's files
            tar.extractall(into)
    return into / "src"


def _heavy(names: tuple[str, ...]) -> str:
    return ", ".join(names) if names else "-"


def report(after: dict[str, Result], before: dict[str, Result] | None, bare: float) -> str:
    lines = [f"bare interpreter (python -c pass): {bare:.0f} ms wall", ""]
    if before is None:
        header = f"{'case':<24}{'wall ms':>9}{'imports ms':>12}  heavy modules imported"
        lines += [header, "-" * len(header)]
        for case, r in after.items():
            lines.append(f"{case:<24}{r.wall_ms:>9.0f}{r.imports_ms:>12.1f}  {_heavy(r.heavy)}")
        return "\n".join(line.rstrip() for line in lines)
    lines.append(f"{'':<24}{'wall ms':^17}{'imports ms':^17}")
    header = (
        f"{'case':<24}{'before':>8}{'after':>8} {'before':>8}{'after':>8}  heavy modules imported"
    )
    lines += [header, "-" * (len(header) + 20)]
    for case, r in after.items():
        b = before[case]
        lines.append(
            f"{case:<24}{b.wall_ms:>8.0f}{r.wall_ms:>8.0f} {b.imports_ms:>8.1f}{r.imports_ms:>8.1f}"
            f"  before: {_heavy(b.heavy)}; after: {_heavy(r.heavy)}"
        )
    return "\n".join(line.rstrip() for line in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=9, help="runs per case (median; default 9)")
    parser.add_argument("--baseline", metavar="REV", help="also measure src/ of this commit")
    args = parser.parse_args(argv)
    reps = max(1, min(args.reps, 100))
    before = None
    if args.baseline:
        with tempfile.TemporaryDirectory(prefix="mailauth-startup-") as tmp:
            after, before = measure([REPO / "src", export_src(args.baseline, Path(tmp))], reps)
    else:
        (after,) = measure([REPO / "src"], reps)
    print(report(after, before, bare_interpreter_ms(reps)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
