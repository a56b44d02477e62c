"""`mailauth stats` is wired like every command: each format it offers opens (a misspelt
writer module fails here), and its --help loads neither the statistics code nor the
Public Suffix List."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

import mailauth
from mailauth.render.environment import Environment
from mailauth.render.interface import Format
from mailauth.render.registry import stats_formats, supported

SRC = Path(mailauth.__file__).resolve().parents[1]
HEAVY = {"dkim", "spf", "dns", "publicsuffixlist"}  # as tests/unit/cli/test_cli_startup.py


def imported_modules(args: list[str]) -> set[str]:
    code = (
        f"import sys; sys.argv = ['mailauth', *{args!r}]; "
        "from mailauth.cli.main import main; main()"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "cumulative" not in line
    }


def test_stats_offers_the_survey_formats() -> None:
    assert set(supported(stats_formats)) == {
        Format.TEXT, Format.JSON, Format.MARKDOWN, Format.CSV, Format.HTML
    }  # fmt: skip


@pytest.mark.parametrize("fmt", list(supported(stats_formats)))
def test_every_stats_format_opens(fmt: Format) -> None:
    opener = stats_formats(fmt)
    assert opener is not None
    writer = opener(Environment(io.StringIO(), io.StringIO()), 1)
    assert callable(writer.emit) and callable(writer.close)


def test_stats_help_starts_without_heavy_modules() -> None:
    modules = imported_modules(["stats", "--help"])
    assert "mailauth.cli.stats" in modules
    assert not [m for m in modules if m.split(".")[0] in HEAVY]
    assert not [m for m in modules if m.startswith(("mailauth.stats", "mailauth.render.stats"))]
