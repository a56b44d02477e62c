"""`mailauth verify` in-process (CliRunner): formats, stdin, exit codes, bad files among good
ones, --authentication-results, thresholds; offline and against the loopback knot server."""

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
MESSAGES = REPO / "samples" / "messages"
ZONES = ["--zone", str(REPO / "samples" / "zones")]
SCHEMA = load_schema(MESSAGE_REPORT)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def verify(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(main, ["verify", *args], input=stdin, catch_exceptions=False)


def msg(name: str) -> str:
    return str(MESSAGES / name)


def as_json(result: Result) -> Any:
    doc = json.loads(result.stdout)
    VALIDATOR.validate(doc)
    return doc


def test_text_report_verdict_tables_and_findings() -> None:
    result = verify(msg("list-forwarded-arc.eml"), *ZONES)
    assert result.exit_code == ExitStatus.OK, result.output
    out = result.stdout
    assert out.startswith("mailauth verify: ")
    assert "DMARC fail for example.jp" in out
    assert "body hash mismatch" in out
    assert "ARC" in out and "lists.example" in out
    assert "[msg_dmarc.fail]" in out
    assert "\x1b[" not in out and result.stderr == ""


def test_json_for_several_files_matches_the_schema() -> None:
    result = verify(msg("good.eml"), msg("third-party.eml"), *ZONES, "--format", "json")
    assert result.exit_code == ExitStatus.OK
    good, third = as_json(result)
    assert good["dmarc"]["result"] == "pass" and good["grade"] == "A"
    assert [d["result"] for d in good["dkim"]] == ["pass", "pass"]
    assert third["dkim"][0] == {**third["dkim"][0], "domain": "esp.example", "aligned": False}
    assert third["spf"]["aligned"] is False and third["dmarc"]["disposition"] == "reject"
    assert {f["id"] for f in third["findings"]} >= {"msg_dmarc.fail", "msg_dkim.not-aligned"}


def test_stdin() -> None:
    result = verify("-", *ZONES, "--format", "json", stdin=(MESSAGES / "bare-lf.eml").read_bytes())
    assert result.exit_code == ExitStatus.OK
    doc = as_json(result)
    assert doc["file"] == "-" and doc["dkim"][0]["result"] == "pass"


def test_authentication_results_only() -> None:
    result = verify(msg("good.eml"), *ZONES, "--authentication-results", "--authserv-id", "mx.test")
    assert result.exit_code == ExitStatus.OK
    lines = result.stdout.splitlines()
    assert lines[0] == "Authentication-Results: mx.test;"
    assert any("dkim=pass header.d=example.jp header.s=s2" in line for line in lines)
    assert any("dmarc=pass" in line for line in lines)


@pytest.mark.parametrize(
    "content",
    [b"", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"Just some text, no header at all"],
    ids=["empty", "png", "text"],
)
def test_bad_file_is_one_line_exit_2_and_others_still_verified(
    tmp_path: Path, content: bytes
) -> None:
    bad = tmp_path / "bad.eml"
    bad.write_bytes(content)
    result = verify(str(bad), msg("good.eml"), *ZONES, "--format", "json")
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert result.stderr.count("\n") == 1 and str(bad) in result.stderr
    assert as_json(result)["file"].endswith("good.eml")
    assert bad.read_bytes() == content  # inputs are never written


def test_a_file_that_is_not_a_message_is_named_with_the_reason_alone(tmp_path: Path) -> None:
    bad = tmp_path / "empty.eml"
    bad.write_bytes(b"")
    result = verify(str(bad), *ZONES)
    assert result.exit_code == ExitStatus.USAGE_ERROR
    expected = f"mailauth: error: {bad}: empty file: no header fields, not an email message\n"
    assert result.stderr == expected


def test_missing_file() -> None:
    result = verify("/nonexistent/x.eml", *ZONES)
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert "x.eml" in result.stderr and "Traceback" not in result.stderr


def test_thresholds() -> None:
    failing = msg("third-party.eml")
    assert verify(failing, *ZONES).exit_code == ExitStatus.OK
    assert verify(failing, *ZONES, "--fail-on", "critical").exit_code == ExitStatus.THRESHOLD_FAILED
    assert verify(failing, *ZONES, "--fail-under", "90").exit_code == ExitStatus.THRESHOLD_FAILED
    assert verify(msg("good.eml"), *ZONES, "--fail-under", "90").exit_code == ExitStatus.OK


def test_dns_failure_for_dmarc_is_no_verdict(tmp_path: Path) -> None:
    zone = tmp_path / "down.example.zone"
    zone.write_text(
        "$ORIGIN down.example.\n$TTL 300\n@ IN SOA ns. h. 1 1 1 1 1\n@ IN NS ns.elsewhere.\n"
        "_dmarc IN NS ns.elsewhere.\n"
    )
    raw = b"From: a@down.example\r\nSubject: x\r\n\r\nbody\r\n"
    result = verify("-", "--zone", str(zone), "--format", "json", stdin=raw)
    doc = as_json(result)
    assert doc["dmarc"]["result"] in ("temperror", "none")


def test_options_override_the_message() -> None:
    result = verify(
        msg("unsigned.eml"),
        *ZONES,
        "--format",
        "json",
        "--ip",
        "192.0.2.30",
        "--mail-from",
        "bounce@shop.example",
    )
    doc = as_json(result)
    assert doc["spf"]["result"] == "pass"
    assert doc["spf"]["sources"] == {"ip": "option", "helo": "none", "mail_from": "option"}
    assert doc["dmarc"]["result"] == "pass"


def test_invalid_ip_is_a_usage_error() -> None:
    result = verify(msg("good.eml"), *ZONES, "--ip", "not-an-ip")
    assert result.exit_code == ExitStatus.USAGE_ERROR


@pytest.mark.knot
def test_against_the_loopback_dns_server(knot_server: Any) -> None:
    result = verify(
        msg("alignment-strict.eml"), "--nameserver", knot_server.nameserver, "--format", "json"
    )
    doc = as_json(result)
    assert doc["dmarc"]["result"] == "fail" and doc["dmarc"]["disposition"] == "quarantine"
    assert doc["dmarc"]["alignment"] == {**doc["dmarc"]["alignment"], "dkim_mode": "s"}


def test_unanswering_nameserver_is_exit_3_and_the_score_says_incomplete() -> None:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))  # bound, never read: every query times out
        port = silent.getsockname()[1]
        args = ["--nameserver", f"127.0.0.1:{port}", "--timeout", "0.2", "--retries", "0"]
        result = verify(msg("good.eml"), *args)
    assert result.exit_code == ExitStatus.NO_VERDICT
    assert "could not be evaluated (DNS lookup failed)" in result.stdout
    assert "Incomplete: some DNS lookups failed" in result.stdout
    # Our own failed lookups are not "not signed" and not a change since arrival.
    assert "[msg_unsub.not-signed]" not in result.stdout
    assert "[msg_authres.differs]" not in result.stdout
    assert "dkim example.jp was pass; not re-checked now (DNS lookup failed)" in result.stdout


