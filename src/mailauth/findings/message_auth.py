"""Catalogue entries for `mailauth verify`: SPF, DMARC, ARC and Authentication-Results.

Ids start with `msg_<protocol>.` (see message_dkim.py for why). Each id is triggered by a
sample in samples/messages/ (manifest.yaml) or, for DNS failures a zone file cannot express
offline, by a unit test with an injected failure.
"""

from __future__ import annotations

from mailauth.findings.catalogue import SeverityRule, define
from mailauth.model import Severity

_BULK = "Gmail email sender guidelines; Yahoo sender requirements (2024)"

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
    references=("RFC 7208 §2.4", "RFC 5321 §4.4"),
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
    references=("RFC 7208 §2.6", _BULK),
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
    references=("RFC 7208 §4.5", _BULK),
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
    references=("RFC 7208 §2.6.7",),
)
define(
    "msg_spf.lookup-failed",
    Severity.MEDIUM,
    title="SPF for {domain} could not be evaluated (temperror)",
    detail="A DNS lookup needed for SPF failed: {problem}.",
    consequence="Receivers that see the same failure usually defer the message (temperror).",
    fix="Check that the name servers of {domain} and of every include answer.",
    references=("RFC 7208 §2.6.6",),
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
    references=("RFC 9989 §4.4.2",),
)
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
    references=("RFC 9989 §4.4", _BULK),
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
    references=("RFC 9989 §4.4", "RFC 7208 §2.4", _BULK),
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
    references=("RFC 9989 §4.10", _BULK),
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
    references=("RFC 9989 §5.3",),
)
define(
    "msg_dmarc.from-missing",
    Severity.HIGH,
    title="The message has no From address",
    detail="There is no From header field with an address, so there is no domain to authenticate.",
    consequence="RFC 5322 requires From; Gmail and most receivers reject such messages.",
    fix="Make the sending application write a From header with one address in your domain.",
    references=("RFC 5322 §3.6", "RFC 9989 §4.4"),
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
    references=("RFC 5322 §3.6.2", "RFC 9989 §4.4"),
)
define(
    "msg_arc.fail",
    Severity.MEDIUM,
    title="The ARC chain is broken",
    detail="ARC validation failed: {reason}.",
    consequence=(
        "Receivers ignore the chain, so intermediaries' earlier authentication results cannot "
        "rescue this message if DMARC fails."
    ),
    fix="The intermediary that sealed last must seal after its own changes, with a published key.",
    references=("RFC 8617 §5.2",),
)
define(
    "msg_arc.may-override",
    Severity.INFO,
    title="DMARC fails now, but {sealer} sealed a valid ARC chain",
    detail=(
        "The ARC chain validates (ARC sets: {instances}); the last sealer {sealer} recorded: "
        "{results}."
    ),
    consequence=(
        "A receiver that trusts {sealer} (Gmail and Microsoft keep lists of trusted sealers) "
        "may deliver the message despite the DMARC failure; others apply the DMARC policy."
    ),
    fix="Nothing to fix in the message; list operators should keep ARC-sealing their mail.",
    references=("RFC 8617 §7.2", "RFC 9989 §7.2"),
)
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
    references=("RFC 8601 §1.5",),
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
    references=("RFC 8601 §2.7",),
)
