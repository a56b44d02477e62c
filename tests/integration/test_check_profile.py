"""`mailauth check --checks spf,dmarc,mx` (issue 10): a survey profile over knotd on loopback,
through a relay that notes every question asked, so "only those checks ran" is what the
server saw, not what the report claims."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from tests.support.counting_relay import CountingRelay
from tests.support.knot import KnotServer, serving
from tests.support.synthetic_domains import domain_names, write_zone

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "src" / "mailauth" / "schema" / "domain-report.schema.json"
COUNT = 40
RAN = ("spf", "dmarc", "mx")
SKIPPED = ("dkim", "bimi", "mta_sts", "tls_rpt", "dnssec", "dane", "ns")
TYPE_NS, TYPE_DNSKEY, TYPE_TLSA = 2, 48, 52


@pytest.fixture(scope="module")
def knot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnotServer]:
    with serving([write_zone(tmp_path_factory.mktemp("synth"), COUNT)]) as server:
        yield server


def run_check(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "MAILAUTH_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-m", "mailauth", "check", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def _survey(knot: KnotServer, tmp_path: Path, checks: str) -> tuple[list[dict], CountingRelay]:
    names = domain_names(COUNT)
    listing = tmp_path / "domains.txt"
    listing.write_text("\n".join(names) + "\n")
    out = tmp_path / "out.jsonl"
    relay = CountingRelay((knot.host, knot.port))
    try:
        result = run_check(
            "--domains-file", str(listing), "--checks", checks, "--nameserver",
            relay.nameserver, "--timeout", "3", "--no-fetch", "--format", "jsonl",
            "-o", str(out),
        )  # fmt: skip
    finally:
        relay.close()
    assert result.returncode in (0, 1), result.stderr  # 3 would be a check with no verdict
    reports = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["domain"] for r in reports] == names
    return reports, relay


def test_profile_runs_only_the_checks_asked_for(knot: KnotServer, tmp_path: Path) -> None:
    reports, relay = _survey(knot, tmp_path, "spf,dmarc,mx")
    # One validator for the 40 reports: jsonschema.validate() checks the schema itself again
    # on every call, ~0.2 s of CPU each, which made this the slowest test of its module and
    # brought it within reach of the suite's per-test timeout on a loaded machine.
    schema = json.loads(SCHEMA.read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    for r in reports:
        validator.validate(r)
        assert all(r[name]["status"] != "skipped" for name in RAN)
        assert all(r[name] == {"status": "skipped"} for name in SKIPPED)
        # Without --smtp the probe is not asked for, with or without --checks.
        assert r["smtp"]["status"] == "none" and r["smtp"]["requested"] is False
        # What was not looked at cannot be counted as clean: the grade is provisional.
        assert r["complete"] is False
        assert r["score_is_upper_bound"] and r["grade_provisional"]
        assert not [f for f in r["findings"] if f["id"].split(".")[0] in SKIPPED]
    asked = {name for name, _ in relay.questions}
    assert any(n.startswith("_dmarc.") for n in asked)
    assert not [n for n in asked if n.startswith(("_mta-sts.", "_smtp._tls.", "_bimi."))]
    assert not [n for n in asked if "._domainkey." in n]
    qtypes = {t for _, t in relay.questions}
    assert not qtypes & {TYPE_NS, TYPE_DNSKEY, TYPE_TLSA}


def test_the_full_run_asks_what_the_profile_leaves_out(knot: KnotServer, tmp_path: Path) -> None:
    """The control: without --checks the same scan asks those names (the assertions above
    are not vacuous)."""
    reports, relay = _survey(knot, tmp_path, "all")
    assert all(r["mta_sts"]["status"] != "skipped" for r in reports)
    asked = {name for name, _ in relay.questions}
    assert [n for n in asked if n.startswith("_mta-sts.")]
    assert [n for n in asked if "._domainkey." in n]


def test_an_unknown_check_is_a_usage_error(tmp_path: Path) -> None:
    result = run_check("example.jp", "--checks", "spf,bogus", "--zone", str(tmp_path))
    assert result.returncode == 2
    assert "bogus" in result.stderr and "spf, dmarc, dkim" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_profile_against_a_full_baseline_resolves_nothing_it_skipped(tmp_path: Path) -> None:
    """`--baseline` from a full run, then `--checks spf,dmarc,mx`: the findings of the
    checks left out (bimi.missing, dnssec.unsigned, tls_rpt...) are not "resolved", and
    their records did not "change"; a finding of a check that ran still compares."""
    zones = str(REPO / "samples" / "zones")
    full = tmp_path / "full.json"
    done = run_check("broken.example", "--zone", zones, "--format", "json", "-o", str(full))
    assert done.returncode in (0, 1), done.stderr
    before = json.loads(full.read_text())
    assert {"bimi.missing", "dnssec.unsigned", "spf.ptr-used"} <= {
        f["id"] for f in before["findings"]
    }
    done = run_check(
        "broken.example", "--zone", zones, "--checks", "spf,dmarc,mx",
        "--baseline", str(full), "--format", "json",
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    changes = json.loads(done.stdout)["baseline"]
    assert changes["resolved_findings"] == [] and changes["new_findings"] == []
    assert changes["record_changes"] == []