def test_spf_and_dkim_temperror_make_dmarc_temperror_exit_3() -> None:
    """dns-failure.eml: SPF and DKIM both temperror for outage.shop.example, which could
    align with shop.example: no verdict (a receiver defers), not 'DMARC fail'."""
    result = verify(msg("dns-failure.eml"), *ZONES)
    assert result.exit_code == ExitStatus.NO_VERDICT
    assert "DMARC for shop.example could not be evaluated (DNS lookup failed)" in result.stdout
    assert "dmarc=temperror header.from=shop.example" in result.stdout
    assert "[msg_dmarc.fail]" not in result.stdout
    assert "SPF outage.shop.example: no final result (temperror), so not known" in result.stdout
    doc = as_json(verify(msg("dns-failure.eml"), *ZONES, "--format", "json"))
    assert (doc["dmarc"]["result"], doc["dmarc"]["disposition"]) == ("temperror", "none")


def test_unknown_ip_verdict_does_not_claim_spf_failed() -> None:
    result = verify(msg("unsigned.eml"), *ZONES)
    assert result.exit_code == ExitStatus.OK
    out = result.stdout
    assert "no aligned SPF or DKIM pass" not in out
    assert "DMARC fail for shop.example unless SPF passed" in out
    assert "[msg_dmarc.spf-unknown]" in out and "[msg_dmarc.fail]" not in out


