"""Catalogue entries `msg_unsub.*`: One-click unsubscribe (RFC 2369, RFC 8058), required of bulk
senders by Gmail and Yahoo.

Each id is triggered by a sample in samples/messages/ (manifest.yaml) or, for DNS failures a
zone file cannot express offline, by a unit test with an injected failure.
"""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import BULK_SENDER_RULES, RFC2369, RFC8058, Reference
from mailauth.model import Severity

define = Section("msg_unsub", Scope.MESSAGE, Protocol.LIST_UNSUBSCRIBE).define

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
    references=(Reference(RFC2369), Reference(RFC8058), BULK_SENDER_RULES),
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
    references=(RFC8058.at("3.1"), BULK_SENDER_RULES),
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
    references=(RFC8058.at("3.1"), BULK_SENDER_RULES),
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
    references=(RFC8058.at("3.1"),),
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
    references=(RFC8058.at("4"),),
)
