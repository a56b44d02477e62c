"""The survey profile (`domain/profile.py`, `mailauth check --checks`): which checks run, and
what a report with skipped checks says (issue 10)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mailauth.dns.zonefile import ZoneSource
from mailauth.domain.profile import UnknownChecks, check_names, parse_checks, select
from mailauth.domain.registry import DOMAIN_CHECKS
from mailauth.domain.runner import DomainReport, check_domain
from mailauth.model import CheckSkipped, Status
from mailauth.render.check_json import check_json

SAMPLES = Path(__file__).resolve().parents[3] / "samples" / "zones"


def test_parse_checks() -> None:
    assert parse_checks("spf,dmarc,mx") == {"spf", "dmarc", "mx"}
    assert parse_checks(" SPF , mta-sts ,") == {"spf", "mta_sts"}
    assert parse_checks("all") is None and parse_checks("") is None
    assert parse_checks(["dkim"]) == {"dkim"}
    with pytest.raises(UnknownChecks) as caught:
        parse_checks("spf,nope,spf2,nope")
    assert caught.value.unknown == ("nope", "spf2")
    assert check_names() == tuple(s.name for s in DOMAIN_CHECKS)


def test_select_keeps_order_and_caps() -> None:
    chosen = select(frozenset({"spf", "mx"}))
    assert [s.name for s in chosen] == [s.name for s in DOMAIN_CHECKS]
    assert [s.cap for s in chosen] == [s.cap for s in DOMAIN_CHECKS]
    assert select(None) is DOMAIN_CHECKS


def _report(wanted: frozenset[str] | None) -> DomainReport:
    dns = ZoneSource.from_paths([SAMPLES])
    return asyncio.run(check_domain(dns, "broken.example", checks=select(wanted), existence=True))


def test_a_skipped_check_has_no_findings_and_makes_the_score_an_upper_bound() -> None:
    full = _report(None)
    profiled = _report(frozenset({"spf"}))
    assert profiled.checks["spf"] == full.checks["spf"]
    skipped = profiled.checks["dmarc"]
    assert isinstance(skipped, CheckSkipped) and skipped.status is Status.SKIPPED
    assert check_json(skipped) == {"status": "skipped"}
    assert profiled.skipped == tuple(n for n in check_names() if n != "spf")
    assert profiled.complete is False and profiled.partial == ()
    assert profiled.errors == ()
    assert all(f.check in ("spf", "domain") for f in profiled.findings)
    # Skipped checks deduct nothing: the score is what SPF alone costs, at most.
    assert profiled.score.score >= full.score.score
