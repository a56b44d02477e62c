"""Catalogue entries for the DANE check (`mailauth.domain.dane`, RFC 7672)."""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import RFC6698, RFC7671, RFC7672
from mailauth.model import Severity

define = Section("dane", Scope.DOMAIN, Protocol.DANE).define


_UPGRADE = (
    "Mail is delivered as usual: DANE is optional and no score is lost. With DANE, senders "
    "that support it (Postfix and Exim with DANE on, Microsoft 365, many European providers) "
    "refuse to deliver over a forged or stripped TLS connection to your MX."
)

define(
    "dane.lookup-failed",
    Severity.LOW,
    title="TLSA records could not be looked up",
    detail="The TLSA lookup for {name} failed: {reason}",
    consequence="Nothing is known about DANE for this MX host from this run.",
    fix=(
        "Check that the MX host's name servers answer, then run the check again (offline, "
        "with --zone: load the zone file that holds {name})."
    ),
    references=(RFC7672.at("2.2"),),
    scored=False,
)
define(
    "dane.missing",
    Severity.INFO,
    title="No DANE (TLSA) for your MX hosts",
    detail="No MX host of {domain} publishes TLSA records ({hosts}).",
    consequence=_UPGRADE,
    fix=(
        "Optional upgrade: sign the zone with DNSSEC, then publish at _25._tcp.<mx host> a "
        "'3 1 1 <SHA-256 of the server key>' record and a second one for the next key or "
        "your CA ('2 1 1 <SHA-256 of the CA key>'), and keep them updated on key changes."
    ),
    references=(RFC7672.at("3.1"),),
)
define(
    "dane.missing-hosted",
    Severity.INFO,
    title="Your mail provider's MX hosts publish no DANE",
    detail="The MX hosts of {domain} belong to another domain ({hosts}) and publish no TLSA.",
    consequence=(
        "Nothing for you to fix, and no score is lost: only the operator of those hosts can "
        "publish TLSA for them. " + _UPGRADE
    ),
    fix=(
        "Optional upgrade: ask your mail provider whether it supports inbound DANE (some "
        "offer it per domain, e.g. Microsoft 365's inbound SMTP DANE with DNSSEC)."
    ),
    references=(RFC7672.at("3.1"),),
)
define(
    "dane.tlsa-insecure",
    Severity.MEDIUM,
    title="TLSA records are not protected by DNSSEC",
    detail="{name} has TLSA records, but they are not DNSSEC-secure: {reason}.",
    consequence=(
        "DANE senders use TLSA records only when they validate (RFC 7672 §2.2): these are "
        "ignored, so the MX gets no DANE protection."
    ),
    fix=(
        "Sign the MX host's zone and publish its DS at the parent, so the TLSA records "
        "validate; or remove them."
    ),
    references=(RFC7672.at("2.2"),),
)
define(
    "dane.tlsa-bogus",
    Severity.HIGH,
    title="TLSA records fail DNSSEC validation",
    detail="The TLSA records at {name} do not validate: {reason}.",
    consequence=(
        "DANE senders treat bogus TLSA as an attack and defer mail to this MX host "
        "(RFC 7672 §2.2): mail from them queues and eventually bounces."
    ),
    fix="Re-sign the MX host's zone, or correct the DS at the parent to match its keys.",
    references=(RFC7672.at("2.2"),),
)
define(
    "dane.pkix-usage",
    Severity.LOW,
    title="TLSA record with a PKIX usage",
    detail="{name} publishes {record} ({mnemonic}): usage {usage} is not for SMTP.",
    consequence=(
        "SMTP senders do not use PKIX-TA (0) or PKIX-EE (1) records (RFC 7672 §3.1.3): the "
        "record gives no protection, and if no other record is usable, none at all."
    ),
    fix=(
        "Publish the same digest as DANE-EE ('3 {selector} {matching} ...') for the server "
        "key, or DANE-TA ('2 ...') for your CA, and remove the usage {usage} record."
    ),
    references=(RFC7672.at("3.1.3"),),
)
define(
    "dane.tlsa-syntax",
    Severity.MEDIUM,
    title="TLSA record with unassigned values",
    detail="{name} publishes {record}: {problem}.",
    consequence=(
        "Senders cannot use this record (RFC 6698 §7.2-7.4); if no other record is usable, "
        "DANE does not protect the MX."
    ),
    fix=(
        "Use certificate usage 3 (DANE-EE) or 2 (DANE-TA), selector 1 (public key) or 0 "
        "(certificate), and matching type 1 (SHA-256) or 2 (SHA-512)."
    ),
    references=(RFC6698.at("7"), RFC7672.at("3.1")),
)
define(
    "dane.single-record",
    Severity.INFO,
    title="One TLSA record: key changes are not rollover-safe",
    detail="{name} publishes one usable TLSA record ({record}).",
    consequence=(
        "When the server key or certificate changes, DANE senders defer mail until the "
        "record is updated and the old one has expired from caches."
    ),
    fix=(
        "Publish two records: the current key's and the next key's ('3 1 1' each), or a "
        "'3 1 1' for the key plus a '2 1 1' for the issuing CA (RFC 7671 §8.1)."
    ),
    references=(RFC7671.at("8.1"), RFC7672.at("3.1")),
)
