"""Run code in a fresh interpreter on the checkout this test process imports: what a start
loads (`sys.modules`, `-X importtime`) can only be seen in a process of its own. Shared by
the start-up tests of the CLI, verify, pyspf's loading and the DKIM key reader."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Collection
from pathlib import Path

import mailauth

SRC = Path(mailauth.__file__).resolve().parents[1]  # the code this test process runs
# `mailauth ARGS...` as a -c program: CLI.format(args=[...]).
CLI = "import sys; sys.argv = ['mailauth', *{args!r}]; from mailauth.cli.main import main; main()"


def run(
    code: str, *, importtime: bool = False, exit_codes: Collection[int] = (0,)
) -> subprocess.CompletedProcess[str]:
    """`python -c code` with SRC first on the path; fails the test on another exit code."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    flags = ["-X", "importtime"] if importtime else []
    done = subprocess.run(
        [sys.executable, *flags, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode in exit_codes, done.stderr[-2000:]
    return done


def imported(done: subprocess.CompletedProcess[str]) -> set[str]:
    """The modules a run under `importtime=True` imported, read from its stderr."""
    return {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "cumulative" not in line
    }
