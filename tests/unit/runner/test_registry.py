"""The check registry is the one list of checks: every entry must have every part a check
family needs, so a new check cannot be half-wired (issue 7)."""

from __future__ import annotations

import json
from importlib import import_module
from importlib.resources import files
from typing import get_args

import pytest
from tests.support.scenarios import ZONES

from mailauth.domain.existence import SECTION as EXISTENCE_SECTION
from mailauth.domain.registry import DOMAIN_CHECKS, STAGE_CAPS, CheckSpec, caps
from mailauth.domain.results import CheckResult
from mailauth.findings import CATALOGUE
from mailauth.findings.catalogue import Scope
from mailauth.i18n import has_label
from mailauth.model import CheckReport
from mailauth.scoring import OVERRIDES

SPECS = {spec.name: spec for spec in DOMAIN_CHECKS}
SCHEMA = json.loads(
    files("mailauth.schema").joinpath("domain-report.schema.json").read_text(encoding="utf-8")
)


def test_names_are_unique() -> None:
    assert len(SPECS) == len(DOMAIN_CHECKS)


@pytest.mark.parametrize("spec", DOMAIN_CHECKS, ids=lambda s: s.name)
def test_every_check_has_a_label(spec: CheckSpec) -> None:
    assert has_label(f"check.{spec.name}")


@pytest.mark.parametrize("spec", DOMAIN_CHECKS, ids=lambda s: s.name)
def test_every_check_is_in_the_json_schema(spec: CheckSpec) -> None:
    report = SCHEMA["$defs"]["report"]
    assert spec.name in report["required"]
    assert spec.name in report["properties"]
    assert spec.name in SCHEMA["$defs"], f"no $defs/{spec.name} describing its data"


@pytest.mark.parametrize("spec", DOMAIN_CHECKS, ids=lambda s: s.name)
def test_every_check_has_its_catalogue_module(spec: CheckSpec) -> None:
    module = import_module(f"mailauth.findings.{spec.name}")
    section = module.define.__self__
    assert section.name == spec.name
    assert section.scope is Scope.DOMAIN
    ids = [fid for fid, e in CATALOGUE.items() if e.section.name == spec.name]
    assert ids, f"findings/{spec.name}.py defines no finding"


@pytest.mark.parametrize("spec", DOMAIN_CHECKS, ids=lambda s: s.name)
def test_every_check_has_a_scenario_folder(spec: CheckSpec) -> None:
    folder = ZONES / spec.name
    assert folder.is_dir() and any(folder.glob("*.zone")), f"no scenarios in {folder}"


@pytest.mark.parametrize("spec", DOMAIN_CHECKS, ids=lambda s: s.name)
def test_every_check_returns_its_own_report_type(spec: CheckSpec) -> None:
    assert issubclass(spec.report_type, CheckReport)
    assert spec.report_type is not CheckReport
    assert spec.report_type in get_args(CheckResult), "not in the union the renderers match"
    hints = spec.run.__annotations__
    assert hints.get("return") in (spec.report_type.__name__, spec.report_type)


def test_every_domain_section_is_a_registered_check() -> None:
    """...or the existence stage beside the checks (`domain`), which has a label and a cap
    but no JSON object of its own (`domain` is the report's name field)."""
    sections = {e.section.name for e in CATALOGUE.values() if e.section.scope is Scope.DOMAIN}
    assert sections - {EXISTENCE_SECTION} == set(SPECS)
    assert EXISTENCE_SECTION in sections and EXISTENCE_SECTION not in SPECS
    assert has_label(f"check.{EXISTENCE_SECTION}") and STAGE_CAPS[EXISTENCE_SECTION] == 100
    assert (ZONES / EXISTENCE_SECTION).is_dir()


def test_a_cap_is_at_least_what_a_missing_record_costs() -> None:
    for fid, weight in OVERRIDES.items():
        check = CATALOGUE[fid].section.name
        if fid.endswith(".missing"):
            assert caps()[check] >= weight.points, fid


def test_every_catalogue_module_matches_its_prefix() -> None:
    for fid, entry in CATALOGUE.items():
        assert fid.startswith(entry.section.name + "."), fid
        import_module(f"mailauth.findings.{entry.section.name}")
