"""Synthetic DMARC aggregate reports with known ground truth.

A `Sender` is one source with a fixed way of authenticating and the class and fix the
analysis must find for it; `month()` writes the reports several receivers would send about
a domain over N days. Shared by the analysis tests and bench/report_import.py.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

DAY = 86400
START = 1_767_225_600  # 2026-01-01T00:00:00Z
NS = "urn:ietf:params:xml:ns:dmarc-2.0"


@dataclass(frozen=True)
class Sender:
    ip: str
    per_day: int
    spf_domain: str
    spf_result: str
    dkim: tuple[tuple[str, str, str], ...]  # (domain, selector, result)
    expected_class: str
    expected_fix: str | None = None  # the fix id (report.fix.<id>)
    reason: str | None = None  # a policy override reason the receiver gives
    expected_service: str | None = None


def _aligned(a: str, b: str) -> bool:
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def record_xml(domain: str, sender: Sender, count: int) -> str:
    dkim_eval = any(r == "pass" and _aligned(d, domain) for d, _, r in sender.dkim)
    spf_eval = sender.spf_result == "pass" and _aligned(sender.spf_domain, domain)
    disposition = "none"
    reason = (
        f"<reason><type>{sender.reason}</type><comment>arc=pass</comment></reason>"
        if sender.reason
        else ""
    )
    dkim = "".join(
        f"<dkim><domain>{d}</domain><selector>{s}</selector><result>{r}</result></dkim>"
        for d, s, r in sender.dkim
    )
    return (
        "<record><row>"
        f"<source_ip>{sender.ip}</source_ip><count>{count}</count>"
        f"<policy_evaluated><disposition>{disposition}</disposition>"
        f"<dkim>{'pass' if dkim_eval else 'fail'}</dkim>"
        f"<spf>{'pass' if spf_eval else 'fail'}</spf>{reason}</policy_evaluated></row>"
        f"<identifiers><envelope_from>{sender.spf_domain}</envelope_from>"
        f"<header_from>{domain}</header_from></identifiers>"
        f"<auth_results>{dkim}<spf><domain>{sender.spf_domain}</domain><scope>mfrom</scope>"
        f"<result>{sender.spf_result}</result></spf></auth_results></record>"
    )


def aggregate_xml(
    org: str,
    report_id: str,
    domain: str,
    begin: int,
    records: Sequence[tuple[Sender, int]],
    *,
    p: str = "none",
    testing: bool = False,
) -> bytes:
    body = "".join(record_xml(domain, s, n) for s, n in records)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<feedback xmlns="{NS}"><version>1.0</version>'
        f"<report_metadata><org_name>{escape(org)}</org_name>"
        f"<email>noreply-dmarc@{escape(org)}</email><report_id>{escape(report_id)}</report_id>"
        f"<date_range><begin>{begin}</begin><end>{begin + DAY - 1}</end></date_range>"
        "<generator>mailauth test generator</generator></report_metadata>"
        f"<policy_published><domain>{domain}</domain><p>{p}</p><sp>{p}</sp><np>{p}</np>"
        f"<testing>{'y' if testing else 'n'}</testing>"
        "<discovery_method>treewalk</discovery_method></policy_published>"
        f"{body}</feedback>\n"
    ).encode()


REPORTERS = ("google.com", "Yahoo", "Outlook.com")


def month(
    domain: str,
    senders: Sequence[Sender],
    *,
    days: int = 30,
    p: str = "none",
    testing: bool = False,
    start: int = START,
) -> Iterator[tuple[str, bytes]]:
    """(file name, gzip bytes) of one report per reporter per day; each reporter sees a
    third of every sender's mail (the remainder goes to the first)."""
    for day in range(days):
        begin = start + day * DAY
        for i, org in enumerate(REPORTERS):
            share = []
            for s in senders:
                n = s.per_day // len(REPORTERS) + (s.per_day % len(REPORTERS) if i == 0 else 0)
                if n:
                    share.append((s, n))
            report_id = f"{org}-{domain}-{day}"
            xml = aggregate_xml(org, report_id, domain, begin, share, p=p, testing=testing)
            yield f"{org}!{domain}!{begin}!{begin + DAY - 1}.xml.gz", gzip.compress(xml, mtime=0)


DOMAIN = "shop.report.test"
OWN_MTA = Sender("198.18.40.40", 300, DOMAIN, "pass", ((DOMAIN, "s1", "pass"),), "aligned")
SES = Sender(
    "198.18.40.10", 90, "amazonses.com", "pass", (("amazonses.com", "ug7nb", "pass"),),
    "legitimate-failing", "dkim-own-domain", expected_service="Amazon SES",
)  # fmt: skip
SENDGRID = Sender(
    "198.18.40.11", 60, DOMAIN, "fail", (), "legitimate-failing", "spf-include",
    expected_service="SendGrid",
)  # fmt: skip
APP = Sender(
    "198.18.40.50", 30, DOMAIN, "none", ((DOMAIN, "app2024", "fail"),),
    "legitimate-failing", "publish-selector",
)  # fmt: skip
LIST = Sender(
    "198.18.40.20", 3, "forwarder.report.test", "pass", ((DOMAIN, "s1", "fail"),),
    "forwarded", reason="mailing_list",
)  # fmt: skip
SPOOF = Sender("198.18.40.30", 12, "spoof.invalid", "softfail", (("spoof.invalid", "x", "fail"),),
               "unauthenticated")  # fmt: skip
SPOOF2 = Sender("203.0.113.66", 6, DOMAIN, "fail", (), "unauthenticated")

FAILING_DOMAIN = (OWN_MTA, SES, SENDGRID, APP, LIST, SPOOF, SPOOF2)
CLEAN_DOMAIN = (OWN_MTA, LIST, SPOOF, SPOOF2)
