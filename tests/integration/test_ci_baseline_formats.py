"""What changed since `--baseline` in the machine formats (issue 13): the `baseline` object of
the JSON and JSON Lines reports (validated against the shipped schema), SARIF's
`baselineState` with `absent` results for resolved findings (validated against the vendored
OASIS 2.1.0 schema), the Markdown section, the JUnit `baseline` test case and the GitHub
annotations. Golden files in tests/data/golden/ (`MAILAUTH_UPDATE_GOLDEN=1` regenerates them);
an end-to-end run against the sample zones served by knot.

The baseline is this run's own JSON report, edited into a plausible past: broken.example had
no short DKIM key but no SPF record, another SPF record and a worse score; toomany.example was
not checked then; example.jp was as it is.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from mailauth import __version__
from mailauth.cli.exit_status import ExitStatus
from mailauth.cli.main import main
from mailauth.schema import load_schema

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "data" / "golden"
SARIF_SCHEMA = REPO / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json"
DOMAINS = ("example.jp", "broken.example", "toomany.example")
SHOWN_PATH = "previous.json"  # how the golden files name the baseline


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # zone paths relative to the repository, as in a checkout


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def past(now: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The edited past of `now` (see the module docstring)."""
    kept = []
    for report in now:
        if report["domain"] == "toomany.example":
            continue
        if report["domain"] == "broken.example":
            report["findings"] = [f for f in report["findings"] if f["id"] != "dkim.key-too-short"]
            report["findings"].append(
                {"id": "spf.missing", "check": "spf", "severity": "high", "title": "No SPF record"}
            )
            report["score"] = 10
            report["spf"]["record"] = "v=spf1 -all"
        kept.append(report)
    return kept


@pytest.fixture
def baseline(tmp_path: Path) -> Path:
    now = cli("check", *DOMAINS, "--zone", "samples/zones", "--format", "json")
    path = tmp_path / SHOWN_PATH
    path.write_text(json.dumps(past(json.loads(now.stdout))), encoding="utf-8")
    return path


def run(baseline: Path, fmt: str, *extra: str) -> Result:
    args = ("--zone", "samples/zones", "--baseline", str(baseline), "--format", fmt, *extra)
    return cli("check", *DOMAINS, *args)


