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
from mailauth.report.store import ReportStore


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
    reports = store.reports(since, None)
    days = [(d.header_from, d.day, d.messages, d.dmarc_pass) for d in store.day_rows(since, domain)]
    domains = analyse(rows, days, reports, infos, source_days=store.source_day_rows(since, domain))
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
        failures=tuple(store.failures(since, domain)),
        notes=notes,
        stored_reports=len(reports),
    )
    return analysis, summary
