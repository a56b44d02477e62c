"""The tables of groups stay readable when a grouping has thousands of groups: text,
Markdown and HTML show the biggest and say how many are left out; JSON and CSV keep all."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.unit.stats.reports import jsonl, report

from mailauth.render import stats_csv, stats_html, stats_markdown, stats_text
from mailauth.render.environment import Environment
from mailauth.render.output import write_all
from mailauth.render.stats_json import stats_json
from mailauth.render.stats_words import MAX_GROUPS
from mailauth.stats.reader import read_scan
from mailauth.stats.run import build_stats

GROUPS = MAX_GROUPS + 7


def _stats(tmp_path: Path) -> object:
    # group k has k + 1 domains, so the smallest groups are the ones left out
    docs = [report(f"d{k}-{n}.tld{k:03d}") for k in range(GROUPS) for n in range(k + 1)]
    path = tmp_path / "scan.jsonl"
    path.write_text(jsonl(*docs))
    return build_stats(read_scan([str(path)]), "tld")


def _text(s: object, lang: str = "en") -> str:
    out = io.StringIO()
    write_all(Environment(out, io.StringIO(), lang=lang), stats_text.text_writer, [s])
    return out.getvalue()


def test_tables_show_the_biggest_groups_and_count_the_rest(tmp_path: Path) -> None:
    s = _stats(tmp_path)
    left_out = "7 smaller groups (28 domains) are not shown"  # 1 + 2 + ... + 7 domains
    text = _text(s)
    assert left_out in text and "tld056" in text and "tld006" not in text
    assert left_out in stats_markdown.render([s], "en")  # type: ignore[list-item]
    assert left_out in stats_html.render([s], "en")  # type: ignore[list-item]
    assert "小さい 7 グループ（28 ドメイン）は表示していません" in _text(s, "ja")


def test_json_and_csv_keep_every_group(tmp_path: Path) -> None:
    s = _stats(tmp_path)
    assert len(stats_json(s, "en")["groups"]) == GROUPS  # type: ignore[arg-type]
    rows = list(csv.DictReader(io.StringIO(stats_csv.render([s], "en"))))  # type: ignore[list-item]
    assert len(rows) == GROUPS + 1 and rows[0]["group"] == ""
    assert json.dumps(stats_json(s, "en"), ensure_ascii=False)  # type: ignore[arg-type]


def test_a_formula_looking_group_is_quoted_in_csv() -> None:
    assert stats_csv._safe("=HYPERLINK()") == "'=HYPERLINK()"
    assert stats_csv._safe("retail") == "retail"
