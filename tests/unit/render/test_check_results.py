"""Every member of the closed union `CheckResult` has a JSON projection and a text view.

mypy proves the matches exhaustive (`assert_never`); these tests prove the same at run time
for what the registry really returns, so a check whose report type is missing from the
union (and would reach `assert_never`) fails here rather than in front of a user.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import replace
from pathlib import Path
from typing import get_args

import pytest

from mailauth.dns.zonefile import ZoneSource
from mailauth.domain.context import CheckContext
from mailauth.domain.profile import select
from mailauth.domain.results import CheckResult
from mailauth.domain.runner import DOMAIN_CHECKS, CheckSpec, check_domain
from mailauth.domain.spf_tree import NodeState
from mailauth.i18n import catalogue
from mailauth.model import CheckFailed, CheckSkipped, Status
from mailauth.render.check_json import check_json
from mailauth.render.check_views import print_check_view
from mailauth.render.environment import Environment

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "zones"


async def _boom(ctx: CheckContext, domain: str) -> CheckResult:
    raise RuntimeError("kaput")


def _reports() -> list[CheckResult]:
    """One report of every check in the registry over the sample zones, a crashed one and
    one left out with `--checks` (domain/profile.py)."""
    crashed = CheckSpec("crashed", _boom, cap=30, report_type=CheckFailed)
    left_out = replace(select(frozenset({"spf"}))[-1], name="left_out")
    checks: list[CheckSpec] = [*DOMAIN_CHECKS, crashed, left_out]
    dns = ZoneSource.from_paths([SAMPLES])
    report = asyncio.run(check_domain(dns, "example.jp", checks=checks))
    return list(report.checks.values())


REPORTS = _reports()


def test_the_registry_and_a_crash_produce_every_member_of_the_union() -> None:
    assert {type(r) for r in REPORTS} == set(get_args(CheckResult))


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: type(r).__name__)
def test_every_report_has_a_json_projection_led_by_its_status(report: CheckResult) -> None:
    doc = check_json(report)
    assert next(iter(doc)) == "status" and doc["status"] == report.status.value
    if isinstance(report, CheckFailed):
        assert doc == {"status": "error"}
    elif isinstance(report, CheckSkipped):
        assert doc == {"status": "skipped"}
    else:
        assert len(doc) > 1


@pytest.mark.parametrize("report", REPORTS, ids=lambda r: type(r).__name__)
def test_every_report_has_a_text_view(report: CheckResult) -> None:
    env = Environment(io.StringIO(), io.StringIO(), colors=False)
    console = env.console()
    shown = print_check_view(console, report, "en")
    stream = env.stdout
    assert isinstance(stream, io.StringIO)
    assert shown is not isinstance(report, (CheckFailed, CheckSkipped))
    assert bool(stream.getvalue()) is shown


def test_a_crashed_check_is_an_error_with_no_data() -> None:
    (crashed,) = [r for r in REPORTS if isinstance(r, CheckFailed)]
    assert crashed.status is Status.ERROR


def test_every_spf_include_state_but_ok_has_words() -> None:
    """The SPF tree view labels every state of an include target that is not plain OK."""
    words = catalogue("en")
    states = [s.value for s in NodeState if s is not NodeState.OK]
    assert [s for s in states if f"spf-node.{s}" not in words] == []