@pytest.mark.parametrize("name", ["no-from.eml", "duplicate-headers.eml"])
def test_no_question_mark_for_a_missing_from_domain(name: str) -> None:
    result = verify(msg(name), *ZONES)
    assert "?" not in result.stdout
    assert "[msg_dkim.missing]" not in result.stdout


def test_values_are_shown_in_words_or_quoted() -> None:
    failure = verify(msg("dns-failure.eml"), *ZONES).stdout
    assert "failed (UNRESOLVABLE)" in failure
    assert "UNRESOLVABLE not resolvable" not in failure
    assert "Reverse DNS (FCrDNS): unknown (a DNS lookup failed)" in failure
    no_dmarc = verify(msg("no-dmarc.eml"), *ZONES).stdout
    assert "not-confirmed" not in no_dmarc
    assert "Reverse DNS (FCrDNS): not confirmed: no PTR name resolves back" in no_dmarc
    assert "bad-key-data" not in verify(msg("key-invalid.eml"), *ZONES).stdout
    malformed = verify(msg("malformed-signature.eml"), *ZONES).stdout
    assert 'DKIM s="" "exa mple..jp": did not pass' in malformed
    assert "DKIM s= exa mple..jp" not in malformed


def test_authentication_results_of_several_files_are_named() -> None:
    result = verify(msg("good.eml"), msg("unsigned.eml"), *ZONES, "--authentication-results")
    lines = result.stdout.splitlines()
    assert lines[0] == f"==> {msg('good.eml')} <=="
    assert lines[1] == "Authentication-Results: mailauth;"
    second = lines.index(f"==> {msg('unsigned.eml')} <==")
    assert lines[second - 1] == "" and lines[second + 1] == "Authentication-Results: mailauth;"
    # One file: the header alone, as before.
    single = verify(msg("good.eml"), *ZONES, "--authentication-results").stdout
    assert single.startswith("Authentication-Results: mailauth;")


def test_dmarc_fail_is_critical_only_where_the_policy_is_enforced() -> None:
    enforced = as_json(verify(msg("header-altered.eml"), *ZONES, "--format", "json"))
    delivered = as_json(verify(msg("broken-domain.eml"), *ZONES, "--format", "json"))
    [fail] = [f for f in enforced["findings"] if f["id"] == "msg_dmarc.fail"]
    [mild] = [f for f in delivered["findings"] if f["id"] == "msg_dmarc.fail"]
    assert (fail["severity"], mild["severity"]) == ("critical", "high")


def test_an_incomplete_message_result_fails_fail_under_unless_allowed() -> None:
    """Issue 8, item 5: without the reverse zones the FCrDNS lookup of the sending server
    cannot be made offline; DMARC still passes, but the score is only an upper bound."""
    zone = ["--zone", str(REPO / "samples" / "zones" / "example.jp.zone")]
    shown = verify(msg("good.eml"), *zone, "--no-color")
    assert shown.exit_code == ExitStatus.OK
    assert "Score at most 100/100  Grade A (provisional)" in shown.stdout
    assert verify(msg("good.eml"), *zone, "--fail-under", "10").exit_code == 1
    allowed = verify(msg("good.eml"), *zone, "--fail-under", "10", "--allow-incomplete")
    assert allowed.exit_code == ExitStatus.OK
    doc = as_json(verify(msg("good.eml"), *zone, "--format", "json"))
    assert doc["complete"] is False
    assert doc["score_is_upper_bound"] is True and doc["grade_provisional"] is True
    full = as_json(
        verify(msg("good.eml"), "--zone", str(REPO / "samples" / "zones"), "--format", "json")
    )
    assert full["complete"] is True and full["score_is_upper_bound"] is False
