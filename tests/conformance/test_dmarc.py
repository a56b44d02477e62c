"""DMARC evaluation cases (postalsys/mailauth's tests, RFC 7489 era + RFC 9989) through
`verify`'s DMARC evaluation (message/dmarc.py over the RFC 9989 tree walk) and our record parser.

Each case gives mailauth's `verifyDmarc()` inputs: the From address(es), the d= domains of
DKIM signatures that passed, the domain SPF passed for, and DNS data. We build exactly that
for `evaluate_dmarc`: a message with those From addresses, passing `DkimSignature`s, a passing
`SpfOutcome`; DNS from a MemorySource (`{error: TIMEOUT}` = a timed-out query, unlisted = NXDOMAIN).

Only the `portable: true` assertions are checked (RFC-level); the rest test mailauth's field
names. Their meaning, read from mailauth's `lib/dmarc/verify.js`:
- `status.result` = the DMARC result word; `status.header.from` = the From domain;
  `status.header.d` = the domain the applied record was published at;
- `domain` = the Organizational Domain of the From domain;
- `policy` = the policy a receiver applies: p/sp/np for this domain, one level weaker under t=y;
- `p`, `sp` = the record's p and sp after RFC 9989 defaults (sp defaults to p);
- `(result) not.property X` = the result carries no X;
- `dmarc_txt_query_sequence` = the `_dmarc` TXT queries, in order.
Translations (also in KNOWN.md): `pct` is historic in RFC 9989 (the data file says to follow
the RFC the project implements), so "pct equals N" is checked as "the parser recognised pct=N
as historic, and the result carries no pct". A bare-domain `headerFrom` (mailauth's API
accepts one) becomes a From address at that domain. Several From addresses, which mailauth
answers with `false`, must give no DMARC pass and no From domain (RFC 9989 §4.4).
"""

from __future__ import annotations

import asyncio
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.support.dmarc_cases import case_dns

from mailauth.dns.memory import MemorySource
from mailauth.records.dmarc import parse_dmarc, policy_set

from .known import known_failure

SUITE = "dmarc"
_FILE = Path(__file__).resolve().parents[1] / "data/conformance/dmarc/mailauth-dmarc-cases.yaml"
CASES: list[dict[str, Any]] = list(yaml.safe_load_all(_FILE.read_text("utf-8")))[-1]["cases"]

# Cases whose every assertion is about a mailauth-only output field: nothing RFC-level to run.
NOT_APPLICABLE = {
    "should-include-arc-result-in-comment-when-provided": "asserts mailauth's free-text "
    "status.comment ('arc=pass'); RFC 8601 defines no such comment",
    "should-track-undersized-dkim-signatures": "asserts mailauth's alignment.dkim.underSized "
    "(an l= body-length flag); mailauth reports l= per DKIM signature instead",
    "should-generate-formatted-info-string": "asserts mailauth's pre-rendered `info` header "
    "string; our Authentication-Results header is tested by the verify helper",
}
# Non-portable assertions we can still map onto our result (see the module docstring).
MAPPED_NON_PORTABLE = {
    "should-return-false-for-headerfrom-array-with-multiple-elements",
    "should-return-raw-record-in-rr-field",
    "preserves-the-case-of-tag-values-that-are-not-abnf-literals",
}


def _runnable(case: dict[str, Any]) -> bool:
    return case["id"] in MAPPED_NON_PORTABLE or any(e.get("portable") for e in case["expect"])


def test_every_case_is_run_or_explained() -> None:
    not_run = {c["id"] for c in CASES if not _runnable(c)}
    assert not_run == set(NOT_APPLICABLE)


def _domains(entries: list[Any]) -> list[str]:
    return [e if isinstance(e, str) else e["domain"] for e in entries or []]


async def evaluate(call: dict[str, Any]) -> tuple[Any, MemorySource]:
    """Run one `verifyDmarc()` call through message/dmarc.py's `evaluate_dmarc`."""
    from mailauth.message.dkim import DkimReason, DkimSignature
    from mailauth.message.dmarc import evaluate_dmarc
    from mailauth.message.parse import parse_message
    from mailauth.message.spf import SpfIdentity, SpfOutcome
    from mailauth.model import Result

    given = call["input"]
    senders = (
        given["headerFrom"] if isinstance(given["headerFrom"], list) else [given["headerFrom"]]
    )
    addresses = [s if "@" in s else f"postmaster@{s}" for s in senders]
    message = parse_message(
        (
            "From: " + ", ".join(f"<{a}>" for a in addresses) + "\r\nSubject: dmarc\r\n\r\nbody\r\n"
        ).encode()
    )
    spf_domains = _domains(given.get("spfDomains"))
    assert len(spf_domains) <= 1, "one SMTP transaction has one SPF identity"
    if spf_domains:
        identity = SpfIdentity("192.0.2.1", None, f"bounce@{spf_domains[0]}", "option")
        spf = SpfOutcome(Result.PASS, identity)
    else:
        spf = SpfOutcome(Result.NONE, SpfIdentity(None, None, "", "none"))
    dkim = [
        DkimSignature(i, d, "sel", "rsa-sha256", "relaxed/relaxed", Result.PASS, DkimReason.VALID)
        for i, d in enumerate(_domains(given.get("dkimDomains")))
    ]
    dns = case_dns(call["dns"])
    return await evaluate_dmarc(dns, message, spf, dkim), dns


