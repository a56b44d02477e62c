"""Every finding id in the catalogue is triggered by some scenario, and every scenario reports
exactly the ids it names, offline (zone files) and over the wire (knotd).

The scenario conventions (zone headers, the message manifest) are read by
tests/support/scenarios.py and documented there and in tests/data/zones/README.md. A domain
check's ids must each have a zone scenario, which pins that check's output down exactly; an
id no DNS data can trigger (`core.*`) or a message id no sample can trigger offline and live
alike is allowed only with the test that covers it, which must exist and name the id.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.scenarios import (
    CHECKS,
    MANIFEST,
    REPO,
    SECTIONS,
    Scenario,
    assert_scenario,
    check_of,
    load_scenarios,
    message_triggers,
    parse_zone,
    triggered_elsewhere,
)

from mailauth.dns.interface import DnsSource
from mailauth.domain.context import CheckOptions
from mailauth.findings import CATALOGUE

SCENARIOS = load_scenarios()

# id -> "path::test_name" of the unit test that triggers it.
UNIT_COVERED: dict[str, str] = {
    "core.internal-error": (
        "tests/unit/runner/test_runner.py::test_a_crashing_check_becomes_an_error_report"
    ),
    # [expect] in the configuration file (issue 13): no zone alone can trigger them.
    **dict.fromkeys(
        ("expect.dmarc.policy", "expect.spf.max_lookups", "expect.dkim.selectors_required"),
        "tests/integration/test_ci_policy.py::test_config_file_in_the_working_directory",
    ),
}


# Ids of a domain check that only a live server can trigger (`--smtp`: no zone file holds an
# SMTP server), with the test that triggers each against a real one on loopback.
_SMTP_TEST = "tests/integration/test_smtp_probe.py"
PROBE_COVERED: dict[str, str] = {
    "smtp.lookup-failed": f"{_SMTP_TEST}::test_a_host_without_address_is_a_lookup_failure",
    "smtp.not-tested": f"{_SMTP_TEST}::test_closed_port_is_not_tested_not_failed",
    "smtp.no-starttls": f"{_SMTP_TEST}::test_no_starttls",
    "smtp.tls-failed": f"{_SMTP_TEST}::test_tls_failure",
    "smtp.old-tls": f"{_SMTP_TEST}::test_old_tls",
    "smtp.certificate-expired": f"{_SMTP_TEST}::test_expired_certificate",
    "smtp.certificate-expiring": f"{_SMTP_TEST}::test_expiring_certificate",
    "smtp.certificate-name-mismatch": f"{_SMTP_TEST}::test_wrong_name_certificate",
    "smtp.certificate-untrusted": f"{_SMTP_TEST}::test_untrusted_certificate",
    "smtp.dane-mismatch": f"{_SMTP_TEST}::test_dane_match_and_mismatch",
    "smtp.mta-sts-would-fail": (
        "tests/integration/test_smtp_mta_sts.py::test_host_not_matched_by_an_enforce_policy"
    ),
}


def elsewhere() -> dict[str, str]:
    return {**triggered_elsewhere(), **UNIT_COVERED, **PROBE_COVERED}


def zone_triggers() -> set[str]:
    return {fid for s in SCENARIOS for fid in s.triggers}


def test_scenarios_exist() -> None:
    assert SCENARIOS, "no scenario zones found"
    assert {s.folder for s in SCENARIOS} >= set(CHECKS)
    assert {s.folder for s in SCENARIOS} >= set(SECTIONS)  # the existence stage's too


def test_scenarios_name_only_catalogue_ids() -> None:
    unknown = {s.name: sorted(set(s.triggers) - set(CATALOGUE)) for s in SCENARIOS}
    assert not {k: v for k, v in unknown.items() if v}
    assert not sorted(message_triggers() - set(CATALOGUE))


def test_every_catalogue_id_has_a_scenario() -> None:
    covered = zone_triggers() | message_triggers() | set(elsewhere())
    uncovered = sorted(set(CATALOGUE) - covered)
    assert not uncovered, (
        "finding ids without a scenario (add tests/data/zones/<check>/<origin>.zone with "
        f"'; triggers: <id>', or a message in {MANIFEST.relative_to(REPO)}): {uncovered}"
    )


@pytest.mark.parametrize("check", SECTIONS)
def test_every_id_of_the_check_has_a_zone_scenario(check: str) -> None:
    """Stricter than the catalogue-wide test: a domain check's ids may not hide behind the
    `elsewhere` allowlist; a zone must trigger each, with the check's output asserted exactly."""
    ids = {fid for fid in CATALOGUE if check_of(fid) == check}
    assert sorted(ids - zone_triggers() - set(PROBE_COVERED)) == []


