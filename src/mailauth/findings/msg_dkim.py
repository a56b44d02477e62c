"""Catalogue entries `msg_dkim.*`: the DKIM signatures of one message (`mailauth verify`).

Message-side ids start with `msg_<protocol>.` so they never collide with the domain checks'
`dkim.*`, `spf.*`; one catalogue module per prefix.
Each id is triggered by a sample in samples/messages/ (see its manifest.yaml).
"""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import (
    BULK_SENDER_RULES,
    RFC6376,
    RFC8301,
    RFC8463,
    RFC8601,
    RFC9989,
    Reference,
)
from mailauth.model import Severity

define = Section("msg_dkim", Scope.MESSAGE, Protocol.DKIM).define

_WITHOUT_SIGNATURE = (
    "If no other DKIM signature passes aligned with the From domain, DMARC depends on SPF "
    "alone, which breaks as soon as the message is forwarded; with p=quarantine or p=reject "
    "the message goes to spam or is refused."
)
_DKIM_FAILS = "Receivers treat this signature as if it were absent. " + _WITHOUT_SIGNATURE
# For a key that every verifier rejects the same way (RFC 6376 §6.1.2: permerror).
_KEY_FAILS = (
    "Every receiver gets permerror for this signature and treats it as if it were absent. "
    + _WITHOUT_SIGNATURE
)

