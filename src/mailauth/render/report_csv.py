"""`mailauth report --format csv`: one row per source per day, with the column names
parsedmarc's aggregate CSV uses where the meaning is the same (source_ip_address,
source_reverse_dns, source_base_domain, count, spf_aligned, dkim_aligned, dmarc_aligned),
plus mailauth's source_service, class and fix. Cells that a spreadsheet would run as a
formula (leading = + - @) are quoted with a leading apostrophe (CWE-1236)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from mailauth.render.environment import Environment
from mailauth.render.output import DocumentWriter
from mailauth.render.report_words import fix_text
from mailauth.report.analysis import ReportAnalysis, iso_day

COLUMNS = (
    "date",
    "domain",
    "p",
    "source_ip_address",
    "source_reverse_dns",
    "source_base_domain",
    "source_service",
    "count",
    "spf_aligned",
    "dkim_aligned",
    "dmarc_aligned",
    "quarantined",
    "rejected",
    "class",
    "fix",
)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def render(analyses: Sequence[ReportAnalysis], lang: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for a in analyses:
        for d in a.domains:
            by_ip = {s.ip: s for s in d.sources}
            for row in d.source_days:
                s = by_ip.get(row.source_ip)
                writer.writerow(
                    _cell(v)
                    for v in (
                        iso_day(row.day),
                        d.domain,
                        d.policy_published.get("p"),
                        row.source_ip,
                        s.ptr if s else None,
                        s.org_domain if s else None,
                        s.service.name if s and s.service else None,
                        row.messages,
                        row.spf_aligned,
                        row.dkim_aligned,
                        row.dmarc_pass,
                        row.quarantined,
                        row.rejected,
                        s.cls.value if s else None,
                        fix_text(s, lang) if s else None,
                    )
                )
    return out.getvalue()


def csv_writer(sink: Environment, expected: int | None) -> DocumentWriter[ReportAnalysis]:
    return DocumentWriter(sink, render)
