"""Catalogue entries for the DNSSEC check (`mailauth.domain.dnssec`)."""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import RFC4033, RFC4035, RFC6840
from mailauth.model import Severity

define = Section("dnssec", Scope.DOMAIN, Protocol.DNSSEC).define


_SERVFAIL = (
    "Validating resolvers (Google Public DNS, Cloudflare, Quad9 and most ISPs' resolvers) "
    "answer SERVFAIL for these records instead of the data: receivers that use them cannot "
    "read your SPF, DMARC or MX, so mail to you is deferred and mail from you fails SPF and "
    "DMARC with a temporary error."
)

define(
    "dnssec.lookup-failed",
    Severity.LOW,
    title="DNSSEC could not be checked",
    detail="The DNSSEC lookups for {domain} failed: {reason}",
    consequence="Nothing is known about the domain's DNSSEC from this run.",
    fix=(
        "Check that the domain's name servers answer, then run the check again (offline, "
        "with --zone: load the zone file that holds {domain})."
    ),
    references=(RFC4035.at("5"),),
    scored=False,
)
define(
    "dnssec.unsigned",
    Severity.INFO,
    title="The domain is not signed with DNSSEC",
    detail="The answers for {domain} carry no DNSSEC signatures ({reason}).",
    consequence=(
        "Mail is delivered as usual: no mailbox provider requires DNSSEC. Without it, "
        "receivers cannot tell your MX and TLSA records from forged ones, so DANE (the "
        "protection of SMTP TLS by DNS) is not possible for your domain."
    ),
    fix=(
        "Optional upgrade: turn on DNSSEC at your DNS host (most offer it as one switch) and "
        "publish the DS record it gives you at your registrar."
    ),
    references=(RFC4033.at("3"),),
)
define(
    "dnssec.missing-ds",
    Severity.MEDIUM,
    title="Signed zone without DS at the parent",
    detail="{reason}. The chain of trust ends above {zone}.",
    consequence=(
        "Validating resolvers treat the zone as unsigned: its signatures protect nothing, and "
        "TLSA records in it are ignored by DANE senders."
    ),
    fix=(
        "Publish the zone's DS record at the registrar (your DNS host shows it, or run "
        "'keymgr {zone} ds' / 'dnssec-dsfromkey'), then check again."
    ),
    references=(RFC4035.at("5.2"),),
)
define(
    "dnssec.bogus",
    Severity.CRITICAL,
    title="DNSSEC signatures do not validate",
    detail="{name} {rdtype} does not validate: {reason}.",
    consequence=_SERVFAIL,
    fix=(
        "Re-sign the zone at the signer (or turn DNSSEC off and remove the DS at the registrar "
        "first, then the keys); make sure the DS at the parent matches a current key."
    ),
    references=(RFC4035.at("5.5"),),
)
define(
    "dnssec.signature-expired",
    Severity.CRITICAL,
    title="DNSSEC signatures have expired",
    detail="{name} {rdtype} does not validate: {reason}.",
    consequence=_SERVFAIL,
    fix=(
        "The signer stopped re-signing the zone: restart automatic signing (BIND "
        "dnssec-policy, Knot's automatic signing, your DNS host's DNSSEC switch) and check "
        "that signatures are refreshed well before they expire."
    ),
    references=(RFC4035.at("5.3.1"),),
)
define(
    "dnssec.not-validated",
    Severity.INFO,
    title="Signed, but not validated from a trust anchor",
    detail="{domain} is signed, but its chain of trust could not be followed: {reason}.",
    consequence=(
        "mailauth cannot say whether validating resolvers accept these signatures. Offline, "
        "the parent zones (up to the root) are usually not loaded."
    ),
    fix=(
        "Give the zone's DS or DNSKEY with --trust-anchor FILE to validate from it, run the "
        "check against live DNS, or --trust-resolver-ad with a validating resolver."
    ),
    references=(RFC4035.at("4.3"), RFC6840.at("5.7")),
)
