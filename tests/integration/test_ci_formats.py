"""The CI formats (issue 13) through the CLI, on the sample zones and messages: golden files
per format, SARIF validated against the vendored OASIS 2.1.0 schema and GitHub's documented
needs, JUnit parsed back, CSV and JSON Lines read back by their standard readers.

Golden files live in tests/data/golden/; after an intended change of output, regenerate them
with `MAILAUTH_UPDATE_GOLDEN=1 pytest tests/integration/test_ci_formats.py` and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result
from tests.support.timestamps import untimed

from mailauth import __version__
from mailauth.cli.exit_status import ExitStatus
from mailauth.cli.main import main
from mailauth.domain.registry import DOMAIN_CHECKS

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "data" / "golden"
SARIF_SCHEMA = REPO / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json"
DOMAINS = ("example.jp", "broken.example", "toomany.example")
MESSAGES = ("samples/messages/good.eml", "samples/messages/dns-failure.eml")
FORMATS = ("markdown", "sarif", "github", "junit", "jsonl", "csv")


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Zone paths relative to the repository, as a workflow in its checkout gives them."""
    monkeypatch.chdir(REPO)


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def check(fmt: str, *extra: str) -> Result:
    return cli("check", *DOMAINS, "--zone", "samples/zones", "--format", fmt, *extra)


def verify(fmt: str) -> Result:
    return cli("verify", *MESSAGES, "--zone", "samples/zones", "--format", fmt)


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    text = text.replace(f'"version": "{__version__}"', '"version": "VERSION"')
    text = untimed(text)  # when the run happened
    if os.environ.get("MAILAUTH_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with MAILAUTH_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", FORMATS)
def test_check_golden(fmt: str) -> None:
    result = check(fmt)
    assert result.exit_code == ExitStatus.OK, result.output
    golden(f"check.{fmt}", result.stdout)


@pytest.mark.parametrize("fmt", FORMATS)
def test_verify_golden(fmt: str) -> None:
    result = verify(fmt)
    assert result.exit_code in (ExitStatus.OK, ExitStatus.NO_VERDICT), result.output
    golden(f"verify.{fmt}", result.stdout)


def _schema_validate(doc: object) -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(doc)


@pytest.mark.parametrize("command", [check, verify])
def test_sarif_is_valid_against_the_oasis_schema(command: object) -> None:
    result = command("sarif")  # type: ignore[operator]
    _schema_validate(json.loads(result.stdout))


def test_sarif_is_what_github_code_scanning_needs() -> None:
    """GitHub's documented subset: one run, a category, a rule per result with help, file
    locations for records read from zone files, stable fingerprints, levels by severity."""
    doc = json.loads(check("sarif").stdout)
    assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1
    run = doc["runs"][0]
    assert run["automationDetails"]["id"] == "mailauth/check/"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert "dkim.key-too-short" in rules and "spf.missing" in rules
    rule = rules["dkim.key-too-short"]
    assert rule["help"]["text"] and rule["helpUri"].startswith("https://www.rfc-editor.org/")
    assert rule["defaultConfiguration"]["level"] == "error"
    by_id = {r["ruleId"]: r for r in run["results"]}
    for rule in rules.values():
        assert 0 < len(rule["shortDescription"]["text"]) <= 1024
        assert 0 < len(rule["fullDescription"]["text"]) <= 1024
        assert rule["properties"]["problem.severity"] in ("error", "warning", "recommendation")
        assert 0.0 <= float(rule["properties"]["security-severity"]) <= 10.0
    for r in run["results"]:
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["partialFingerprints"]["primaryLocationLineHash"]
        assert r["message"]["text"] and r["locations"]
    key = by_id["dkim.key-too-short"]["locations"][0]["physicalLocation"]
    assert key["artifactLocation"]["uri"] == "samples/zones/broken.example.zone"
    zone = (REPO / "samples/zones/broken.example.zone").read_text().splitlines()
    assert zone[key["region"]["startLine"] - 1].startswith("default._domainkey")
    assert by_id["spf.neutral-all"]["level"] == "warning"
    assert by_id["bimi.missing"]["level"] == "note"
    again = json.loads(check("sarif").stdout)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in again] == [
        r["partialFingerprints"] for r in run["results"]
    ]


def test_sarif_names_the_record_when_there_is_no_zone_file() -> None:
    import asyncio

    from mailauth.dns.factory import build_source
    from mailauth.domain.runner import check_domain
    from mailauth.render.run_context import RunContext
    from mailauth.render.sarif import sarif_log

    source = build_source(["samples/zones"])
    report = asyncio.run(check_domain(source, "broken.example"))
    doc = sarif_log([report], RunContext("check", locator=None))
    _schema_validate(doc)
    result = next(r for r in doc["runs"][0]["results"] if r["ruleId"] == "dmarc.policy-none")
    (location,) = result["locations"]
    assert "physicalLocation" not in location
    assert location["logicalLocations"][0]["name"] == "_dmarc.broken.example TXT"


