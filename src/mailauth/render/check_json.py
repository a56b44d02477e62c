"""The JSON object of each domain check in `--format json` (schema:
schema/domain-report.schema.json, `$defs/<check>`): one typed projection per report type.

`check_json` matches the closed union `CheckResult` and ends in `assert_never`, so a report
type without a projection fails `mypy --strict`. Every object starts with the report's
`status`, written here once; the keys and their order are the documented JSON shape
(tests/unit/render/test_check_json.py holds them to the schema in both directions).
"""

from __future__ import annotations

from typing import Any

from mailauth.domain.bimi import BimiReport
from mailauth.domain.dane import DaneReport
from mailauth.domain.dkim import DkimReport, SelectorResult
from mailauth.domain.dmarc import DmarcReport, ReportAuthorization
from mailauth.domain.dnssec import DnssecReport
from mailauth.domain.mta_sts import MtaStsReport
from mailauth.domain.mta_sts_policy import PolicyCheck
from mailauth.domain.mx import AddressCheck, MxHost, MxReport
from mailauth.domain.ns import NsReport
from mailauth.domain.results import CheckResult
from mailauth.domain.smtp import SmtpReport
from mailauth.domain.spf import SpfReport
from mailauth.domain.spf_tree import LOOKUP_LIMIT, VOID_LIMIT, LookupTerm
from mailauth.domain.tls_rpt import TlsRptReport
from mailauth.fetch.interface import FetchResult
from mailauth.model import CheckFailed, CheckSkipped
from mailauth.records.dmarc import DmarcRecord
from mailauth.render.bimi_assets_json import certificate_json, logo_json, receivers_json
from mailauth.render.check_json_tls import dane_json, dnssec_json, smtp_json
from mailauth.render.interface import assert_never


def check_json(report: CheckResult) -> dict[str, Any]:
    """The JSON object of one check's report."""
    match report:
        case SpfReport():
            return spf_json(report)
        case DmarcReport():
            return dmarc_json(report)
        case DkimReport():
            return dkim_json(report)
        case BimiReport():
            return bimi_json(report)
        case MxReport():
            return mx_json(report)
        case MtaStsReport():
            return mta_sts_json(report)
        case TlsRptReport():
            return tls_rpt_json(report)
        case DnssecReport():
            return dnssec_json(report)
        case DaneReport():
            return dane_json(report)
        case SmtpReport():
            return smtp_json(report)
        case NsReport():
            return {"status": report.status.value, "hosts": list(report.hosts)}
        case CheckFailed() | CheckSkipped():
            return failed_json(report)
        case _:
            assert_never(report)


def failed_json(r: CheckFailed | CheckSkipped) -> dict[str, Any]:
    """A check that raised has no data: its status (error) only; the finding says why. A
    check left out by `--checks` likewise: `{"status": "skipped"}`."""
    return {"status": r.status.value}


# --- SPF ------------------------------------------------------------------------------------


def spf_json(r: SpfReport) -> dict[str, Any]:
    root = r.root
    parsed = root.parsed if root else None
    tip = r.tree.lookup_tipping if r.tree else None
    return {
        "status": r.status.value,
        "record": r.record,
        "records_found": r.records_found,
        "records": list(root.records) if root else [],
        "dns_lookups": r.dns_lookups,
        "dns_lookup_limit": LOOKUP_LIMIT,
        "void_lookups": r.void_lookups,
        "void_lookup_limit": VOID_LIMIT,
        "lookups_complete": r.lookups_complete,
        "tipping_point": (
            {"term": tip.term, "path": list(tip.path), "top": tip.top} if tip else None
        ),
        "length": len(r.record.encode()) if r.record else 0,
        "strings": [len(s) for s in root.strings] if root else [],
        "terms": [t.text for t in parsed.terms] if parsed else [],
        "all": r.effective_all,
        "includes": [spf_node_json(t) for t in root.terms] if root else [],
        "spf_rrtype_records": list(r.tree.spf_rr_records) if r.tree else [],
    }


def spf_node_json(term: LookupTerm) -> dict[str, Any]:
    """One lookup term of the SPF tree, with the record it leads to (include/redirect).

    `cost` is what the term adds to the parent's count: 1 for itself plus every lookup
    behind it (`subtree_lookups`); `lookups` is the target record's own lookup terms.
    Shown for every include, also when the total is over the limit.
    """
    out: dict[str, Any] = {
        "term": term.text,
        "kind": term.kind,
        "target": term.target or term.spec or None,
        "void": term.void,
        "cost": 1,
    }
    if term.rcode is not None:
        out["rcode"] = term.rcode.value
        out["rdtype"] = term.rdtype
    if term.mx_names is not None:
        out["mx_names"] = term.mx_names
    child = term.child
    if child is not None:
        out.update(
            state=child.state.value,
            record=child.record,
            lookups=child.own_lookups,
            subtree_lookups=child.total_lookups,
            cost=1 + child.total_lookups,
            void_lookups=sum(1 for t in child.terms if t.void),
            children=[spf_node_json(t) for t in child.terms],
        )
    return out


# --- DMARC ----------------------------------------------------------------------------------


def dmarc_json(r: DmarcReport) -> dict[str, Any]:
    d, record = r.discovery, r.record
    return {
        "status": r.status.value,
        "record": r.record_text,
        "policy": d.policy.value if d.policy else None,
        "applied_policy": d.applied_policy.value if d.applied_policy else None,
        "policy_tag": d.policy_tag.value if d.policy_tag else None,
        "testing": d.testing,
        "location": d.location,
        "policy_domain": d.policy_domain,
        "source": d.source.value if d.source else None,
        "org_domain": d.org_domain,
        "org_domain_error": d.org.error.name if d.org.error else None,
        "discovery": d.status.value,
        "queries": list(d.queries),
        "unresolved": list(d.unresolved),
        "tags": _dmarc_tags(record) if record else None,
        "historic_tags": dict(record.historic) if record else {},
        "unknown_tags": dict(record.unknown) if record else {},
        "report_authorization": [_authorization(a) for a in r.authorizations],
    }


