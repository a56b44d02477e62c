"""The counts of `mailauth stats` on hand-built reports: every figure exact."""

from __future__ import annotations

from pathlib import Path

from tests.unit.stats.reports import jsonl, report

from mailauth.stats.facts import facts_of
from mailauth.stats.groups import grouper
from mailauth.stats.reader import read_scan
from mailauth.stats.run import build_stats

REPORTS = (
    report("a.example.jp", spf_all="-all", policy="reject", grade="A", score=100,
           mx=("mx1.mail.example.net",), ns=("ns1.dns.example.com", "ns2.dns.example.com"),
           mta_sts=True, tls_rpt=True, findings=("dnssec.unsigned",)),
    report("b.co.jp", spf_all="~all", policy="quarantine", grade="B", score=85, dkim=False,
           mx=("aspmx.l.google.com", "alt1.aspmx.l.google.com"), ns=("ns1.dns.example.com",),
           findings=("dnssec.unsigned", "dkim.no-selector-found")),
    report("c.go.jp", spf_all="?all", policy="none", rua=False, grade="C", score=70,
           bimi=True, mx=("mx.c.go.jp",), ns=("a.gov-dns.jp", "b.gov-dns.jp"),
           findings=("dmarc.policy-none", "dmarc.no-rua", "dnssec.unsigned")),
    report("d.example.com", spf=None, spf_all=None, policy=None, grade="F", score=20,
           dkim=False, null_mx=True, ns=None,
           findings=("spf.missing", "dmarc.missing", "dkim.no-selector-found")),
    report("e.city.yokohama.jp", spf_all=None, lookups=12, policy="reject", grade="D",
           score=45, mx=("mx.e.city.yokohama.jp",), ns=("ns.e.city.yokohama.jp",),
           findings=("spf.too-many-lookups",)),
    report("f.tokyo.jp", spf_all="+all", policy=None, grade=None, score=None, dkim=False,
           exists=False, ns=(), findings=("domain.nxdomain",)),
)  # fmt: skip


def _stats(tmp_path: Path, group_by: str | None = None) -> object:
    path = tmp_path / "scan.jsonl"
    path.write_text(jsonl(*REPORTS))
    return build_stats(read_scan([str(path)]), group_by)


def test_overall_counts_are_exact(tmp_path: Path) -> None:
    s = _stats(tmp_path)
    t = s.tallies.overall  # type: ignore[attr-defined]
    assert t.domains == 6 and t.nonexistent == 1
    assert t.count("spf_present") == 5
    assert t.spf_all_counts == {"-all": 1, "~all": 1, "?all": 1, "+all": 1, "none": 1}
    assert t.count("spf_over_limit") == 1
    assert t.policy_counts == {"none": 1, "quarantine": 1, "reject": 2, "missing": 2}
    assert t.count("dmarc_rua") == 3
    assert t.count("dkim_found") == 3
    assert t.count("bimi_present") == 1
    assert t.count("mta_sts_present") == 1
    assert t.count("tls_rpt_present") == 1
    assert t.count("null_mx") == 1
    assert t.grade_counts == {"A": 1, "B": 1, "C": 1, "D": 1, "F": 1}
    assert t.scored == 5 and t.mean_score == 64.0  # (100 + 85 + 70 + 20 + 45) / 5
    assert t.top_findings[:3] == [
        ("dnssec.unsigned", 3),
        ("dkim.no-selector-found", 2),
        ("dmarc.missing", 1),
    ]
    assert t.share(t.count("spf_present")) == 83.3


def test_dkim_estimate_names_the_selectors(tmp_path: Path) -> None:
    s = _stats(tmp_path)
    assert s.tallies.dkim_selectors == ("s1", "google")  # type: ignore[attr-defined]
    assert s.tallies.dkim_selector_lists == 1  # type: ignore[attr-defined]


def test_jp_type_groups(tmp_path: Path) -> None:
    s = _stats(tmp_path, "jp-type")
    groups = {g.group: g.domains for g in s.tallies.groups}  # type: ignore[attr-defined]
    assert groups == {"general-use": 1, "co.jp": 1, "go.jp": 1, "other": 1, "prefecture": 2}
    first = s.tallies.groups[0]  # type: ignore[attr-defined]
    assert first.group == "prefecture"  # the biggest group first


def test_operator_groups(tmp_path: Path) -> None:
    ns = {g.group: g.domains for g in _stats(tmp_path, "ns-operator").tallies.groups}  # type: ignore[attr-defined]
    assert ns == {"example.com": 2, "gov-dns.jp": 1, "unknown": 1, "city.yokohama.jp": 1,
                  "none": 1}  # fmt: skip
    mx = {g.group: g.domains for g in _stats(tmp_path, "mx-operator").tallies.groups}  # type: ignore[attr-defined]
    assert mx == {
        "example.net": 1,
        "google.com": 1,
        "c.go.jp": 1,
        "null-mx": 1,
        "city.yokohama.jp": 1,
        "none": 1,
    }  # PSL: !city.yokohama.jp


def test_tld_groups(tmp_path: Path) -> None:
    tld = {g.group: g.domains for g in _stats(tmp_path, "tld").tallies.groups}  # type: ignore[attr-defined]
    assert tld == {"jp": 5, "com": 1}


def test_column_groups_from_a_csv() -> None:
    facts = [facts_of(r) for r in REPORTS[:3]]
    group = grouper("sector", {"a.example.jp": "retail", "b.co.jp": "finance"})
    assert [group(f) for f in facts] == ["retail", "finance", "unknown"]


def test_a_bad_value_reads_as_absent_not_as_a_crash() -> None:
    doc = report("x.example")
    doc["spf"] = "not an object"
    doc["dmarc"]["policy"] = ["reject"]
    doc["grade"] = "Z"
    doc["score"] = True
    f = facts_of(doc)
    assert not f.spf_present and f.dmarc_policy == "missing"
    assert f.grade is None and f.score is None
