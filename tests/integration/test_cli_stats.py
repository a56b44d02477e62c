"""`mailauth stats` through the CLI: a golden file per format (text, markdown, csv, json,
html) over two checked-in scans of the sample domains, and the handling of bad input (a
malformed line is a counted warning, an unreadable file is named, nothing read is exit 2,
never a traceback). Regenerate the goldens with
`MAILAUTH_UPDATE_GOLDEN=1 pytest tests/integration/test_cli_stats.py` and review the diff."""

from __future__ import annotations

import csv
import io
import json
import os
import shlex
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from mailauth.cli.exit_status import ExitStatus
from mailauth.cli.main import main
from mailauth.schema import STATS, load_schema

REPO = Path(__file__).resolve().parents[2]
DATA = Path("tests/data/stats")
GOLDEN = REPO / "tests" / "data" / "golden"
CURRENT = str(DATA / "scan-2026-12.jsonl")
EARLIER = str(DATA / "scan-2026-06.jsonl")
FORMATS = ("text", "markdown", "csv", "json", "html")


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Input paths relative to the repository, so the goldens name them the same anywhere."""
    monkeypatch.chdir(REPO)


def cli(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(main, ["stats", *args], input=stdin, catch_exceptions=False)


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MAILAUTH_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with MAILAUTH_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_stats_golden(fmt: str) -> None:
    result = cli(CURRENT, "--compare", EARLIER, "--group-by", "jp-type", "--format", fmt)
    assert result.exit_code == ExitStatus.OK, result.output
    assert result.stderr == ""
    golden(f"stats.{fmt}", result.stdout)


def test_stats_golden_in_japanese() -> None:
    result = cli(CURRENT, "--compare", EARLIER, "--group-by", "mx-operator", "--lang", "ja")
    assert result.exit_code == ExitStatus.OK, result.output
    assert "導入率" in result.stdout and "DKIM 検出（推定）" in result.stdout
    golden("stats.ja.text", result.stdout)


def test_json_names_are_the_contract() -> None:
    doc = json.loads(cli(CURRENT, "--group-by", "tld", "--format", "json").stdout)
    assert doc["domains"] == 12
    assert doc["dmarc_policy"] == {"none": 4, "quarantine": 3, "reject": 3, "missing": 2}
    assert doc["grades"] == {"A": 8, "B": 0, "C": 0, "D": 3, "F": 1}
    for key in ("spf_present", "dkim_found", "bimi_present", "mta_sts_present"):
        assert isinstance(doc[key], int)
    assert {g["group"]: g["domains"] for g in doc["groups"]} == {"example": 9, "jp": 3}
    for g in doc["groups"]:
        assert set(g) >= {"group", "domains", "spf_present", "dmarc_policy", "dkim_found",
                          "bimi_present", "mta_sts_present", "grades"}  # fmt: skip
    assert doc["compare"] is None and doc["timeline"] == []


@pytest.mark.parametrize("extra", [(), ("--compare", EARLIER, "--group-by", "ns-operator")])
def test_json_validates_against_the_shipped_schema(extra: tuple[str, ...]) -> None:
    schema = load_schema(STATS)
    jsonschema.Draft202012Validator.check_schema(schema)
    doc = json.loads(cli(CURRENT, *extra, "--format", "json").stdout)
    jsonschema.Draft202012Validator(schema).validate(doc)


def test_compare_reports_points(tmp_path: Path) -> None:
    doc = json.loads(cli(CURRENT, "--compare", EARLIER, "--format", "json").stdout)
    reject = doc["compare"]["metrics"]["dmarc_policy:reject"]
    assert reject == {"old": 8.3, "new": 25.0, "delta": 16.7}
    assert [p["label"] for p in doc["timeline"]] == [EARLIER, CURRENT]


def test_group_by_a_column_of_the_domains_csv() -> None:
    result = cli(CURRENT, "--group-by", "sector", "--domains-csv", str(DATA / "domains.csv"),
                 "--format", "csv")  # fmt: skip
    assert result.exit_code == ExitStatus.OK, result.output
    rows = {r["group"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert {k: int(r["domains"]) for k, r in rows.items()} == {
        "": 12, "retail": 6, "finance": 3, "public": 3  # "": all domains; ショップ.jp is retail
    }  # fmt: skip


def test_a_column_the_csv_lacks_is_a_clear_error() -> None:
    result = cli(CURRENT, "--group-by", "size", "--domains-csv", str(DATA / "domains.csv"))
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert "has no column size (its columns: domain, sector)" in result.stderr
    result = cli(CURRENT, "--group-by", "sector")
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert "--domains-csv FILE" in result.stderr and "Traceback" not in result.output


def test_malformed_lines_are_warnings_and_the_rest_counts(tmp_path: Path) -> None:
    good = (REPO / CURRENT).read_text().splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([good[0], "{oops", "42", good[1]]) + "\n")
    result = cli(str(bad), "--format", "json")
    assert result.exit_code == ExitStatus.OK
    assert json.loads(result.stdout)["domains"] == 2
    assert json.loads(result.stdout)["malformed_lines"] == 2
    assert result.stderr.splitlines() == [
        f"mailauth: warning: {bad}:2: line skipped (not JSON)",
        f"mailauth: warning: {bad}:3: line skipped (not a JSON object)",
    ]


def test_an_unreadable_file_is_named_and_nothing_read_is_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing.jsonl"
    result = cli(CURRENT, str(missing), "--format", "json")
    assert result.exit_code == ExitStatus.OK
    assert f"cannot read {missing}: No such file or directory; left out" in result.stderr
    assert json.loads(result.stdout)["unreadable_files"][0]["path"] == str(missing)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("not json\n")
    result = cli(str(missing), str(empty))
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert "no check report could be read from 2 file(s)" in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_an_earlier_scan_with_nothing_in_it_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "old.jsonl"
    empty.write_text("")
    result = cli(CURRENT, "--compare", str(empty))
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert f"--compare {empty}: no check report could be read from it" in result.stderr
    assert result.stdout == ""


def test_standard_input_and_html_to_a_file(tmp_path: Path) -> None:
    page = tmp_path / "stats.html"
    result = cli("-", "--format", "html", "-o", str(page), stdin=(REPO / CURRENT).read_bytes())
    assert result.exit_code == ExitStatus.OK, result.output
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert html.count("<svg") >= 3


def test_output_may_not_overwrite_an_input(tmp_path: Path) -> None:
    scan = tmp_path / "scan.jsonl"
    scan.write_bytes((REPO / CURRENT).read_bytes())
    before = scan.read_bytes()
    result = cli(str(scan), "--format", "json", "-o", str(scan))
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert scan.read_bytes() == before


def test_the_readmes_show_the_same_stats_commands_and_they_run(tmp_path: Path) -> None:
    """README.md and README.ja.md show the same `mailauth stats` lines; those on the
    checked-in scans run as shown."""
    shown = {}
    for name in ("README.md", "README.ja.md"):
        text = (REPO / name).read_text(encoding="utf-8")
        shown[name] = [line for line in text.splitlines() if line.startswith("mailauth stats ")]
    assert shown["README.md"] and shown["README.md"] == shown["README.ja.md"]
    for line in shown["README.md"]:
        if "tests/data/stats/" in line:
            args = shlex.split(line)[2:]
            args = [str(tmp_path / a) if a.endswith(".html") else a for a in args]
            result = cli(*args)
            assert result.exit_code == ExitStatus.OK, result.output
