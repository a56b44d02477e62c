"""Every finding id in the catalogue is triggered by some scenario, and every scenario
triggers the ids it names — offline (zone files) and over the wire (knotd).

Scenarios are `tests/data/zones/<check>/<origin>.zone` whose first line is
`; triggers: id1 id2`; header comments may add `; selectors: s1 s2` (DKIM selectors the
user names), `; bimi-selector: name` and `; domain: name` (check that name instead of the
origin, e.g. a child the zone delegates away). Message-level ids are covered by the messages
listed in samples/messages/manifest.yaml (`{messages: [{file, triggers: [ids]}]}`); ids it
lists under `triggered_elsewhere: {id: test file}` and ids no DNS data can trigger (`core.*`,
in `UNIT_COVERED`) are covered by the named tests, which must exist and name the id.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from mailauth.dns.interface import DnsSource
from mailauth.dns.zonefile import zone_origin
from mailauth.domain.context import CheckOptions
from mailauth.domain.runner import check_domain
from mailauth.findings import CATALOGUE

REPO = Path(__file__).resolve().parents[2]
SCENARIO_ROOT = REPO / "tests" / "data" / "zones"
MANIFEST = REPO / "samples" / "messages" / "manifest.yaml"

# id -> "path::test_name" of the unit test that triggers it.
UNIT_COVERED: dict[str, str] = {
    "core.internal-error": (
        "tests/unit/runner/test_runner.py::test_a_crashing_check_becomes_an_error_report"
    ),
}


@dataclass(frozen=True)
class Scenario:
    path: Path
    origin: str
    triggers: tuple[str, ...]
    options: CheckOptions

    @property
    def name(self) -> str:
        return str(self.path.relative_to(SCENARIO_ROOT))


def _header(path: Path) -> dict[str, list[str]]:
    """`; key: values` comment lines before the first record or directive."""
    fields: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if not line.startswith(";"):
            break
        match = re.match(r";\s*(triggers|selectors|bimi-selector|domain):(.*)$", line)
        if match:
            fields.setdefault(match.group(1), []).extend(match.group(2).split())
    return fields


def load_scenarios() -> list[Scenario]:
    out = []
    for path in sorted(SCENARIO_ROOT.rglob("*.zone")):
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        if not first.startswith("; triggers:"):
            continue  # DNS-layer fixtures and helper zones trigger nothing by contract
        head = _header(path)
        options = CheckOptions(
            selectors=tuple(head.get("selectors", ())),
            bimi_selector=(head.get("bimi-selector") or ["default"])[0],
        )
        domain = (head.get("domain") or [zone_origin(path)])[0]
        out.append(Scenario(path, domain, tuple(head.get("triggers", ())), options))
    return out


SCENARIOS = load_scenarios()


def _manifest() -> dict[str, Any]:
    if not MANIFEST.exists():
        return {}
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def message_triggers() -> set[str]:
    return {fid for entry in _manifest().get("messages", []) for fid in entry.get("triggers", [])}


def elsewhere() -> dict[str, str]:
    """id -> test reference ("path" or "path::name"): the allowlist of ids no scenario
    file can trigger, each with the test that does."""
    listed = dict(_manifest().get("triggered_elsewhere") or {})
    return {**{k: str(v) for k, v in listed.items()}, **UNIT_COVERED}


def run(dns: DnsSource, scenario: Scenario) -> set[str]:
    report = asyncio.run(check_domain(dns, scenario.origin, scenario.options))
    return {f.id for f in report.findings}


def test_scenarios_exist() -> None:
    assert SCENARIOS, "no scenario zones found"


def test_scenarios_name_only_catalogue_ids() -> None:
    unknown = {s.name: sorted(set(s.triggers) - set(CATALOGUE)) for s in SCENARIOS}
    assert not {k: v for k, v in unknown.items() if v}
    assert not sorted(message_triggers() - set(CATALOGUE))


def test_every_catalogue_id_has_a_scenario() -> None:
    covered = {fid for s in SCENARIOS for fid in s.triggers} | message_triggers()
    covered |= set(elsewhere())
    uncovered = sorted(set(CATALOGUE) - covered)
    assert not uncovered, (
        "finding ids without a scenario (add tests/data/zones/<check>/<origin>.zone with "
        f"'; triggers: <id>', or a message in {MANIFEST.relative_to(REPO)}): {uncovered}"
    )


@pytest.mark.parametrize("fid", sorted(elsewhere()))
def test_ids_covered_elsewhere_point_at_real_tests(fid: str) -> None:
    path, _, name = elsewhere()[fid].partition("::")
    source = (REPO / path).read_text(encoding="utf-8")
    if name:
        assert f"def {name}(" in source
    assert fid in source, f"{path} does not mention {fid}"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario_offline(zone_dns: DnsSource, scenario: Scenario) -> None:
    found = run(zone_dns, scenario)
    missing = sorted(set(scenario.triggers) - found)
    assert not missing, f"{scenario.origin}: expected {missing}, got {sorted(found)}"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_scenario_live(live_dns: DnsSource, scenario: Scenario) -> None:
    found = run(live_dns, scenario)
    missing = sorted(set(scenario.triggers) - found)
    assert not missing, f"{scenario.origin}: expected {missing}, got {sorted(found)}"
