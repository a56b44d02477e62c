"""Catalogue entries `msg_dmarc.*`: DMARC of one message (RFC 9989): alignment, policy and the From
header it hangs on.

Each id is triggered by a sample in samples/messages/ (manifest.yaml) or, for DNS failures a
zone file cannot express offline, by a unit test with an injected failure.
"""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section, SeverityRule
from mailauth.findings.references import (
    BULK_SENDER_RULES,
    GMAIL_SENDER_GUIDELINES,
    RFC5322,
    RFC7208,
    RFC7489,
    RFC9989,
    Reference,
)
from mailauth.model import Severity

define = Section("msg_dmarc", Scope.MESSAGE, Protocol.DMARC).define

define(
    "msg_dmarc.fail",
    Severity.HIGH,
    title="DMARC fails for {from_domain} (policy {policy}; receivers apply {disposition})",
    detail=(
        "Neither SPF nor any DKIM signature passed aligned with the From domain {from_domain}. "
        "The published policy for it is {policy}; a receiver would apply: {disposition}."
    ),
    consequence=(
        "With reject the message is refused, with quarantine it goes to spam; with none it is "
        "delivered but counted as unauthenticated, and Gmail and Yahoo filter such mail more "
        "strictly. Aggregate reports show this failure to the domain owner."
    ),
    fix=(
        "Make sure every system that sends as {from_domain} signs with DKIM d={from_domain} "
        "(or a subdomain) and sends from servers listed in SPF with an aligned bounce domain. "
        "If a mailing list or forwarder changed the message on the way, the fix is on its "
        "side: it should ARC-seal the message or rewrite From."
    ),
    references=(RFC9989.at("4.4"), BULK_SENDER_RULES),
    severity_rules=(
        SeverityRule(
            Severity.CRITICAL,
            "when the policy a receiver applies is quarantine or reject (the message goes to "
            "spam or is refused)",
        ),
    ),
)

define(
    "msg_dmarc.spf-unknown",
    Severity.HIGH,
    title="DMARC for {from_domain} rests on SPF, which could not be evaluated here",
    detail=(
        "No DKIM signature passed aligned with the From domain {from_domain}, and SPF could "
        "not be evaluated here: the message does not show the sending server's IP address, or "
        "the MAIL FROM or HELO domain. A receiver passed DMARC only if SPF passed there for a "
        "domain aligned with {from_domain}; otherwise it applied {disposition} (published "
        "policy {policy})."
    ),
    consequence=(
        "Mail that only SPF can authenticate fails DMARC as soon as it is forwarded or relayed; "
        "with quarantine it then goes to spam, with reject it is refused. Gmail, Yahoo and "
        "Outlook.com require bulk senders to sign with DKIM."
    ),
    fix=(
        "Sign the mail with DKIM d={from_domain} so DMARC does not depend on SPF. To see the "
        "SPF result of this message, run again with --ip ADDRESS (the sending server) and "
        "--mail-from ADDRESS."
    ),
    references=(RFC9989.at("4.4"), RFC7208.at("2.4"), BULK_SENDER_RULES),
)

define(
    "msg_dmarc.none",
    Severity.HIGH,
    title="{from_domain} publishes no DMARC policy",
    detail=(
        "No DMARC record applies to {from_domain}: none is published for it or for its "
        "organizational domain ({org_domain})."
    ),
    consequence=(
        "Gmail, Yahoo and Outlook.com require bulk senders to publish DMARC and may reject or "
        "junk their mail without it; receivers have no policy from you for forged mail with "
        "{from_domain} in From, and you get no reports."
    ),
    fix="Publish at _dmarc.{org_domain}: v=DMARC1; p=none; rua=mailto:<your reports address>",
    references=(RFC9989.at("4.10"), BULK_SENDER_RULES),
)

define(
    "msg_dmarc.lookup-failed",
    Severity.MEDIUM,
    title="DMARC for {from_domain} could not be evaluated: a DNS query failed",
    detail=(
        "The query for {name} failed ({rcode}); DMARC needs it for the policy or for relaxed "
        "alignment, so the message can neither pass nor fail."
    ),
    consequence="Receivers that see the same failure return temperror and may defer the message.",
    fix="Check that the name servers responsible for {name} answer TXT queries for it.",
    references=(RFC9989.at("5.3"),),
    scored=False,
)

