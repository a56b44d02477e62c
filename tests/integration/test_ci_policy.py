"""The CI step's policy (issue 13) through the CLI: --ignore, --exit-zero, the configuration
file (mailauth.toml, --config, [tool.mailauth]) with its [expect] table, --baseline with
--fail-on-new, and --save-zone replayed with --zone after a live run against knot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from mailauth.cli.exit_status import ExitStatus
from mailauth.cli.main import main

REPO = Path(__file__).resolve().parents[2]
ZONES = str(REPO / "samples" / "zones")


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def ids(result: Result) -> list[str]:
    payload = json.loads(result.stdout)
    reports = payload if isinstance(payload, list) else [payload]
    return [f["id"] for r in reports for f in r["findings"]]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_ignore_removes_a_finding_everywhere_or_for_one_domain() -> None:
    base = cli("check", "broken.example", "--zone", ZONES, "--format", "json")
    assert "dmarc.policy-none" in ids(base)
    gone = cli(
        "check", "broken.example", "--zone", ZONES, "--format", "json",
        "--ignore", "dmarc.policy-none", "--ignore", "bimi.missing@broken.example",
        "--ignore", "mx.target-is-cname@other.example",
    )  # fmt: skip
    assert "dmarc.policy-none" not in ids(gone) and "bimi.missing" not in ids(gone)
    assert "mx.target-is-cname" in ids(gone)
    assert json.loads(gone.stdout)["score"] > json.loads(base.stdout)["score"]


def test_ignore_of_an_unknown_id_is_a_usage_error() -> None:
    result = cli("check", "broken.example", "--zone", ZONES, "--ignore", "spf.no-such-id")
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert "spf.no-such-id" in result.stderr


def test_exit_zero_turns_a_failed_threshold_into_success_only() -> None:
    failing = ("check", "broken.example", "--zone", ZONES, "--fail-on", "high")
    assert cli(*failing).exit_code == ExitStatus.THRESHOLD_FAILED
    assert cli(*failing, "--exit-zero").exit_code == ExitStatus.OK
    bad = cli("check", "not a domain", "--zone", ZONES, "--exit-zero")
    assert bad.exit_code == ExitStatus.USAGE_ERROR


CONFIG = """\
domains = ["broken.example", "example.jp"]
fail_on = "critical"
ignore = ["bimi.missing"]