def test_sarif_caps_results_at_5000(monkeypatch: pytest.MonkeyPatch) -> None:
    from mailauth.render import sarif

    monkeypatch.setattr(sarif, "MAX_RESULTS", 3)
    doc = json.loads(check("sarif").stdout)
    run = doc["runs"][0]
    assert len(run["results"]) == 3
    assert next(r["level"] for r in run["results"]) == "error"  # worst first
    total = sum(len(d["findings"]) for d in json.loads(check("json").stdout))
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert f"3 of {total} " in note["message"]["text"] and total > 3
    _schema_validate(doc)


def test_junit_parses_back_with_one_case_per_check_per_domain() -> None:
    root = ET.fromstring(check("junit").stdout)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == list(DOMAINS)
    for suite in suites:
        names = [c.get("name") for c in suite.findall("testcase")]
        assert names == ["domain", *(spec.name for spec in DOMAIN_CHECKS)]
    broken = suites[1]
    failures = {c.get("name"): c.find("failure") for c in broken.findall("testcase")}
    dkim = failures["dkim"]
    assert dkim is not None and dkim.get("type") == "critical"
    assert "dkim.key-too-short" in (dkim.text or "")
    assert failures["domain"] is None
    assert root.get("failures") == str(sum(int(s.get("failures") or 0) for s in suites))


def test_github_annotations_are_capped_per_level(monkeypatch: pytest.MonkeyPatch) -> None:
    from mailauth.render import github

    monkeypatch.setattr(github, "PER_LEVEL", 1)
    out = check("github").stdout.splitlines()
    commands = [line.split(" ", 1)[0] for line in out if line.startswith("::")]
    assert sorted(commands) == ["::error", "::notice", "::warning"]
    assert "more errors" in out[-1]
    first_error = next(line for line in out if line.startswith("::error"))
    assert "file=samples/zones/" in first_error and ",line=" in first_error


def test_github_escapes_workflow_commands() -> None:
    from mailauth.render.github import _data, _property

    assert _data("a\n::error::x%") == "a%0A::error::x%25"
    assert _property("a,b:c") == "a%2Cb%3Ac"


def test_csv_has_one_row_per_domain_with_key_values() -> None:
    rows = list(csv.DictReader(io.StringIO(check("csv").stdout)))
    assert [r["domain"] for r in rows] == list(DOMAINS)
    jp, broken, many = rows
    assert jp["dmarc_policy"] == "reject" and jp["spf_all"] == "-all"
    assert broken["grade"] == "F" and broken["dkim_status"] == "fail"
    assert int(many["spf_lookups"]) > 10


def test_jsonl_is_one_report_per_line() -> None:
    lines = check("jsonl").stdout.splitlines()
    assert [json.loads(line)["domain"] for line in lines] == list(DOMAINS)
    whole = json.loads(check("json").stdout)
    untimed = [{**json.loads(line), "checked_at": None} for line in lines]
    assert untimed == [{**report, "checked_at": None} for report in whole]  # two runs


def test_markdown_escapes_what_dns_says() -> None:
    from mailauth.render.markdown import _cell, _code

    assert _cell("<img src=x> [a](b) | c\nd") == "\\<img src=x\\> \\[a\\](b) \\| c d"
    assert _code("v=spf1 | `x`") == "`` v=spf1 \\| `x` ``"


def test_several_ci_formats_in_one_run(tmp_path: Path) -> None:
    outs = {fmt: tmp_path / f"report.{fmt}" for fmt in FORMATS}
    args = [a for fmt, p in outs.items() for a in ("--format", fmt, "-o", str(p))]
    result = cli("check", *DOMAINS, "--zone", "samples/zones", *args)
    assert result.exit_code == ExitStatus.OK, result.output
    for fmt, path in outs.items():
        assert untimed(path.read_text(encoding="utf-8")) == untimed(check(fmt).stdout)


HOSTILE = r"""$ORIGIN hostile.example.
$TTL 300
@ IN SOA ns.hostile.example. h.hostile.example. 1 3600 900 1209600 300
@ IN NS ns.hostile.example.
@ IN TXT "v=spf1 include:x.hostile.example <script>|\010\027[31m%0A::error::forged ?all"
_dmarc IN TXT "v=DMARC1; p=none; rua=mailto:a@hostile.example|`<b>"
"""


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_record_text_stays_inert(fmt: str, tmp_path: Path) -> None:
    zone = tmp_path / "hostile.example.zone"
    zone.write_text(HOSTILE, encoding="utf-8")
    result = cli("check", "hostile.example", "--zone", str(zone), "--format", fmt)
    assert result.exit_code == ExitStatus.OK, result.output
    out = result.stdout
    assert "\x1b" not in out and "\x08" not in out
    if fmt == "junit":
        ET.fromstring(out)
    if fmt == "sarif":
        _schema_validate(json.loads(out))
    if fmt == "markdown":
        assert "<script>" not in out and "<b>" not in out
    if fmt == "github":
        for line in out.splitlines():
            assert not line.startswith("::error::forged")
            assert line.startswith(("::", "mailauth:"))
    if fmt == "csv":
        assert len(list(csv.reader(io.StringIO(out)))) == 2
