"""`--format json` for `mailauth verify` and `mailauth spf` (schema:
schema/message-report.schema.json). Findings and score use the same shape as `check`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mailauth.message.report import MessageReport
from mailauth.message.spf import SpfOutcome
from mailauth.message.spftrace import RecordStep
from mailauth.render.environment import Environment
from mailauth.render.json import finding_json, score_json, write_reports

SCHEMA_VERSION = 1


def message_json(report: MessageReport, lang: str = "en") -> dict[str, Any]:
    data = report.data()
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "file": data.pop("file"),
        "from_domain": data.pop("from_domain"),
        **score_json(report.score, lang),
        **data,
    }
    out["findings"] = [finding_json(f.check, f, lang) for f in report.findings]
    return out


def render_messages(reports: Sequence[MessageReport], env: Environment) -> None:
    write_reports([message_json(r, env.lang) for r in reports], env)


def spf_json(outcome: SpfOutcome) -> dict[str, Any]:
    ident = outcome.identity
    return {
        "schema_version": SCHEMA_VERSION,
        "result": outcome.result.value,
        "domain": outcome.domain,
        "ip": ident.ip,
        "mail_from": ident.mail_from,
        "helo": ident.helo,
        "record": outcome.record,
        "mechanism": outcome.mechanism,
        "explanation": outcome.explanation or None,
        "problem": outcome.problem or None,
        "problem_code": outcome.problem_code.value if outcome.problem_code else None,
        "dns_lookups": outcome.lookups,
        "void_lookups": outcome.void_lookups,
        "trace": [_record(r) for r in outcome.records],
    }


def _record(step: RecordStep) -> dict[str, Any]:
    return {
        "depth": step.depth,
        "domain": step.domain,
        "entered_by": step.entered_by.value,
        "record": step.record,
        "result": step.result.value if step.result else None,
        "lookups": [vars(lk) | {"values": list(lk.values)} for lk in step.lookups],
        "mechanisms": [
            {
                "term": m.term,
                "kind": m.kind,
                "matched": m.matched,
                "lookup_count": m.counted,
                "lookups": [vars(lk) | {"values": list(lk.values)} for lk in m.lookups],
            }
            for m in step.mechanisms
        ],
    }


def render_spf(reports: Sequence[SpfOutcome], env: Environment) -> None:
    write_reports([spf_json(o) for o in reports], env)
