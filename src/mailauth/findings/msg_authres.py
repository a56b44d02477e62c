"""Catalogue entries `msg_authres.*`: Authentication-Results already in a message (RFC 8601),
compared with ours.

Each id is triggered by a sample in samples/messages/ (manifest.yaml) or, for DNS failures a
zone file cannot express offline, by a unit test with an injected failure.
"""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import RFC8601
from mailauth.model import Severity

define = Section("msg_authres", Scope.MESSAGE, Protocol.AUTHENTICATION_RESULTS).define

define(
    "msg_authres.differs",
    Severity.INFO,
    title="{authserv_id} concluded {method}={then} on arrival; now it is {now}",
    detail=(
        "The Authentication-Results header added by {authserv_id} says {method}={then}; "
        "verifying now gives {now}."
    ),
    consequence=(
        "Not necessarily a problem: DNS records change after mail is delivered (DKIM keys are "
        "rotated and removed, SPF records edited), lookups can fail now that worked then, and "
        "messages saved from a mailbox are often modified afterwards (headers added, "
        "re-encoded). The receiver acted on its own result at the time."
    ),
    fix=(
        "If the message is recent and {method} now fails, find what changed (a key removed too "
        "early, a client that rewrote the message); otherwise no action is needed."
    ),
    references=(RFC8601.at("1.5"),),
)

define(
    "msg_authres.lookup-failed",
    Severity.INFO,
    title="{authserv_id}'s results on arrival could not be re-checked",
    detail=(
        "{authserv_id} recorded {results} on arrival. Verifying now gives temperror for them "
        "because DNS lookups failed in this run, which says nothing about the message or its keys."
    ),
    consequence=(
        "None for the message: the receiver acted on its own results at the time. Whether they "
        "still hold is unknown until the lookups succeed."
    ),
    fix="Run again when DNS answers, or offline with --zone.",
    references=(RFC8601.at("2.7"),),
    scored=False,
)
