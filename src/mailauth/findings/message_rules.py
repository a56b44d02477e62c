"""Catalogue entries for `mailauth verify`: what receivers check in a message besides
authentication — bulk-sender unsubscribe rules, RFC 5322 header hygiene, the transport.

Ids: `msg_unsub.*` (RFC 8058 / Gmail-Yahoo bulk rules), `msg_header.*` (RFC 5322),
`msg_transport.*` (TLS and reverse DNS of the sending server). Each is triggered by a sample
in samples/messages/ (manifest.yaml).
"""

from __future__ import annotations

from mailauth.findings.catalogue import define
from mailauth.model import Severity

_BULK = "Gmail email sender guidelines; Yahoo sender requirements (2024)"

define(
    "msg_unsub.missing",
    Severity.HIGH,
    title="Bulk mail without List-Unsubscribe",
    detail="The message looks like bulk mail ({evidence}) but has no List-Unsubscribe header.",
    consequence=(
        "Since June 2024 Gmail and Yahoo require one-click unsubscribe on marketing and "
        "subscribed mail from bulk senders; without it, mail is filtered to spam or rejected "
        "and recipients press 'report spam' instead."
    ),
    fix=(
        "Add List-Unsubscribe: <https://your-domain/unsubscribe?id=...> and "
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click, and sign both with DKIM."
    ),
    references=("RFC 2369", "RFC 8058", _BULK),
)
define(
    "msg_unsub.no-https",
    Severity.HIGH,
    title="List-Unsubscribe has no https URI",
    detail=(
        "List-Unsubscribe is {value}: there is no https: URI, so one-click unsubscribe "
        "is impossible."
    ),
    consequence=(
        "Gmail and Yahoo require RFC 8058 one-click unsubscribe (an https URI) for bulk mail; "
        "a mailto: alone does not satisfy it."
    ),
    fix=(
        "Add an https URI that unsubscribes on a POST without further interaction: "
        "List-Unsubscribe: <https://your-domain/unsubscribe?id=...>, <mailto:...>"
    ),
    references=("RFC 8058 §3.1", _BULK),
)
define(
    "msg_unsub.post-missing",
    Severity.HIGH,
    title="No List-Unsubscribe-Post header (one-click unsubscribe)",
    detail=(
        "List-Unsubscribe is present but List-Unsubscribe-Post: List-Unsubscribe=One-Click is not."
    ),
    consequence=(
        "Without it, receivers cannot unsubscribe with one click (RFC 8058), which Gmail and "
        "Yahoo require for bulk mail: the message does not meet their sender rules."
    ),
    fix="Add the header List-Unsubscribe-Post: List-Unsubscribe=One-Click and sign it with DKIM.",
    references=("RFC 8058 §3.1", _BULK),
)
define(
    "msg_unsub.post-invalid",
    Severity.MEDIUM,
    title="List-Unsubscribe-Post has the wrong value",
    detail=(
        "List-Unsubscribe-Post is {value}; RFC 8058 requires exactly List-Unsubscribe=One-Click."
    ),
    consequence="Receivers ignore the header, so one-click unsubscribe is not offered.",
    fix="Write exactly: List-Unsubscribe-Post: List-Unsubscribe=One-Click",
    references=("RFC 8058 §3.1",),
)
define(
    "msg_unsub.not-signed",
    Severity.MEDIUM,
    title="Not covered by an aligned DKIM signature: {headers}",
    detail=(
        "No passing DKIM signature aligned with {from_domain} lists these header fields in "
        "its h= tag: {headers}."
    ),
    consequence=(
        "RFC 8058 makes one-click unsubscribe depend on a valid DKIM signature that covers both "
        "unsubscribe headers; receivers may not trust headers that no aligned signature of the "
        "From domain covers, since anyone in the path could have added them, and then offer "
        "no one-click unsubscribe."
    ),
    fix=(
        "Make sure a DKIM signature with d={from_domain} (or, with relaxed alignment, a "
        "subdomain of it) passes and lists List-Unsubscribe and List-Unsubscribe-Post in h=."
    ),
    references=("RFC 8058 §4",),
)
define(
    "msg_header.message-id-missing",
    Severity.MEDIUM,
    title="The message has no Message-ID",
    detail="There is no Message-ID header field.",
    consequence=(
        "RFC 5322 says every message SHOULD have one; Gmail treats messages without a "
        "Message-ID as suspicious and may reject them."
    ),
    fix=(
        "Make the sending application or its first mail server add Message-ID: "
        "<unique@your-domain>."
    ),
    references=("RFC 5322 §3.6.4",),
)
define(
    "msg_header.message-id-malformed",
    Severity.LOW,
    title="Message-ID is malformed",
    detail="Message-ID is {value}, which is not of the form <left@right>.",
    consequence="Spam filters score malformed Message-IDs as a sign of bulk or forged mail.",
    fix="Generate Message-ID as <unique-part@your-domain>.",
    references=("RFC 5322 §3.6.4",),
)
define(
    "msg_header.date-missing",
    Severity.MEDIUM,
    title="The message has no Date",
    detail="There is no Date header field, which RFC 5322 requires.",
    consequence="Receivers and spam filters penalize messages without a Date.",
    fix="Make the sending application write Date: in RFC 5322 format.",
    references=("RFC 5322 §3.6.1",),
)
define(
    "msg_header.date-malformed",
    Severity.LOW,
    title="Date is not a valid RFC 5322 date",
    detail="Date is {value}, which is not a valid date-time.",
    consequence="Spam filters score invalid dates; clients sort the message wrongly.",
    fix="Write the date like: Date: Thu, 01 Oct 2026 09:00:00 +0900",
    references=("RFC 5322 §3.3",),
)
define(
    "msg_header.duplicate",
    Severity.MEDIUM,
    title="{name} appears {count} times",
    detail=(
        "{name} may appear at most once in a message (RFC 5322 §3.6), but appears {count} times."
    ),
    consequence=(
        "Receivers reject or spam-filter such messages (Gmail rejects duplicated single "
        "headers); duplicates are also a known trick to make signatures cover the wrong value."
    ),
    fix="Find the system that adds the second {name} and stop it.",
    references=("RFC 5322 §3.6",),
)
define(
    "msg_header.line-too-long",
    Severity.LOW,
    title="A header line is {length} characters long",
    detail="Header line {line} is {length} characters; RFC 5322 allows at most 998.",
    consequence="Mail servers may reject the message or break the line, which breaks DKIM.",
    fix="Fold long header fields over several lines (the sending library should do this).",
    references=("RFC 5322 §2.1.1",),
)
define(
    "msg_transport.no-tls",
    Severity.LOW,
    title="The message was received without TLS",
    detail=(
        "The Received header of the receiving hop says 'with {protocol}': the sending server "
        "did not use TLS. The header is: {received}"
    ),
    consequence=(
        "Gmail requires every sender to use TLS and shows mail received without it with a red "
        "open padlock; the message could be read or changed in transit."
    ),
    fix=(
        "Enable STARTTLS for outgoing mail on the sending server (in Postfix: "
        "smtp_tls_security_level = may) and check that its TLS handshake works."
    ),
    references=("RFC 3207", "RFC 8314", "Gmail email sender guidelines"),
)
define(
    "msg_transport.fcrdns-fail",
    Severity.MEDIUM,
    title="The sending server {ip} has no forward-confirmed reverse DNS",
    detail="No PTR name of {ip} has an A or AAAA record pointing back to it (PTR names: {names}).",
    consequence=(
        "Gmail and Yahoo require sending IPs to have a PTR record whose name resolves back to "
        "the same IP; without it mail is rate-limited, filtered to spam or rejected."
    ),
    fix=(
        "Ask the owner of {ip} (your hosting or ISP) to set a PTR record to a host name of "
        "yours, and publish an A/AAAA record for that name pointing back to {ip}."
    ),
    references=("RFC 8601 §3", _BULK),
)
define(
    "msg_transport.lookup-failed",
    Severity.INFO,
    title="Reverse DNS of {ip} could not be checked",
    detail="The query for {name} {rdtype} failed ({rcode}).",
    consequence=(
        "Forward-confirmed reverse DNS of the sending server is unknown for this run; "
        "nothing is concluded about its PTR record."
    ),
    fix="Run again when DNS answers, or with --zone including the reverse zone.",
    references=("RFC 8601 §3",),
)
