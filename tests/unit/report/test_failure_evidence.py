"""Failure reports (RFC 6591) feed the verdict's evidence: how many were received about
the domain and from which sources; none about another domain."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.support import dmarc_gen as gen

from mailauth.report.run import run_report
from mailauth.report.store import SqliteStore

RUF = (
    Path(__file__).resolve().parents[2]
    / "data/dmarc-reports/parsedmarc/dmarc_ruf_report_linkedin.eml"
)


def _reasons(tmp_path: Path, domain: str) -> dict[str, list[tuple[str, dict[str, object]]]]:
    agg = tmp_path / "agg.xml"
    agg.write_bytes(gen.aggregate_xml("google.com", "g-1", domain, gen.START, [(gen.OWN_MTA, 4)]))
    analysis, _ = asyncio.run(run_report(SqliteStore(), [str(agg), str(RUF)], None))
    assert len(analysis.failures) == 1
    return {
        d.domain: [(r.key, dict(r.params)) for r in d.verdict.reasons] for d in analysis.domains
    }


def test_failure_reports_about_the_domain_are_named_in_the_verdict(tmp_path: Path) -> None:
    reasons = _reasons(tmp_path, "example.com")["example.com"]
    assert reasons[0][0] == "report.reason.evidence"  # the evidence still comes first
    assert reasons[1] == (
        "report.reason.failure-reports",
        {"count": 1, "domain": "example.com", "sources": "10.10.10.10"},
    )


def test_failure_reports_about_another_domain_are_not(tmp_path: Path) -> None:
    reasons = _reasons(tmp_path, gen.DOMAIN)[gen.DOMAIN]
    assert "report.reason.failure-reports" not in {key for key, _ in reasons}
