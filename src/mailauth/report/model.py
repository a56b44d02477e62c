"""The typed shape of a DMARC report, shared by the parsers, the store and the analysis.

Result words are kept lower-case (`Pass` and `PASS` are what receivers send for `pass`);
fields a report may omit are None, never an invented default, so the analysis can tell
"not reported" from "reported as none".
"""

from __future__ import annotations

from dataclasses import field
from typing import NamedTuple

from mailauth.frozen import frozen


@frozen
class Note:
    """Something wrong with a report that did not stop it being used: a schema defect
    (RFC 9990 Appendix A) or a repair (invalid bytes, a bare `<` in free text). The words
    are the UI key `report.note.<code>`; `value` names the element or the byte."""

    code: str
    value: str = ""


class DkimAuth(NamedTuple):
    """One `auth_results/dkim`: a signature the receiver evaluated."""

    domain: str
    result: str
    selector: str | None = None
    human_result: str | None = None


class SpfAuth(NamedTuple):
    """One `auth_results/spf` (RFC 9990: at most one, scope mfrom only)."""

    domain: str
    result: str
    scope: str | None = None
    human_result: str | None = None


class Reason(NamedTuple):
    """`policy_evaluated/reason`: why the receiver did not apply the policy."""

    type: str
    comment: str | None = None


class Record(NamedTuple):
    """One `<record>`: `count` messages from one source IP with one outcome.

    Records (and their auth results) are named tuples rather than frozen dataclasses
    because an import builds a million of them: a tuple is built in C, while a frozen
    dataclass sets each field through `object.__setattr__` (a third of the import)."""

    source_ip: str
    count: int  # type: ignore[assignment]  # shadows tuple.count, deliberately
    disposition: str | None
    dkim: str | None  # policy_evaluated: DMARC's aligned DKIM verdict
    spf: str | None  # policy_evaluated: DMARC's aligned SPF verdict
    header_from: str
    envelope_from: str | None = None
    envelope_to: str | None = None
    reasons: tuple[Reason, ...] = ()
    dkim_results: tuple[DkimAuth, ...] = ()
    spf_results: tuple[SpfAuth, ...] = ()

    @property
    def dmarc_pass(self) -> bool:
        """DMARC passes when either aligned verdict passes (RFC 7489 §6.6.2)."""
        return self.dkim == "pass" or self.spf == "pass"


@frozen
class PolicyPublished:
    """`<policy_published>`: the record the receiver found (pct only before RFC 9990;
    np, testing and discovery_method only since)."""

    domain: str
    p: str | None = None
    sp: str | None = None
    np: str | None = None
    adkim: str | None = None
    aspf: str | None = None
    pct: int | None = None
    fo: str | None = None
    testing: bool | None = None
    discovery_method: str | None = None


class ReportHeader(NamedTuple):
    """Everything about an aggregate report except its records (which stream). A named
    tuple like `Record`: most reports are small, and building a frozen dataclass of
    eleven fields was a tenth of reading a single-record report."""

    org_name: str
    report_id: str
    begin: int
    end: int
    policy: PolicyPublished
    email: str | None = None
    extra_contact_info: str | None = None
    version: str | None = None
    generator: str | None = None
    errors: tuple[str, ...] = ()
    namespace: str | None = None


@frozen
class AggregateReport:
    """A whole aggregate report (small reports, tests); big ones stream as header + records."""

    header: ReportHeader
    records: tuple[Record, ...]
    notes: tuple[Note, ...] = ()


@frozen
class FailureReport:
    """A failure report (RFC 6591 ARF, RFC 9991): one message that failed, as seen by one
    receiver. `headers` is the original message's header section when it was included."""

    source_ip: str | None
    reported_domain: str | None
    feedback_type: str | None = None
    auth_failure: str | None = None
    original_mail_from: str | None = None
    original_rcpt_to: str | None = None
    arrival_date: str | None = None
    user_agent: str | None = None
    delivery_result: str | None = None
    dkim_domain: str | None = None
    dkim_selector: str | None = None
    spf_dns: str | None = None
    identity_alignment: str | None = None
    header_from: str | None = None
    subject: str | None = None
    headers: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
