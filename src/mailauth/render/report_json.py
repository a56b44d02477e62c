"""`mailauth report --format json`: the analysis as one object. The names are a contract
(issue 12; scripts depend on them) and are described by schema/report.schema.json."""

from __future__ import annotations

from typing import Any

from mailauth.render.environment import Environment
from mailauth.render.output import JsonWriter
from mailauth.render.report_words import note_line, phrase, unreadable_reason
from mailauth.report.analysis import DomainAnalysis, ReportAnalysis, SourceSummary


def _source(s: SourceSummary, lang: str) -> dict[str, Any]:
    return {
        "ip": s.ip,
        "ptr": s.ptr,
        "org_domain": s.org_domain,
        "service": s.service.name if s.service else None,
        "messages": s.messages,
        "dmarc_pass_messages": s.dmarc_pass,
        "spf_aligned_messages": s.spf_aligned,
        "dkim_aligned_messages": s.dkim_aligned,
        "class": s.cls.value,
        "fix": phrase(s.fix, lang) if s.fix else None,
        "fix_id": s.fix.key.removeprefix("report.fix.") if s.fix else None,
        "spf": [{"domain": d, "result": r, "messages": n} for d, r, n in s.spf],
        "dkim": [
            {"domain": d, "selector": sel, "result": r, "messages": n} for d, sel, r, n in s.dkim
        ],
        "dispositions": dict(s.dispositions),
        "override_reasons": list(s.reasons),
    }


def _domain(d: DomainAnalysis, lang: str) -> dict[str, Any]:
    v = d.verdict
    return {
        "domain": d.domain,
        "messages": d.messages,
        "dmarc_pass_messages": d.dmarc_pass_messages,
        "policy_published": d.policy_published,
        "sources": [_source(s, lang) for s in d.sources],
        "verdict": {
            "quarantine_safe": v.quarantine_safe,
            "reject_safe": v.reject_safe,
            "reasons": [phrase(r, lang) for r in v.reasons],
            "next_record": v.next_record,
            "legitimate_failing_per_day": v.legitimate_failing_per_day,
        },
        "actions": [phrase(a, lang) for a in d.actions],
        "evidence": {
            "reports": d.evidence.reports,
            "reporters": list(d.evidence.reporters),
            "first_day": d.evidence.first_day,
            "last_day": d.evidence.last_day,
            "days": d.evidence.days,
        },
        "daily": [
            {"day": p.day, "messages": p.messages, "dmarc_pass_messages": p.dmarc_pass}
            for p in d.days
        ],
    }


def project(a: ReportAnalysis, lang: str) -> dict[str, Any]:
    return {
        "reports_read": a.reports_read,
        "records": a.records,
        "duplicates": a.duplicates,
        "stored_reports": a.stored_reports,
        "unreadable": [
            {"file": u.file, "reason": unreadable_reason(u, lang)} for u in a.unreadable
        ],
        "domains": [_domain(d, lang) for d in a.domains],
        "failure_reports": [
            {
                "source_ip": f.source_ip,
                "reported_domain": f.reported_domain,
                "auth_failure": f.auth_failure,
                "arrival_date": f.arrival_date,
                "original_mail_from": f.original_mail_from,
                "dkim_domain": f.dkim_domain,
                "dkim_selector": f.dkim_selector,
                "header_from": f.header_from,
            }
            for f in a.failures
        ],
        "notes": [
            {"org_name": n.org_name, "report_id": n.report_id, "code": n.note.code,
             "value": n.note.value, "text": note_line(n, lang)}
            for n in a.notes
        ],
    }  # fmt: skip


def json_writer(sink: Environment, expected: int | None) -> JsonWriter[ReportAnalysis]:
    return JsonWriter(sink, project, 1)
