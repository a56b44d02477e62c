"""Catalogue entries for the DMARC check (`mailauth.domain.dmarc`), RFC 9989."""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import (
    DMARC_AGGREGATE_REPORTING_DRAFT,
    GMAIL_SENDER_GUIDELINES,
    OUTLOOK_HIGH_VOLUME,
    RFC7489,
    RFC9989,
    YAHOO_SENDER_REQUIREMENTS,
    Citation,
    Reference,
)
from mailauth.model import Severity

define = Section("dmarc", Scope.DOMAIN, Protocol.DMARC).define

_TAGS = RFC9989.at("4.7")
_GRAMMAR = RFC9989.at("4.8")
_DISCOVERY = RFC9989.at("4.10.1")
_BULK = Citation(
    (
        Citation(
            (
                Reference(GMAIL_SENDER_GUIDELINES, cited_as="Gmail"),
                Reference(
                    YAHOO_SENDER_REQUIREMENTS,
                    note="Feb 2024",
                    cited_as="Yahoo bulk sender requirements",
                ),
            ),
            sep="/",
        ),
        Reference(OUTLOOK_HIGH_VOLUME, note="May 2025"),
    )
)
# The rua of a proposed record is at the checked domain, or at its organizational domain when
# the checked one has a null MX (RFC 7505); none is proposed when neither receives mail.
_PROPOSED_RUA = (
    "A proposed rua address is a placeholder at a domain of yours that receives mail (not "
    "one with a null MX): create that mailbox or put an address you read instead."
)

