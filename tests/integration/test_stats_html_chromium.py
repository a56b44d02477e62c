"""The `mailauth stats` HTML page in a real browser: Debian's chromium, headless, loads it with
no console message (a CSP violation, a script error, a blocked load would each be one) and
takes a screenshot that shows charts, in English and in Japanese. Skipped when chromium is
absent, except in CI (CI=true), where a missing browser is a failure.
`MAILAUTH_UPDATE_SCREENSHOT=1` copies the English screenshot to docs/stats-html.png."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.support import chromium

from mailauth.cli.main import main

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "stats"


def load(page: Path, shot: Path, work: Path) -> list[str]:
    return chromium.load(page, shot, work, height=2000)


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
