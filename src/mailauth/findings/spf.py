"""Catalogue entries for the SPF check (`mailauth.domain.spf`).

Each id has a scenario zone in tests/data/zones/spf/ that triggers it.
"""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import (
    GMAIL_SENDER_GUIDELINES,
    RFC7208,
    RFC7489,
    YAHOO_SENDER_REQUIREMENTS,
    Citation,
    Reference,
)
from mailauth.model import Severity

define = Section("spf", Scope.DOMAIN, Protocol.SPF).define

_LIMITS = RFC7208.at("4.6.4")
_GMAIL = Citation((Reference(GMAIL_SENDER_GUIDELINES), Reference(YAHOO_SENDER_REQUIREMENTS)))
# Permerror for every evaluation (several records, a syntax error: RFC 7208 §4.5, §4.6).
_PERMERROR = (
    "That permerror makes SPF fail for all your mail, from your legitimate servers too: "
    "Gmail, Yahoo and Outlook treat it as not authenticated by SPF, DMARC can pass only "
    "through DKIM, and under a DMARC policy of quarantine or reject, mail without a valid "
    "DKIM signature goes to spam or is rejected."
)
# Permerror only for evaluations that get that far: a server matched by an earlier term
# still passes (RFC 7208 §4.6.2: the first match decides), so "all your mail" would be false.
_PERMERROR_REACHED = (
    "Servers matched by an earlier term still pass; all others fail SPF, legitimate ones "
    "listed later included. Gmail, Yahoo and Outlook treat that mail as not authenticated by "
    "SPF: DMARC can pass only through DKIM, and with p=quarantine or p=reject, such mail "
    "without a valid DKIM signature goes to spam or is rejected."
)

