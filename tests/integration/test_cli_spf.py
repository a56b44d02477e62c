"""`mailauth spf` in-process: result, trace, JSON, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from mailauth.cli.exit_status import ExitStatus
from mailauth.cli.main import main
from mailauth.schema import MESSAGE_REPORT, load_schema

REPO = Path(__file__).resolve().parents[2]
ZONES = ["--zone", str(REPO / "samples" / "zones")]
SCHEMA = load_schema(MESSAGE_REPORT)


def spf(*args: str) -> Result:
    return CliRunner().invoke(main, ["spf", *args], catch_exceptions=False)


def test_pass_through_include_with_trace() -> None:
    result = spf("--ip", "198.51.100.9", "--mail-from", "bounce@example.jp", *ZONES)
    assert result.exit_code == ExitStatus.OK, result.output
    out = result.stdout
    assert "Result: pass" in out
    assert "include:_spf.esp.example  -> MATCH (pass) [lookup 1/10]" in out
    assert "ip4:192.0.2.0/25  -> no match" in out
    assert "DNS lookups counted: 1/10" in out


def test_fail_is_exit_1_and_json_trace() -> None:
    result = spf("--ip", "203.0.113.9", "--mail-from", "example.jp", *ZONES, "--format", "json")
    assert result.exit_code == ExitStatus.THRESHOLD_FAILED
    doc: Any = json.loads(result.stdout)
    jsonschema.validate(doc, {**SCHEMA, "oneOf": [{"$ref": "#/$defs/spf_trace"}]})
    assert doc["result"] == "fail" and doc["mail_from"] == "postmaster@example.jp"
    assert doc["trace"][0]["mechanisms"][-1] == {
        **doc["trace"][0]["mechanisms"][-1],
        "term": "-all",
        "matched": True,
    }


def test_too_many_lookups_is_permerror() -> None:
    result = spf("--ip", "203.0.113.9", "--mail-from", "a@toomany.example", *ZONES)
    assert result.exit_code == ExitStatus.THRESHOLD_FAILED
    assert "Result: permerror" in result.stdout


def test_temperror_is_no_verdict() -> None:
    result = spf("--ip", "192.0.2.1", "--mail-from", "a@outage.shop.example", *ZONES)
    assert result.exit_code == ExitStatus.NO_VERDICT
    assert "temperror" in result.stdout


@pytest.mark.parametrize(
    "args", [["--ip", "x", "--mail-from", "a@b.example"], ["--ip", "192.0.2.1"]]
)
def test_usage_errors(args: list[str]) -> None:
    assert spf(*args, *ZONES).exit_code == ExitStatus.USAGE_ERROR


@pytest.mark.knot
def test_against_the_loopback_dns_server(knot_server: Any) -> None:
    result = spf(
        "--ip",
        "192.0.2.30",
        "--mail-from",
        "a@shop.example",
        "--nameserver",
        knot_server.nameserver,
    )
    assert result.exit_code == ExitStatus.OK and "Result: pass" in result.stdout
