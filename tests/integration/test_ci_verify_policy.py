"""The CI policy on `mailauth verify` (issue 13): `--ignore ID[@DOMAIN]` where the domain is
the message's From domain, `--exit-zero`, and the configuration file (mailauth.toml,
--config, [tool.mailauth]) with the keys that apply to a message, the command line winning.
The same options and code paths as `check` (cli/ci_options.py); the messages are the samples,
their DNS the sample zones."""

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
BROKEN = str(REPO / "samples" / "messages" / "broken-domain.eml")  # From: broken.example
UNSIGNED = str(REPO / "samples" / "messages" / "unsigned.eml")  # From: shop.example
KEY = "msg_dkim.key-too-short"  # critical, in BROKEN only


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def verify(*args: str) -> Result:
    return cli("verify", BROKEN, UNSIGNED, "--zone", ZONES, *args)


def reports(result: Result) -> list[dict[str, Any]]:
    payload = json.loads(result.stdout)
    return payload if isinstance(payload, list) else [payload]


def ids(report: dict[str, Any]) -> list[str]:
    return [f["id"] for f in report["findings"]]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_ignore_by_id_and_by_from_domain(workdir: Path) -> None:
    base = reports(verify("--format", "json"))
    assert KEY in ids(base[0]) and "msg_dkim.missing" in ids(base[1])
    gone = reports(verify("--format", "json", "--ignore", f"{KEY}@broken.example"))
    assert KEY not in ids(gone[0])
    assert gone[0]["score"] > base[0]["score"]  # not scored either
    assert [d["id"] for d in gone[0]["deductions"]] == [
        d["id"] for d in base[0]["deductions"] if d["id"] != KEY
    ]
    assert gone[1] == base[1]  # the other message is untouched
    # @DOMAIN is the From domain: another domain's suppression leaves it alone
    other = reports(verify("--format", "json", "--ignore", f"{KEY}@shop.example"))
    assert KEY in ids(other[0])
    everywhere = reports(verify("--format", "json", "--ignore", "msg_dkim.missing"))
    assert "msg_dkim.missing" not in ids(everywhere[1])
    # the verdicts are not findings: DMARC still fails, the header still says so
    assert everywhere[0]["dmarc"] == base[0]["dmarc"]
    assert gone[0]["authentication_results"] == base[0]["authentication_results"]


@pytest.mark.parametrize("fmt", ["sarif", "markdown", "github", "junit", "jsonl", "csv", "text"])
def test_an_ignored_finding_is_in_no_format(fmt: str, workdir: Path) -> None:
    def shown(out: str) -> str:  # SARIF lists every rule; its results are what is found
        if fmt != "sarif":
            return out
        return " ".join(r["ruleId"] for r in json.loads(out)["runs"][0]["results"])

    assert KEY in shown(verify("--format", fmt).stdout)
    assert KEY not in shown(verify("--format", fmt, "--ignore", KEY).stdout)


def test_ignore_of_an_unknown_id_or_a_bad_domain_is_a_usage_error(workdir: Path) -> None:
    unknown = verify("--ignore", "msg_dkim.no-such-id")
    assert unknown.exit_code == ExitStatus.USAGE_ERROR and "msg_dkim.no-such-id" in unknown.stderr
    bad = verify("--ignore", f"{KEY}@not a domain")
    assert bad.exit_code == ExitStatus.USAGE_ERROR and "Traceback" not in bad.stderr


def test_thresholds_and_exit_zero(workdir: Path) -> None:
    assert verify("--fail-on", "critical").exit_code == ExitStatus.THRESHOLD_FAILED
    assert verify("--fail-on", "critical", "--exit-zero").exit_code == ExitStatus.OK
    assert verify("--fail-on", "critical", "--ignore", KEY).exit_code == ExitStatus.OK
    assert verify("--fail-under", "50").exit_code == ExitStatus.THRESHOLD_FAILED
    missing = cli("verify", "no-such.eml", "--zone", ZONES, "--exit-zero")
    assert missing.exit_code == ExitStatus.USAGE_ERROR  # errors are not thresholds


CONFIG = """\
domains = ["example.jp"]        # check's; verify has no domains to take
selectors = ["s1"]
fail_on = "critical"
ignore = ["msg_dkim.missing@shop.example"]

[expect]
"dmarc.policy" = "reject"
"""


def test_config_file_supplies_the_policy(workdir: Path) -> None:
    (workdir / "mailauth.toml").write_text(CONFIG, encoding="utf-8")
    result = verify("--format", "json")
    assert result.exit_code == ExitStatus.THRESHOLD_FAILED, result.stderr  # fail_on critical
    broken, unsigned = reports(result)
    assert "msg_dkim.missing" not in ids(unsigned) and KEY in ids(broken)
    assert not [i for r in (broken, unsigned) for i in ids(r) if i.startswith("expect.")]
    # the command line wins: its --ignore replaces the file's list, its --fail-on the file's
    cli_wins = verify("--format", "json", "--ignore", KEY, "--fail-on", "high")
    broken, unsigned = reports(cli_wins)
    assert KEY not in ids(broken) and "msg_dkim.missing" in ids(unsigned)
    assert cli_wins.exit_code == ExitStatus.THRESHOLD_FAILED  # high: msg_dmarc.fail
    (workdir / "mailauth.toml").write_text('fail_on = "critical"\nexit_zero = true\n')
    assert verify().exit_code == ExitStatus.OK


def test_config_of_pyproject_and_explicit_file(workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text('[tool.mailauth]\nfail_on = "critical"\n')
    assert verify().exit_code == ExitStatus.THRESHOLD_FAILED
    other = workdir / "ci.toml"
    other.write_text(f'ignore = ["{KEY}"]\n')
    chosen = verify("--config", str(other), "--fail-on", "critical")
    assert chosen.exit_code == ExitStatus.OK, chosen.stderr


@pytest.mark.parametrize(
    ("text", "key", "line"),
    [
        ('fail_on = "high"\nfail_undr = 80\n', "fail_undr", 2),
        ('ignore = "msg_dkim.missing"\n', "ignore", 1),
        ('exit_zero = true\n[expect]\n"spf.lookups" = 3\n', "expect.spf.lookups", 3),
    ],
)
def test_config_errors_name_the_key_and_the_line(
    workdir: Path, text: str, key: str, line: int
) -> None:
    (workdir / "mailauth.toml").write_text(text, encoding="utf-8")
    result = verify()
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert f"mailauth.toml, line {line}" in result.stderr and key in result.stderr
    assert "Traceback" not in result.stderr


def test_several_formats_in_one_run_all_apply_the_policy(workdir: Path) -> None:
    outs = {fmt: workdir / f"r.{fmt}" for fmt in ("markdown", "junit", "csv", "jsonl")}
    pairs = [a for fmt, p in outs.items() for a in ("--format", fmt, "-o", str(p))]
    result = verify(*pairs, "--ignore", KEY)
    assert result.exit_code == ExitStatus.OK, result.stderr
    for fmt, path in outs.items():
        assert path.read_text(encoding="utf-8") == verify("--format", fmt, "--ignore", KEY).stdout
        assert KEY not in path.read_text(encoding="utf-8")


def test_help_says_what_the_domain_of_ignore_is() -> None:
    assert "From" in cli("verify", "--help").stdout
    assert "From" in cli("verify", "--help", "--lang", "ja").stdout
