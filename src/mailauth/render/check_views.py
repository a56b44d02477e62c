"""The parsed view of each check in the text report: the few facts an admin needs, read from
the typed report (the full data is in `--format json`).

`print_check_view` matches the closed union `CheckResult` and ends in `assert_never`, so a
report type without a view fails `mypy --strict` instead of reaching a user as a generic
section; a view reads typed fields, so a renamed field fails the type check, not the user.
"""

from __future__ import annotations

from collections.abc import Sequence

from mailauth.dns.interface import Rcode
from mailauth.domain.bimi import BimiReport
from mailauth.domain.dane import DaneReport
from mailauth.domain.dkim import DkimReport
from mailauth.domain.dmarc import DmarcReport
from mailauth.domain.dnssec import DnssecReport
from mailauth.domain.mta_sts import MtaStsReport
from mailauth.domain.mx import MxReport
from mailauth.domain.ns import NsReport
from mailauth.domain.results import CheckResult
from mailauth.domain.smtp import SmtpReport
from mailauth.domain.spf import SpfReport
from mailauth.domain.spf_tree import LOOKUP_LIMIT, VOID_LIMIT, LookupTerm, NodeState
from mailauth.domain.tls_rpt import TlsRptReport
from mailauth.i18n import field_label, label
from mailauth.model import CheckFailed, CheckSkipped
from mailauth.render.bimi_assets_text import print_bimi_assets
from mailauth.render.ink import Canvas, Text
from mailauth.render.interface import assert_never
from mailauth.render.layout import print_field, print_table
from mailauth.render.sanitize import printable
from mailauth.render.tls_views import print_dane, print_dnssec, print_smtp

_MAX_TREE_DEPTH = 8  # deeper include levels are in the JSON only

# A row of a view's table: column name -> cell value (`layout.scalar` formats it).
Row = dict[str, str | int | bool | None]


def print_check_view(console: Canvas, report: CheckResult, lang: str) -> bool:
    """Print the parsed view of `report`; False when the report has no data to show (a check
    that raised)."""
    match report:
        case SpfReport():
            _spf(console, report, lang)
        case DmarcReport():
            _dmarc(console, report, lang)
        case DkimReport():
            _dkim(console, report, lang)
        case BimiReport():
            _bimi(console, report, lang)
        case MxReport():
            _mx(console, report, lang)
        case MtaStsReport():
            _mta_sts(console, report, lang)
        case TlsRptReport():
            _tls_rpt(console, report, lang)
        case DnssecReport():
            print_dnssec(console, report, lang)
        case DaneReport():
            print_dane(console, report, lang)
        case SmtpReport():
            print_smtp(console, report, lang)
        case NsReport():
            _field(console, "ns_hosts", list(report.hosts), lang)
        case CheckFailed() | CheckSkipped():
            return False
        case _:
            assert_never(report)
    return True


def _field(console: Canvas, name: str, value: object, lang: str, *, prose: bool = False) -> None:
    print_field(console, field_label(name, lang), value, lang, prose=prose)


def _spf(console: Canvas, r: SpfReport, lang: str) -> None:
    _field(console, "record", r.record, lang)
    if not r.record:
        return
    # A failed or unexpandable include makes the counts lower bounds (spf_tree).
    template = "value.count-of-limit" if r.lookups_complete else "value.at-least-count-of-limit"
    for name, count, limit in (
        ("dns_lookups", r.dns_lookups, LOOKUP_LIMIT),
        ("void_lookups", r.void_lookups, VOID_LIMIT),
    ):
        _field(console, name, label(template, lang, count=count, limit=limit), lang)
    tip = r.tree.lookup_tipping if r.tree else None
    if tip is not None and tip.term:
        path = " > ".join([*tip.path, tip.term])
        print_field(console, field_label("tipping_point", lang), path, lang, prose=True)
    terms = r.root.terms if r.root else []
    if terms:
        name = label("layout.colon", lang, name=field_label("breakdown", lang))
        console.print(Text("  " + name, style="bold"))
        _spf_tree(console, terms, lang, depth=0)
    rr = list(r.tree.spf_rr_records) if r.tree else []
    if rr:
        _field(console, "spf_rrtype_records", rr, lang)


