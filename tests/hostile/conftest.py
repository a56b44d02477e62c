"""Hostile and broken input: shared helpers.

- `cli`: runs `mailauth ...` in-process (click's CliRunner) and returns a `CliRun` with the exit
  code, stdout, stderr and the wall time, so every test can assert a time bound.
- `one_line_error(run)`: asserts stderr is exactly one non-empty line, with no traceback.
- Hypothesis profile `hostile`: enough examples to find crashes, no per-example deadline
  (shared CI machines are slow), derandomised in CI so a failure reproduces.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings

settings.register_profile(
    "hostile",
    max_examples=int(os.environ.get("MAILAUTH_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    derandomize=os.environ.get("CI", "") == "true",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@dataclass(frozen=True)
class CliRun:
    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    exception: BaseException | None


def run_cli(args: Sequence[str], stdin: bytes | None = None) -> CliRun:
    from mailauth.cli.main import main

    runner = CliRunner()
    start = time.monotonic()
    result = runner.invoke(main, list(args), input=stdin, catch_exceptions=True)
    seconds = time.monotonic() - start
    exc = result.exception if not isinstance(result.exception, SystemExit) else None
    return CliRun(result.exit_code, result.stdout, result.stderr, seconds, exc)


@pytest.fixture
def cli() -> Callable[..., CliRun]:
    return lambda *args, stdin=None: run_cli([str(a) for a in args], stdin)


def one_line_error(run: CliRun) -> str:
    """The run failed cleanly: one line on stderr, no traceback, no exception escaped."""
    assert run.exception is None, f"exception escaped: {run.exception!r}"
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one error line, got {run.stderr!r}"
    assert "Traceback" not in run.stderr
    return lines[0]


def digest(path: Path) -> tuple[str, float, int]:
    """Content hash, mtime and mode: a file we only read must come out identical."""
    st = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), st.st_mtime, st.st_mode