define(
    "msg_dmarc.from-missing",
    Severity.HIGH,
    title="The message has no From address",
    detail="There is no From header field with an address, so there is no domain to authenticate.",
    consequence="RFC 5322 requires From; Gmail and most receivers reject such messages.",
    fix="Make the sending application write a From header with one address in your domain.",
    references=(RFC5322.at("3.6"), RFC9989.at("4.4")),
)

define(
    "msg_dmarc.from-multiple",
    Severity.HIGH,
    title="The message has {count} From addresses",
    detail="From carries {count} addresses ({addresses}); DMARC needs exactly one.",
    consequence=(
        "Receivers cannot tell which domain to authenticate; Gmail and many others reject "
        "messages with several From addresses or From header fields."
    ),
    fix="Send with exactly one From header holding exactly one address.",
    references=(RFC5322.at("3.6.2"), RFC9989.at("4.4")),
)

# Issue 8.3: several author domains, and a From field that is not valid RFC 5322.
define(
    "msg_dmarc.multiple-author-domains",
    Severity.HIGH,
    title="The From addresses are in {count} domains: DMARC applies to each, the strictest wins",
    detail=(
        "The From fields name addresses in {count} domains ({results}). A receiver cannot "
        "tell which one the reader sees, so DMARC is evaluated for each and the strictest "
        "result applies: {disposition}, because of {domain}."
    ),
    consequence=(
        "Adding a second From field or address is a known way to slip a forgery past DMARC: "
        "a receiver that gives up on such a message (permerror) and delivers it, or checks "
        "only one of the domains, may show the reader the forged one. Receivers that follow "
        "RFC 7489 apply the strictest policy of all author domains, and Gmail rejects "
        "messages with more than one From field."
    ),
    fix=(
        "Send with exactly one From field holding one address. If you did not send this "
        "message, it forges the domain whose DMARC fails."
    ),
    references=(RFC7489.at("6.6.1"), RFC5322.at("3.6"), RFC9989.at("4.4")),
)

define(
    "msg_dmarc.from-invalid",
    Severity.HIGH,
    title="The From field is not valid RFC 5322",
    detail=(
        "From is {value}: {problem}. Like receivers, mailauth reads the author address as "
        "{addresses}."
    ),
    consequence=(
        "Receivers and mail clients read an invalid From differently, so the address DMARC "
        "is evaluated for may not be the one the reader sees: a display name that looks like "
        "an address, or a comma that splits one mailbox into two, is a known way to show a "
        "trusted name over a forged address. Gmail requires messages to follow RFC 5322 and "
        "may reject or junk those that do not."
    ),
    fix=(
        "If you sent it, write From as Display Name <address@your-domain>, and quote a "
        'display name that contains a comma or other specials: "Dear Customer, Inc." '
        "<noreply@example.com>."
    ),
    references=(
        RFC5322.at("3.4"),
        RFC5322.at("3.6.2"),
        Reference(GMAIL_SENDER_GUIDELINES, cited_as="Gmail sender guidelines"),
    ),
)

# --- issue 14, Japanese: internationalized From domains --------------------------------------
# {from_alabel} and {org_alabel} are the A-label forms (text reports show every other domain
# parameter in U-labels); {unicode_domain} is the From domain as people write it.

define(
    "msg_dmarc.idn-no-policy",
    Severity.INFO,
    title="No DMARC record for the internationalized domain {unicode_domain}",
    detail=(
        "The From domain {unicode_domain} is internationalized. Receivers look its DMARC record "
        "up under the A-label form, _dmarc.{from_alabel} (and at its organizational domain, "
        "_dmarc.{org_alabel}); no record is published there. A record entered under the "
        "Unicode form (_dmarc.{unicode_domain}) is a different name that no receiver asks for."
    ),
    consequence=(
        "Receivers apply no DMARC policy to {unicode_domain}, exactly as for any domain without "
        "DMARC (msg_dmarc.none): forged mail with it in From is not refused and you get no "
        "reports."
    ),
    fix=(
        "Publish the DMARC record at _dmarc.{org_alabel}, with the name written in A-labels "
        "(xn--...): many DNS control panels store a name typed in Japanese as it is, which is "
        "not the name receivers query."
    ),
    references=(RFC9989.at("4.10"),),
)
