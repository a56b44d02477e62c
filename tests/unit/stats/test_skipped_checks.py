"""Reports of a survey profile (`mailauth check --checks spf,dmarc,mx`): a skipped check's
metrics are unknown for that domain, never "absent" (issue 10)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.unit.stats.reports import jsonl, report

from mailauth.render.stats_json import stats_json
from mailauth.stats.facts import facts_of
from mailauth.stats.reader import read_scan
from mailauth.stats.run import build_stats

SKIPPED = ("dkim", "bimi", "mta_sts", "tls_rpt")


def _profiled(domain: str, **kw: Any) -> dict[str, Any]:
    """A report whose scan left out DKIM, BIMI, MTA-STS and TLS-RPT (as --checks writes it)."""
    doc = report(domain, **kw)
    for name in SKIPPED:
        doc[name] = {"status": "skipped"}
    return doc


def _stats(tmp_path: Path, *docs: dict[str, Any]) -> Any:
    path = tmp_path / "scan.jsonl"
    path.write_text(jsonl(*docs))
    return build_stats(read_scan([str(path)]), None)


def test_facts_name_the_skipped_checks() -> None:
    assert facts_of(_profiled("a.example")).skipped == frozenset(SKIPPED)
    assert facts_of(report("b.example")).skipped == frozenset()


def test_a_skipped_check_is_neither_yes_nor_no(tmp_path: Path) -> None:
    s = _stats(
        tmp_path,
        report("full-bimi.example", bimi=True),
        report("full-none.example", bimi=False),
        _profiled("p1.example"),
        _profiled("p2.example"),
    )
    t = s.tallies.overall
    assert t.domains == 4
    assert t.count("bimi_present") == 1
    assert t.unknown["bimi_present"] == 2 and t.known("bimi_present") == 2
    # 1 of the 2 domains whose scan looked at BIMI, not 1 of 4.
    assert t.metrics()["bimi_present"] == 50.0
    # SPF and DMARC ran everywhere: shares over all four.
    assert t.unknown["spf_present"] == 0 and t.metrics()["spf_present"] == 100.0
    assert t.policy_counts["reject"] == 4
    out = stats_json(s, "en")
    assert out["unknown"] == {
        "bimi_present": 2,
        "dkim_found": 2,
        "mta_sts_present": 2,
        "tls_rpt_present": 2,
    }


def test_a_skipped_dmarc_is_not_a_missing_policy(tmp_path: Path) -> None:
    doc = report("p.example", policy=None)
    doc["dmarc"] = {"status": "skipped"}
    s = _stats(tmp_path, doc, report("q.example", policy="reject"))
    t = s.tallies.overall
    assert t.policy_counts == {"none": 0, "quarantine": 0, "reject": 1, "missing": 0}
    assert t.metrics()["dmarc_policy:reject"] == 100.0


def test_reports_without_skips_have_no_unknown_key(tmp_path: Path) -> None:
    out = stats_json(_stats(tmp_path, report("a.example")), "en")
    assert "unknown" not in out
