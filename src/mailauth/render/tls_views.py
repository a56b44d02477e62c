"""Text views of the DNSSEC and DANE checks (issue 11): the verdict, how it was reached, and
the TLSA records per MX host. `check_views.print_check_view` dispatches here."""

from __future__ import annotations

from mailauth.domain.dane import DaneReport
from mailauth.domain.dnssec import DnssecReport
from mailauth.domain.smtp import SmtpHost, SmtpReport
from mailauth.i18n import field_label, has_label, label
from mailauth.render.ink import Canvas
from mailauth.render.layout import print_field, print_table

Row = dict[str, str | int | bool | None]


def print_dnssec(console: Canvas, r: DnssecReport, lang: str) -> None:
    def field(name: str, value: object, *, prose: bool = False) -> None:
        print_field(console, field_label(name, lang), value, lang, prose=prose)

    field("security", r.security.value)
    field("method", r.method)
    if r.trust_anchor:
        field("trust_anchor", _anchor(r.trust_anchor, lang), prose=True)
    if r.zone:
        field("zone", r.zone)
    if r.chain:
        field("chain", [f"{link.zone} ({link.status.value})" for link in r.chain])


def _anchor(description: str, lang: str) -> str:
    """The built-in root anchors in the report's language; a --trust-anchor file by its path."""
    from mailauth.dns.trust_anchor import ROOT_DESCRIPTION

    return (
        label("dnssec.trust-anchor.root", lang) if description == ROOT_DESCRIPTION else description
    )


def print_dane(console: Canvas, r: DaneReport, lang: str) -> None:
    rows: list[Row] = []
    for h in r.hosts:
        common: Row = {"host": h.host, "dnssec": h.dnssec.value if h.records else None}
        if not h.records:
            rows.append({**common, "usage": None, "rollover_safe": None})
        for t in h.records:
            rows.append(
                {
                    **common,
                    "usage": f"{t.text[:40]} ({t.mnemonic})",
                    "rollover_safe": h.rollover_safe,
                }
            )
    if rows:
        columns = ("host", "usage", "dnssec", "rollover_safe")
        print_table(console, field_label("tlsa", lang), rows, columns, lang)


def print_smtp(console: Canvas, r: SmtpReport, lang: str) -> None:
    if not r.requested:
        print_field(console, field_label("smtp_requested", lang), False, lang)
        return
    rows: list[Row] = []
    for h in r.hosts:
        c = h.certificate
        rows.append(
            {
                "host": h.host,
                "smtp_status": h.status,
                "tls_version": h.tls_version,
                "cipher": h.cipher,
                "days_left": c.days_left if c else None,
                "trusted": c.trusted if c else None,
                "name_matches": c.name_matches if c else None,
                "mta_sts_ready": h.mta_sts_ready,
                "mta_sts_policy": _mta_sts_policy(h, lang),
                "dane_match": h.dane_match,
            }
        )
    if rows:
        columns = tuple(rows[0])
        print_table(console, field_label("hosts", lang), rows, columns, lang)


def _mta_sts_policy(h: SmtpHost, lang: str) -> str | None:
    """The host against the MTA-STS policy, in words (None: the MTA-STS check did not run)."""
    if h.mta_sts_policy is None:
        return None
    reasons = ", ".join(
        label(f"smtp.mta-sts-reason.{code}", lang)
        if has_label(f"smtp.mta-sts-reason.{code}")
        else code
        for code in h.mta_sts_policy_reasons
    )
    return label(f"smtp.mta-sts-policy.{h.mta_sts_policy}", lang, reasons=reasons or "-")
