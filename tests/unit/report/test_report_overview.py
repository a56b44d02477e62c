"""The judgement from the store's `report_overview` (counts and reporters per domain, and
only the reports read one by one) is exactly the judgement from every stored report read
back (`reports`), as `run._judged` made it before: on the shared samples, a generated
month for a domain and a subdomain, reports that tie on their begin with other policies,
notes, and every `--since` / `--domain` filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support import dmarc_gen as gen
from tests.unit.report.test_tree_reader import DATA

from mailauth.report import run
from mailauth.report.analysis import ReportAnalysis, ReportNote, analyse
from mailauth.report.ingest import ImportSummary, import_inputs
from mailauth.report.store import SqliteStore

SUB = "mail." + gen.DOMAIN


def _reference(
    store: SqliteStore, summary: ImportSummary, since: int | None, domain: str | None
) -> ReportAnalysis:
    """`run._judged` as it was: every stored report read back."""
    rows = list(store.source_rows(since, domain))
    reports = store.reports(since, None)
    source_days = store.source_day_rows(since, domain)
    failures = tuple(store.failures(since, domain))
    domains = analyse(
        rows, run._daily(source_days), reports, {}, source_days=source_days, failures=failures
    )
    notes = tuple(
        ReportNote(r.org_name, r.report_id, n)
        for r in reports
        if domain is None or r.domain == domain or r.domain.endswith("." + domain)
        for n in r.notes
    )
    return ReportAnalysis(
        reports_read=summary.reports_read,
        records=summary.records,
        duplicates=summary.duplicates,
        unreadable=tuple(summary.unreadable),
        domains=tuple(domains),
        failures=failures,
        notes=notes,
        stored_reports=len(reports),
    )


def _write(directory: Path) -> None:
    directory.mkdir()
    senders = (gen.OWN_MTA, gen.SES, gen.SENDGRID, gen.SPOOF)
    for name, data in gen.month(gen.DOMAIN, senders, days=6, p="quarantine"):
        (directory / name).write_bytes(data)
    for name, data in gen.month(SUB, (gen.OWN_MTA, gen.SPOOF2), days=3, p="none"):
        (directory / ("sub-" + name)).write_bytes(data)
    last = gen.START + 6 * gen.DAY
    for n, (org, p) in enumerate([("b.example", "reject"), ("a.example", "none"),
                                  ("a.example", "quarantine")]):  # fmt: skip
        # the same begin as each other (and, for a.example, the same reporter)
        xml = gen.aggregate_xml(org, f"tie-{n}", gen.DOMAIN, last, [(gen.OWN_MTA, 2)], p=p)
        (directory / f"tie-{n}.xml").write_bytes(xml)
    # a parent's report read by the subdomain, and one with notes (pct in RFC 9990)
    xml = gen.aggregate_xml("c.example", "noted", gen.DOMAIN, last - 3 * gen.DAY,
                            [(gen.OWN_MTA, 1)])  # fmt: skip
    xml = xml.replace(b"<p>none</p>", b"<p>none</p><pct>5</pct>")
    (directory / "noted.xml").write_bytes(xml)


@pytest.mark.parametrize("source", ["generated", "samples"])
def test_the_overview_judges_as_every_report(tmp_path: Path, source: str) -> None:
    inputs = tmp_path / "in"
    if source == "generated":
        _write(inputs)
    else:
        inputs = DATA
    store = SqliteStore(tmp_path / "s.sqlite")
    summary = import_inputs(store, [str(inputs)])
    assert summary.reports_read > 10
    stored = store.reports(None, None)
    begins = sorted(r.begin for r in stored)
    sinces = [None, begins[len(begins) // 3], begins[2 * len(begins) // 3], 2**40]
    names = sorted({r.domain for r in stored})[:4]
    domains = [None, *names, *(n.split(".", 1)[1] for n in names if "." in n), "nothing.invalid"]
    checked = 0
    for since in sinces:
        for domain in domains:
            got = run._judged(store, summary, list(store.source_rows(since, domain)), {},
                              since, domain)  # fmt: skip
            assert got == _reference(store, summary, since, domain)
            checked += bool(got.domains)
    assert checked >= 3
    store.close()


def test_the_overview_reads_few_reports(tmp_path: Path) -> None:
    _write(tmp_path / "in")
    store = SqliteStore(tmp_path / "s.sqlite")
    import_inputs(store, [str(tmp_path / "in")])
    overview = store.report_overview(None)
    everything = store.reports(None, None)
    assert overview.stored == len(everything) > 25
    assert len(overview.reports) < 10
    assert [r for r in everything if r in overview.reports] == overview.reports  # in order
    assert {r.report_id for r in overview.reports} >= {"tie-0", "tie-1", "noted"}
    assert overview.by_domain[gen.DOMAIN][0] == sum(r.domain == gen.DOMAIN for r in everything)
    store.close()
