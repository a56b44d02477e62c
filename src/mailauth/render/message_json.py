"""`--format json` for `mailauth verify` and `mailauth spf` (schema:
schema/message-report.schema.json). Findings and score use the same shape as `check`.

The protocol sections (`dkim[]`, `spf`, `dmarc`, `arc`, `transport`...) are projected here from
the typed `MessageReport`; nothing upstream builds JSON."""

from __future__ import annotations

from typing import Any

from mailauth.i18n import label
from mailauth.message.arc import ArcOutcome
from mailauth.message.dkim import DkimSignature
from mailauth.message.report import MessageReport
from mailauth.message.spf import SpfOutcome
from mailauth.message.spftrace import RecordStep
from mailauth.render.environment import Environment
from mailauth.render.json import finding_json, score_json
from mailauth.render.output import JsonWriter

SCHEMA_VERSION = 1


def message_json(report: MessageReport, lang: str = "en") -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "lang": lang,
        "file": report.file,
        "from_domain": report.from_domain,
        **score_json(report.score, lang),
        "subject": report.subject,
        "from_header": report.from_header,
        "dkim": [_dkim(report, s, lang) for s in report.dkim],
        "dkim_signatures_total": report.dkim_total,
        "spf": _spf(report, lang),
        "dmarc": _dmarc(report),
        "arc": _arc(report.arc, lang),
        "transport": _transport(report),
        "authentication_results": report.authentication_results,
        "earlier_results": [
            {
                "authserv_id": d.authserv_id,
                "method": d.method,
                "identifier": d.identifier,
                "then": d.then,
                "now": d.now.value,
            }
            for d in report.differences
        ],
        "findings": [finding_json(f.check, f, lang) for f in report.findings],
    }


def _dkim(report: MessageReport, sig: DkimSignature, lang: str) -> dict[str, Any]:
    return {
        "domain": sig.domain,
        "selector": sig.selector,
        "algorithm": sig.algorithm,
        "canonicalization": sig.canonicalization,
        "result": sig.result.value,
        "reason": label(f"verify.dkim-reason.{sig.reason.value}", lang),
        "reason_code": sig.reason.value,
        "aligned": report.dkim_alignment(sig),
        "key_bits": sig.key.key_bits if sig.key else None,
        "key_type": sig.key.key_type if sig.key else None,
        "body_length": sig.body_length,
        "signed_headers": list(sig.signed_headers),
    }


def _spf(report: MessageReport, lang: str) -> dict[str, Any]:
    spf = report.spf
    ident = spf.identity
    return {
        "result": spf.result.value,
        "domain": spf.domain,
        "ip": ident.ip,
        "helo": ident.helo,
        "mail_from": ident.mail_from,
        "sources": {
            "ip": ident.ip_source,
            "helo": ident.helo_source,
            "mail_from": ident.mail_from_source,
        },
        "aligned": report.spf_alignment,
        "record": spf.record,
        "mechanism": spf.mechanism,
        "problem": spf.problem_text(lang) or None,
        "problem_code": spf.problem_code.value if spf.problem_code else None,
        "dns_lookups": spf.lookups,
        "void_lookups": spf.void_lookups,
    }


def _dmarc(report: MessageReport) -> dict[str, Any]:
    dmarc = report.dmarc
    return {
        "result": dmarc.result.value,
        "policy": dmarc.policy.value if dmarc.policy else None,
        "policy_tag": dmarc.policy_tag.value if dmarc.policy_tag else None,
        "disposition": dmarc.disposition.value,
        "testing": dmarc.testing,
        "org_domain": dmarc.org_domain,
        "record": dmarc.record,
        "location": dmarc.location,
        "from_addresses": list(dmarc.from_addresses),
        "alignment": {
            "spf": dmarc.spf_alignment,
            "dkim": True if dmarc.dkim_aligned else (None if dmarc.dkim_align_unknown else False),
            "spf_mode": dmarc.spf_mode.value,
            "dkim_mode": dmarc.dkim_mode.value,
            "dkim_domains": list(dmarc.dkim_aligned),
        },
        "authors": [
            {
                "domain": a.from_domain,
                "addresses": list(a.from_addresses),
                "result": a.result.value,
                "policy": a.policy.value if a.policy else None,
                "disposition": a.disposition.value,
            }
            for a in dmarc.author_outcomes
        ],
        "authors_total": dmarc.authors_total or len(dmarc.author_outcomes),
    }


def _arc(arc: ArcOutcome, lang: str) -> dict[str, Any]:
    sealer = arc.sealer
    return {
        "result": arc.result.value,
        "instances": arc.instances,
        "reason": arc.reason_text(lang) or None,
        "reason_code": arc.reason_code.value if arc.reason_code else None,
        "sealer": sealer.seal_domain if sealer else None,
        "hops": [
            {
                "instance": h.instance,
                "domain": h.seal_domain,
                "selector": h.seal_selector,
                "cv": h.cv.value if h.cv else "",
                "seal_valid": h.seal_valid,
                "signature_valid": h.signature_valid,
                "authentication_results": h.results,
            }
            for h in sorted(arc.hops, key=lambda h: h.instance)
        ],
    }


def _transport(report: MessageReport) -> dict[str, Any]:
    hop, fcrdns = report.receiving_hop, report.fcrdns
    return {
        "received": hop.raw if hop else None,
        "tls": hop.tls if hop else None,
        "fcrdns": fcrdns.status.value if fcrdns else None,
        "ptr": list(fcrdns.names) if fcrdns else [],
    }


def message_json_writer(sink: Environment, expected: int | None) -> JsonWriter[MessageReport]:
    """Messages: `expected` counts the files given, some of which may turn out not to be
    messages, so the one-object-or-array choice waits for the reports actually written."""
    return JsonWriter(sink, message_json, None)


def spf_json(outcome: SpfOutcome, lang: str = "en") -> dict[str, Any]:
    ident = outcome.identity
    return {
        "schema_version": SCHEMA_VERSION,
        "lang": lang,
        "result": outcome.result.value,
        "domain": outcome.domain,
        "ip": ident.ip,
        "mail_from": ident.mail_from,
        "helo": ident.helo,
        "record": outcome.record,
        "mechanism": outcome.mechanism,
        "explanation": outcome.explanation or None,
        "problem": outcome.problem_text(lang) or None,
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


def spf_json_writer(sink: Environment, expected: int | None) -> JsonWriter[SpfOutcome]:
    return JsonWriter(sink, spf_json, expected)