define(
    "msg_dkim.missing",
    Severity.HIGH,
    title="The message has no DKIM signature",
    detail="No DKIM-Signature header field is present in this message from {from_domain}.",
    consequence=(
        "Gmail, Yahoo and Outlook.com require DKIM from bulk senders and junk or reject their "
        "unsigned mail. Without DKIM, DMARC can pass only through SPF, which fails as soon as "
        "the message is forwarded."
    ),
    fix=(
        "Turn on DKIM signing for {from_domain} in your mail server or email provider "
        "(d={from_domain}) and publish the public key it gives you at "
        "<selector>._domainkey.{from_domain}."
    ),
    references=(Reference(RFC6376), BULK_SENDER_RULES),
)
define(
    "msg_dkim.body-hash-mismatch",
    Severity.HIGH,
    title="DKIM signature by {domain} fails: the body was changed after signing",
    detail=(
        "The body hash in the signature (d={domain}, s={selector}, c={canonicalization}) does "
        "not match the body of this message: something changed the body after it was signed."
    ),
    consequence=_DKIM_FAILS
    + " Typical causes: a mailing list footer, a security gateway that rewrites links, a "
    "disclaimer added by the outgoing server, or re-encoding of an 8-bit body.",
    fix=(
        "Sign after every step that changes the body (disclaimers, link rewriting, footers), "
        "or have that step re-sign. Relaxed body canonicalization (c=relaxed/relaxed) tolerates "
        "whitespace changes. Mailing lists and forwarders should add an ARC seal."
    ),
    references=(RFC6376.at("3.7"), RFC6376.at("3.4.4")),
)
define(
    "msg_dkim.signature-mismatch",
    Severity.HIGH,
    title="DKIM signature by {domain} fails: a signed header was changed",
    detail=(
        "The body is intact but the header signature (d={domain}, s={selector}) does not "
        "verify: a header field listed in h= was modified, added or re-folded after signing."
    ),
    consequence=_DKIM_FAILS
    + " Typical causes: a Subject tag such as [EXTERNAL] or [list], rewritten From/To, or an "
    "MTA that re-folds long header lines.",
    fix=(
        "Find the system that modifies the header (forwarder, list, gateway) and make it sign "
        "again or ARC-seal; sign with c=relaxed/relaxed so re-folding does not break it."
    ),
    references=(RFC6376.at("3.7"),),
)
define(
    "msg_dkim.key-not-found",
    Severity.HIGH,
    title="The DKIM key {key_name} does not exist",
    detail="The signature names d={domain}, s={selector}, but {key_name} has no key ({rcode}).",
    consequence=(
        "Every receiver gets permerror for this signature. If the key was rotated after this "
        "message was sent, this is expected for an old message; if the message is new, all "
        "mail signed with this selector currently fails DKIM."
    ),
    fix=(
        "Publish the public key at {key_name}. When rotating keys, keep the old selector "
        "published for at least a week so mail still in transit verifies."
    ),
    references=(RFC6376.at("6.1.2"),),
)
define(
    "msg_dkim.lookup-failed",
    Severity.MEDIUM,
    title="The DKIM key {key_name} could not be looked up",
    detail="The TXT query for {key_name} failed ({rcode}), so the signature could not be checked.",
    consequence=(
        "Receivers that see the same failure return temperror and usually defer the message; "
        "repeated failures make mail late or land in spam."
    ),
    fix="Check that the name servers for {domain} answer TXT queries for {key_name}.",
    references=(RFC6376.at("6.1.2"), RFC8601.at("2.7.1")),
    scored=False,
)
define(
    "msg_dkim.key-revoked",
    Severity.HIGH,
    title="The DKIM key {key_name} is revoked",
    detail="{key_name} publishes an empty p= tag, which means the key has been revoked.",
    consequence=_KEY_FAILS,
    fix="Sign with a selector whose key is published, or publish a new key at {key_name}.",
    references=(RFC6376.at("3.6.1"),),
)
define(
    "msg_dkim.key-invalid",
    Severity.HIGH,
    title="The DKIM key {key_name} cannot be used",
    detail=(
        "The key record at {key_name} cannot verify this signature (a={algorithm}). "
        "The record is: {record}"
    ),
    consequence=_KEY_FAILS,
    fix=(
        "Run `mailauth check {domain} --selector {selector}` to see what is wrong with the "
        "record, then publish the key exactly as your signing software exported it: v=DKIM1; "
        "k=rsa or k=ed25519 matching the signature's a= ({algorithm}); p=<base64 public key>."
    ),
    references=(RFC6376.at("3.6.1"), Reference(RFC8463)),
)
define(
    "msg_dkim.key-too-short",
    Severity.CRITICAL,
    title="DKIM signature by {domain} uses a {bits}-bit RSA key",
    detail="The key {key_name} is {bits} bits; RFC 8301 forbids accepting RSA keys under 1024.",
    consequence=(
        "Gmail, Yahoo and other receivers treat this signature as invalid, so the message is "
        "not authenticated by DKIM; and an RSA key this short can be broken cheaply, so anyone "
        "could forge signatures for {domain}."
    ),
    fix="Generate a 2048-bit RSA key, publish it under a new selector and sign with it.",
    references=(RFC8301.at("3.2"), BULK_SENDER_RULES),
)
define(
    "msg_dkim.sha1",
    Severity.HIGH,
    title="DKIM signature by {domain} uses rsa-sha1",
    detail="The signature (s={selector}) uses a=rsa-sha1, which RFC 8301 retired.",
    consequence=(
        "Current verifiers must not accept rsa-sha1 signatures: the signature counts as absent."
    ),
    fix="Configure the signer to use rsa-sha256 (or ed25519-sha256 alongside it).",
    references=(RFC8301.at("3.1"),),
)
define(
    "msg_dkim.expired",
    Severity.HIGH,
    title="DKIM signature by {domain} has expired",
    detail="The signature (s={selector}) carries x={expiration}, which is in the past.",
    consequence=(
        "Verifiers treat an expired signature as failed (permerror). For an old saved message "
        "this is expected; for new mail the expiry is too short for delivery delays."
    ),
    fix="Leave out x= or set it days ahead, not minutes, so retries and queues still verify.",
    references=(RFC6376.at("3.5"),),
)
define(
    "msg_dkim.malformed",
    Severity.MEDIUM,
    title="A DKIM-Signature header is malformed",
    detail=(
        "The DKIM-Signature at position {index} has a tag that is missing, empty or invalid "
        "(RFC 6376 §3.5), so it cannot be processed. The field is: {signature}"
    ),
    consequence="Receivers ignore this signature (neutral): it authenticates nothing.",
    fix="Fix the signing software or its configuration so it writes a valid DKIM-Signature.",
    references=(RFC6376.at("3.5"), RFC8601.at("2.7.1")),
)
define(
    "msg_dkim.from-not-signed",
    Severity.HIGH,
    title="DKIM signature by {domain} does not sign the From header",
    detail="The h= list of the signature (s={selector}) does not include From.",
    consequence="RFC 6376 requires From to be signed: receivers reject the signature (permerror).",
    fix="Configure the signer to include From in the signed headers.",
    references=(RFC6376.at("5.4"),),
)
define(
    "msg_dkim.from-not-oversigned",
    Severity.LOW,
    title="From is not over-signed in the signature by {domain}",
    detail=(
        "h= lists From only as many times as it appears, so a second From header could be "
        "added above it without breaking the signature."
    ),
    consequence=(
        "A forged From could be shown by mail clients that display the first From while the "
        "signature still verifies; some filters treat such messages with suspicion."
    ),
    fix="List From once more in h= than it appears (most signers call this over-signing).",
    references=(RFC6376.at("8.15"),),
)
define(
    "msg_dkim.length-tag",
    Severity.MEDIUM,
    title="DKIM signature by {domain} covers only part of the body (l={length})",
    detail="The signature uses l={length}; {unsigned} bytes of this body are not covered by it.",
    consequence=(
        "Anyone can append content (a phishing link) after the signed part and the signature "
        "still passes; many filters treat l= signatures with suspicion."
    ),
    fix="Sign the whole body: remove the l= (body length) option from the signer.",
    references=(RFC6376.at("8.2"),),
)
define(
    "msg_dkim.key-testing",
    Severity.LOW,
    title="The DKIM key {key_name} is in testing mode (t=y)",
    detail="{key_name} publishes t=y: the domain says it is only testing DKIM.",
    consequence="Verifiers may treat the message as unsigned, so the signature may not count.",
    fix="When DKIM works, remove t=y from the key record.",
    references=(RFC6376.at("3.6.1"),),
)
define(
    "msg_dkim.too-many-signatures",
    Severity.MEDIUM,
    title="The message carries {count} DKIM signatures",
    detail="Only the first {limit} of {count} DKIM-Signature header fields were verified.",
    consequence=(
        "Receivers also limit the signatures they try; extra ones are ignored or look abusive."
    ),
    fix="Sign once or twice per domain; remove the duplicate signatures your systems add.",
    references=(RFC6376.at("6.1"),),
)
define(
    "msg_dkim.not-aligned",
    Severity.HIGH,
    title="DKIM passes only for {domains}, not for {from_domain}",
    detail=(
        "A DKIM signature verifies, but its d= ({domains}) is not aligned with the From "
        "domain {from_domain} (adkim={mode}), so it does not count for DMARC."
    ),
    consequence=(
        "DMARC needs a signature whose d= matches the From domain. A signature only by another "
        "domain ({domains}, often your provider's own) leaves DMARC depending on SPF "
        "alignment, and Gmail, Yahoo and Outlook.com require bulk senders to pass DMARC "
        "alignment."
    ),
    fix=(
        "Set up custom-domain DKIM at your provider so it signs with d={from_domain} (or a "
        "subdomain of it, with relaxed alignment)."
    ),
    references=(RFC9989.at("4.4.1"), BULK_SENDER_RULES),
)
define(
    "msg_dkim.ed25519-only",
    Severity.LOW,
    title="Only an Ed25519 signature authenticates this message for {from_domain}",
    detail=(
        "Every DKIM signature that passes aligned with {from_domain} uses ed25519-sha256 "
        "(s={selectors}); none uses RSA."
    ),
    consequence=(
        "Verifiers that do not implement Ed25519 yet ignore these signatures and see the "
        "message as unsigned, so there DMARC rests on SPF alone, which fails when the message "
        "is forwarded."
    ),
    fix=(
        "Sign with an RSA 2048-bit key as well: a second DKIM-Signature with d={from_domain} "
        "under another selector, as RFC 8463 recommends while Ed25519 support spreads."
    ),
    references=(RFC8463.at("5"), RFC8463.at("6")),
)
define(
    "msg_dkim.key-too-long",
    Severity.HIGH,
    title="DKIM signature by {domain} uses a {bits}-bit RSA key",
    detail=(
        "The key {key_name} is {bits} bits. RFC 8301 requires verifiers to handle keys of "
        "1024 to {limit} bits only; mailauth does not verify larger ones (a key this size "
        "costs minutes of computation per signature), so this signature counts as permerror."
    ),
    consequence=(
        "Receivers may refuse keys this large, as mailauth does (those built on OpenSSL refuse "
        "RSA keys over 16,384 bits), and then treat the signature as absent. " + _WITHOUT_SIGNATURE
    ),
    fix=(
        "Generate a 2048-bit RSA key (the size RFC 8301 recommends), publish it under a new "
        "selector and sign with it."
    ),
    references=(RFC8301.at("3.2"),),
)
define(
    "msg_dkim.too-many-signed-headers",
    Severity.MEDIUM,
    title="DKIM signature by {domain} lists {count} header fields in h=",
    detail=(
        "The h= tag of the signature at position {index} names {count} header fields; "
        "mailauth verifies signatures of at most {limit}, so it did not verify this one "
        "(neutral)."
    ),
    consequence=(
        "Verifiers may limit the work they spend on a signature (RFC 6376 §6.1) and ignore "
        "one this large; it then authenticates nothing. " + _WITHOUT_SIGNATURE
    ),
    fix=(
        "Sign the header fields that matter (From, To, Subject, Date, Message-ID, the "
        "List-* and MIME fields), each once more than it appears at most."
    ),
    references=(RFC6376.at("6.1"), RFC6376.at("5.4")),
)
define(
    "msg_dkim.body-not-signed",
    Severity.HIGH,
    title="DKIM signature by {domain} signs none of the body (l=0)",
    detail=(
        "The signature uses l=0: it covers the header fields only; all {unsigned} bytes of "
        "this body are outside it."
    ),
    consequence=(
        "Anyone who has one message signed by {domain} can replace its whole body (a "
        "phishing text, a payment request) and the signature still passes, with DMARC "
        "alignment for {domain}."
    ),
    fix="Sign the whole body: remove the l= (body length) option from the signer.",
    references=(RFC6376.at("8.2"), RFC6376.at("3.5")),
)
