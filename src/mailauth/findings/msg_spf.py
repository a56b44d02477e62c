"""Catalogue entries `msg_spf.*`: SPF of the sending server for one message (RFC 7208), as `mailauth
verify` evaluates it.

Each id is triggered by a sample in samples/messages/ (manifest.yaml) or, for DNS failures a
zone file cannot express offline, by a unit test with an injected failure.
"""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import BULK_SENDER_RULES, RFC5321, RFC7208, RFC9989
from mailauth.model import Severity

define = Section("msg_spf", Scope.MESSAGE, Protocol.SPF).define

define(
    "msg_spf.no-ip",
    Severity.INFO,
    title="SPF not evaluated: the sending server's IP address is unknown",
    detail=(
        "No Received header names the IP address of the server that handed this message to "
        "your mail system, and --ip was not given."
    ),
    consequence="SPF is reported as none for this run; the receiver evaluated SPF at the time.",
    fix=(
        "Run again with --ip ADDRESS (the address in the Received header your own server "
        "added, e.g. 'from mail.example.jp [192.0.2.30]'), and optionally --helo NAME and "
        "--mail-from ADDRESS."
    ),
    references=(RFC7208.at("2.4"), RFC5321.at("4.4")),
)

define(
    "msg_spf.fail",
    Severity.HIGH,
    title="SPF {result} for {domain} from {ip}",
    detail=(
        "{ip} is not authorized to send for {domain} (MAIL FROM {mail_from}): SPF result "
        "{result}. The record evaluated was: {record}"
    ),
    consequence=(
        "Receivers count SPF as failed; with -all many reject outright. DMARC can then pass "
        "only through an aligned DKIM signature. Forwarded mail always fails SPF this way."
    ),
    fix=(
        "If {ip} is a legitimate server for {domain}, add it to the SPF record (ip4:/ip6: or "
        "the provider's include:). If the message was forwarded, rely on DKIM and ARC."
    ),
    references=(RFC7208.at("2.6"), BULK_SENDER_RULES),
)

define(
    "msg_spf.none",
    Severity.HIGH,
    title="{domain} publishes no SPF record",
    detail="The MAIL FROM domain {domain} has no v=spf1 record, so SPF gives none.",
    consequence=(
        "Gmail and Yahoo require SPF or DKIM for all senders and both for bulk senders: "
        "without SPF the message is unauthenticated unless DKIM passes."
    ),
    fix=(
        "Publish one TXT record at {domain} that lists the servers sending its mail (ip4: and "
        "ip6: terms, or include: for your provider) and ends with ~all or -all. {ip} sent this "
        "message: list it only if it is one of your servers."
    ),
    references=(RFC7208.at("4.5"), BULK_SENDER_RULES),
)

define(
    "msg_spf.permerror",
    Severity.HIGH,
    title="SPF permerror for {domain}",
    detail="The SPF record of {domain} cannot be evaluated: {problem}.",
    consequence=(
        "A receiver that evaluates SPF by RFC 7208 gets permerror for this server and counts "
        "SPF as failed: "
        "Gmail, Yahoo and Outlook treat the message as not authenticated by SPF, so DMARC can "
        "pass only through DKIM. Depending on the problem, mail from your other servers fails "
        "the same way."
    ),
    fix="Run `mailauth check {domain}` for the record's problems and fix them.",
    references=(RFC7208.at("2.6.7"),),
)

define(
    "msg_spf.lookup-failed",
    Severity.MEDIUM,
    title="SPF for {domain} could not be evaluated (temperror)",
    detail="A DNS lookup needed for SPF failed: {problem}.",
    consequence="Receivers that see the same failure usually defer the message (temperror).",
    fix="Check that the name servers of {domain} and of every include answer.",
    references=(RFC7208.at("2.6.6"),),
    scored=False,
)

define(
    "msg_spf.not-aligned",
    Severity.MEDIUM,
    title="SPF passes for {domain}, not for {from_domain}",
    detail=(
        "SPF passes for the MAIL FROM domain {domain}, but it is not aligned with the From "
        "domain {from_domain} (aspf={mode}), so it does not count for DMARC."
    ),
    consequence=(
        "DMARC can pass only through DKIM. This is normal for mail sent through a provider "
        "with its own bounce domain, and for forwarded or list mail."
    ),
    fix=(
        "If you send this mail through a provider, configure a custom return-path (bounce) "
        "domain under {from_domain} there, and make sure DKIM signs with d={from_domain}. For "
        "forwarded or mailing-list mail you cannot align SPF: make sure your DKIM signature "
        "survives, or that the list ARC-seals or rewrites From."
    ),
    references=(RFC9989.at("4.4.2"),),
)
