"""Catalogue entries for the BIMI record check (`mailauth.domain.bimi`)."""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import BIMI_DRAFT, GMAIL_BIMI, RFC6376, Reference
from mailauth.model import Severity

define = Section("bimi", Scope.DOMAIN, Protocol.BIMI).define

_RECORD = BIMI_DRAFT.at("4.3")
_DISCOVERY = BIMI_DRAFT.at("7.2")
_AUTH = BIMI_DRAFT.at("7.1")
_NO_LOGO = (
    "Receivers ignore the record, so no logo is shown next to your mail in Gmail, Yahoo, "
    "Apple Mail or other BIMI mailboxes."
)

define(
    "bimi.lookup-failed",
    # LOW like mta_sts/tls_rpt.lookup-failed: BIMI is optional and its absence is only INFO.
    Severity.LOW,
    title="BIMI record could not be looked up",
    detail="The query for {name} {rdtype} failed with {rcode}, so the BIMI record is unknown.",
    consequence=(
        "Receivers that hit the same failure show no logo (BIMI temperror); delivery is not "
        "affected."
    ),
    fix=(
        "Check that the domain's authoritative name servers answer, then run the check again "
        "(offline, with --zone: load the zone file that holds {name})."
    ),
    references=(_DISCOVERY,),
    scored=False,
)
define(
    "bimi.missing",
    Severity.INFO,
    title="No BIMI record",
    detail="There is no BIMI record at {name} (nor at the organizational domain).",
    consequence=(
        "Mailboxes that support BIMI show a generic avatar instead of your brand logo. BIMI is "
        "optional and does not affect whether mail is delivered."
    ),
    fix=(
        "To show your logo: enforce DMARC (p=quarantine or p=reject), publish the logo as SVG "
        "Tiny PS over https, obtain a VMC or CMC (Gmail and Apple Mail require one) and publish "
        "v=BIMI1; l=LOGO-URL; a=CERTIFICATE-URL at {name}."
    ),
    references=(_RECORD,),
)
define(
    "bimi.declined",
    Severity.INFO,
    title="BIMI explicitly declined",
    detail="The record at {name} has empty l= and a= tags: a declination to publish.",
    consequence="No logo is shown for mail using this selector, by the domain owner's choice.",
    fix="Nothing to do if this is intended; otherwise publish l= and a= URLs.",
    references=(BIMI_DRAFT.at("4.3.1"),),
)
define(
    "bimi.inherited",
    Severity.INFO,
    title="BIMI record taken from the organizational domain",
    detail="{domain} has no record at {name}; receivers use {location} instead.",
    consequence="Mail from {domain} shows the organizational domain's logo.",
    fix="Publish a record (or an empty declination record) at {name} for a different logo.",
    references=(_DISCOVERY,),
)
define(
    "bimi.multiple-records",
    Severity.MEDIUM,
    title="Several BIMI records",
    detail="{name} has {count} TXT records starting with v=BIMI1.",
    consequence=_NO_LOGO,
    fix="Keep exactly one BIMI record at {name}.",
    references=(_DISCOVERY,),
)
define(
    "bimi.invalid-version",
    Severity.MEDIUM,
    title="BIMI record ignored: version is not BIMI1",
    detail="The TXT record at {name} does not start with v=BIMI1: {record}",
    consequence=_NO_LOGO,
    fix="Start the record with v=BIMI1; as its first tag.",
    references=(_RECORD,),
)
define(
    "bimi.version-case",
    Severity.LOW,
    title="BIMI version not written exactly as BIMI1",
    detail="The record starts with v={value}; the specification requires exactly BIMI1.",
    consequence="Strict receivers must not fix capitalization and ignore the record.",
    fix="Write v=BIMI1 in upper case.",
    references=(_RECORD,),
)
define(
    "bimi.duplicate-tag",
    Severity.MEDIUM,
    title="Duplicate BIMI tag",
    detail="The tag {tag} appears more than once in the record at {name}.",
    consequence=f"A tag-list with a repeated tag is invalid as a whole. {_NO_LOGO}",
    fix="Keep one {tag} tag.",
    references=(_RECORD, RFC6376.at("3.2")),
)
define(
    "bimi.malformed-tag",
    Severity.LOW,
    title="Malformed part in BIMI record",
    detail="The part '{text}' is not a tag=value pair.",
    consequence="Receivers skip it; if it was meant to set l= or a=, that setting is lost.",
    fix="Write each setting as name=value, separated by semicolons.",
    references=(_RECORD,),
)
define(
    "bimi.unknown-tag",
    Severity.LOW,
    title="Unknown BIMI tag",
    detail="The tag {tag}={value} is not defined for BIMI assertion records.",
    consequence="Receivers ignore it.",
    fix="Remove {tag}, or correct its name if it is a typo.",
    references=(_RECORD,),
)
define(
    "bimi.invalid-value",
    Severity.LOW,
    title="Invalid BIMI tag value",
    detail="The tag {tag}={value} has a value the specification does not allow.",
    consequence="Receivers ignore the value (some treat the whole record as failing).",
    fix="Use lps=true or lps=false, and avp=brand or avp=personal (lower case).",
    references=(_RECORD,),
)
define(
    "bimi.location-missing",
    Severity.MEDIUM,
    title="No logo URL in the BIMI record",
    detail="The record at {name} has no logo URL in its l= tag.",
    consequence=(
        "l= is required; without it receivers find no Indicator and show no logo (a few take "
        "the logo from the mark certificate, most do not)."
    ),
    fix="Set l= to the https URL of your SVG Tiny PS logo.",
    references=(_RECORD, BIMI_DRAFT.at("7.3")),
)
define(
    "bimi.multiple-locations",
    Severity.LOW,
    title="Several logo URLs in l=",
    detail="The l= tag lists several URLs: {value}",
    consequence="The current specification allows a single URI; receivers may reject the record.",
    fix="Keep one https URL in l=.",
    references=(_RECORD,),
)
define(
    "bimi.url-not-https",
    Severity.MEDIUM,
    title="BIMI URL is not https",
    detail="The {tag}= URL {url} does not use https.",
    consequence=f"HTTPS is the only transport BIMI allows. {_NO_LOGO}",
    fix="Serve the file over https and publish the https URL.",
    references=(_RECORD,),
)
define(
    "bimi.url-malformed",
    Severity.MEDIUM,
    title="BIMI URL cannot be parsed",
    detail="The {tag}= value {url} is not a valid absolute URL.",
    consequence="Receivers cannot fetch it, so no logo is shown.",
    fix="Publish a plain absolute URL such as https://brand.example.com/logo.svg.",
    references=(_RECORD,),
)
define(
    "bimi.url-userinfo",
    Severity.MEDIUM,
    title="BIMI URL contains a user name or password",
    detail="The {tag}= URL {url} carries credentials before the host name.",
    consequence=(
        "Anyone can read DNS, so the credentials are public; receivers refuse such URLs and "
        "show no logo."
    ),
    fix="Remove the user:password@ part and serve the file publicly.",
    references=(_RECORD,),
)
define(
    "bimi.url-ip-literal",
    Severity.MEDIUM,
    title="BIMI URL uses an IP address",
    detail="The {tag}= URL {url} names an IP address instead of a host name.",
    consequence=(
        "BIMI requires a fully qualified domain name (certificate checks need one); receivers "
        "do not fetch it and show no logo."
    ),
    fix="Serve the file from a public host name with a valid TLS certificate.",
    references=(_RECORD,),
)
define(
    "bimi.url-private-host",
    Severity.MEDIUM,
    title="BIMI URL points at a private host",
    detail="The {tag}= URL {url} names a host receivers cannot reach ({host}).",
    consequence="Receivers cannot fetch the file, so no logo is shown.",
    fix="Serve the file from a public host name.",
    references=(_RECORD,),
)
define(
    "bimi.url-too-long",
    Severity.MEDIUM,
    title="BIMI URL is too long",
    detail="The {tag}= URL is {length} characters long.",
    consequence="Receivers and HTTP libraries refuse very long URLs, so no logo is shown.",
    fix="Publish a short URL for the file.",
    references=(_RECORD,),
)
define(
    "bimi.logo-not-svg",
    Severity.MEDIUM,
    title="BIMI logo is not an SVG file",
    detail="The l= URL {url} does not end in .svg.",
    consequence=(
        "Only SVG (SVG Tiny PS profile) Indicators are accepted; another format is a permanent "
        "error and no logo is shown."
    ),
    fix="Convert the logo to SVG Tiny PS and publish its .svg URL.",
    references=(BIMI_DRAFT.at("4.3.2"),),
)
define(
    "bimi.authority-not-pem",
    Severity.LOW,
    title="BIMI certificate URL is not a .pem file",
    detail="The a= URL {url} does not end in .pem.",
    consequence=(
        "Mark certificates (VMC/CMC) are published as PEM files; receivers that cannot "
        "read the evidence document treat the logo as unverified."
    ),
    fix="Publish the PEM file your certificate authority issued and point a= at it.",
    references=(_RECORD,),
)
define(
    "bimi.no-authority",
    Severity.LOW,
    title="No mark certificate (a=) in the BIMI record",
    detail="The record at {name} has no a= URL for a Verified or Common Mark Certificate.",
    consequence=(
        "Gmail and Apple Mail show BIMI logos only with a VMC or CMC; without one the logo "
        "appears at Yahoo and some others only."
    ),
    fix="Obtain a VMC or CMC for the logo and publish its PEM URL in a=.",
    references=(_RECORD, Reference(GMAIL_BIMI)),
)
define(
    "bimi.dmarc-missing",
    Severity.MEDIUM,
    title="BIMI without a DMARC policy",
    detail="A BIMI record is published, but no usable DMARC policy applies to {domain}.",
    consequence=(
        "BIMI requires DMARC at enforcement: no logo will be shown, and the domain is open to "
        "spoofing."
    ),
    fix="Publish a DMARC record with p=quarantine or p=reject at _dmarc.{domain}.",
    references=(_AUTH,),
)
define(
    "bimi.dmarc-not-enforced",
    Severity.MEDIUM,
    title="DMARC is not at enforcement: no logo will be shown",
    detail="BIMI needs an enforcing DMARC policy, but the record at {location} has {setting}.",
    consequence=(
        "Receivers must not process BIMI unless the DMARC policy of the domain and of its "
        "organizational domain is quarantine or reject, without t=y and without sp=none: no "
        "logo will be shown."
    ),
    fix=(
        "Move DMARC to p=quarantine or p=reject, remove t=y, and make sure sp is not none "
        "once reports show your mail passes DMARC."
    ),
    references=(_AUTH,),
)
