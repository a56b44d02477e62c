"""`mailauth check` in-process (CliRunner): exit codes, formats, colour, IDN and garbage input,
against zone files, the real loopback knot server, and a faulty loopback server."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from mailauth.cli.exit_status import ExitStatus
from mailauth.cli.main import main
from mailauth.schema import load_schema

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples" / "zones"
CLI_ZONES = REPO / "tests" / "data" / "zones" / "cli"
ZONES = ["--zone", str(SAMPLES), "--zone", str(CLI_ZONES)]
ANSI = re.compile(r"\x1b\[")
VALIDATOR = jsonschema.Draft202012Validator(load_schema())


def check(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["check", *args], env=env, catch_exceptions=False)


def as_json(result: Result) -> Any:
    doc = json.loads(result.stdout)
    VALIDATOR.validate(doc)
    return doc


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback UDP port that receives queries and never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


# --- offline, zone files -------------------------------------------------------------------


def test_offline_sample_exit_0_with_report() -> None:
    result = check("example.jp", *ZONES)
    assert result.exit_code == ExitStatus.OK, result.output
    assert result.stdout.startswith("mailauth check: example.jp\nScore ")
    assert "Grade A" in result.stdout
    assert result.stderr == ""


def test_problems_alone_do_not_fail_without_a_threshold() -> None:
    assert check("broken.example", *ZONES).exit_code == ExitStatus.OK


@pytest.mark.parametrize(
    ("domain", "args", "expected"),
    [
        ("broken.example", ["--fail-under", "50"], ExitStatus.THRESHOLD_FAILED),
        ("example.jp", ["--fail-under", "90"], ExitStatus.OK),
        ("broken.example", ["--fail-on", "critical"], ExitStatus.THRESHOLD_FAILED),
        ("toomany.example", ["--fail-on", "high"], ExitStatus.THRESHOLD_FAILED),
        ("toomany.example", ["--fail-on", "critical"], ExitStatus.OK),
        ("example.jp", ["--fail-on", "high"], ExitStatus.OK),
    ],
)
def test_thresholds(domain: str, args: list[str], expected: ExitStatus) -> None:
    assert check(domain, *ZONES, *args).exit_code == expected


def test_json_is_schema_valid_with_the_documented_fields() -> None:
    result = check("example.jp", *ZONES, "--format", "json", "--selector", "s1")
    assert result.exit_code == ExitStatus.OK
    doc = as_json(result)
    assert doc["domain"] == "example.jp"
    assert doc["spf"]["record"].startswith("v=spf1")
    assert doc["spf"]["dns_lookups"] >= 1
    assert doc["dmarc"]["policy"] == "reject"
    assert doc["dmarc"]["org_domain"] == "example.jp"
    bits = {s["selector"]: s["key_bits"] for s in doc["dkim"]["selectors"]}
    assert bits["s1"] == 2048
    assert [h["name"] for h in doc["mx"]["hosts"]] == ["mx1.example.jp", "mx2.example.jp"]


def test_several_domains_give_a_json_array_in_order() -> None:
    result = check("broken.example", "example.jp", *ZONES, "--format", "json")
    doc = as_json(result)
    assert [d["domain"] for d in doc] == ["broken.example", "example.jp"]
    assert doc[0]["score"] < doc[1]["score"]


def test_several_domains_fail_when_any_fails() -> None:
    result = check("example.jp", "broken.example", *ZONES, "--fail-under", "80")
    assert result.exit_code == ExitStatus.THRESHOLD_FAILED


def test_piped_output_is_plain() -> None:
    assert not ANSI.search(check("broken.example", *ZONES).stdout)


@pytest.mark.parametrize(
    ("env", "args", "coloured"),
    [
        ({"FORCE_COLOR": "1"}, [], True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, [], False),
        ({"FORCE_COLOR": "1"}, ["--no-color"], False),
        ({"NO_COLOR": "1"}, [], False),
    ],
)
def test_colour_switches(env: dict[str, str], args: list[str], coloured: bool) -> None:
    result = check("broken.example", *ZONES, *args, env=env)
    assert bool(ANSI.search(result.stdout)) is coloured


def test_idn_input_is_converted_to_a_label() -> None:
    result = check("日本語.jp", *ZONES, "--format", "json")
    assert result.exit_code == ExitStatus.OK, result.output
    doc = as_json(result)
    assert doc["domain"] == "xn--wgv71a119e.jp"
    assert doc["unicode_domain"] == "日本語.jp"
    assert doc["spf"]["record"] == "v=spf1 mx -all"


@pytest.mark.parametrize(
    "args",
    [
        ["exa mple"],
        ["--", "-x"],
        ["x" * 300],
        ["a." * 130 + "jp"],
        ["1.2.3.4"],
        ["example.jp", "exa mple"],  # one bad name stops the run before any query
        [""],
        ["_dmarc.example.jp"],
    ],
)
def test_garbage_domains_exit_2_with_one_line(args: list[str]) -> None:
    result = check(*args, *ZONES)
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("mailauth: error: ")


def test_bad_zone_file_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.example.zone"
    bad.write_text("$ORIGIN bad.example.\n@ IN TXT\n@ IN NOSUCHTYPE x\n")
    result = check("bad.example", "--zone", str(bad))
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert len(result.stderr.splitlines()) == 1
    assert "bad.example.zone" in result.stderr


def test_cname_and_other_data_says_which_name_and_line(tmp_path: Path) -> None:
    """Issue 8, item 7a: the error named neither (dnspython finds it when storing)."""
    bad = tmp_path / "bad.example.zone"
    bad.write_text(
        "$ORIGIN bad.example.\n$TTL 300\nwww IN A 192.0.2.1\n"
        "; the site moved\nwww IN CNAME x.test.\n"
    )
    result = check("bad.example", "--zone", str(bad))
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert result.stderr == (
        f"mailauth: error: cannot load zone file: {bad}:5: www.bad.example: a CNAME cannot "
        "share its name with other records (the first record of this name is at line 3; "
        "RFC 1034 §3.6.2)\n"
    )


def test_empty_zone_directory_exit_2(tmp_path: Path) -> None:
    result = check("example.jp", "--zone", str(tmp_path))
    assert result.exit_code == ExitStatus.USAGE_ERROR
    assert len(result.stderr.splitlines()) == 1


def test_delegated_away_domain_gives_no_verdict_offline() -> None:
    runner_zones = REPO / "tests" / "data" / "zones" / "runner"
    result = check("lost.unreachable.runner.test", "--zone", str(runner_zones), "--fail-on", "info")
    assert result.exit_code == ExitStatus.NO_VERDICT
    assert "No score: no check could be completed" in result.stdout
    assert "Score 100/100" not in result.stdout
    assert result.stderr == ""


def test_domain_outside_the_zones_gives_no_verdict() -> None:
    # Offline, names outside every loaded zone are unresolvable, never NXDOMAIN.
    result = check("not-loaded.example", "--zone", str(SAMPLES), "--format", "json")
    assert result.exit_code == ExitStatus.NO_VERDICT
    assert as_json(result)["complete"] is False


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_reader_that_stops_early_gets_141_and_no_traceback(fmt: str) -> None:
    """`mailauth check ... | head -1`: the pipe is closed before the report is written (here
    before anything is, so the outcome does not depend on timing)."""
    command = ["check", "example.jp", "--zone", str(SAMPLES), "--format", fmt]
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-c", "from mailauth.cli.main import main; main()", *command],
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert proc.returncode == 141, proc.stderr
    assert proc.stderr == b""


# --- live: the real loopback knot server ---------------------------------------------------


@pytest.mark.parametrize("domain", ["example.jp", "broken.example", "toomany.example", "日本語.jp"])
def test_live_matches_offline(knot_server: Any, domain: str) -> None:
    # The same files for both: a live run would otherwise fetch (and refuse 192.0.2.x).
    https = ("--https-dir", str(REPO / "samples" / "https"))
    live = check(domain, "--nameserver", knot_server.nameserver, *https, "--format", "json")
    offline = check(domain, *ZONES, *https, "--format", "json")
    assert live.exit_code == offline.exit_code, live.output
    live_doc, offline_doc = as_json(live), as_json(offline)
    assert live_doc["score"] == offline_doc["score"]
    assert [f["id"] for f in live_doc["findings"]] == [f["id"] for f in offline_doc["findings"]]


def test_live_thresholds_and_idn(knot_server: Any) -> None:
    ns = ["--nameserver", knot_server.nameserver]
    assert check("broken.example", *ns, "--fail-on", "high").exit_code == 1
    result = check("日本語.jp", *ns, "--format", "json")
    assert result.exit_code == ExitStatus.OK
    assert as_json(result)["domain"] == "xn--wgv71a119e.jp"


def test_live_several_domains_text(knot_server: Any) -> None:
    result = check("example.jp", "toomany.example", "--nameserver", knot_server.nameserver)
    assert result.exit_code == ExitStatus.OK
    assert "mailauth check: example.jp" in result.stdout
    assert "mailauth check: toomany.example" in result.stdout


# --- lookups that fail: exit 3 -------------------------------------------------------------


def test_unanswering_nameserver_exit_3(silent_port: int) -> None:
    result = check(
        "example.jp",
        "--nameserver",
        f"127.0.0.1:{silent_port}",
        "--timeout",
        "0.2",
        "--retries",
        "0",
        "--format",
        "json",
    )
    assert result.exit_code == ExitStatus.NO_VERDICT
    doc = as_json(result)
    assert doc["complete"] is False
    assert doc["spf"]["status"] == "error"
    assert "spf.lookup-failed" in {f["id"] for f in doc["findings"]}
    # Nothing was evaluated: no score, rather than a perfect 100 for an unreachable server.
    assert doc["score"] is None and doc["grade"] is None
    VALIDATOR.validate(doc)


def test_no_verdict_beats_a_failed_threshold(silent_port: int) -> None:
    result = check(
        "example.jp",
        "--nameserver",
        f"127.0.0.1:{silent_port}",
        "--timeout",
        "0.2",
        "--retries",
        "0",
        "--fail-under",
        "100",
    )
    assert result.exit_code == ExitStatus.NO_VERDICT
    assert "No score: no check could be completed" in result.stdout
    assert "Score 100/100" not in result.stdout


def test_servfail_on_one_record_exit_3(fault_dns: Any) -> None:
    from tests.support.faultdns import Fault

    fault_dns.set_records(
        {
            "fault.test": {"TXT": ["v=spf1 -all"], "MX": ["0 ."]},
        }
    )
    fault_dns.fault("_dmarc.fault.test", Fault.SERVFAIL)
    # every query is answered: a generous timeout costs nothing, and a short one could turn
    # a late answer on a loaded machine into a second error
    result = check(
        "fault.test",
        "--nameserver",
        fault_dns.nameserver,
        "--timeout",
        "10",
        "--format",
        "json",
    )
    assert result.exit_code == ExitStatus.NO_VERDICT
    doc = as_json(result)
    assert doc["dmarc"]["status"] == "error"
    assert doc["spf"]["status"] != "error"


def test_domain_deadline_gives_up_on_one_domain_and_reports_the_others(fault_dns: Any) -> None:
    import time

    from tests.support.faultdns import Fault

    fault_dns.records = {"fast.test": {"TXT": ["v=spf1 -all"]}}
    fault_dns.fault("slow.test", Fault.DROP)
    started = time.monotonic()
    # The deadline is what fast.test's whole check must fit in: 0.5 s left no room on a loaded
    # machine. The query timeout stays far above it, so only the deadline can end slow.test.
    result = check(
        "slow.test",
        "fast.test",
        "--nameserver",
        fault_dns.nameserver,
        "--timeout",
        "30",
        "--domain-deadline",
        "3",
        "--format",
        "json",
    )
    assert time.monotonic() - started < 20  # not the 30 s timeout of the dropped queries
    assert result.exit_code == ExitStatus.NO_VERDICT
    slow, fast = as_json(result)
    assert slow["spf"]["status"] == "error"
    assert fast["spf"]["status"] != "error" and fast["domain"] == "fast.test"


def test_deadline_stops_a_slow_run_with_exit_3(fault_dns: Any) -> None:
    from tests.support.faultdns import Fault

    fault_dns.fault("slow.test", Fault.DROP)
    result = check(
        "slow.test",
        "--nameserver",
        fault_dns.nameserver,
        "--timeout",
        "5",
        "--deadline",
        "0.5",
    )
    assert result.exit_code == ExitStatus.NO_VERDICT


# --- an incomplete result: the score is an upper bound (issue 8, item 5) ---------------------

PARTIAL_ZONE = """\
$ORIGIN partial.test.
$TTL 300
@ IN SOA ns1.partial.test. hostmaster.partial.test. 1 3600 900 1209600 300
@ IN NS ns1.partial.test.
ns1 IN A 192.0.2.53
@ IN TXT "v=spf1 -all"
@ IN MX 0 .
_dmarc IN TXT "v=DMARC1; p=none; rua=mailto:d@partial.test"
; one common DKIM selector is delegated to a zone nobody loaded: its probe fails
google._domainkey IN NS ns.unloaded.invalid.
"""


@pytest.fixture
def partial_zone(tmp_path: Path) -> Path:
    zone = tmp_path / "partial.test.zone"
    zone.write_text(PARTIAL_ZONE, encoding="utf-8")
    return zone


def test_an_incomplete_result_fails_fail_under_unless_allowed(partial_zone: Path) -> None:
    zone = ["--zone", str(partial_zone)]
    plain = check("partial.test", *zone, "--no-color")
    assert plain.exit_code == ExitStatus.OK  # no threshold: a partial result is not an error
    assert "Score at most 94/100  Grade A (provisional)" in plain.stdout
    assert "Partial: DKIM could be checked only in part" in plain.stdout
    assert check("partial.test", *zone, "--fail-under", "50").exit_code == 1
    allowed = check("partial.test", *zone, "--fail-under", "50", "--allow-incomplete")
    assert allowed.exit_code == ExitStatus.OK
    # An upper bound below the threshold fails with or without the option.
    bound = check("partial.test", *zone, "--fail-under", "95", "--allow-incomplete")
    assert bound.exit_code == 1
    doc = as_json(check("partial.test", *zone, "--format", "json"))
    assert doc["complete"] is False
    assert doc["score_is_upper_bound"] is True and doc["grade_provisional"] is True


def test_allow_incomplete_keeps_exit_3_for_lookups_without_verdict() -> None:
    runner_zones = REPO / "tests" / "data" / "zones" / "runner"
    result = check(
        "lost.unreachable.runner.test",
        "--zone",
        str(runner_zones),
        "--fail-under",
        "10",
        "--allow-incomplete",
    )
    assert result.exit_code == ExitStatus.NO_VERDICT


def test_a_complete_result_is_not_a_bound() -> None:
    doc = as_json(check("example.jp", *ZONES, "--format", "json", "--fail-under", "90"))
    assert doc["complete"] is True
    assert doc["score_is_upper_bound"] is False and doc["grade_provisional"] is False


def test_an_spf_include_outside_the_zones_is_partial_not_pass(tmp_path: Path) -> None:
    """Issue 8, item 7c: offline, the include is not resolvable; live, the same failed include
    warns. Offline must not say PASS, and CI must not take the bound for a verdict."""
    zone = tmp_path / "offline.test.zone"
    zone.write_text(
        PARTIAL_ZONE.replace("partial.test", "offline.test")
        .replace('"v=spf1 -all"', '"v=spf1 ip4:192.0.2.1 include:_spf.google.com -all"')
        .replace("google._domainkey IN NS ns.unloaded.invalid.\n", ""),
        encoding="utf-8",
    )
    doc = as_json(check("offline.test", "--zone", str(zone), "--format", "json"))
    assert doc["spf"]["status"] == "warn"
    assert doc["complete"] is False and doc["score_is_upper_bound"] is True
    text = check("offline.test", "--zone", str(zone), "--no-color").stdout
    assert "SPF  WARN" in text and "Partial: SPF could be checked only in part" in text
    assert "not resolvable offline (outside the loaded zones): not checked" in text
    assert check("offline.test", "--zone", str(zone), "--fail-under", "50").exit_code == 1
    allowed = check("offline.test", "--zone", str(zone), "--fail-under", "50", "--allow-incomplete")
    assert allowed.exit_code == ExitStatus.OK
