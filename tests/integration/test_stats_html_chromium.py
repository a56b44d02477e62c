"""The `mailauth stats` HTML page in a real browser: Debian's chromium, headless, loads it with
no console message (a CSP violation, a script error, a blocked load would each be one) and
takes a screenshot that shows charts, in English and in Japanese. Skipped when chromium is
absent, except in CI (CI=true), where a missing browser is a failure.
`MAILAUTH_UPDATE_SCREENSHOT=1` copies the English screenshot to docs/stats-html.png."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailauth.cli.main import main

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "stats"


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
        "--window-size=1200,2000", f"--screenshot={shot}", page.as_uri(),
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=90, cwd=work)
    assert done.returncode == 0, done.stderr[-2000:]
    return [line for line in done.stderr.splitlines() if ":CONSOLE" in line]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_stats_page_loads_cleanly_with_charts(tmp_path: Path, lang: str) -> None:
    page = tmp_path / "stats.html"
    args = [
        "stats", str(DATA / "scan-2026-12.jsonl"), "--compare", str(DATA / "scan-2026-06.jsonl"),
        "--group-by", "sector", "--domains-csv", str(DATA / "domains.csv"),
        "--format", "html", "-o", str(page), "--lang", lang,
    ]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert html.count("<svg") == 4  # policy distribution, timeline, adoption, grades
    assert "<script" not in html and "<link" not in html and "url(" not in html
    shot = tmp_path / "stats.png"
    assert load(page, shot, tmp_path) == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a page, not a blank
    if lang == "en" and os.environ.get("MAILAUTH_UPDATE_SCREENSHOT"):
        shutil.copyfile(shot, REPO / "docs" / "stats-html.png")