[expect]
"dmarc.policy" = "reject"
"spf.max_lookups" = 3
"dkim.selectors_required" = ["s1"]
"""


def test_config_file_in_the_working_directory(workdir: Path) -> None:
    (workdir / "mailauth.toml").write_text(CONFIG, encoding="utf-8")
    result = cli("check", "--zone", ZONES, "--format", "json")
    assert result.exit_code == ExitStatus.THRESHOLD_FAILED  # critical dkim.key-too-short
    broken, jp = json.loads(result.stdout)
    assert (broken["domain"], jp["domain"]) == ("broken.example", "example.jp")
    found = {f["id"]: f for f in broken["findings"]}
    assert "bimi.missing" not in found
    assert found["expect.dmarc.policy"]["check"] == "expect"
    assert "reject" in found["expect.dmarc.policy"]["detail"]
    assert "expect.spf.max_lookups" in found and "expect.dkim.selectors_required" in found
    assert not [f for f in jp["findings"] if f["id"].startswith("expect.")]
    # unscored: the grade measures deliverability, the expectation fails the run
    plain = cli("check", "broken.example", "--zone", ZONES, "--format", "json", "--ignore", "x")
    assert plain.exit_code == ExitStatus.USAGE_ERROR
    # the command line wins: its domain, and its --fail-on
    only_jp = cli("check", "example.jp", "--zone", ZONES, "--fail-on", "low", "--format", "json")
    assert json.loads(only_jp.stdout)["domain"] == "example.jp"
    assert only_jp.exit_code == ExitStatus.OK


def test_an_unmet_expectation_fails_the_run(workdir: Path) -> None:
    (workdir / "mailauth.toml").write_text('[expect]\n"dmarc.policy" = "reject"\n')
    assert cli("check", "broken.example", "--zone", ZONES).exit_code == 1
    assert cli("check", "example.jp", "--zone", ZONES).exit_code == 0
    ignored = cli("check", "broken.example", "--zone", ZONES, "--ignore", "expect.dmarc.policy")
    assert ignored.exit_code == ExitStatus.OK


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ('domains = ["example.jp"]\nfail_undr = 80\n', "fail_undr", 2),
        ('domains = ["example.jp"]\n\nfail_under = "80"\n', "fail_under", 3),
        ('fail_on = "high"\n[expect]\n"dmarc.policy" = "strict"\n', "expect.dmarc.policy", 3),
        ('[expect]\n"spf.lookups" = 3\n', "expect.spf.lookups", 2),
        ("domains = [\n", "", 1),
    ],
)
def test_config_errors_name_the_key_and_the_line(
    workdir: Path, text: str, key: str, line: int
) -> None:
    (workdir / "mailauth.toml").write_text(text, encoding="utf-8")
    result = cli("check", "example.jp", "--zone", ZONES)
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert f"mailauth.toml, line {line}" in result.stderr, result.stderr
    assert key in result.stderr
    assert "Traceback" not in result.stderr


def test_pyproject_tool_table_and_explicit_config(workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.mailauth]\ndomains = ["example.jp"]\nbogus = 1\n'
    )
    result = cli("check", "--zone", ZONES)
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert "pyproject.toml, line 6" in result.stderr and "bogus" in result.stderr
    other = workdir / "ci.toml"
    other.write_text('domains = ["example.jp"]\n')
    chosen = cli("check", "--config", str(other), "--zone", ZONES, "--format", "json")
    assert chosen.exit_code == ExitStatus.OK
    assert json.loads(chosen.stdout)["domain"] == "example.jp"


def test_a_pyproject_without_a_mailauth_table_is_not_read(workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text("[project\nname = broken toml\n")
    result = cli("check", "example.jp", "--zone", ZONES)
    assert result.exit_code == ExitStatus.OK, result.stderr


def test_a_pyproject_that_mentions_mailauth_only_in_a_comment_is_not_read(workdir: Path) -> None:
    """issue 10, start-up: no TOML parsing for a comment (the repository's own pyproject.toml
    has one, and the benchmarks run there)."""
    (workdir / "pyproject.toml").write_text("# settings: see [tool.mailauth]\n[project\nname =\n")
    result = cli("check", "example.jp", "--zone", ZONES)
    assert result.exit_code == ExitStatus.OK, result.stderr
    (workdir / "pyproject.toml").write_text('[tool.mailauth]  # ours\nfail_under = "x"\n')
    assert cli("check", "example.jp", "--zone", ZONES).exit_code == ExitStatus.USAGE_ERROR


def test_no_domains_anywhere_is_a_usage_error(workdir: Path) -> None:
    result = cli("check", "--zone", ZONES)
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert "mailauth.toml" in result.stderr


def test_baseline_reports_changes_and_fails_only_on_regressions(workdir: Path) -> None:
    previous = workdir / "previous.json"
    run = cli("check", "broken.example", "example.jp", "--zone", ZONES, "--format", "json")
    data = json.loads(run.stdout)
    now_score = data[0]["score"]
    # the previous run: broken.example had no DKIM problem, a worse score, another SPF record
    data[0]["findings"] = [f for f in data[0]["findings"] if f["id"] != "dkim.key-too-short"]
    data[0]["findings"].append({"id": "spf.missing"})
    data[0]["score"] = 10
    data[0]["spf"]["record"] = "v=spf1 -all"
    previous.write_text(json.dumps(data), encoding="utf-8")
    args = ("check", "broken.example", "example.jp", "--zone", ZONES, "--baseline", str(previous))
    md = cli(*args, "--format", "markdown")
    assert "new findings: `dkim.key-too-short`" in md.stdout
    assert "resolved findings: `spf.missing`" in md.stdout
    assert f"score +{now_score - 10}" in md.stdout and now_score > 10
    assert "spf record changed: v=spf1 -all -\\> v=spf1 a mx ptr" in md.stdout
    assert "Changes since the baseline: example.jp\n\n- no change" in md.stdout
    text = cli(*args).stdout
    assert "Changes since the baseline: broken.example" in text
    assert "  new findings: dkim.key-too-short" in text
    assert "  spf record changed: v=spf1 -all -> v=spf1 a mx ptr" in text
    assert cli(*args, "--fail-on-new").exit_code == ExitStatus.THRESHOLD_FAILED
    # the same state as the baseline: findings exist, none is new
    previous.write_text(run.stdout, encoding="utf-8")
    assert cli(*args, "--fail-on", "high").exit_code == ExitStatus.THRESHOLD_FAILED
    assert cli(*args, "--fail-on", "high", "--fail-on-new").exit_code == ExitStatus.OK


def test_baseline_that_is_not_a_report_is_a_usage_error(workdir: Path) -> None:
    bad = workdir / "bad.json"
    bad.write_text("{not json")
    result = cli("check", "example.jp", "--zone", ZONES, "--baseline", str(bad))
    assert result.exit_code == ExitStatus.USAGE_ERROR and "baseline" in result.stderr
    assert cli("check", "example.jp", "--zone", ZONES, "--fail-on-new").exit_code == 2


def without_dnssec(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for report in reports:
        kept = {k: v for k, v in report.items() if k not in ("dnssec", "checked_at")}
        kept["findings"] = [f for f in report["findings"] if f["check"] != "dnssec"]
        out.append(kept)
    return out


@pytest.mark.knot
def test_save_zone_replays_a_live_run(knot_server: Any, tmp_path: Path) -> None:
    saved = tmp_path / "saved"
    domains = ("example.jp", "broken.example", "toomany.example")
    live = cli(
        "check", *domains, "--nameserver", knot_server.nameserver,
        "--format", "json", "--save-zone", str(saved), "--no-fetch",
    )  # fmt: skip
    assert list(saved.glob("*.zone")), live.stderr
    # --no-fetch on both: zone files replay DNS, not the https fetches (--https-dir does).
    replay = cli("check", *domains, "--zone", str(saved), "--format", "json", "--no-fetch")
    assert replay.exit_code == live.exit_code
    # Signatures are not saved (they could not chain to the root offline): everything but
    # the DNSSEC verdict replays exactly.
    assert without_dnssec(json.loads(replay.stdout)) == without_dnssec(json.loads(live.stdout))
    assert cli("check", "example.jp", "--zone", ZONES, "--save-zone", str(saved)).exit_code == 2
