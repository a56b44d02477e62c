"""Provider sender rules judged from real check reports over the sample zones."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from mailauth.dns.zonefile import ZoneSource
from mailauth.domain.context import CheckOptions
from mailauth.domain.runner import check_domain
from mailauth.model import CheckReport, Status
from mailauth.providers import Audience, Rule, State, judge_providers

ROOT = Path(__file__).resolve().parents[3]
ZONES = [ROOT / "samples" / "zones", ROOT / "tests" / "data" / "zones" / "scoring"]


def verdicts(domain: str) -> dict[tuple[str, Audience], tuple[State, tuple[Rule, ...]]]:
    dns = ZoneSource.from_paths([str(p) for p in ZONES])
    report = asyncio.run(check_domain(dns, domain, CheckOptions()))
    return {
        (p.provider, a.audience): (a.verdict, a.unmet)
        for p in judge_providers(report.checks)
        for a in p.audiences
    }


def test_well_configured_domain_meets_every_dns_rule() -> None:
    got = verdicts("example.jp")
    assert got[("gmail", Audience.ALL)] == (State.MET, ())
    assert got[("gmail", Audience.BULK)] == (State.MET, ())
    assert got[("yahoo", Audience.BULK)] == (State.MET, ())
    assert got[("outlook", Audience.BULK)] == (State.MET, ())


def test_broken_domain_fails_gmail_key_size_and_bulk_rules() -> None:
    got = verdicts("broken.example")
    # SPF includes a domain without SPF (permerror) and the only DKIM key has 512 bits.
    assert got[("gmail", Audience.ALL)] == (State.UNMET, (Rule.SPF_OR_DKIM, Rule.DKIM_1024))
    assert got[("yahoo", Audience.BULK)] == (State.UNMET, (Rule.SPF, Rule.DKIM))
    assert got[("outlook", Audience.BULK)][0] is State.UNMET


def test_unauthenticated_domain_fails_everything_it_can_be_judged_on() -> None:
    got = verdicts("unauthenticated.scoring.test")
    verdict, unmet = got[("yahoo", Audience.BULK)]
    assert verdict is State.UNMET
    assert Rule.SPF in unmet and Rule.DMARC_RECORD in unmet
    # No DKIM selector found is "unknown", never "unmet": selectors cannot be enumerated.
    assert Rule.DKIM not in unmet


@pytest.mark.parametrize(
    ("status", "expected"),
    [(Status.ERROR, State.UNKNOWN), (Status.NONE, State.UNMET), (Status.WARN, State.MET)],
)
def test_dmarc_rule_follows_check_status(status: Status, expected: State) -> None:
    checks = {"dmarc": CheckReport(check="dmarc", status=status)}
    gmail = judge_providers(checks)[0]
    bulk = next(a for a in gmail.audiences if a.audience is Audience.BULK)
    state = next(r.state for r in bulk.rules if r.rule is Rule.DMARC_RECORD)
    assert state is expected
    # Message-level rules are never judged from DNS.
    assert all(r.state is State.MESSAGE for r in bulk.rules if r.rule is Rule.ALIGNMENT)


def test_json_report_carries_provider_verdicts() -> None:
    from mailauth.render.json import domain_json

    dns = ZoneSource.from_paths([str(p) for p in ZONES])
    out = domain_json(asyncio.run(check_domain(dns, "broken.example", CheckOptions())))
    gmail_all = out["providers"]["gmail"]["all_senders"]
    assert gmail_all["verdict"] == "unmet"
    assert gmail_all["unmet"] == ["spf-or-dkim", "dkim-1024"]
    assert out["providers"]["outlook"]["bulk_senders"]["rules"]["alignment"] == "message"
    assert "all_senders" not in out["providers"]["outlook"]


def test_unknown_verdict_names_the_rules_that_could_not_be_judged() -> None:
    """esp.example signs with a selector nobody can guess: Gmail's key-size rule is not
    known, while Yahoo (no such rule) is met - the text must say why they differ."""
    from click.testing import CliRunner

    from mailauth.cli.main import main

    dns = ZoneSource.from_paths([str(p) for p in ZONES])
    report = asyncio.run(check_domain(dns, "esp.example", CheckOptions()))
    gmail_all = next(a for a in judge_providers(report.checks)[0].audiences)
    assert gmail_all.verdict is State.UNKNOWN
    assert gmail_all.unknown == (Rule.DKIM_1024,)
    out = (
        CliRunner()
        .invoke(main, ["check", "esp.example", "--zone", str(ZONES[0])], env={"NO_COLOR": "1"})
        .output
    )
    assert "Gmail, all senders:" in out
    assert "not known: DKIM keys of 1024 bits or more" in out
    assert "Yahoo, all senders:                        met" in out