def _applied_policy(outcome: Any) -> str | None:
    from mailauth.records.dmarc import Policy

    if outcome.policy is None:
        return None
    policy = Policy(outcome.policy)
    return (policy.weaker() if outcome.testing else policy).value


def _record_domain(outcome: Any) -> str | None:
    location = outcome.location
    return location.removeprefix("_dmarc.") if location else None


def check(expect: dict[str, Any], outcome: Any, queries: list[str]) -> None:
    """One assertion of the case, mapped as the module docstring says."""
    if "dmarc_txt_query_sequence" in expect:
        assert queries == expect["dmarc_txt_query_sequence"]
        return
    path, op, value = expect["path"], expect["op"], expect["value"]
    record = parse_dmarc(outcome.record) if outcome.record else None
    policies = policy_set(record) if record else None
    if path == "status.result":
        assert outcome.result.value == value
    elif path == "policy":
        assert _applied_policy(outcome) == value
    elif path == "domain":
        assert outcome.org_domain == value
    elif path == "status.header.from":
        assert outcome.from_domain == value
    elif path == "status.header.d":
        assert _record_domain(outcome) == value
    elif path in ("p", "sp"):
        assert policies is not None and getattr(policies, path).value == value
    elif path == "pct":  # translated: historic in RFC 9989
        assert record is not None and record.historic.get("pct") == str(value)
        assert "pct" not in {f.name for f in fields(outcome)}
    elif path == "(result)" and op == "not.property":
        if value == "policy":
            assert outcome.policy is None
        else:
            assert value not in {f.name for f in fields(outcome)}
    elif path == "(result)" and op == "equal" and value is False:  # several From addresses
        assert outcome.result.value != "pass" and outcome.from_domain is None
    elif path == "rr" and op == "equal":
        assert outcome.record == value
    elif path == "rr" and op == "include":
        assert value in (outcome.record or "")
    else:
        raise AssertionError(f"no mapping for {expect}")


def _assertions(case: dict[str, Any]) -> list[dict[str, Any]]:
    if case["id"] in MAPPED_NON_PORTABLE:
        return [
            e for e in case["expect"] if e.get("portable") or e.get("path") in ("rr", "(result)")
        ]
    return [e for e in case["expect"] if e.get("portable")]


def _params() -> list[Any]:
    return [
        pytest.param(case, id=f"dmarc-{case['id'][:70]}", marks=known_failure(SUITE, case["id"]))
        for case in CASES
        if _runnable(case)
    ]


@pytest.mark.parametrize("case", _params())
def test_dmarc_case(case: dict[str, Any]) -> None:
    results = [asyncio.run(evaluate(call)) for call in case["calls"]]
    for expect in _assertions(case):
        outcome, dns = results[expect.get("call", 0)]
        queries = [
            name for name, rdtype in dns.log if name.startswith("_dmarc.") and rdtype == "TXT"
        ]
        check(expect, outcome, queries)


def test_from_addresses_at_different_domains_are_each_evaluated() -> None:
    """Backs the KNOWN.md entry for the multiple-From case: same-domain From addresses are
    evaluated once; different domains are each evaluated and the strictest result applies
    (RFC 7489 §6.6.1), so a second From cannot hide a failure (issue 8.3). There is still
    no single Author Domain (`from_domain` None)."""
    call: dict[str, Any] = {
        "input": {"headerFrom": ["a@example.com", "b@example.net"], "dkimDomains": ["example.com"]},
        "dns": {"_dmarc.example.com": {"TXT": [["v=DMARC1; p=reject"]]}},
    }
    outcome, _ = asyncio.run(evaluate(call))
    assert outcome.from_domain is None and outcome.result.value != "pass"
    assert [(a.from_domain, a.result.value) for a in outcome.authors] == [
        ("example.com", "pass"),
        ("example.net", "none"),
    ]
    call["dns"]["_dmarc.example.net"] = {"TXT": [["v=DMARC1; p=reject"]]}
    outcome, _ = asyncio.run(evaluate(call))
    assert (outcome.result.value, outcome.disposition.value) == ("fail", "reject")
    assert outcome.decided_by == "example.net"
