"""Catalogue entries `msg_transport.*`: How the message reached the receiver: TLS and the reverse
DNS of the sending server.

Each id is triggered by a sample in samples/messages/ (manifest.yaml) or, for DNS failures a
zone file cannot express offline, by a unit test with an injected failure.
"""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import (
    BULK_SENDER_RULES,
    GMAIL_SENDER_GUIDELINES,
    RFC3207,
    RFC8314,
    RFC8601,
    Reference,
)
from mailauth.model import Severity

define = Section("msg_transport", Scope.MESSAGE, Protocol.TRANSPORT).define

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
    references=(Reference(RFC3207), Reference(RFC8314), Reference(GMAIL_SENDER_GUIDELINES)),
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
    references=(RFC8601.at("3"), BULK_SENDER_RULES),
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
    references=(RFC8601.at("3"),),
    scored=False,
)
