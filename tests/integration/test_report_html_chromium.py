"""The HTML report in a real browser: Debian's chromium, headless, loads the page with no
console message (a CSP violation, a script error, a blocked load would all be one) and
produces a screenshot. Skipped when chromium is absent, except in CI (CI=true), where a
missing browser is a failure, as for knot."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.support import dmarc_gen as gen

from mailauth.cli.main import main

REPO = Path(__file__).resolve().parents[2]
ZONES = REPO / "tests" / "data" / "zones" / "report"


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        msg = "chromium is not installed (Debian package 'chromium'; ./scripts/test installs it)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true but {msg}", pytrace=False)
        pytest.skip(msg)
    return found


def load(page: Path, shot: Path, work: Path) -> list[str]:
    """Open `page` headless, write a screenshot; the console lines the page caused."""
    cmd = [
        _chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        f"--user-data-dir={work / 'profile'}", "--enable-logging=stderr", "--v=0",
        "--window-size=1200,1900", f"--screenshot={shot}", page.as_uri(),
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=90, cwd=work)
    assert done.returncode == 0, done.stderr[-2000:]
    return [line for line in done.stderr.splitlines() if ":CONSOLE" in line]


def test_console_messages_are_seen(tmp_path: Path) -> None:
    """The harness can fail: a page that logs an error is caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><body><script>console.error("boom")</script></body></html>'
    )
    console = load(page, tmp_path / "bad.png", tmp_path)
    assert any('"boom"' in line for line in console)


def test_report_page_loads_cleanly_with_charts(tmp_path: Path) -> None:
    inputs = []
    for name, data in gen.month(gen.DOMAIN, gen.FAILING_DOMAIN, days=30):
        path = tmp_path / name
        path.write_bytes(data)
        inputs.append(str(path))
    page = tmp_path / "report.html"
    result = CliRunner().invoke(
        main, ["report", "--zone", str(ZONES), "--format", "html", "-o", str(page), *inputs]
    )
    assert result.exit_code == 0, result.output
    shot = tmp_path / "report.png"
    assert load(page, shot, tmp_path) == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a page, not a blank
    if os.environ.get("MAILAUTH_UPDATE_SCREENSHOT"):
        shutil.copyfile(shot, REPO / "docs" / "report-html.png")
