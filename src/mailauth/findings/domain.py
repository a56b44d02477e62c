"""Catalogue entries about the domain name itself (`mailauth.domain.existence`): the stage
that runs beside the checks, not a check of the registry."""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import GMAIL_SENDER_GUIDELINES, RFC8020, RFC9989, Reference
from mailauth.model import Severity

define = Section("domain", Scope.DOMAIN, Protocol.DNS).define

define(
    "domain.nxdomain",
    Severity.CRITICAL,
    title="The domain does not exist",
    detail=(
        "{domain} does not exist in DNS: its TXT, MX and address lookups all returned "
        "NXDOMAIN (no such name), so it has no records of any kind and no names below it."
    ),
    consequence=(
        "Receivers reject mail from a sender domain that does not resolve (many check this "
        "before anything else, for example Postfix reject_unknown_sender_domain), DMARC "
        "treats it as a non-existent domain, and bounces and replies to it cannot be "
        "delivered. No record can be published under a name that does not exist."
    ),
    fix=(
        "Check the spelling of the domain: a name that does not exist is usually a typo. If "
        "the domain is yours and new, register it or create its zone at your DNS provider "
        "first, then run the check again."
    ),
    references=(
        RFC8020.at("2"),
        RFC9989.at("3.2", note="Non-existent Domains"),
        Reference(GMAIL_SENDER_GUIDELINES, note="valid forward DNS for sending domains"),
    ),
)