def _dmarc_tags(r: DmarcRecord) -> dict[str, Any]:
    return {
        "v": r.v,
        "p": r.p.value if r.p else None,
        "sp": r.sp.value if r.sp else None,
        "np": r.np.value if r.np else None,
        "adkim": r.dkim_mode.value,
        "aspf": r.spf_mode.value,
        "rua": [u.raw for u in r.rua],
        "ruf": [u.raw for u in r.ruf],
        "fo": list(r.failure_options),
        "psd": r.psd_flag.value,
        "t": "y" if r.testing else "n",
    }


def _authorization(a: ReportAuthorization) -> dict[str, Any]:
    return {
        "tag": a.tag,
        "uri": a.uri,
        "destination": a.destination,
        "name": a.name,
        "authorized": a.authorized,
        "rcode": a.rcode.value,
    }


# --- DKIM, BIMI -----------------------------------------------------------------------------


def dkim_json(r: DkimReport) -> dict[str, Any]:
    return {
        "status": r.status.value,
        "selectors": [_selector(s) for s in r.selectors],
        "tried": list(r.tried),
    }


def _selector(s: SelectorResult) -> dict[str, Any]:
    key = s.key
    return {
        "selector": s.selector,
        "name": s.name,
        "status": s.status.value,
        "key_type": key.key_type if key else None,
        "key_bits": key.key_bits if key else None,
        "record": key.record if key else None,
        "cname": s.cname,
        "testing": key.testing if key else None,
        "revoked": key.revoked if key else None,
        "rcode": s.rcode.value,
    }


def bimi_json(r: BimiReport) -> dict[str, Any]:
    record, dmarc = r.record, r.dmarc
    return {
        "status": r.status.value,
        "record": record.text if record else None,
        "selector": r.selector,
        "location": r.location,
        "fallback": r.fallback,
        "logo_url": r.logo_url,
        "authority_url": r.authority_url,
        "declined": r.declined,
        "lps": record.lps if record else None,
        "avp": record.avp if record else None,
        "dmarc_enforced": dmarc.enforced if dmarc else None,
        "dmarc_setting": dmarc.setting if dmarc else None,
        "logo": logo_json(r.logo),
        "certificate": certificate_json(r.certificate),
        "receivers": receivers_json(r.receivers),
    }


# --- MX, MTA-STS, TLS-RPT -------------------------------------------------------------------


def mx_json(r: MxReport) -> dict[str, Any]:
    return {
        "status": r.status.value,
        "hosts": [_mx_host(h) for h in r.hosts],
        "null_mx": r.null_mx,
        "implicit_mx": r.implicit,
    }


def _mx_host(h: MxHost) -> dict[str, Any]:
    return {
        "name": h.name,
        "preference": h.preference,
        "addresses": [_address(a) for a in h.addresses],
        "cname": h.cname,
        "ip_literal": h.ip_literal,
    }


def _address(a: AddressCheck) -> dict[str, Any]:
    ptrs = a.ptrs
    return {
        "address": a.address,
        "ptr": a.ptr,
        "ptrs": list(ptrs) if ptrs is not None else None,
        "fcrdns": a.fcrdns,
    }


def mta_sts_json(r: MtaStsReport) -> dict[str, Any]:
    parsed, addresses = r.parsed, r.policy_host_addresses
    return {
        "status": r.status.value,
        "name": r.name,
        "record": parsed.record if parsed else None,
        "records": list(r.records),
        "id": parsed.id if parsed else None,
        "policy_url": r.policy_url,
        "policy_host_addresses": list(addresses) if addresses is not None else None,
        "policy": _mta_sts_policy(r.policy_check) if r.policy_check is not None else None,
    }


def _mta_sts_policy(check: PolicyCheck) -> dict[str, Any]:
    """The policy step: where it got to (`status`, `reason`), how the fetch went, the
    parsed file, and the MX match."""
    policy, fetched, hosts = check.policy, check.fetch, check.mx_hosts
    return {
        "status": check.status.value,
        "reason": check.reason.value if check.reason is not None else None,
        "url": check.url,
        "fetch": _fetch(fetched) if fetched is not None else None,
        "server_checked": check.server_checked,
        "version": policy.version if policy else None,
        "mode": policy.mode if policy else None,
        "mx": list(policy.mx) if policy else [],
        "max_age": policy.max_age if policy else None,
        "valid": policy.valid if policy else None,
        "mx_hosts": list(hosts) if hosts is not None else None,
        "unmatched_mx": list(check.unmatched_mx),
        "unused_mx_patterns": list(check.unused_patterns),
    }


def _fetch(result: FetchResult) -> dict[str, Any]:
    return {
        "outcome": result.outcome.value,
        "status": result.status,
        "content_type": result.content_type,
        "location": result.location,
        "address": result.address,
        "detail": result.detail,
        "offline": result.offline,
    }


def tls_rpt_json(r: TlsRptReport) -> dict[str, Any]:
    parsed = r.parsed
    return {
        "status": r.status.value,
        "name": r.name,
        "record": parsed.record if parsed else None,
        "records": list(r.records),
        "rua": list(parsed.rua) if parsed else [],
    }