define(
    "dmarc.lookup-failed",
    Severity.HIGH,
    title="DMARC record could not be looked up",
    detail="The query for {name} {rdtype} failed with {rcode}, so no DMARC policy could be read.",
    consequence=(
        "Receivers that hit the same failure cannot evaluate DMARC: some defer the mail "
        "(4xx) until the lookup works, others deliver it without DMARC protection."
    ),
    fix=(
        "Check that the domain's authoritative name servers answer, then run the check again "
        "(offline, with --zone: load the zone file that holds {name})."
    ),
    references=(_DISCOVERY, RFC9989.at("5.3.6")),
    scored=False,
)
define(
    "dmarc.missing",
    Severity.HIGH,
    title="No DMARC record",
    detail=(
        "Neither {name} nor any parent domain found by the RFC 9989 DNS tree walk publishes "
        "a DMARC record, so no DMARC policy applies to {domain}."
    ),
    consequence=(
        "Gmail, Yahoo and Outlook require a DMARC record from bulk senders (5,000+ messages a "
        "day) and reject or junk their mail without one; anyone can send mail with {domain} "
        "in the From address and receivers have no policy telling them to refuse it."
    ),
    fix=(
        "Publish a TXT record at {name}. Start in monitoring mode (p=none) with a reporting "
        "address you read, then move to p=quarantine and p=reject once the reports show all "
        "your mail passes. " + _PROPOSED_RUA
    ),
    references=(_DISCOVERY, _BULK),
)
define(
    "dmarc.multiple-records",
    Severity.HIGH,
    title="Several DMARC records",
    detail="{name} has {count} TXT records starting with v=DMARC1.",
    consequence=(
        "RFC 9989 tells receivers to discard all of them, so the domain is treated as having "
        "no DMARC record: no policy applies and Gmail/Yahoo bulk-sender rules are not met."
    ),
    fix="Merge them into exactly one DMARC record at {name} and delete the others.",
    references=(RFC9989.at("4.10"),),
)
define(
    "dmarc.invalid-version",
    Severity.HIGH,
    title="DMARC record ignored: it does not start with v=DMARC1",
    detail=(
        "The TXT record at {name} looks like a DMARC record but does not begin with the tag "
        "v=DMARC1 (exactly that spelling, first, followed by a semicolon): {record}"
    ),
    consequence=(
        "Receivers ignore the whole record, so the policy you wrote is never applied and the "
        "domain counts as having no DMARC record."
    ),
    fix="Make v=DMARC1; the first tag, with DMARC1 in upper case and a semicolon after it.",
    references=(_TAGS,),
)
define(
    "dmarc.no-policy",
    Severity.HIGH,
    title="DMARC record has no usable policy",
    detail=(
        "The record at {name} has no valid p tag (or has an invalid sp or np tag) and no "
        "valid rua reporting address: {record}"
    ),
    consequence=(
        "RFC 9989 tells receivers to apply no DMARC processing at all for such a record, so "
        "the domain is unprotected and does not meet the Gmail/Yahoo DMARC requirement."
    ),
    fix="Add a policy (p=none to start, then p=quarantine or p=reject) and an rua address.",
    references=(_DISCOVERY, _TAGS),
)
define(
    "dmarc.policy-fallback",
    Severity.MEDIUM,
    title="DMARC policy tag missing or invalid: treated as p=none",
    detail=(
        "In the record at {name} these policy tags are missing or invalid: {tags}. Because the "
        "record has a valid rua, RFC 9989 receivers act as if it said p=none."
    ),
    consequence=(
        "No receiver applies quarantine or reject for this domain, whatever else the record "
        "says; receivers still following RFC 7489, where p was required, ignore the record."
    ),
    fix="Publish an explicit, valid p tag (none, quarantine or reject) and valid sp/np tags.",
    references=(_DISCOVERY, _TAGS),
)
define(
    "dmarc.policy-none",
    Severity.MEDIUM,
    title="DMARC policy is none (monitoring only)",
    detail="The DMARC policy that applies to {domain} is {tag}=none, from the record at {name}.",
    consequence=(
        "p=none meets the minimum Gmail, Yahoo and Outlook.com bulk-sender requirement but "
        "protects nothing: receivers take no DMARC action against forged mail with {domain} "
        "in From, and BIMI logos are never shown without an enforcing policy (quarantine or "
        "reject)."
    ),
    fix=(
        "Once DMARC aggregate reports show that all your legitimate mail passes SPF or DKIM "
        "with alignment, change the policy to quarantine, then to reject."
    ),
    references=(_TAGS, RFC9989.at("5.1.7"), _BULK),
)
define(
    "dmarc.testing",
    Severity.MEDIUM,
    title="DMARC testing mode (t=y)",
    detail=(
        "The record at {name} sets t=y, so receivers apply {applied} instead of the published "
        "{policy} to mail that fails DMARC."
    ),
    consequence=(
        "Testing mode asks receivers to apply one policy level weaker (reject becomes "
        "quarantine, quarantine becomes none); BIMI also requires t=y to be absent."
    ),
    fix="Remove t=y once the reports show your legitimate mail passes DMARC.",
    references=(_TAGS, RFC9989.at("A.6")),
)
define(
    "dmarc.no-rua",
    Severity.LOW,
    title="No DMARC aggregate reports requested",
    detail="The record at {name} has no rua tag with a usable mailto: address.",
    consequence=(
        "Receivers send you no aggregate reports, so you cannot see who sends mail as your "
        "domain, which of your own streams fail, or whether it is safe to enforce the policy."
    ),
    fix=(
        "Add rua=mailto:ADDRESS with a mailbox (or report service) that you read. " + _PROPOSED_RUA
    ),
    references=(_TAGS, RFC9989.at("5.1.3")),
)
define(
    "dmarc.subdomain-policy-weaker",
    Severity.LOW,
    title="Subdomain policy weaker than the domain policy",
    detail="The record at {name} sets {tag}={value} while p={p}.",
    consequence=(
        "Spoofers can use subdomains (existing ones for sp, made-up ones for np) to get past "
        "the stronger policy of the main domain."
    ),
    fix=(
        "Set {tag} at least as strict as p={p}, or remove it so that p applies (an np that is "
        "not set follows sp when sp is set)."
    ),
    references=(_TAGS,),
)
define(
    "dmarc.strict-alignment",
    Severity.INFO,
    title="Strict DMARC alignment",
    detail="The record requires strict alignment: {tags}.",
    consequence=(
        "Only an exact domain match counts: mail DKIM-signed by a subdomain or sent with a "
        "subdomain bounce address (common with ESPs) fails DMARC even though relaxed "
        "alignment would pass it."
    ),
    fix="Make sure every sender signs and bounces with exactly this domain, or use relaxed (r).",
    references=(RFC9989.at("4.4"),),
)
define(
    "dmarc.invalid-value",
    Severity.MEDIUM,
    title="Invalid DMARC tag value",
    detail="In the record at {name}, the tag {tag}={value} has a value RFC 9989 does not allow.",
    consequence="Receivers ignore the value and use the tag's default instead.",
    fix="Correct the value of {tag} (see RFC 9989 §4.7 for the allowed values).",
    references=(_TAGS, _GRAMMAR),
)
define(
    "dmarc.malformed-tag",
    Severity.MEDIUM,
    title="Malformed part in DMARC record",
    detail="In the record at {name}, the part '{text}' is not a tag=value pair.",
    consequence="Receivers skip it; if it was meant to set a policy, that setting is lost.",
    fix="Write each setting as name=value, separated by semicolons.",
    references=(_GRAMMAR,),
)
define(
    "dmarc.unknown-tag",
    Severity.LOW,
    title="Unknown DMARC tag",
    detail="In the record at {name}, the tag {tag}={value} is not defined by RFC 9989.",
    consequence="Receivers ignore it, so whatever it was meant to do does not happen.",
    fix="Remove {tag}, or correct its name if it is a typo.",
    references=(_TAGS,),
)
define(
    "dmarc.historic-tag",
    Severity.LOW,
    title="Historic DMARC tag",
    detail=(
        "In the record at {name}, the tag {tag}={value} was removed by RFC 9989 (pct, rf and "
        "ri are historic)."
    ),
    consequence=(
        "RFC 9989 receivers ignore it: pct no longer applies the policy to a share of mail "
        "(use t=y for testing), rf and ri no longer change the report format or interval."
    ),
    fix="Remove {tag} from the record.",
    references=(RFC9989.at("A.6"), RFC9989.at("C.5.2")),
)
define(
    "dmarc.duplicate-tag",
    Severity.LOW,
    title="Duplicate DMARC tag",
    detail="In the record at {name}, the tag {tag} appears more than once; only the first is used.",
    consequence="Receivers disagree on which value wins, so the result depends on the receiver.",
    fix="Keep one {tag} tag.",
    references=(_GRAMMAR,),
)
define(
    "dmarc.tag-name-case",
    Severity.LOW,
    title="DMARC tag name not in lower case",
    detail="In the record at {name}, the tag name {tag} is not written in lower case.",
    consequence="Some receivers match tag names exactly and ignore it.",
    fix="Write the tag name in lower case.",
    references=(_TAGS,),
)
define(
    "dmarc.report-uri-invalid",
    Severity.MEDIUM,
    title="Invalid DMARC report address",
    detail="The {tag} entry '{uri}' is not a valid reporting URI.",
    consequence="Receivers cannot send reports to it (a bare address needs the mailto: prefix).",
    fix="Write it as mailto:user@domain, e.g. mailto:dmarc-reports@example.com.",
    references=(RFC9989.at("4.6"), _GRAMMAR),
)
define(
    "dmarc.report-uri-scheme",
    Severity.LOW,
    title="DMARC report address is not mailto:",
    detail="The {tag} entry '{uri}' does not use the mailto: scheme.",
    consequence="Receivers are only required to support mailto:, so most will send nothing there.",
    fix="Use a mailto: address.",
    references=(_TAGS,),
)
define(
    "dmarc.report-size-obsolete",
    Severity.INFO,
    title="Obsolete size limit on DMARC report address",
    detail="The {tag} entry '{uri}' carries a !size suffix.",
    consequence="RFC 9989 tells reporters to ignore it, so it does not limit report size.",
    fix="Remove the !size suffix.",
    references=(_GRAMMAR,),
)
define(
    "dmarc.external-report-unauthorized",
    Severity.MEDIUM,
    title="External DMARC report destination not authorized",
    detail=(
        "The {tag} address '{uri}' is outside your organization, and {name} has no TXT record "
        "starting with v=DMARC1 to accept reports for you."
    ),
    consequence="Receivers do not send reports to that address, so those reports are lost.",
    fix='Ask the operator of {dest} to publish "v=DMARC1" at {name}.',
    references=(RFC9989.at("11.6"), DMARC_AGGREGATE_REPORTING_DRAFT.at("4")),
)
define(
    "dmarc.inherited",
    Severity.INFO,
    title="DMARC policy inherited from a parent domain",
    detail=(
        "{domain} has no DMARC record of its own, so the record of {policy_domain} applies "
        "to it, with {tag}={policy}."
    ),
    consequence=(
        "Receivers apply the policy of {policy_domain} to mail from {domain}, so a change to "
        "that record changes the protection of {domain} too."
    ),
    fix="Publish a record at _dmarc.{domain} if this domain needs a different policy.",
    references=(_DISCOVERY,),
)
define(
    "dmarc.psd-policy",
    Severity.MEDIUM,
    title="Only a public suffix DMARC policy applies",
    detail=(
        "Neither {domain} nor its organizational domain publishes a DMARC record; only the "
        "public suffix operator's record at _dmarc.{psd_domain} (psd=y) applies: {policy}."
    ),
    consequence=(
        "You receive no DMARC reports and have no say in the policy; Gmail/Yahoo expect the "
        "domain owner to publish its own DMARC record."
    ),
    fix=("Publish your own DMARC record at _dmarc.{org_domain}. " + _PROPOSED_RUA),
    references=(_DISCOVERY, RFC9989.at("5.2")),
)
# Issue 8, domain side (checkdmarc warns here and mailauth was silent).
define(
    "dmarc.too-many-report-uris",
    Severity.LOW,
    title="More than two DMARC report addresses",
    detail=(
        "The record at {name} lists {count} usable {tag} addresses; the ones after the second "
        "are {extra}."
    ),
    consequence=(
        "RFC 7489 only required receivers to send each report to two addresses, and many "
        "still stop there; RFC 9989 asks them to send to every address listed (a SHOULD, "
        "not a MUST). Reports for the addresses after the second may never arrive."
    ),
    fix=(
        "List at most two {tag} addresses, the ones you rely on first; to reach more "
        "people or services, have one mailbox forward the reports."
    ),
    references=(RFC9989.at("4.6"), RFC9989.at("C.7"), RFC7489.at("6.2")),
)
