"""Catalogue entries for the DKIM key check (`mailauth.domain.dkim`)."""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section, SeverityRule
from mailauth.findings.references import (
    GMAIL_SENDER_GUIDELINES,
    RFC6376,
    RFC8301,
    RFC8463,
    Reference,
)
from mailauth.model import Severity

define = Section("dkim", Scope.DOMAIN, Protocol.DKIM).define

_RFC6376_KEY = RFC6376.at("3.6.1")
_RFC8301 = RFC8301.at("3")

define(
    "dkim.lookup-failed",
    Severity.HIGH,
    title="DKIM keys could not be looked up",
    detail="The query for {name} {rdtype} failed with {rcode}.",
    consequence=(
        "Receivers that hit the same failure cannot verify your DKIM signatures and "
        "treat the result as a temporary error; DMARC then depends on SPF alone."
    ),
    fix=(
        "Check that the domain's authoritative name servers answer, then run the check again "
        "(offline, with --zone: load the zone file that holds {name})."
    ),
    references=(RFC6376.at("6.1.2"),),
    severity_rules=(
        SeverityRule(
            Severity.INFO,
            "when other keys were judged, or when only some of the common selectors mailauth "
            "guesses went unanswered: the verdict does not depend on them",
        ),
    ),
    scored=False,
)
define(
    "dkim.no-selector-found",
    Severity.INFO,
    title="No DKIM key found at common selectors",
    detail=(
        "None of the {count} common selectors tried (for example {examples}) has a DKIM key. "
        "DKIM selectors can be any name, so this does not prove the domain signs nothing."
    ),
    consequence=(
        "If your mail is really unsigned, Gmail and Yahoo require DKIM from bulk senders and "
        "DMARC can only pass through SPF, which breaks on forwarding."
    ),
    fix=(
        "Run the check again with --selector NAME for the selector in the s= tag of a "
        "DKIM-Signature header of your mail; if there is none, enable DKIM signing at your "
        "mail server or provider and publish the key it gives you."
    ),
    references=(
        _RFC6376_KEY,
        Reference(GMAIL_SENDER_GUIDELINES, cited_as="Gmail sender guidelines"),
    ),
)
define(
    "dkim.selector-not-found",
    Severity.HIGH,
    title="Named DKIM selector has no key",
    detail="There is no DKIM key at {name} (selector {selector}).",
    consequence=(
        "Every message signed with selector {selector} fails DKIM verification (no key), so "
        "DMARC must rely on SPF alone and Gmail, Yahoo and Outlook treat the mail as unsigned."
    ),
    fix=(
        "Publish the public key your signer gives you as a TXT record at {name}, or sign "
        "with a selector whose key is published."
    ),
    references=(RFC6376.at("6.1.2"),),
)
define(
    "dkim.invalid-selector",
    Severity.MEDIUM,
    title="Invalid DKIM selector name",
    detail="The selector {selector} is not a valid DNS name, so it was not looked up.",
    consequence="A signature naming this selector cannot be verified by any receiver.",
    fix="Use a selector made of letters, digits and hyphens (labels separated by dots).",
    references=(RFC6376.at("3.1"),),
)
define(
    "dkim.multiple-records",
    Severity.MEDIUM,
    title="Several DKIM key records at one selector",
    detail="{name} has {count} TXT records that look like DKIM keys.",
    consequence=(
        "RFC 6376 leaves the choice to the verifier: some use the first record returned, some "
        "fail, so signatures pass or fail depending on the receiver and on DNS answer order."
    ),
    fix="Keep exactly one key record per selector; use a new selector for a new key.",
    references=(RFC6376.at("3.6.2.2"),),
)
define(
    "dkim.key-syntax",
    Severity.HIGH,
    title="DKIM key record is malformed",
    detail="The key record at {name} has a malformed or repeated tag: {fragment}",
    consequence=(
        "RFC 6376 makes a malformed tag list invalid; verifiers such as dkimpy reject the key "
        "(permerror), so signatures with selector {selector} fail."
    ),
    fix="Publish the record as semicolon-separated name=value tags, each tag once, for example "
    "v=DKIM1; k=rsa; p=<base64 key>.",
    references=(RFC6376.at("3.2"),),
)
define(
    "dkim.empty-tag",
    Severity.LOW,
    title="DKIM key record has an empty tag",
    detail="The key record at {name} contains an empty tag (two semicolons in a row).",
    consequence=(
        "Most verifiers skip it, but strict ones (dkimpy, used by many filters) reject the "
        "whole key, so signatures with selector {selector} may fail there."
    ),
    fix="Remove the extra semicolon.",
    references=(RFC6376.at("3.2"),),
)
define(
    "dkim.bad-version",
    Severity.HIGH,
    title="DKIM key record has a wrong version",
    detail="The key record at {name} has v={version}; the only valid value is DKIM1.",
    consequence="Verifiers must discard the record, so signatures with selector {selector} fail.",
    fix="Start the record with v=DKIM1; or leave the v= tag out.",
    references=(_RFC6376_KEY,),
)
define(
    "dkim.version-not-first",
    Severity.LOW,
    title="DKIM key record: v= is not the first tag",
    detail="The key record at {name} has v=DKIM1, but not as its first tag.",
    consequence="RFC 6376 requires v= first when present; strict verifiers may reject the key.",
    fix="Move v=DKIM1 to the start of the record.",
    references=(_RFC6376_KEY,),
)
define(
    "dkim.missing-key",
    Severity.HIGH,
    title="DKIM key record has no p= tag",
    detail="The record at {name} has no p= tag, which is required.",
    consequence="There is no key to verify with, so signatures with selector {selector} fail.",
    fix="Publish the public key as p=<base64>; to revoke a key on purpose use an empty p=.",
    references=(_RFC6376_KEY,),
)
define(
    "dkim.unknown-key-type",
    Severity.HIGH,
    title="DKIM key has an unsupported key type",
    detail="The key at {name} has k={key_type}; verifiers implement only rsa and ed25519.",
    consequence="Verifiers cannot use the key, so signatures with selector {selector} fail.",
    fix="Generate an RSA key of 2048 bits (k=rsa) and publish it.",
    references=(_RFC6376_KEY, Reference(RFC8463)),
)
define(
    "dkim.bad-key-data",
    Severity.HIGH,
    title="DKIM public key cannot be decoded",
    detail=(
        "The p= value at {name} is not a valid base64-encoded {key_type} public key "
        "(starts {fragment})."
    ),
    consequence="Verifiers cannot read the key (permerror), so signatures with selector "
    "{selector} fail.",
    fix=(
        "Copy the public key again from your signer without line breaks or quotes inside it; "
        "an RSA key is the base64 of its DER SubjectPublicKeyInfo, an Ed25519 key the base64 "
        "of its 32 raw bytes."
    ),
    references=(_RFC6376_KEY, RFC8463.at("4.2")),
)
define(
    "dkim.sha1-only",
    Severity.HIGH,
    title="DKIM key allows only SHA-1",
    detail="The key at {name} has h={hashes}, so it may only be used with rsa-sha1.",
    consequence=(
        "RFC 8301 forbids verifiers to accept rsa-sha1 signatures; Gmail and others treat them "
        "as failed, so mail signed with selector {selector} is effectively unsigned."
    ),
    fix="Sign with rsa-sha256 and drop the h= tag (or set h=sha256).",
    references=(_RFC8301,),
)
define(
    "dkim.no-known-hash",
    Severity.HIGH,
    title="DKIM key names no usable hash algorithm",
    detail="The key at {name} has h={hashes}, which lists no algorithm verifiers implement.",
    consequence="No signature made with selector {selector} can verify.",
    fix="Drop the h= tag, or set h=sha256.",
    references=(_RFC6376_KEY, _RFC8301),
)
define(
    "dkim.not-for-email",
    Severity.HIGH,
    title="DKIM key is restricted to other services",
    detail="The key at {name} has s={services}, which includes neither email nor *.",
    consequence="Verifiers must not use the key for email, so signatures with selector "
    "{selector} fail.",
    fix="Drop the s= tag or set s=email.",
    references=(_RFC6376_KEY,),
)
define(
    "dkim.key-too-short",
    Severity.CRITICAL,
    title="DKIM key is too short",
    detail="The RSA key at {name} is {bits} bits; the minimum is 1024 and 2048 is recommended.",
    consequence=(
        "RFC 8301 forbids signing with keys under 1024 bits; Gmail and other large receivers "
        "treat such signatures as absent, so DMARC cannot pass through DKIM and mail is "
        "more likely to be rejected or sent to spam."
    ),
    fix=(
        "Generate a 2048-bit RSA key, publish it under a new selector, switch signing to it, "
        "then revoke the old one (publish p= empty at {name})."
    ),
    references=(_RFC8301, Reference(GMAIL_SENDER_GUIDELINES, cited_as="Gmail sender guidelines")),
)
define(
    "dkim.key-weak",
    Severity.LOW,
    title="DKIM key is only 1024 bits",
    detail="The RSA key at {name} is {bits} bits. RFC 8301 still allows it but recommends 2048.",
    consequence=(
        "Receivers accept it today, but 1024-bit RSA is within reach of well-funded attackers "
        "and providers recommend 2048 bits."
    ),
    fix="Rotate to a 2048-bit RSA key under a new selector (most DNS hosts accept the longer "
    "TXT record as several strings).",
    references=(_RFC8301,),
)
define(
    "dkim.key-revoked",
    Severity.INFO,
    title="DKIM key is revoked",
    detail="The record at {name} has an empty p=, which revokes selector {selector}.",
    consequence="Any mail still signed with selector {selector} fails DKIM verification.",
    fix="Nothing to do if the selector is retired; otherwise publish its public key again.",
    references=(_RFC6376_KEY,),
)
define(
    "dkim.testing",
    Severity.LOW,
    title="DKIM key is in testing mode",
    detail="The key at {name} has t=y (the domain is testing DKIM).",
    consequence=(
        "RFC 6376 tells verifiers to treat mail signed in testing mode like unsigned mail, so "
        "some receivers give your signatures no weight."
    ),
    fix="Remove y from the t= tag once signing works.",
    references=(_RFC6376_KEY,),
)
define(
    "dkim.ed25519-only",
    Severity.MEDIUM,
    title="Only Ed25519 DKIM keys found",
    detail="Every usable DKIM key found ({selectors}) is Ed25519; no RSA key was found.",
    consequence=(
        "Many receivers still verify only RSA signatures, so mail signed with Ed25519 alone "
        "counts as unsigned there."
    ),
    fix="Sign every message with an RSA 2048-bit key as well as the Ed25519 key "
    "(RFC 8463 expects signers to add both signatures during the transition).",
    references=(RFC8463.at("6"),),
)
define(
    "dkim.key-too-long",
    Severity.HIGH,
    title="DKIM key is larger than verifiers must accept",
    detail=(
        "The RSA key at {name} has a {bits}-bit modulus and a {exponent_bits}-bit public "
        "exponent. RFC 8301 requires verifiers to handle keys of 1024 to {limit} bits only, "
        "and verifiers refuse exponents over {exponent_limit} bits (keys use 65537, 17 bits)."
    ),
    consequence=(
        "Verifiers may refuse such a key (mailauth does; verifiers built on OpenSSL refuse RSA "
        "keys over 16,384 bits), and each refusal makes signatures with selector {selector} "
        "count as absent, so DMARC can pass only through SPF."
    ),
    fix=(
        "Generate a 2048-bit RSA key (exponent 65537), publish it under a new selector, switch "
        "signing to it, then revoke this one (publish p= empty at {name})."
    ),
    references=(RFC8301.at("3.2"),),
)