def _spf_tree(console: Canvas, terms: Sequence[LookupTerm], lang: str, depth: int) -> None:
    """One line per lookup-costing term: its cost, and for includes the subtree's total."""
    for term in terms:
        child = term.child
        cost = 1 + child.total_lookups if child else 1
        line = Text("    " + "  " * depth + printable(term.text))
        line.append("  ")
        line.append(label("value.lookups", lang, count=cost), style="dim")
        if child is not None and child.state is not NodeState.OK:
            line.append("  ")
            key = f"spf-node.{child.state.value}"
            if child.rcode is Rcode.UNRESOLVABLE:  # offline: not a temperror, just not seen
                key = "spf-node.unresolvable"
            line.append(label(key, lang), "yellow")
        console.print(line, soft_wrap=True)
        if child is not None and child.terms and depth < _MAX_TREE_DEPTH:
            _spf_tree(console, child.terms, lang, depth + 1)


def _dmarc(console: Canvas, r: DmarcReport, lang: str) -> None:
    d = r.discovery
    _field(console, "record", r.record_text, lang)
    if d.policy:
        _field(console, "policy", d.policy.value, lang)
    for name, value in (("location", d.location), ("org_domain", d.org_domain)):
        if value:
            _field(console, name, value, lang)
    if d.testing:
        _field(console, "testing", True, lang)
    record = r.record
    if record is not None:
        for name, uris in (("rua", record.rua), ("ruf", record.ruf)):
            if uris:
                _field(console, name, [u.raw for u in uris], lang)


def _dkim(console: Canvas, r: DkimReport, lang: str) -> None:
    rows: list[Row] = [
        {
            "selector": s.selector,
            "status": s.status.value,
            "key_type": s.key.key_type if s.key else None,
            "key_bits": s.key.key_bits if s.key else None,
            "cname": s.cname,
        }
        for s in r.selectors
    ]
    if rows:
        columns = ("selector", "status", "key_type", "key_bits", "cname")
        print_table(console, field_label("selectors", lang), rows, columns, lang)
    if r.tried:
        _field(console, "tried", len(r.tried), lang)


def _bimi(console: Canvas, r: BimiReport, lang: str) -> None:
    _field(console, "record", r.record.text if r.record else None, lang)
    shown: tuple[tuple[str, str | bool | None], ...] = (
        ("location", r.location),
        ("logo_url", r.logo_url),
        ("authority_url", r.authority_url),
        ("declined", r.declined),
        ("dmarc_enforced", r.dmarc.enforced if r.dmarc else None),
    )
    for name, value in shown:
        if value:
            _field(console, name, value, lang)
    print_bimi_assets(console, r, lang)


def _mx(console: Canvas, r: MxReport, lang: str) -> None:
    for name, flag in (("null_mx", r.null_mx), ("implicit_mx", r.implicit)):
        if flag:
            _field(console, name, True, lang)
    rows: list[Row] = []
    for host in r.hosts:
        common: Row = {"preference": host.preference, "host": host.name, "cname": host.cname}
        if not host.addresses:  # the host still gets its row, with no address
            rows.append({**common, "address": None, "ptr": None, "fcrdns": None})
        for address in host.addresses:
            rows.append(
                {
                    **common,
                    "address": address.address,
                    "ptr": address.ptr,
                    "fcrdns": address.fcrdns,
                }
            )
    if rows:
        columns = ("preference", "host", "cname", "address", "ptr", "fcrdns")
        print_table(console, field_label("hosts", lang), rows, columns, lang)


def _mta_sts(console: Canvas, r: MtaStsReport, lang: str) -> None:
    _field(console, "record", r.parsed.record if r.parsed else None, lang)
    if r.policy_url:
        _field(console, "policy_url", r.policy_url, lang)
    check = r.policy_check
    if check is None:
        return
    status = check.status.value
    key = (
        f"mta-sts-policy.{status}.{check.reason.value}"
        if check.reason
        else f"mta-sts-policy.{status}"
    )
    _field(console, "policy_file", label(key, lang), lang, prose=True)
    if check.offline:
        _field(
            console, "policy_server", label("mta-sts-policy.server-offline", lang), lang, prose=True
        )
    elif check.server_checked:
        _field(
            console, "policy_server", label("mta-sts-policy.server-checked", lang), lang, prose=True
        )
    policy = check.policy
    if policy is not None:
        _field(console, "mode", policy.mode, lang)
        _field(console, "mx_patterns", list(policy.mx), lang)
        _field(console, "max_age", policy.max_age, lang)
    if check.unmatched_mx:
        _field(console, "unmatched_mx", list(check.unmatched_mx), lang)


def _tls_rpt(console: Canvas, r: TlsRptReport, lang: str) -> None:
    _field(console, "record", r.parsed.record if r.parsed else None, lang)
    rua = list(r.parsed.rua) if r.parsed else []
    if rua:
        _field(console, "rua", rua, lang)
