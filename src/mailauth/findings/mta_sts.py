"""Catalogue entries for the MTA-STS record check (`mailauth.domain.mta_sts`)."""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import RFC7505, RFC8461, Reference
from mailauth.model import Severity

define = Section("mta_sts", Scope.DOMAIN, Protocol.MTA_STS).define

_RFC8461_TXT = RFC8461.at("3.1")
_IGNORED = (
    "Senders must then act as if the domain had no MTA-STS policy (RFC 8461 §3.1), so mail "
    "to you can again be delivered over unencrypted or unauthenticated connections."
)

define(
    "mta_sts.lookup-failed",
    Severity.LOW,
    title="MTA-STS record could not be looked up",
    detail="The query for {name} {rdtype} failed with {rcode}.",
    consequence="Senders that hit the same failure use a cached policy or none at all.",
    fix=(
        "Check that the domain's authoritative name servers answer, then run the check again "
        "(offline, with --zone: load the zone file that holds {name})."
    ),
    references=(_RFC8461_TXT,),
    scored=False,
)
define(
    "mta_sts.missing",
    Severity.INFO,
    title="No MTA-STS policy",
    detail="{name} has no MTA-STS TXT record.",
    consequence=(
        "MTA-STS protects mail coming in to you: it tells sending servers (Gmail, Outlook and "
        "others) to insist on TLS with a valid certificate when delivering to your MX. Without "
        "it an attacker on the path can downgrade that delivery to plain text. It does not "
        "affect whether your own mail lands in spam."
    ),
    fix=(
        "Serve a policy file at https://mta-sts.{domain}/.well-known/mta-sts.txt (start with "
        "mode: testing), then publish the TXT record that announces it, and a TLS-RPT record "
        "to receive reports."
    ),
    references=(Reference(RFC8461),),
)
define(
    "mta_sts.null-mx",
    Severity.INFO,
    title="No MTA-STS needed: the domain accepts no mail",
    detail=(
        "{domain} publishes a null MX (RFC 7505), which tells senders it accepts no mail, and "
        "{name} has no MTA-STS TXT record."
    ),
    consequence=(
        "MTA-STS only protects mail delivered to the domain; with a null MX there is no such "
        "delivery, so nothing is left unprotected."
    ),
    fix="Nothing to do. Publish MTA-STS if the domain ever gets real MX records.",
    references=(Reference(RFC8461), RFC7505.at("3")),
)
define(
    "mta_sts.bad-version",
    Severity.MEDIUM,
    title="MTA-STS record does not start with v=STSv1",
    detail="The TXT record at {name} does not begin with v=STSv1: {record}",
    consequence=_IGNORED,
    fix="Start the record with exactly v=STSv1; followed by id=.",
    references=(_RFC8461_TXT,),
)
define(
    "mta_sts.multiple-records",
    Severity.MEDIUM,
    title="Several MTA-STS records",
    detail="{name} has {count} TXT records beginning with v=STSv1.",
    consequence=_IGNORED,
    fix="Keep exactly one v=STSv1 record.",
    references=(_RFC8461_TXT,),
)
define(
    "mta_sts.missing-id",
    Severity.MEDIUM,
    title="MTA-STS record has no id",
    detail="The MTA-STS record at {name} has no id= field: {record}",
    consequence=_IGNORED,
    fix="Add id= with up to 32 letters and digits (for example the date and time of the policy "
    "change, 20260101T000000), and change it whenever the policy changes.",
    references=(_RFC8461_TXT,),
)
define(
    "mta_sts.bad-id",
    Severity.MEDIUM,
    title="MTA-STS record has an invalid id",
    detail="The MTA-STS record at {name} has id={sts_id}; an id is 1 to 32 letters and digits.",
    consequence=_IGNORED,
    fix="Use only letters and digits in id= (at most 32), for example 20260101T000000.",
    references=(_RFC8461_TXT,),
)
define(
    "mta_sts.syntax",
    Severity.MEDIUM,
    title="MTA-STS record is malformed",
    detail="The MTA-STS record at {name} has a malformed or repeated field: {fragment}",
    consequence=(
        "Strict senders treat a syntactically invalid record as absent (RFC 8461 §3.1) and "
        "stop applying your policy."
    ),
    fix="Write the record as v=STSv1; id=<id> with name=value fields separated by semicolons, "
    "each field once.",
    references=(_RFC8461_TXT,),
)
define(
    "mta_sts.no-policy-host",
    Severity.MEDIUM,
    title="MTA-STS policy host has no address",
    detail="The MTA-STS record exists, but {host} (where the policy is served) has no A/AAAA "
    "record.",
    consequence=(
        "Senders cannot fetch the policy, so they apply none (or keep an old cached one): "
        "the record announces protection that does not exist."
    ),
    fix="Publish an address for {host} and serve the policy at {url} over HTTPS with a valid "
    "certificate for {host}.",
    references=(RFC8461.at("3.3"),),
)
