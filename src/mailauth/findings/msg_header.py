"""Catalogue entries `msg_header.*`: RFC 5322 header hygiene that Gmail and Yahoo require of every
sender.

Each id is triggered by a sample in samples/messages/ (manifest.yaml) or, for DNS failures a
zone file cannot express offline, by a unit test with an injected failure.
"""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import RFC5322
from mailauth.model import Severity

define = Section("msg_header", Scope.MESSAGE, Protocol.MESSAGE_FORMAT).define

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
    references=(RFC5322.at("3.6.4"),),
)

define(
    "msg_header.message-id-malformed",
    Severity.LOW,
    title="Message-ID is malformed",
    detail="Message-ID is {value}, which is not of the form <left@right>.",
    consequence="Spam filters score malformed Message-IDs as a sign of bulk or forged mail.",
    fix="Generate Message-ID as <unique-part@your-domain>.",
    references=(RFC5322.at("3.6.4"),),
)

define(
    "msg_header.date-missing",
    Severity.MEDIUM,
    title="The message has no Date",
    detail="There is no Date header field, which RFC 5322 requires.",
    consequence="Receivers and spam filters penalize messages without a Date.",
    fix="Make the sending application write Date: in RFC 5322 format.",
    references=(RFC5322.at("3.6.1"),),
)

define(
    "msg_header.date-malformed",
    Severity.LOW,
    title="Date is not a valid RFC 5322 date",
    detail="Date is {value}, which is not a valid date-time.",
    consequence="Spam filters score invalid dates; clients sort the message wrongly.",
    fix="Write the date like: Date: Thu, 01 Oct 2026 09:00:00 +0900",
    references=(RFC5322.at("3.3"),),
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
    references=(RFC5322.at("3.6"),),
)

define(
    "msg_header.line-too-long",
    Severity.LOW,
    title="A header line is {length} characters long",
    detail="Header line {line} is {length} characters; RFC 5322 allows at most 998.",
    consequence="Mail servers may reject the message or break the line, which breaks DKIM.",
    fix="Fold long header fields over several lines (the sending library should do this).",
    references=(RFC5322.at("2.1.1"),),
)
