"""An incomplete check never raises a score (issue 8, item 5): what could not be looked up
could only deduct, so the score of what was seen is an upper bound, the grade provisional,
and `--fail-under` cannot be met by it unless `--allow-incomplete` says so."""

from __future__ import annotations

import asyncio
import io
import re

from rich.console import Console

from mailauth.dns.interface import DnsAnswer, Rcode
from mailauth.dns.memory import MemorySource
from mailauth.domain.runner import DomainReport, check_domain
from mailauth.model import Finding, Severity
from mailauth.render.json import domain_json
from mailauth.render.text import print_report
from mailauth.scoring import Threshold, score

DOMAIN = "example.com"
GOOD = {
    DOMAIN: {"TXT": ["v=spf1 -all"], "MX": ["0 ."]},
    f"_dmarc.{DOMAIN}": {"TXT": [f"v=DMARC1; p=reject; rua=mailto:d@{DOMAIN}"]},
}


def run(failures: dict[tuple[str, str], Rcode]) -> DomainReport:
    return asyncio.run(check_domain(MemorySource(GOOD, failures=failures), DOMAIN))


def text(report: DomainReport) -> str:
    console = Console(width=200, no_color=True, record=True, file=io.StringIO())
    print_report(console, report, "en")
    return console.export_text()


# --- Threshold ------------------------------------------------------------------------------


def test_an_incomplete_score_cannot_meet_fail_under() -> None:
    card = score([Finding("dkim.lookup-failed", Severity.INFO)])
    assert card.score == 100 and not card.complete
    assert Threshold(fail_under=50).fails(card, [])
    assert not Threshold(fail_under=50, allow_incomplete=True).fails(card, [])


def test_a_bound_below_the_threshold_fails_either_way() -> None:
    card = score(
        [Finding("spf.missing", Severity.HIGH), Finding("dkim.lookup-failed", Severity.INFO)]
    )
    assert card.score == 65
    assert Threshold(fail_under=70, allow_incomplete=True).fails(card, [])


def test_the_report_can_know_more_than_its_card() -> None:
    card = score([])
    assert card.complete
    assert Threshold(fail_under=50).fails(card, [], complete=False)
    assert not Threshold(fail_under=50).fails(card, [], complete=True)


def test_fail_on_and_no_threshold_are_not_changed() -> None:
    card = score([Finding("dkim.lookup-failed", Severity.INFO)])
    assert not Threshold().fails(card, [])
    assert not Threshold(fail_on=Severity.HIGH).fails(card, [])


# --- domain reports -------------------------------------------------------------------------


def test_a_complete_report_is_not_a_bound() -> None:
    report = run({})
    assert report.complete and report.partial == ()
    doc = domain_json(report)
    assert doc["complete"] is True
    assert doc["score_is_upper_bound"] is False and doc["grade_provisional"] is False
    assert re.search(r"^Score \d+/100  Grade [A-F]$", text(report), re.MULTILINE)


def test_a_partly_checked_domain_scores_at_most() -> None:
    """One DKIM probe unanswered: a note (no verdict is withheld), but the key behind it
    could have been weak, so the score is only an upper bound."""
    report = run({(f"google._domainkey.{DOMAIN}", "TXT"): Rcode.TIMEOUT})
    assert report.errors == () and report.partial == ("dkim",)
    assert not report.complete
    doc = domain_json(report)
    assert doc["complete"] is False
    assert doc["score_is_upper_bound"] is True and doc["grade_provisional"] is True
    assert doc["score"] == report.score.score
    shown = text(report)
    assert f"Score at most {report.score.score}/100  Grade A (provisional)" in shown
    assert "Partial: DKIM could be checked only in part" in shown
    assert "Nothing found that makes" not in shown


def test_a_check_without_verdict_makes_the_score_a_bound() -> None:
    report = run({(f"_dmarc.{DOMAIN}", "TXT"): Rcode.SERVFAIL})
    assert "dmarc" in report.errors and not report.complete
    doc = domain_json(report)
    assert doc["score_is_upper_bound"] is True
    assert "Score at most" in text(report)


class Silent:
    """A DnsSource whose every query times out."""

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        return DnsAnswer(name, rdtype, Rcode.TIMEOUT)


def test_no_score_is_no_bound() -> None:
    report = asyncio.run(check_domain(Silent(), DOMAIN))
    assert not report.scored and report.exists is None
    doc = domain_json(report)
    assert doc["score"] is None and doc["grade"] is None
    assert doc["score_is_upper_bound"] is False and doc["grade_provisional"] is False
