"""Hostile and broken input: shared helpers.

- `cli`: runs `mailauth ...` in-process (click's CliRunner) and returns a `CliRun` with the exit
  code, stdout, stderr and the wall time, so every test can assert a time bound.
  (`clirun.py` also has `one_line_error(run)` and `digest(path)` for the file tests.)
- Hypothesis profile `hostile`: enough examples to find crashes, no per-example deadline
  (shared CI machines are slow), derandomised in CI so a failure reproduces.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings

from .clirun import CliRun, run_cli

settings.register_profile(
    "hostile",
    max_examples=int(os.environ.get("MAILAUTH_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    derandomize=os.environ.get("CI", "") == "true",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture
def cli() -> Callable[..., CliRun]:
    return lambda *args, stdin=None: run_cli([str(a) for a in args], stdin)
