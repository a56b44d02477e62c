"""TLS-RPT record check: `_smtp._tls.<domain>` TXT (RFC 8460).

Also looks at `_mta-sts.<domain>` and the domain's MX (queries the other checks make too, so
the per-run cache answers them): TLS-RPT is optional on its own but is the only way to hear
about failures of an MTA-STS policy, so its absence next to MTA-STS is worth more than a
note; and a domain with a null MX (RFC 7505) receives no mail, so there is nothing to report
and no address there could receive a report.
"""

from __future__ import annotations

import asyncio

from mailauth.dns.versioned_txt import Found, find_versioned_txt
from mailauth.domain.context import CheckContext
from mailauth.domain.inbound import accepts_no_mail
from mailauth.findings.catalogue import finding
from mailauth.frozen import frozen
from mailauth.model import CheckReport, Finding, Status, status_from_findings
from mailauth.records.mta_sts import is_mta_sts_text
from mailauth.records.tls_rpt import (
    TLSRPT_VERSION,
    RptProblem,
    TlsRptRecord,
    is_tls_rpt_text,
    parse_tls_rpt,
)


@frozen(kw_only=True)
class TlsRptReport(CheckReport):
    check: str = "tls_rpt"
    name: str = ""
    records: tuple[str, ...] = ()
    parsed: TlsRptRecord | None = None


async def check_tls_rpt(ctx: CheckContext, domain: str) -> TlsRptReport:
    dns = ctx.dns
    name = f"_smtp._tls.{domain}"
    txt, sts = await asyncio.gather(
        find_versioned_txt(dns, name, is_tls_rpt_text),
        find_versioned_txt(dns, f"_mta-sts.{domain}", is_mta_sts_text),
    )
    if txt.found is Found.LOOKUP_FAILED:
        rcode = txt.answer.rcode.value
        failed = finding("tls_rpt.lookup-failed", name=name, rdtype="TXT", rcode=rcode)
        return TlsRptReport(status=Status.ERROR, findings=(failed,), name=name)
    if txt.found is Found.NO_TXT:
        if await accepts_no_mail(dns, domain):  # no proposal: no mailbox there can exist
            missing = finding("tls_rpt.null-mx", name=name, domain=domain)
        else:
            # The bare record value, like every other check's fix_record: the finding's
            # text names where it goes.
            fid = "tls_rpt.missing-with-mta-sts" if sts.records else "tls_rpt.missing"
            fix = f"v={TLSRPT_VERSION}; rua=mailto:tlsrpt@{domain}"
            missing = finding(fid, name=name, domain=domain, fix_record=fix)
        return TlsRptReport(status=Status.NONE, findings=(missing,), name=name)

    findings: list[Finding] = []
    # RFC 8460 §3: records not beginning with v=TLSRPTv1 are discarded; if not exactly one
    # remains, senders assume the domain does not implement TLS-RPT.
    parsed: TlsRptRecord | None = None
    if txt.found is Found.OTHER_TXT:
        for t in txt.texts:
            findings.append(finding("tls_rpt.bad-version", name=name, record=t))
    elif txt.found is Found.MULTIPLE:
        findings.append(finding("tls_rpt.multiple-records", name=name, count=len(txt.records)))
    else:
        parsed = parse_tls_rpt(txt.records[0])
        findings.extend(_record_findings(name, parsed))
    return TlsRptReport(
        status=status_from_findings(findings),
        findings=tuple(findings),
        name=name,
        records=txt.texts,
        parsed=parsed,
    )


def _record_findings(name: str, parsed: TlsRptRecord) -> list[Finding]:
    out: list[Finding] = []
    for p in parsed.problems:
        if p.code is RptProblem.MISSING_RUA:
            out.append(finding("tls_rpt.missing-rua", name=name, record=parsed.record))
        elif p.code is RptProblem.BAD_URI:
            out.append(finding("tls_rpt.bad-rua", name=name, uri=p.value or ""))
        elif p.code is RptProblem.MALFORMED_FIELD:
            out.append(finding("tls_rpt.syntax", name=name, fragment=p.value or ""))
        elif p.code is RptProblem.DUPLICATE_FIELD:
            out.append(finding("tls_rpt.syntax", name=name, fragment=p.subject or ""))
        # NOT_TLSRPT cannot happen here: only records beginning with v=TLSRPTv1 are parsed.
    return out
