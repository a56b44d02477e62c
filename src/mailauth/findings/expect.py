"""Findings of the user's own expectations (`[expect]` in mailauth.toml, issue 13): a domain
that does not meet what its owner wrote down. Each key of `[expect]` has the id
`expect.<key>`; they are not scored (the grade measures deliverability, not a house rule)
but fail the run like a failed threshold (exit status 1), and `--ignore` removes them."""

from __future__ import annotations

from mailauth.findings.catalogue import Protocol, Scope, Section
from mailauth.model import Severity

define = Section("expect", Scope.POLICY, Protocol.MAILAUTH).define

define(
    "expect.dmarc.policy",
    Severity.HIGH,
    title="DMARC policy is weaker than expected",
    detail=(
        "The configuration expects the DMARC policy of {domain} to be {expected} or "
        "stricter; it is {actual}."
    ),
    consequence=(
        "Receivers act on the published policy, not the intended one: forged mail with "
        "{domain} in From is treated more leniently than you decided."
    ),
    fix=(
        "Publish p={expected} at _dmarc.{domain}, or change dmarc.policy under [expect] if "
        "the expectation is out of date."
    ),
)
define(
    "expect.spf.max_lookups",
    Severity.HIGH,
    title="SPF needs more DNS lookups than expected",
    detail=(
        "The configuration allows at most {limit} DNS lookups for the SPF record of "
        "{domain}; it needs {count}."
    ),
    consequence=(
        "Each include you add brings SPF closer to the limit of 10 lookups, past which every "
        "receiver gets permerror; the margin you set is gone."
    ),
    fix=(
        "Remove includes that are no longer used or replace them with ip4/ip6 terms, or "
        "raise spf.max_lookups under [expect]."
    ),
)
define(
    "expect.dkim.selectors_required",
    Severity.HIGH,
    title="A required DKIM selector has no usable key",
    detail=(
        "The configuration requires DKIM keys at the selectors {required} of {domain}; "
        "no usable key was found at {missing}."
    ),
    consequence=(
        "Mail signed with a selector whose key cannot be found fails DKIM, so DMARC can pass "
        "only through SPF alignment."
    ),
    fix=(
        "Publish the public key of each listed selector at <selector>._domainkey.{domain}, "
        "or remove the selector from dkim.selectors_required under [expect]."
    ),
)