define(
    "spf.lookup-failed",
    Severity.HIGH,
    title="SPF record could not be looked up",
    detail=(
        "The query for {name} {rdtype} failed with {rcode}, so the SPF record could not be read."
    ),
    consequence=(
        "Receivers that hit the same failure get an SPF temperror and usually defer the mail "
        "or treat SPF as not passing, so delivery is delayed or lands in spam."
    ),
    fix=(
        "Check that the authoritative name servers for the domain answer TXT queries, then "
        "run the check again (offline, with --zone: load the zone file that holds {name})."
    ),
    references=(RFC7208.at("4.4"),),
    scored=False,
)
define(
    "spf.missing",
    Severity.HIGH,
    title="No SPF record",
    detail="{name} publishes no TXT record starting with v=spf1.",
    consequence=(
        "Gmail and Yahoo require SPF or DKIM for all senders and both for bulk senders; "
        "without SPF, unsigned mail from this domain is rejected or sent to spam, and anyone "
        "can send mail that claims to come from it without SPF saying otherwise."
    ),
    fix=(
        "Publish one TXT record at {name} listing the servers and services that send your "
        "mail, for example v=spf1 ip4:192.0.2.10 include:<your provider> ~all. "
        "If the domain sends no mail at all, publish v=spf1 -all."
    ),
    references=(RFC7208.at("4.5"), _GMAIL),
)
define(
    "spf.multiple-records",
    Severity.HIGH,
    title="More than one SPF record",
    detail="{name} publishes {count} TXT records starting with v=spf1: {records}.",
    consequence=(
        "RFC 7208 makes any receiver return permerror when a name has several SPF records. "
        + _PERMERROR
    ),
    fix=(
        "Merge them into a single TXT record: keep every ip4/ip6/include/a/mx term once and "
        "end with a single all. Delete the other records."
    ),
    references=(RFC7208.at("4.5"),),
)
define(
    "spf.syntax-error",
    Severity.HIGH,
    title="SPF record has a syntax error",
    detail="In the SPF record of {name} ({record}), the term {term} is invalid: {problem}.",
    consequence=(
        "A syntax error anywhere in the SPF record of {name} makes a receiver return "
        "permerror as soon as it evaluates that record: for the domain's own record that is "
        "every message, whatever the sending IP; for an included record, every message whose "
        "evaluation reaches that include. " + _PERMERROR
    ),
    fix=(
        "Correct or remove {term}. Terms are separated by single spaces; check spelling, "
        "that ip4:/ip6: hold valid addresses with prefix lengths of 0-32 / 0-128, and that "
        "domains are full names."
    ),
    references=(RFC7208.at("4.6"), RFC7208.at("12")),
)
define(
    "spf.too-many-lookups",
    Severity.HIGH,
    title="SPF needs more than {limit} DNS lookups",
    detail=(
        "Evaluating the SPF record of {name} over every include and redirect takes {count} "
        "DNS lookups (limit {limit}). The limit is crossed inside {tipping_include}, at "
        "{tipping_path}. Lookups per term: {breakdown}."
    ),
    consequence=(
        "Receivers return permerror at the lookup that goes over {limit}. " + _PERMERROR_REACHED
    ),
    fix=(
        "Bring the count to {limit} or fewer: remove includes of services you no longer use "
        "(the most expensive is {largest}); replace a and mx terms by the ip4/ip6 addresses "
        "they stand for; replace a provider's include by its published IP ranges only if you "
        "will track their changes; or send each service's mail from its own subdomain with "
        "its own SPF record."
    ),
    references=(_LIMITS,),
)
define(
    "spf.too-many-void-lookups",
    Severity.HIGH,
    title="SPF has more than {limit} void lookups",
    detail=(
        "{count} terms of the SPF tree of {name} look up names that do not exist or have no "
        "records (limit {limit}): {terms}."
    ),
    consequence=(
        "Receivers that enforce the void-lookup limit (as RFC 7208 recommends) return "
        "permerror once the third void lookup is reached. " + _PERMERROR_REACHED
    ),
    fix="Remove the terms that point to names with no records, or publish the records they expect.",
    references=(_LIMITS,),
)
define(
    "spf.mx-too-many-names",
    Severity.HIGH,
    title="mx term resolves to more than {limit} mail servers",
    detail=(
        "The term {term} in the SPF record of {name} finds {count} MX records at {target} "
        "(limit {limit})."
    ),
    consequence=(
        "RFC 7208 makes the mx mechanism return permerror above this limit. " + _PERMERROR_REACHED
    ),
    fix=(
        "Replace {term} with ip4/ip6 terms for the servers that really send mail, or with "
        "a:host terms for a few of them."
    ),
    references=(_LIMITS,),
)
define(
    "spf.include-loop",
    Severity.HIGH,
    title="SPF include or redirect loop",
    detail=(
        "Following the SPF record of {name} comes back to a domain already being evaluated: {path}."
    ),
    consequence=(
        "An evaluation that reaches the loop runs into the lookup limit and returns "
        "permerror. " + _PERMERROR_REACHED
    ),
    fix="Remove the include or redirect that points back to {target}.",
    references=(_LIMITS, RFC7208.at("5.2"), RFC7208.at("6.1")),
)
define(
    "spf.include-no-spf",
    Severity.HIGH,
    title="Included or redirected domain has no SPF record",
    detail="{term} in the SPF record of {name} points to {target}, which publishes no SPF record.",
    consequence=(
        "RFC 7208 turns an include or redirect of a domain without SPF into permerror when "
        "an evaluation reaches it. " + _PERMERROR_REACHED
    ),
    fix="Remove {term}, or correct the name to the one your provider documents.",
    references=(RFC7208.at("5.2"), RFC7208.at("6.1")),
)
define(
    "spf.include-lookup-failed",
    Severity.MEDIUM,
    title="A DNS lookup needed by the SPF record failed",
    detail=(
        "For {term} in the SPF record of {name}, the query for {target} {rdtype} failed with "
        "{rcode}."
    ),
    consequence=(
        "Receivers that hit the same failure get an SPF temperror for senders not matched "
        "before this term, and usually defer the mail or treat SPF as not passing. What "
        "this query would have returned (for an include or redirect, the whole record behind "
        "it) could not be counted, so the DNS lookup count in this report ({count}) is only a "
        "lower bound."
    ),
    fix=(
        "Check that the name servers of {target} answer; if the name is a typo or the "
        "service is gone, remove {term}."
    ),
    references=(RFC7208.at("5.2"), RFC7208.at("2.6.6")),
)
define(
    "spf.macro-include",
    Severity.INFO,
    title="SPF term uses macros that depend on the sender",
    detail=(
        "{term} in the SPF record of {name} uses macros that are filled in from each "
        "message's sender or IP address, so its target cannot be expanded here; it is "
        "counted as one lookup."
    ),
    consequence="The real lookup count may be higher for some senders than this report shows.",
    fix=(
        "No change needed if this is intended; make sure the names it expands to always "
        "resolve quickly."
    ),
    references=(RFC7208.at("7"),),
)
define(
    "spf.plus-all",
    Severity.CRITICAL,
    title="SPF authorizes every server on the Internet",
    detail=(
        "{term} in the SPF record of {name} ({record}) matches any sending IP address with a "
        "pass result."
    ),
    consequence=(
        "Anyone can send mail as this domain and pass SPF, including spammers and phishers; "
        "DMARC then passes through SPF alignment for forged mail, and receivers learn to "
        "distrust the domain."
    ),
    fix=(
        "List only your real sending servers and end the record with -all (or ~all while you "
        "verify the list)."
    ),
    references=(RFC7208.at("5.1"), RFC7208.at("10.1")),
)
define(
    "spf.neutral-all",
    Severity.MEDIUM,
    title="SPF ends with ?all (neutral)",
    detail=(
        "The SPF record of {name} ({record}) ends with ?all, which says nothing about servers"
        " it does not list."
    ),
    consequence=(
        "Mail from unlisted servers gets SPF neutral, which receivers treat like no SPF at "
        "all: forged mail is not marked as failing SPF."
    ),
    fix="End the record with ~all, or -all once every sending service is listed.",
    references=(RFC7208.at("8.2"),),
)
define(
    "spf.no-all",
    Severity.MEDIUM,
    title="SPF record has no all and no redirect",
    detail="The SPF record of {name} ({record}) has neither an all mechanism nor a redirect.",
    consequence=(
        "Senders that match nothing get the default result neutral, which receivers treat "
        "like no SPF: forged mail is not marked as failing SPF."
    ),
    fix="Add ~all at the end of the record, or -all once every sending service is listed.",
    references=(RFC7208.at("4.7"),),
)
define(
    "spf.softfail-all",
    Severity.INFO,
    title="SPF ends with ~all (soft fail)",
    detail=(
        "The SPF record of {name} ends with ~all: unlisted servers get softfail rather than fail."
    ),
    consequence=(
        "Receivers treat softfail as suspicious but rarely reject on it. For DMARC only an "
        "SPF pass counts, so with a DMARC policy of quarantine or reject, ~all and -all "
        "protect the domain the same way; without DMARC enforcement, -all is the stronger "
        "signal. Some receivers reject -all failures before DKIM and DMARC are checked, "
        "which can drop forwarded mail."
    ),
    fix=(
        "No change needed while DMARC is enforced (p=quarantine or p=reject). Only if every "
        "sending service is listed and you want SPF failures rejected on their own, end the "
        "record with -all instead."
    ),
    references=(RFC7208.at("8.5"), RFC7489.at("10.1")),
)
define(
    "spf.ptr-used",
    Severity.LOW,
    title="SPF uses the deprecated ptr mechanism",
    detail="The SPF record of {name} uses {term}, a mechanism RFC 7208 says should not be used.",
    consequence=(
        "ptr is slow and unreliable (it depends on reverse DNS, which the owner of the sending "
        "IP controls, not you), costs DNS lookups on every check, and receivers may cut its "
        "lookups short, so mail relying on it can fail SPF."
    ),
    fix="Replace {term} with ip4/ip6 terms for your sending servers.",
    references=(RFC7208.at("5.5"),),
)
define(
    "spf.record-too-long",
    Severity.LOW,
    title="SPF record is longer than 450 bytes",
    detail=(
        "The SPF record of {name} is {length} bytes long (RFC 7208 recommends staying under "
        "{limit})."
    ),
    consequence=(
        "With other TXT records at the same name the DNS answer can exceed 512 bytes and "
        "need a retry over TCP; resolvers or firewalls that block it make SPF fail with a "
        "temporary error."
    ),
    fix=(
        "Shorten the record: merge ip4 ranges into CIDR blocks, drop unused includes, or move"
        " some senders to subdomains."
    ),
    references=(RFC7208.at("3.4"),),
)
define(
    "spf.deprecated-spf-rrtype",
    Severity.LOW,
    title="SPF published as the obsolete SPF record type",
    detail="{name} publishes a DNS record of type SPF (type 99): {records}.",
    consequence=(
        "RFC 7208 removed the SPF record type; receivers only read TXT. If the two differ, "
        "admins edit the wrong one and the published policy is not the one they think."
    ),
    fix="Delete the type SPF record and keep the SPF policy in a single TXT record.",
    references=(RFC7208.at("3.1"), RFC7208.at("14.1")),
)
define(
    "spf.tree-truncated",
    Severity.INFO,
    title="SPF include tree too large to expand fully",
    detail=(
        "The include/redirect tree of {name} is deeper or larger than mailauth expands "
        "(it stopped at {where}); at least {count} lookups were counted before stopping."
    ),
    consequence=(
        "The real lookup count is higher than reported; any evaluation that goes this deep "
        "fails with permerror."
    ),
    fix=(
        "Flatten the tree: remove nested includes so that the whole record needs 10 lookups "
        "or fewer."
    ),
    references=(_LIMITS,),
)
define(
    "spf.terms-after-all",
    Severity.LOW,
    title="SPF terms after all are never used",
    detail="In the SPF record of {name}, these terms come after the all mechanism: {terms}.",
    consequence=(
        "Evaluation stops at all, so servers listed after it are not authorized and their "
        "mail fails SPF."
    ),
    fix="Move the all mechanism to the end of the record.",
    references=(RFC7208.at("5.1"),),
)
define(
    "spf.redirect-ignored",
    Severity.LOW,
    title="SPF redirect is ignored because the record has all",
    detail=(
        "The SPF record of {name} has both an all mechanism and {term}; the redirect is never"
        " followed."
    ),
    consequence=(
        "The policy of the redirect target is not applied; whatever it authorizes fails here."
    ),
    fix="Remove either the all mechanism or {term}, depending on which policy you want.",
    references=(RFC7208.at("6.1"),),
)
define(
    "spf.unknown-modifier",
    Severity.LOW,
    title="SPF record has an unknown modifier",
    detail=(
        "{term} in the SPF record of {name} is not a modifier defined by RFC 7208 and is ignored."
    ),
    consequence=(
        "Receivers ignore it; if it is a typo (for example of redirect= or exp=) the intended"
        " policy is not applied."
    ),
    fix="Remove {term} or correct its spelling.",
    references=(RFC7208.at("6"),),
)
# Issue 8, domain side (checkdmarc warns here and mailauth was silent).
define(
    "spf.mx-host-no-address",
    Severity.MEDIUM,
    title="mx term names mail servers that have no address",
    detail=(
        "The term {term} in the SPF record of {name} matches the addresses of the MX hosts of "
        "{target}, but {hosts} has no A or AAAA record."
    ),
    consequence=(
        "The term authorizes nothing through such a host: if mail is sent from the server "
        "you meant by it, that mail fails SPF. Some receivers (pyspf-based filters, "
        "checkdmarc) also count each empty address lookup as a void lookup, and a third "
        "one makes SPF permerror there (RFC 7208 §4.6.4)."
    ),
    fix=(
        "Give {hosts} its A/AAAA records, remove it from the MX records of {target}, or "
        "replace {term} with ip4/ip6 terms for the servers that really send mail."
    ),
    references=(RFC7208.at("5.4"), _LIMITS),
)
