"""Headless Chromium (Debian's chromium) for the tests of the self-contained HTML pages
(`report --format html`, `stats --format html`): open a page, keep a screenshot, return the
console lines it caused. Skipped when chromium is absent, except in CI (CI=true), where a
missing browser is a failure, as for knot."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        msg = "chromium is not installed (Debian package 'chromium'; ./scripts/test installs it)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true but {msg}", pytrace=False)
        pytest.skip(msg)
    return found


def load(page: Path, shot: Path, work: Path, *, height: int = 1900) -> list[str]:
    """Open `page` headless at 1200 x `height`, write a screenshot to `shot`; the console
    lines the page caused (a CSP violation, a script error, a blocked load are each one)."""
    cmd = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        f"--user-data-dir={work / 'profile'}", "--enable-logging=stderr", "--v=0",
        f"--window-size=1200,{height}", f"--screenshot={shot}", page.as_uri(),
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=90, cwd=work)
    assert done.returncode == 0, done.stderr[-2000:]
    return [line for line in done.stderr.splitlines() if _from_page(line)]


def _from_page(line: str) -> bool:
    """A console line the page caused. Chromium also logs its own UI's messages (a "Slow
    network is detected" note from chrome://resources on a loaded machine); those say
    nothing about the page and would make the test fail by the machine's load."""
    return ":CONSOLE" in line and "source: chrome://" not in line
