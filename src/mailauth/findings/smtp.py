"""Catalogue entries for the SMTP STARTTLS check (`mailauth.domain.smtp`, `--smtp`).

These findings need a live SMTP server, so no zone file can trigger them: their scenarios
are the tests against a real aiosmtpd server on loopback (tests/integration/test_smtp_probe.py).
"""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import RFC3207, RFC7672, RFC8461, RFC8996
from mailauth.model import Severity

define = Section("smtp", Scope.DOMAIN, Protocol.SMTP).define

_MTA_STS = (
    "Opportunistic senders still deliver (without authentication), but a sender enforcing "
    "MTA-STS (Gmail, Outlook.com, Yahoo honour it) or DANE will not deliver to this host."
)
_WHERE = "{host} ({address}, port {port})"

define(
    "smtp.lookup-failed",
    Severity.LOW,
    title="MX host address could not be looked up",
    detail="The address of {host} could not be looked up: {reason}",
    consequence="The host was not probed; nothing is known about its TLS from this run.",
    fix="Check that the MX host's name servers answer, then run the check again.",
    references=(RFC3207.at("4"),),
    scored=False,
)
define(
    "smtp.not-tested",
    Severity.INFO,
    title="Not tested: port 25 unreachable from here",
    detail=_WHERE + " could not be reached: {reason}",
    consequence=(
        "Nothing is known about this host's TLS. This is not a failure: many networks (home "
        "ISPs, GitHub-hosted runners, the big clouds) block outgoing port 25, and some "
        "gateways drop connections from scanners."
    ),
    fix=(
        "Run the check with --smtp from a network that may connect to port 25 (a mail server "
        "of yours). If the host is unreachable from everywhere, senders cannot reach it either."
    ),
    references=(RFC3207.at("4"),),
)
define(
    "smtp.no-starttls",
    Severity.HIGH,
    title="MX host does not offer STARTTLS",
    detail=_WHERE + " does not offer STARTTLS ({reason}).",
    consequence=(
        "Mail to you travels in clear text: Gmail marks it with a red open padlock, and MTA-STS "
        "and DANE cannot be used for this host."
    ),
    fix="Turn on STARTTLS in the mail server with a certificate for the MX host name.",
    references=(RFC3207.at("4"), RFC8461.at("4")),
)
define(
    "smtp.tls-failed",
    Severity.HIGH,
    title="STARTTLS fails on the MX host",
    detail=_WHERE + " offered STARTTLS, but the TLS session failed: {reason}",
    consequence=(
        "Senders fall back to clear text or, when they enforce MTA-STS or DANE, do not "
        "deliver to this host."
    ),
    fix="Check the TLS configuration of the mail server (certificate, key, protocols).",
    references=(RFC3207.at("4"),),
)
define(
    "smtp.old-tls",
    Severity.LOW,
    title="MX host negotiated an obsolete TLS version",
    detail=_WHERE + " negotiated {version}.",
    consequence="TLS 1.0 and 1.1 are deprecated (RFC 8996); modern senders refuse them.",
    fix="Allow TLS 1.2 and 1.3 in the mail server.",
    references=(RFC8996.at("1"),),
)
define(
    "smtp.certificate-expired",
    Severity.MEDIUM,
    title="MX certificate has expired",
    detail="The certificate of " + _WHERE + " is not valid now (valid until {not_after}).",
    consequence=_MTA_STS,
    fix="Renew the certificate and reload the mail server (automate renewal, e.g. ACME).",
    references=(RFC8461.at("4.2"),),
)
define(
    "smtp.certificate-expiring",
    Severity.LOW,
    title="MX certificate expires soon",
    detail="The certificate of " + _WHERE + " expires in {days} days ({not_after}).",
    consequence="When it expires: " + _MTA_STS,
    fix="Renew the certificate now and make sure the mail server reloads it.",
    references=(RFC8461.at("4.2"),),
)
define(
    "smtp.certificate-name-mismatch",
    Severity.MEDIUM,
    title="MX certificate does not name the MX host",
    detail="The certificate of " + _WHERE + " is for {names}, not {host}.",
    consequence=_MTA_STS,
    fix="Install a certificate whose subjectAltName includes {host}.",
    references=(RFC8461.at("4.2"),),
)
define(
    "smtp.certificate-untrusted",
    Severity.MEDIUM,
    title="MX certificate is not trusted",
    detail="The certificate chain of " + _WHERE + " does not verify: {reason}",
    consequence=_MTA_STS,
    fix=(
        "Use a certificate from a public CA and send the intermediate certificates with it "
        "(the full chain file)."
    ),
    references=(RFC8461.at("4.2"),),
)
define(
    "smtp.dane-mismatch",
    Severity.HIGH,
    title="MX certificate does not match its TLSA records",
    detail=(
        "No DNSSEC-secure TLSA record at _25._tcp.{host} matches the certificate chain of "
        + _WHERE
        + "."
    ),
    consequence=(
        "DANE senders (Postfix, Exim with DANE, Microsoft 365) refuse to deliver to this host "
        "and queue the mail until it bounces."
    ),
    fix=(
        "Publish TLSA records for the key in use (e.g. '3 1 1 <SHA-256 of its public key>') "
        "before changing keys, and keep the old record until caches expired."
    ),
    references=(RFC7672.at("3.1"),),
)
# --- issue 11: STARTTLS against the MTA-STS policy (domain/smtp_mta_sts.py) ---
define(
    "smtp.mta-sts-would-fail",
    Severity.HIGH,  # medium when the policy is in testing mode
    title="MX host would fail the domain's MTA-STS policy",
    detail="Under the MTA-STS policy (mode {mode}, mx {patterns}), {host} fails: {reason}.",
    consequence=(
        "In enforce mode, senders that honour MTA-STS (Gmail, Outlook.com, Yahoo) will not "
        "deliver to this host and the mail bounces when no other MX qualifies; in testing mode "
        "they deliver anyway and report the failure through TLS-RPT."
    ),
    fix=(
        "Add a matching mx line to the policy file (and change the id in the _mta-sts TXT "
        "record), or give the host STARTTLS with an unexpired certificate from a public CA "
        "naming the host, before the policy is in enforce mode."
    ),
    references=(RFC8461.at("4"),),
    # Its causes are scored by their own findings (mta_sts.policy-mx-mismatch,
    # smtp.certificate-*, smtp.no-starttls, smtp.tls-failed): this states the consequence.
    scored=False,
)
