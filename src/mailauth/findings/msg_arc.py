"""Catalogue entries `msg_arc.*`: The ARC chain of one message (RFC 8617), and what a receiver may
do with it.

Each id is triggered by a sample in samples/messages/ (manifest.yaml) or, for DNS failures a
zone file cannot express offline, by a unit test with an injected failure.
"""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.findings.references import RFC8617, RFC9989
from mailauth.model import Severity

define = Section("msg_arc", Scope.MESSAGE, Protocol.ARC).define

define(
    "msg_arc.fail",
    Severity.MEDIUM,
    title="The ARC chain is broken",
    detail="ARC validation failed: {reason}.",
    consequence=(
        "Receivers ignore the chain, so intermediaries' earlier authentication results cannot "
        "rescue this message if DMARC fails."
    ),
    fix="The intermediary that sealed last must seal after its own changes, with a published key.",
    references=(RFC8617.at("5.2"),),
)

define(
    "msg_arc.may-override",
    Severity.INFO,
    title="DMARC fails now, but {sealer} sealed a valid ARC chain",
    detail=(
        "The ARC chain validates (ARC sets: {instances}); the last sealer {sealer} recorded: "
        "{results}."
    ),
    consequence=(
        "A receiver that trusts {sealer} (Gmail and Microsoft keep lists of trusted sealers) "
        "may deliver the message despite the DMARC failure; others apply the DMARC policy."
    ),
    fix="Nothing to fix in the message; list operators should keep ARC-sealing their mail.",
    references=(RFC8617.at("7.2"), RFC9989.at("7.2")),
)

define(
    "msg_arc.lookup-failed",
    Severity.MEDIUM,
    title="The ARC chain could not be validated: a key lookup failed",
    detail=(
        "The key of ARC set {instance} ({name}) could not be looked up ({rcode}), so its seal "
        "or signature could not be checked: the chain is not known to be valid or broken."
    ),
    consequence=(
        "A receiver that sees the same failure cannot use the chain: if DMARC fails, the "
        "intermediary's earlier authentication results cannot rescue the message."
    ),
    fix="Check that the name servers responsible for {name} answer TXT queries for it.",
    references=(RFC8617.at("5.2"),),
    scored=False,
)
