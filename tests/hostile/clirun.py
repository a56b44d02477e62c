"""Running `mailauth` in-process and judging how it failed (shared by the hostile tests)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner


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
