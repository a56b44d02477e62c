"""One `mailauth report` run as a library call: read the inputs into the store, look up
the sources, analyse. The CLI only parses options and renders what this returns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from mailauth.dns.interface import DnsSource
from mailauth.report.analysis import ReportAnalysis, ReportNote, analyse
from mailauth.report.containers import Limits
from mailauth.report.ingest import ImportSummary, import_inputs
from mailauth.report.sources import SourceInfo, resolve_sources
from mailauth.report.store import ReportStore, SourceDayRow, SourceRow


async def run_report(
    store: ReportStore,
    inputs: Sequence[str],
    dns: DnsSource | None,
    *,
    since: int | None = None,
    domain: str | None = None,
    limits: Limits | None = None,
    stdin: BinaryIO | None = None,
) -> tuple[ReportAnalysis, ImportSummary]:
    """`dns` None: --no-resolve (no PTR lookups)."""
    summary = import_inputs(store, inputs, limits, stdin)
    rows = list(store.source_rows(since, domain))
    infos: dict[str, SourceInfo] = {}
    if dns is not None:
        infos = await resolve_sources(dns, (r.source_ip for r in rows))
    return _judged(store, summary, rows, infos, since, domain), summary


def run_report_offline(
    store: ReportStore,
    inputs: Sequence[str],
    *,
    since: int | None = None,
    domain: str | None = None,
    limits: Limits | None = None,
    stdin: BinaryIO | None = None,
) -> tuple[ReportAnalysis, ImportSummary]:
    """`run_report` without DNS (--no-resolve), and so without an event loop: the
    command then imports no asyncio, a tenth of its start-up."""
    summary = import_inputs(store, inputs, limits, stdin)
    rows = list(store.source_rows(since, domain))
    return _judged(store, summary, rows, {}, since, domain), summary


def _judged(
    store: ReportStore,
    summary: ImportSummary,
    rows: list[SourceRow],
    infos: dict[str, SourceInfo],
    since: int | None,
    domain: str | None,
) -> ReportAnalysis:
    # Not every stored report read back: their counts and reporters per domain, and
    # only the reports the judgement reads (each domain's latest, those with notes).
    overview = store.report_overview(since)
    reports = overview.reports
    source_days = store.source_day_rows(since, domain)
    failures = tuple(store.failures(since, domain))
    domains = analyse(
        rows,
        _daily(source_days),
        reports,
        infos,
        source_days=source_days,
        failures=failures,
        report_counts=overview.by_domain,
    )
    notes = tuple(
        ReportNote(r.org_name, r.report_id, n)
        for r in reports
        if domain is None or r.domain == domain or r.domain.endswith("." + domain)
        for n in r.notes
    )
    analysis = ReportAnalysis(
        reports_read=summary.reports_read,
        records=summary.records,
        duplicates=summary.duplicates,
        unreadable=tuple(summary.unreadable),
        domains=tuple(domains),
        failures=failures,
        notes=notes,
        stored_reports=overview.stored,
    )
    return analysis


def _daily(source_days: Sequence[SourceDayRow]) -> list[tuple[str, int, int, int]]:
    """(domain, day, messages, DMARC-passing messages) summed from the per-source rows:
    one scan of the store fewer than asking it for the days again (a million records
    take a second a scan), and the daily totals are the sums of the CSV's rows."""
    totals: dict[tuple[str, int], list[int]] = {}
    for row in source_days:
        total = totals.setdefault((row.header_from, row.day), [0, 0])
        total[0] += row.messages
        total[1] += row.dmarc_pass
    return [(hf, day, n, passed) for (hf, day), (n, passed) in sorted(totals.items())]