@pytest.mark.parametrize("fid", sorted(elsewhere()))
def test_ids_covered_elsewhere_point_at_real_tests(fid: str) -> None:
    path, _, name = elsewhere()[fid].partition("::")
    source = (REPO / path).read_text(encoding="utf-8")
    if name:
        assert f"def {name}(" in source
    assert fid in source, f"{path} does not mention {fid}"


def test_header_conventions(tmp_path: Path) -> None:
    """The harness reads every header the README documents, and nothing else."""
    zone = tmp_path / "dkim" / "parent.dkim.test.zone"
    zone.parent.mkdir()
    zone.write_text(
        "; triggers: dkim.selector-not-found spf.missing\n"
        "; domain: Child.Parent.dkim.test.\n"
        "\n"
        "; selectors: s1 s2\n"
        "; bimi-selector: brand\n"
        "; include: prose that looks like a key\n"
        "; scenario other.parent.dkim.test triggers: dkim.testing\n"
        "; knot: skip (offline only)\n"
        "$ORIGIN parent.dkim.test.\n"
        "; triggers: spf.plus-all (after the header: a comment)\n",
        encoding="utf-8",
    )
    first, extra = parse_zone(zone)
    options = CheckOptions(selectors=("s1", "s2"), bimi_selector="brand")
    assert first == Scenario(
        zone,
        "parent.dkim.test",
        "child.parent.dkim.test",
        ("dkim.selector-not-found", "spf.missing"),
        options,
        served_by_knot=False,
    )
    assert first.name == "dkim/parent.dkim.test:child.parent.dkim.test"
    assert first.checks == ("spf", "dkim")
    assert first.expected("spf") == {"spf.missing"}
    assert (extra.domain, extra.triggers, extra.options) == (
        "other.parent.dkim.test",
        ("dkim.testing",),
        options,
    )


@pytest.mark.parametrize(
    "text",
    [
        "; A fixture\n; triggers: spf.missing\n",  # not the first line
        "; triggers: spf.missing\n; triggers: spf.plus-all\n",
        "; triggers: core.internal-error\n",  # no domain check would assert it
        "; triggers:\n; domain: a.test b.test\n",
        "; triggers:\n; selectors: s1\n; selectors: s2\n",
    ],
)
def test_malformed_headers_are_refused(tmp_path: Path, text: str) -> None:
    zone = tmp_path / "x.test.zone"
    zone.write_text(text + "@ IN TXT x\n", encoding="utf-8")
    with pytest.raises(ValueError, match=str(zone)):
        parse_zone(zone)


def test_plain_zones_are_not_scenarios(tmp_path: Path) -> None:
    zone = tmp_path / "x.test.zone"
    zone.write_text("; DNS-layer data\n@ IN TXT x\n", encoding="utf-8")
    assert parse_zone(zone) == []


# Scenarios in files knotd does not serve are reported as skipped over the wire, not dropped.
_OFFLINE_ONLY = pytest.mark.skip(reason="'; knot: skip': offline only")
LIVE = [
    pytest.param(s, id=s.name, marks=() if s.served_by_knot else _OFFLINE_ONLY) for s in SCENARIOS
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario_offline(zone_dns: DnsSource, scenario: Scenario) -> None:
    assert_scenario(zone_dns, scenario)


@pytest.mark.parametrize("scenario", LIVE)
def test_scenario_live(live_dns: DnsSource, scenario: Scenario) -> None:
    assert_scenario(live_dns, scenario)
