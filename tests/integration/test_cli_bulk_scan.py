"""`mailauth check` scan options in-process over the sample zones: --resume (jsonl and csv,
and its refusals), --shard errors, --qps validation, the manifest. The loopback-server
scans (5,000 domains, SIGKILL, Ctrl-C, shards, --qps at the server) are in
test_bulk_scan.py."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mailauth.cli.exit_status import ExitStatus
from mailauth.cli.main import main
from mailauth.render.csv_rows import DOMAIN_COLUMNS

REPO = Path(__file__).resolve().parents[2]
ZONES = ["--zone", str(REPO / "samples" / "zones")]
DOMAINS = ["example.jp", "broken.example", "shop.example", "strict.example", "relaxed.example"]
DONE = (ExitStatus.OK, ExitStatus.THRESHOLD_FAILED)


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


@pytest.fixture
def listing(tmp_path: Path) -> Path:
    path = tmp_path / "domains.txt"
    path.write_text("\n".join(DOMAINS) + "\n")
    return path


def test_resume_jsonl_checks_only_what_is_missing(listing: Path, tmp_path: Path) -> None:
    out = tmp_path / "scan.jsonl"
    full = invoke(["--domains-file", str(listing), *ZONES, "--format", "jsonl", "-o", str(out)])
    assert full.exit_code in DONE
    lines = out.read_text().splitlines()
    out.write_text(lines[0] + "\n" + lines[1] + "\n" + lines[2][:30])  # killed mid-line
    args = ["--domains-file", str(listing), *ZONES, "--format", "jsonl", "-o", str(out)]
    again = invoke([*args, "--resume"])
    assert again.exit_code in DONE, again.output
    domains = [json.loads(x)["domain"] for x in out.read_text().splitlines()]
    assert sorted(domains) == sorted(DOMAINS) and domains[:2] == DOMAINS[:2]
    manifest = json.loads((tmp_path / "scan.jsonl.manifest.json").read_text())
    assert manifest["completed"] == 5 and [r["resumed_from"] for r in manifest["runs"]] == [0, 2]
    # Nothing left to do: the file stays as it is.
    before = out.read_bytes()
    assert invoke([*args, "--resume"]).exit_code == ExitStatus.OK
    assert out.read_bytes() == before


def test_resume_csv_appends_rows_without_a_second_header(listing: Path, tmp_path: Path) -> None:
    out = tmp_path / "scan.csv"
    args = ["--domains-file", str(listing), *ZONES, "--format", "csv", "-o", str(out)]
    assert invoke(args).exit_code in DONE
    rows = out.read_text().splitlines()
    out.write_text("\n".join(rows[:3]) + "\n")
    assert invoke([*args, "--resume"]).exit_code in DONE
    table = list(csv.reader(out.read_text().splitlines()))
    assert tuple(table[0]) == DOMAIN_COLUMNS
    assert sorted(r[0] for r in table[1:]) == sorted(DOMAINS)


def test_resume_without_a_file_starts_the_scan(listing: Path, tmp_path: Path) -> None:
    out = tmp_path / "new.jsonl"
    args = ["--domains-file", str(listing), *ZONES, "--format", "jsonl", "-o", str(out)]
    assert invoke([*args, "--resume"]).exit_code in DONE
    assert len(out.read_text().splitlines()) == len(DOMAINS)


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ([], "give --format jsonl -o FILE"),
        (["--format", "jsonl"], "give --format jsonl -o FILE"),
        (["--format", "json", "-o", "{dir}/r.json"], "exactly one output"),
        (
            ["--format", "jsonl", "-o", "{dir}/a.jsonl", "--format", "csv", "-o", "{dir}/b.csv"],
            "exactly one output",
        ),
    ],
)
def test_resume_refusals(extra: list[str], words: str, listing: Path, tmp_path: Path) -> None:
    args = [a.replace("{dir}", str(tmp_path)) for a in extra]
    result = invoke(["--domains-file", str(listing), *ZONES, "--resume", *args])
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert words in result.stderr and "Traceback" not in result.output


def test_resume_refuses_a_file_that_is_not_a_scan_and_keeps_it(
    listing: Path, tmp_path: Path
) -> None:
    out = tmp_path / "notes.jsonl"
    out.write_text("my notes\nsecond line\n")
    args = ["--domains-file", str(listing), *ZONES, "--format", "jsonl", "-o", str(out)]
    result = invoke([*args, "--resume"])
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert f"cannot resume from {out}, line 1" in result.stderr
    assert out.read_text() == "my notes\nsecond line\n"


def test_resume_refuses_another_shard(listing: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.jsonl"
    args = ["--domains-file", str(listing), *ZONES, "--format", "jsonl", "-o", str(out)]
    assert invoke([*args, "--shard", "1/2"]).exit_code in DONE
    result = invoke([*args, "--shard", "2/2", "--resume"])
    assert result.exit_code == ExitStatus.USAGE_ERROR and "shard 1/2, not 2/2" in result.stderr


def test_resume_refuses_other_checks(listing: Path, tmp_path: Path) -> None:
    """A scan resumed with another --checks would mix two profiles in one file; `all` and
    no option mean the same."""
    out = tmp_path / "c.jsonl"
    args = ["--domains-file", str(listing), *ZONES, "--format", "jsonl", "-o", str(out)]
    assert invoke([*args, "--checks", "spf,dmarc"]).exit_code in DONE
    result = invoke([*args, "--checks", "spf", "--resume"])
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert "--checks dmarc,spf, not spf" in result.stderr
    assert invoke([*args, "--checks", "dmarc,spf", "--resume"]).exit_code in DONE
    full = tmp_path / "all.jsonl"
    args = ["--domains-file", str(listing), *ZONES, "--format", "jsonl", "-o", str(full)]
    assert invoke(args).exit_code in DONE
    assert invoke([*args, "--checks", "all", "--resume"]).exit_code in DONE


@pytest.mark.parametrize(
    ("value", "words"), [("x", "is not K/N"), ("0/3", "between 1 and N"), ("4/3", "between")]
)
def test_shard_errors(value: str, words: str) -> None:
    result = invoke(["example.jp", *ZONES, "--shard", value])
    assert result.exit_code == ExitStatus.USAGE_ERROR and words in result.stderr


def test_shards_of_arguments_and_a_list(listing: Path) -> None:
    seen: list[str] = []
    for k in (1, 2, 3):
        result = invoke(
            ["--domains-file", str(listing), *ZONES, "--format", "jsonl", "--shard", f"{k}/3"]
        )
        assert result.exit_code in DONE
        seen += [json.loads(x)["domain"] for x in result.stdout.splitlines()]
    assert sorted(seen) == sorted(DOMAINS)


@pytest.mark.parametrize("value", ["0", "-1", "x"])
def test_qps_must_be_a_positive_number(value: str) -> None:
    result = invoke(["example.jp", *ZONES, "--qps", value])
    assert result.exit_code == ExitStatus.USAGE_ERROR


def test_qps_run_gives_the_same_reports(listing: Path) -> None:
    base = ["--domains-file", str(listing), *ZONES, "--format", "jsonl"]
    plain = invoke(base)
    limited = invoke([*base, "--qps", "2000"])
    assert limited.exit_code == plain.exit_code
    assert _undated(limited.stdout) == _undated(plain.stdout)


def _undated(jsonl: str) -> list[dict[str, object]]:
    """The reports without `checked_at`, the one field that differs when two runs straddle
    a second (it failed a loaded suite once)."""
    reports = [json.loads(line) for line in jsonl.splitlines()]
    for report in reports:
        assert report.pop("checked_at")
    return reports


def test_jsonl_to_stdout_writes_no_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke(["example.jp", *ZONES, "--format", "jsonl"]).exit_code in DONE
    assert list(tmp_path.iterdir()) == []
