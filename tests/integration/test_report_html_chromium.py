"""The HTML report in a real browser: Debian's chromium, headless, loads the page with no
console message (a CSP violation, a script error, a blocked load would all be one) and
produces a screenshot. Skipped when chromium is absent, except in CI (CI=true), where a
missing browser is a failure, as for knot."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from click.testing import CliRunner
from tests.support import chromium
from tests.support import dmarc_gen as gen

from mailauth.cli.main import main

REPO = Path(__file__).resolve().parents[2]
ZONES = REPO / "tests" / "data" / "zones" / "report"


load = chromium.load


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
