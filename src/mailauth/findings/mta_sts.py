"""Catalogue entries for the MTA-STS check (`mailauth.domain.mta_sts`): the TXT record and
the policy file (`mailauth.domain.mta_sts_policy`)."""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section, SeverityRule
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

# --- the policy file (issue 11: fetched through CheckContext.fetcher) -----------------------

_RFC8461_POLICY = RFC8461.at("3.2")
_RFC8461_FETCH = RFC8461.at("3.3")
_NO_POLICY = (
    "Senders that cannot fetch a valid policy apply none (or keep a copy they cached "
    "earlier), so mail to you can again be delivered over unencrypted or unauthenticated "
    "connections: the TXT record announces protection that does not exist."
)

define(
    "mta_sts.policy-fetch-failed",
    Severity.MEDIUM,
    title="MTA-STS policy could not be fetched",
    detail="Fetching {url} failed: {reason}.",
    consequence=_NO_POLICY,
    fix=(
        "Serve the policy at {url} over HTTPS with a certificate valid for the host name, "
        "answering 200 with the file (at most 64 KB), and run the check again."
    ),
    references=(_RFC8461_FETCH,),
)
define(
    "mta_sts.policy-redirect",
    Severity.MEDIUM,
    title="MTA-STS policy is served with a redirect",
    detail="{url} answered with a redirect (HTTP {status}) to {location}.",
    consequence=(
        "RFC 8461 §3.3 forbids following redirects when fetching the policy, so senders "
        "treat the policy as missing. " + _NO_POLICY
    ),
    fix="Serve the policy file itself at {url} (status 200), without a redirect.",
    references=(_RFC8461_FETCH,),
)
define(
    "mta_sts.policy-fetch-refused",
    Severity.LOW,
    title="MTA-STS policy host has a non-public address: not fetched",
    detail=(
        "{host} resolves to {address}, a private, loopback, link-local or reserved address, "
        "so mailauth did not fetch {url}."
    ),
    consequence=(
        "Senders on the Internet cannot reach that address either, so for them the policy "
        "does not exist. The policy itself was not checked."
    ),
    fix=(
        "Publish a public address for {host}. For an intranet or a test set-up, run the "
        "check again with --allow-private-fetch."
    ),
    references=(_RFC8461_FETCH,),
    scored=False,
)
define(
    "mta_sts.policy-not-available-offline",
    Severity.INFO,
    title="MTA-STS policy not in the --https-dir directory",
    detail="The run is offline and the --https-dir directory has no file for {url} ({path}).",
    consequence=(
        "The policy file was not checked; it may well exist on the real server. Everything "
        "else in the report stands."
    ),
    fix=(
        "Put the policy file at {path} under the --https-dir directory to lint it, or run "
        "without --zone to fetch it from the server."
    ),
    references=(_RFC8461_FETCH,),
    scored=False,
)
define(
    "mta_sts.policy-content-type",
    Severity.MEDIUM,
    title="MTA-STS policy is not served as text/plain",
    detail="{url} was served with Content-Type {content_type}; RFC 8461 requires text/plain.",
    consequence=(
        "Senders that check the media type (as RFC 8461 §3.3 asks) reject the policy and "
        "apply none."
    ),
    fix="Configure the web server to send Content-Type: text/plain for {url}.",
    references=(_RFC8461_FETCH,),
)
define(
    "mta_sts.policy-syntax",
    Severity.MEDIUM,
    title="MTA-STS policy file is malformed",
    detail="The policy at {url}: {problem}.",
    consequence=(
        "A policy with a missing or invalid version, mode, max_age or mx line is rejected "
        "by senders (RFC 8461 §3.2), who then apply no policy; other problems may be read "
        "differently by different senders."
    ),
    fix=(
        "Write the policy as key: value lines, one per line: version: STSv1, mode: "
        "enforce|testing|none, one mx: line per MX host pattern, max_age: seconds "
        "(86400 to 31557600)."
    ),
    references=(_RFC8461_POLICY,),
    severity_rules=(
        SeverityRule(
            Severity.LOW,
            "when senders still accept the policy (a malformed extra line, a repeated key)",
        ),
    ),
)
define(
    "mta_sts.policy-mx-mismatch",
    Severity.HIGH,
    title="An MX host is not covered by the MTA-STS policy",
    detail="The MX host {mx} matches none of the policy's mx patterns ({patterns}).",
    consequence=(
        "In enforce mode senders refuse to deliver to an MX host the policy does not list "
        "(RFC 8461 §4.1): mail routed to {mx} bounces or waits in their queues. In testing "
        "mode they deliver and only report the failure."
    ),
    fix="Add the line mx: {mx} (or a *. pattern covering it) to the policy at {url}, and "
    "change the id= of the TXT record so senders fetch it again.",
    references=(RFC8461.at("4.1"),),
    severity_rules=(SeverityRule(Severity.MEDIUM, "when the policy is in testing mode"),),
)
define(
    "mta_sts.policy-mx-unused",
    Severity.LOW,
    title="An MTA-STS mx pattern matches no MX host",
    detail="The policy's mx pattern {pattern} matches none of the domain's MX hosts ({hosts}).",
    consequence=(
        "Harmless to delivery, but a stale pattern (an old provider's host) lets mail go to "
        "a host you no longer control without MTA-STS objecting."
    ),
    fix="Remove mx: {pattern} from the policy at {url} unless you are about to add that host.",
    references=(RFC8461.at("4.1"),),
)
define(
    "mta_sts.policy-testing",
    Severity.LOW,
    title="MTA-STS policy is in testing mode",
    detail="The policy at {url} has mode: testing.",
    consequence=(
        "Senders deliver even when TLS fails or the MX is not covered and only report it "
        "(TLS-RPT): mail to you is not yet protected against downgrade."
    ),
    fix=(
        "Once TLS-RPT reports show no failures for a few weeks, change the policy to "
        "mode: enforce and change the id= of the TXT record."
    ),
    references=(RFC8461.at("5"),),
)
define(
    "mta_sts.policy-none",
    Severity.INFO,
    title="MTA-STS policy is withdrawn (mode: none)",
    detail="The policy at {url} has mode: none.",
    consequence="Senders stop applying MTA-STS to the domain: nothing is protected.",
    fix=(
        "If this is not a planned withdrawal, publish mode: testing or enforce with mx lines "
        "for your MX hosts."
    ),
    references=(RFC8461.at("5"),),
)
define(
    "mta_sts.policy-max-age",
    Severity.LOW,
    title="MTA-STS max_age is out of range",
    detail="The policy at {url} has max_age: {max_age} ({problem}).",
    consequence=(
        "Below a day an enforced policy expires from senders' caches quickly, so an attacker "
        "who blocks the policy fetch can downgrade mail after a short wait; above 31557600 "
        "seconds (RFC 8461 §3.2) senders may reject the policy or cap it."
    ),
    fix="Use a max_age between 86400 (a day) and 31557600; weeks (604800 and up) are usual "
    "in enforce mode.",
    references=(_RFC8461_POLICY,),
    severity_rules=(SeverityRule(Severity.MEDIUM, "when max_age is above 31557600"),),
)
