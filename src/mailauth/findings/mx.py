"""Catalogue entries for the MX check (`mailauth.domain.mx`)."""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import (
    GMAIL_SENDER_GUIDELINES,
    RFC1035,
    RFC1912,
    RFC2181,
    RFC5321,
    RFC7505,
    Reference,
)
from mailauth.model import Severity

define = Section("mx", Scope.DOMAIN, Protocol.MX).define

_GMAIL_RDNS = Reference(
    GMAIL_SENDER_GUIDELINES, note="forward and reverse DNS", cited_as="Gmail sender guidelines"
)

define(
    "mx.lookup-failed",
    Severity.HIGH,
    title="MX records could not be looked up",
    detail="The query for {name} {rdtype} failed with {rcode}.",
    consequence=(
        "Senders that hit the same failure queue mail for this domain and retry; receivers "
        "that check the sender's domain may answer with a temporary error."
    ),
    fix=(
        "Check that the domain's authoritative name servers answer, then run the check again "
        "(offline, with --zone: load the zone file that holds {name})."
    ),
    references=(RFC5321.at("5.1"),),
    scored=False,
)
define(
    "mx.implicit",
    Severity.INFO,
    title="No MX record: mail goes to the domain's own address",
    detail=(
        "{domain} publishes no MX record, so senders deliver to its A/AAAA address "
        "({addresses}) as an implicit MX."
    ),
    consequence=(
        "Mail (including bounces and DMARC reports to this domain) only arrives if that host "
        "runs a mail server; many web hosts do not."
    ),
    fix="Publish an MX record naming your mail server, or a null MX (0 .) if the domain "
    "receives no mail.",
    references=(RFC5321.at("5.1"),),
)
define(
    "mx.no-mail-host",
    Severity.MEDIUM,
    title="The domain cannot receive mail",
    detail="{domain} has no MX record and no A/AAAA address.",
    consequence=(
        "Bounces and replies are lost, and receivers that require a resolvable sender domain "
        "(for example Postfix reject_unknown_sender_domain) reject mail from it."
    ),
    fix="Publish an MX record for your mail server, or a null MX (0 .) to say on purpose that "
    "the domain receives no mail.",
    references=(RFC5321.at("5.1"), Reference(RFC7505)),
)
define(
    "mx.null-mx",
    Severity.INFO,
    title="Null MX: the domain accepts no mail",
    detail="{domain} publishes the null MX record (0 .), declaring that it receives no mail.",
    consequence=(
        "Senders bounce mail to it at once. Receivers may also reject mail whose envelope "
        "sender (MAIL FROM) uses this domain (RFC 7505 §4.2)."
    ),
    fix=(
        "Nothing to do if the domain receives no mail. If it sends mail, use a domain that "
        "accepts mail as its envelope sender (MAIL FROM), so that bounces can be delivered."
    ),
    references=(Reference(RFC7505),),
)
define(
    "mx.null-mx-with-others",
    Severity.HIGH,
    title="Null MX published together with other MX records",
    detail="{domain} publishes the null MX (0 .) and also {hosts}.",
    consequence=(
        "RFC 7505 forbids mixing them; senders disagree on whether the domain takes mail, "
        "so some bounce mail that others deliver."
    ),
    fix="Remove the null MX if the domain receives mail, otherwise remove the other MX records.",
    references=(RFC7505.at("3"),),
)
define(
    "mx.target-is-cname",
    Severity.MEDIUM,
    title="MX target is a CNAME",
    detail="The MX target {host} is an alias (CNAME) for {target}.",
    consequence=(
        "RFC 2181 forbids an MX that names an alias. Most sending servers follow the alias "
        "anyway, but strict ones treat it as an error and delay or bounce mail to this domain. "
        "It does not change how your outgoing mail is judged."
    ),
    fix="Point the MX record directly at {target}.",
    references=(RFC2181.at("10.3"), RFC5321.at("5.1")),
)
define(
    "mx.target-is-ip",
    Severity.HIGH,
    title="MX target is an IP address",
    detail="The MX record names {host}, an IP address, where a host name is required.",
    consequence=("Senders look the text up as a host name, find nothing and cannot deliver to it."),
    fix="Give the server a name (mail.{domain} IN A {host}) and point the MX at that name.",
    references=(RFC1035.at("3.3.9"), RFC5321.at("5.1")),
)
define(
    "mx.target-no-address",
    Severity.MEDIUM,
    title="MX target has no address",
    detail="The MX target {host} has no A or AAAA record.",
    consequence="Senders skip this host; if it is the only one, mail to the domain bounces.",
    fix="Publish an A (and AAAA) record for {host}, or remove it from the MX records.",
    references=(RFC5321.at("5.1"),),
)
define(
    "mx.no-usable-host",
    Severity.HIGH,
    title="No MX host can receive mail",
    detail="None of the MX hosts of {domain} ({hosts}) has an address.",
    consequence=(
        "Mail to the domain bounces, including replies, bounces and DMARC reports, and "
        "receivers that check the sender's domain may reject its mail."
    ),
    fix="Point the MX records at host names that have A/AAAA records.",
    references=(RFC5321.at("5.1"),),
)
define(
    "mx.host-lookup-failed",
    Severity.INFO,
    title="An MX host's address could not be looked up",
    detail="The address lookups for the MX host {host} failed ({rcode}), so it was not checked.",
    consequence="Nothing is known about this host; senders hitting the same failure retry later.",
    fix="Check that the name servers for {host} answer, then run the check again.",
    references=(RFC5321.at("5.1"),),
)
define(
    "mx.no-ptr",
    Severity.LOW,
    title="MX host address has no reverse DNS",
    detail="The address {address} of MX host {host} has no PTR record.",
    consequence=(
        "Receiving mail does not need it, but if this server also sends your mail, Gmail "
        "and most filters reject or junk mail from addresses without reverse DNS."
    ),
    fix="Ask the owner of {address} (your hosting or network provider) to set its PTR to {host}.",
    references=(_GMAIL_RDNS, RFC1912.at("2.1")),
)
define(
    "mx.no-fcrdns",
    Severity.LOW,
    title="MX host reverse DNS does not match",
    detail=(
        "The address {address} of MX host {host} has PTR {ptr}, but {ptr} does not resolve "
        "back to {address} (no forward-confirmed reverse DNS)."
    ),
    consequence=(
        "Receiving mail does not need it, but if this server also sends your mail, Gmail "
        "requires forward-confirmed reverse DNS and filters score mismatches as spam."
    ),
    fix="Make the PTR of {address} a name whose A/AAAA record is {address} (for example {host}).",
    references=(_GMAIL_RDNS,),
)
define(
    "mx.hosts-skipped",
    Severity.INFO,
    title="Only the {limit} most preferred of {count} MX hosts were examined",
    detail=(
        "{domain} publishes {count} MX hosts; mailauth examined the {limit} most preferred "
        "and skipped {skipped}."
    ),
    consequence=(
        "Senders try only a few MX hosts per delivery (Postfix at most five addresses), so "
        "the others receive mail only when those fail; nothing was checked about them here."
    ),
    fix="Publish only the MX hosts that receive your mail; two to five are plenty.",
    references=(RFC5321.at("5.1"),),
)
