"""Catalogue entries for the TLS-RPT record check (`mailauth.domain.tls_rpt`)."""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import RFC7505, RFC8460, RFC8461
from mailauth.model import Severity

define = Section("tls_rpt", Scope.DOMAIN, Protocol.TLS_RPT).define

_RFC8460 = RFC8460.at("3")
_IGNORED = (
    "Senders must act as if the domain had no TLS-RPT record (RFC 8460 §3), so you receive "
    "no reports when they fail to deliver to you over TLS."
)

define(
    "tls_rpt.lookup-failed",
    Severity.LOW,
    title="TLS-RPT record could not be looked up",
    detail="The query for {name} {rdtype} failed with {rcode}.",
    consequence="Senders that hit the same failure send no TLS reports.",
    fix=(
        "Check that the domain's authoritative name servers answer, then run the check again "
        "(offline, with --zone: load the zone file that holds {name})."
    ),
    references=(_RFC8460,),
    scored=False,
)
define(
    "tls_rpt.missing",
    Severity.INFO,
    title="No TLS-RPT record",
    detail="{name} has no TLS-RPT TXT record.",
    consequence=(
        "Sending servers (Gmail, Outlook and others) cannot tell you when TLS to your MX "
        "fails. It does not affect whether your own mail lands in spam."
    ),
    fix=(
        "Publish a TXT record at {name} naming an address that receives the daily JSON "
        "reports. The proposed record sends them to tlsrpt@{domain}: create that mailbox or "
        "put an address you read instead."
    ),
    references=(_RFC8460,),
)
define(
    "tls_rpt.missing-with-mta-sts",
    Severity.LOW,
    title="MTA-STS without TLS-RPT",
    detail="The domain publishes MTA-STS but {name} has no TLS-RPT TXT record.",
    consequence=(
        "If your MTA-STS policy or certificate breaks, senders that enforce it stop "
        "delivering to you, and without TLS-RPT nobody tells you why mail stopped arriving."
    ),
    fix=(
        "Publish a TLS-RPT record at {name} so senders report policy and TLS failures to you. "
        "The proposed record sends reports to tlsrpt@{domain}: create that mailbox or put an "
        "address you read instead."
    ),
    references=(_RFC8460, RFC8461.at("7")),
)
define(
    "tls_rpt.null-mx",
    Severity.INFO,
    title="No TLS-RPT needed: the domain accepts no mail",
    detail=(
        "{domain} publishes a null MX (RFC 7505), which tells senders it accepts no mail, and "
        "{name} has no TLS-RPT TXT record."
    ),
    consequence=(
        "TLS-RPT reports on failed TLS when servers deliver mail to the domain; with a null MX "
        "nothing is delivered, so there is nothing to report."
    ),
    fix=(
        "Nothing to do. If you publish a TLS-RPT record anyway, send its reports to a domain "
        "that receives mail: no mailbox at {domain} can receive them."
    ),
    references=(_RFC8460, RFC7505.at("3")),
)
define(
    "tls_rpt.bad-version",
    Severity.MEDIUM,
    title="TLS-RPT record does not start with v=TLSRPTv1",
    detail="The TXT record at {name} does not begin with v=TLSRPTv1: {record}",
    consequence=_IGNORED,
    fix="Start the record with exactly v=TLSRPTv1; followed by rua=.",
    references=(_RFC8460,),
)
define(
    "tls_rpt.multiple-records",
    Severity.MEDIUM,
    title="Several TLS-RPT records",
    detail="{name} has {count} TXT records beginning with v=TLSRPTv1.",
    consequence=_IGNORED,
    fix="Merge them into one record; list several destinations in one rua=, separated by commas.",
    references=(_RFC8460,),
)
define(
    "tls_rpt.missing-rua",
    Severity.MEDIUM,
    title="TLS-RPT record has no rua",
    detail="The TLS-RPT record at {name} has no rua= field: {record}",
    consequence=_IGNORED,
    fix="Add rua=mailto:<address> (or an https: URL) where reports should go.",
    references=(_RFC8460,),
)
define(
    "tls_rpt.bad-rua",
    Severity.MEDIUM,
    title="TLS-RPT report address is invalid",
    detail="The TLS-RPT record at {name} lists {uri}, which is not a valid mailto: or https: URI.",
    consequence=(
        "Senders cannot deliver reports to this destination; if it is the only one, you "
        "receive no TLS reports."
    ),
    fix="Use mailto:user@example.com or https://host/path, separating several with commas.",
    references=(_RFC8460,),
)
define(
    "tls_rpt.syntax",
    Severity.LOW,
    title="TLS-RPT record is malformed",
    detail="The TLS-RPT record at {name} has a malformed or repeated field: {fragment}",
    consequence=(
        "Strict senders may discard the record, and then you receive no TLS reports from them."
    ),
    fix="Write the record as v=TLSRPTv1; rua=<uri> with name=value fields separated by "
    "semicolons, each field once.",
    references=(_RFC8460,),
)
