"""The survey profile (`domain/profile.py`, `mailauth check --checks`): which checks run, and
what a report with skipped checks says (issue 10)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mailauth.dns.cache import CachingSource
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
    left_out = tuple(n for n in check_names() if n not in ("spf", "smtp"))
    assert profiled.skipped == left_out
    # smtp without --smtp reports "not requested" (status none), as in a full run.
    assert profiled.checks["smtp"] == full.checks["smtp"]
    assert profiled.complete is False and profiled.partial == ()
    assert profiled.errors == ()
    assert all(f.check in ("spf", "domain") for f in profiled.findings)
    # Skipped checks deduct nothing: the score is what SPF alone costs, at most.
    assert profiled.score.score >= full.score.score


def test_a_skipped_check_asks_nothing_early() -> None:
    """A skipped DMARC check has no tree walk started for it (`CheckSpec.prefetch`)."""
    source = CachingSource(ZoneSource.from_paths([SAMPLES]))
    checks = select(frozenset({"spf"}))
    asyncio.run(check_domain(source, "broken.example", checks=checks, existence=True))
    assert not [name for name, _ in source.stats.log if name.startswith("_dmarc.")]


def test_the_config_file_takes_checks(tmp_path: Path) -> None:
    from mailauth.config import ConfigError, load_config
    from mailauth.i18n import label

    good = tmp_path / "mailauth.toml"
    good.write_text('checks = ["spf", "dmarc", "mx"]\n')
    assert load_config(good).checks == ("spf", "dmarc", "mx")
    bad = tmp_path / "bad.toml"
    bad.write_text('fail_under = 50\nchecks = ["spf", "nope"]\n')
    with pytest.raises(ConfigError) as caught:
        load_config(bad)
    assert caught.value.line == 2
    # The words name every valid check (they are written out in the i18n tables).
    words = label("config.expected.check-list", "en")
    assert words.endswith(", ".join(("all", *check_names())))


def test_with_smtp_asked_for_a_profile_without_smtp_skips_it() -> None:
    from mailauth.domain.context import CheckOptions, SmtpOptions

    dns = ZoneSource.from_paths([SAMPLES])
    options = CheckOptions(smtp=SmtpOptions(port=1, timeout=0.1))
    report = asyncio.run(
        check_domain(dns, "example.jp", options, checks=select(frozenset({"spf"})), existence=True)
    )
    assert isinstance(report.checks["smtp"], CheckSkipped)
