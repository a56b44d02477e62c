"""Catalogue entries for the name server check (`mailauth.domain.ns`).

The check only records who serves the domain (for `mailauth stats --group-by ns-operator`);
the one thing it can find is that it could not look."""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import RFC1035
from mailauth.model import Severity

define = Section("ns", Scope.DOMAIN, Protocol.DNS).define

define(
    "ns.lookup-failed",
    Severity.LOW,
    title="Name servers could not be looked up",
    detail="The query for {name} NS failed with {rcode}.",
    consequence=(
        "Receivers that hit the same failure cannot look up any of the domain's records "
        "(SPF, DMARC, DKIM keys): mail is deferred or judged without them."
    ),
    fix=(
        "Check that the domain's delegation and its authoritative name servers answer, then "
        "run the check again (offline, with --zone: load the zone file of {name})."
    ),
    references=(RFC1035.at("3.3.11"),),
    scored=False,
)
