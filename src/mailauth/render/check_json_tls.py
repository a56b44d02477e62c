"""The JSON objects of the DNSSEC and DANE checks (issue 11), kept beside `check_json` in a
module of their own (schema: `$defs/dnssec`, `$defs/dane`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mailauth.dns.dnssec_chain import ZoneLink
from mailauth.dns.dnssec_reasons import code_of, english
from mailauth.domain.dane import DaneHost, DaneReport
from mailauth.domain.dnssec import DnssecReport, RRsetVerdict
from mailauth.domain.smtp import SmtpHost, SmtpReport
from mailauth.model import Phrase

if TYPE_CHECKING:  # cryptography.x509 costs a JSON report ~30 ms; only a probe needs it
    from mailauth.domain.smtp_cert import CertVerdict
    from mailauth.records.tlsa import TlsaRecord


def dnssec_json(r: DnssecReport) -> dict[str, Any]:
    return {
        "status": r.status.value,
        "method": r.method,
        "trust_anchor": r.trust_anchor,
        "security": r.security.value,
        "signed": r.signed,
        "zone": r.zone,
        "chain": [_link(link) for link in r.chain],
        "rrsets": [_rrset(v) for v in r.rrsets],
    }


def _link(link: ZoneLink) -> dict[str, Any]:
    return {
        "zone": link.zone,
        "via": link.via,
        "security": link.status.value,
        "key_tags": list(link.key_tags),
        "reason": english(link.reason),
        "reason_code": _code(link.reason),
    }


def _rrset(v: RRsetVerdict) -> dict[str, Any]:
    return {
        "name": v.name,
        "type": v.rdtype,
        "security": v.security.value,
        "signed": v.signed,
        "records": v.records,
        "reason": english(v.reason),
        "reason_code": _code(v.reason),
    }


def dane_json(r: DaneReport) -> dict[str, Any]:
    return {"status": r.status.value, "hosts": [_host(h) for h in r.hosts]}


def _host(h: DaneHost) -> dict[str, Any]:
    return {
        "host": h.host,
        "name": h.name,
        "hosted": h.hosted,
        "dnssec": h.dnssec.value,
        "rollover_safe": h.rollover_safe,
        "records": [_tlsa(t) for t in h.records],
        "reason": english(h.reason),
        "reason_code": _code(h.reason),
    }


def _tlsa(t: TlsaRecord) -> dict[str, Any]:
    return {
        "record": t.text,
        "usage": t.usage,
        "selector": t.selector,
        "matching_type": t.matching,
        "mnemonic": t.mnemonic,
        "usable": t.usable,
        "problems": [p.value for p in t.problems],
    }


def smtp_json(r: SmtpReport) -> dict[str, Any]:
    """`smtp.hosts[]`: one probe per MX host; `requested` false without --smtp."""
    return {
        "status": r.status.value,
        "requested": r.requested,
        "hosts": [_smtp(h) for h in r.hosts],
    }


def _smtp(h: SmtpHost) -> dict[str, Any]:
    from mailauth.domain import smtp_reasons  # a probed host only (--smtp)

    return {
        "host": h.host,
        "status": h.status,
        "address": h.address,
        "port": h.port,
        "banner": h.banner or None,
        "tls_version": h.tls_version,
        "cipher": h.cipher,
        "chain_length": h.chain_length,
        "certificate": _cert(h.certificate) if h.certificate else None,
        "mta_sts_ready": h.mta_sts_ready,
        "mta_sts_policy": h.mta_sts_policy,
        "mta_sts_policy_reasons": list(h.mta_sts_policy_reasons),
        "dane_match": h.dane_match,
        "detail": smtp_reasons.english(h.detail),
        "detail_code": smtp_reasons.code_of(h.detail),
    }


def _cert(c: CertVerdict) -> dict[str, Any]:
    return {
        "subject": c.subject,
        "issuer": c.issuer,
        "names": list(c.names),
        "not_before": c.not_before.isoformat(),
        "not_after": c.not_after.isoformat(),
        "days_left": c.days_left,
        "expired": c.expired,
        "name_matches": c.name_matches,
        "trusted": c.trusted,
        "trust_detail": c.trust_detail or None,
        "trust_code": c.trust_code.value if c.trust_code else None,
    }


def _code(reason: Phrase | None) -> str | None:
    """`reason_code`: the `ChainProblem` behind `reason`, for programs (issue 14)."""
    code = code_of(reason)
    return code.value if code is not None else None