def golden(name: str, text: str, baseline: Path) -> None:
    text = text.replace(str(baseline), SHOWN_PATH)
    text = text.replace(f'"version": "{__version__}"', '"version": "VERSION"')
    path = GOLDEN / name
    if os.environ.get("MAILAUTH_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with MAILAUTH_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["sarif", "markdown", "github", "junit"])
def test_golden(fmt: str, baseline: Path) -> None:
    result = run(baseline, fmt)
    assert result.exit_code == ExitStatus.OK, result.output
    golden(f"check-baseline.{fmt}", result.stdout, baseline)


def test_json_carries_the_changes(baseline: Path) -> None:
    result = run(baseline, "json")
    reports = json.loads(result.stdout)
    jsonschema.Draft202012Validator(load_schema()).validate(reports)
    changes = {r["domain"]: r["baseline"] for r in reports}
    golden("check-baseline.json", json.dumps(changes, indent=2) + "\n", baseline)
    broken = changes["broken.example"]
    assert broken["file"] == str(baseline) and broken["in_baseline"] is True
    assert broken["new_findings"] == ["dkim.key-too-short"]
    assert broken["resolved_findings"] == ["spf.missing"]
    assert broken["score_delta"] == reports[1]["score"] - 10
    assert broken["record_changes"] == [
        {"check": "spf", "before": "v=spf1 -all", "after": reports[1]["spf"]["record"]}
    ]
    assert changes["toomany.example"]["in_baseline"] is False
    assert changes["toomany.example"]["score_delta"] is None
    assert changes["toomany.example"]["new_findings"] == sorted(
        {f["id"] for f in reports[2]["findings"]}
    )
    assert changes["example.jp"]["new_findings"] == changes["example.jp"]["resolved_findings"]
    assert changes["example.jp"]["record_changes"] == [] == changes["example.jp"]["new_findings"]
    lines = [json.loads(line) for line in run(baseline, "jsonl").stdout.splitlines()]
    assert [r["baseline"] for r in lines] == [r["baseline"] for r in reports]
    # a report written with --baseline is itself a baseline: nothing is new against it
    again = baseline.parent / "again.json"
    again.write_text(result.stdout, encoding="utf-8")
    same = json.loads(run(again, "json").stdout)
    assert all(not r["baseline"]["new_findings"] and r["baseline"]["in_baseline"] for r in same)
    # without --baseline there is no such key
    plain = cli("check", *DOMAINS, "--zone", "samples/zones", "--format", "json")
    assert all("baseline" not in r for r in json.loads(plain.stdout))


def test_sarif_baseline_states(baseline: Path) -> None:
    doc = json.loads(run(baseline, "sarif").stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(doc)
    results = doc["runs"][0]["results"]
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    states: dict[tuple[str, str], set[str]] = {}
    for r in results:
        target = r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].split("/")[0]
        states.setdefault((target, r["ruleId"]), set()).add(r["baselineState"])
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    assert states[("broken.example", "dkim.key-too-short")] == {"new"}
    assert states[("broken.example", "spf.missing")] == {"absent"}
    assert states[("broken.example", "spf.neutral-all")] == {"updated"}  # its record changed
    assert states[("broken.example", "dmarc.policy-none")] == {"unchanged"}
    assert {s for (t, _), v in states.items() if t == "toomany.example" for s in v} == {"new"}
    assert {s for (t, _), v in states.items() if t == "example.jp" for s in v} == {"unchanged"}
    absent = next(r for r in results if r["baselineState"] == "absent")
    assert "No SPF record" in absent["message"]["text"] and absent["level"] == "error"
    location = absent["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == (
        "samples/zones/broken.example.zone"
    )
    assert location["logicalLocations"][0]["name"] == "broken.example TXT"


def test_sarif_absent_result_keeps_the_alert_fingerprint(baseline: Path, tmp_path: Path) -> None:
    """A finding resolved since the baseline is `absent` with the fingerprint it had, so a
    viewer matching runs closes that alert instead of seeing a different one."""
    zones = ("--zone", "samples/zones")
    before = cli("check", "broken.example", *zones, "--format", "json")
    previous = tmp_path / "before.json"
    previous.write_text(before.stdout, encoding="utf-8")
    old = json.loads(cli("check", "broken.example", *zones, "--format", "sarif").stdout)
    new = json.loads(
        cli(
            "check", "broken.example", *zones, "--format", "sarif",
            "--baseline", str(previous), "--ignore", "dmarc.policy-none",
        ).stdout
    )  # fmt: skip
    (was,) = [r for r in old["runs"][0]["results"] if r["ruleId"] == "dmarc.policy-none"]
    (gone,) = [r for r in new["runs"][0]["results"] if r["ruleId"] == "dmarc.policy-none"]
    assert gone["baselineState"] == "absent"
    assert gone["partialFingerprints"] == was["partialFingerprints"]
    assert gone["locations"] == was["locations"]


def test_junit_baseline_case_fails_only_on_new_findings(baseline: Path) -> None:
    root = ET.fromstring(run(baseline, "junit").stdout)
    cases = {s.get("name"): s.find("testcase[@name='baseline']") for s in root}
    broken = cases["broken.example"]
    assert broken is not None
    failure = broken.find("failure")
    assert failure is not None and "dkim.key-too-short" in (failure.get("message") or "")
    assert "spf.missing" in (broken.findtext("system-out") or "")
    same = cases["example.jp"]
    assert same is not None and same.find("failure") is None
    assert "no change" in (same.findtext("system-out") or "")
    total = sum(int(s.get("tests") or 0) for s in root)
    assert int(root.get("tests") or 0) == total


def test_github_marks_new_findings(baseline: Path) -> None:
    out = run(baseline, "github").stdout
    assert "dkim.key-too-short%2C new since the baseline" in out
    assert "dmarc.policy-none%2C new" not in out
    assert "Changes since the baseline: broken.example" in out


def test_markdown_has_a_changes_section(baseline: Path) -> None:
    out = run(baseline, "markdown").stdout
    assert "### Changes since the baseline: broken.example" in out
    assert "new findings: `dkim.key-too-short`" in out
    assert "resolved findings: `spf.missing`" in out
    assert "### Changes since the baseline: toomany.example" in out
    assert "new since the baseline" in out


def test_fail_on_new_with_machine_formats(baseline: Path, tmp_path: Path) -> None:
    """Exit 1 only on regressions, whatever the formats written."""
    sarif, md = tmp_path / "r.sarif", tmp_path / "r.md"
    pairs = ("-o", str(sarif), "--format", "markdown", "-o", str(md))
    failing = run(baseline, "sarif", *pairs, "--fail-on-new")
    assert failing.exit_code == ExitStatus.THRESHOLD_FAILED
    assert json.loads(sarif.read_text())["runs"][0]["results"] and md.read_text()
    assert run(baseline, "json", "--fail-on-new", "--exit-zero").exit_code == ExitStatus.OK


@pytest.mark.knot
def test_end_to_end_against_knot(knot_server: Any, tmp_path: Path) -> None:
    """The CI recipe over the wire: the main branch's JSON report is the baseline; a change
    that adds a finding fails with --fail-on-new, shows as new in SARIF and JSON; one that
    resolves a finding passes and shows it absent."""
    live = ("--nameserver", knot_server.nameserver, "--no-fetch")
    main_json = tmp_path / "main.json"
    # "main": before the DKIM key was shortened (simulated by ignoring that finding)
    first = cli(
        "check", "broken.example", "example.jp", *live, "--ignore", "dkim.key-too-short",
        "--format", "json", "-o", str(main_json),
    )  # fmt: skip
    assert first.exit_code == ExitStatus.OK, first.stderr
    sarif = tmp_path / "pr.sarif"
    pr = cli(
        "check", "broken.example", "example.jp", *live, "--baseline", str(main_json),
        "--fail-on-new", "--format", "sarif", "-o", str(sarif), "--format", "json", "-o", "-",
    )  # fmt: skip
    assert pr.exit_code == ExitStatus.THRESHOLD_FAILED, pr.stderr
    reports = json.loads(pr.stdout)
    assert reports[0]["baseline"]["new_findings"] == ["dkim.key-too-short"]
    assert reports[1]["baseline"]["new_findings"] == []
    doc = json.loads(sarif.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(doc)
    new = [r["ruleId"] for r in doc["runs"][0]["results"] if r["baselineState"] == "new"]
    assert new == ["dkim.key-too-short"]
    # a fix: the PR resolves the DMARC policy finding (simulated by ignoring it)
    fixed = cli(
        "check", "broken.example", "example.jp", *live, "--baseline", str(main_json),
        "--fail-on-new", "--ignore", "dmarc.policy-none", "--ignore", "dkim.key-too-short",
        "--format", "sarif",
    )  # fmt: skip
    assert fixed.exit_code == ExitStatus.OK, fixed.stderr
    results = json.loads(fixed.stdout)["runs"][0]["results"]
    assert [r["ruleId"] for r in results if r["baselineState"] == "absent"] == ["dmarc.policy-none"]
    assert not [r for r in results if r["baselineState"] == "new"]
