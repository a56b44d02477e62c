"""SPF problems are codes with values; their words come from the UI catalogue (`--lang`)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.i18n import has_label
from mailauth.message.spf import SpfIdentity, SpfOutcome, evaluate_spf
from mailauth.message.spftrace import SpfProblemCode
from mailauth.model import Result

SCHEMA = Path(__file__).parents[3] / "src/mailauth/schema/message-report.schema.json"


def _eval(dns: MemorySource, identity: SpfIdentity) -> SpfOutcome:
    return asyncio.run(evaluate_spf(dns, identity, 3))


@pytest.mark.parametrize("code", list(SpfProblemCode))
def test_every_problem_has_a_catalogue_entry(code: SpfProblemCode) -> None:
    assert has_label(f"verify.spf-problem.{code.value}")


def test_schema_lists_every_problem_code() -> None:
    text = SCHEMA.read_text()
    for code in SpfProblemCode:
        assert json.dumps(code.value) in text


def test_failed_lookup_carries_name_rdtype_rcode() -> None:
    dns = MemorySource({}, failures={("down.example", "TXT"): Rcode.SERVFAIL})
    o = _eval(dns, SpfIdentity("192.0.2.1", "h.example", "a@down.example"))
    assert o.result is Result.TEMPERROR
    assert o.problem_detail is not None
    assert o.problem_code is SpfProblemCode.LOOKUP_FAILED
    assert o.problem_detail.params == {"name": "down.example", "rdtype": "TXT", "rcode": "SERVFAIL"}
    assert o.problem == "DNS SERVFAIL for down.example TXT"


def test_void_limit_and_pyspf_words() -> None:
    dns = MemorySource(
        {
            "void.example": {"TXT": ["v=spf1 a:nx.example a:nx.example a:nx.example -all"]},
            "bad.example": {"TXT": ["v=spf1 ip4:300.1.1.1 -all"]},
        }
    )
    o = _eval(dns, SpfIdentity("192.0.2.9", "h", "a@void.example"))
    assert o.problem_code is SpfProblemCode.VOID_LIMIT
    assert o.problem == "Void lookup limit of 2 exceeded"
    o = _eval(dns, SpfIdentity("192.0.2.9", "h", "a@bad.example"))
    # pyspf's own words ("Invalid IP4 address") arrive as a code with the term it names.
    assert o.result is Result.PERMERROR and o.problem_code is SpfProblemCode.BAD_ADDRESS
    assert o.problem == "ip4:300.1.1.1: missing or invalid IP address"
    assert o.problem_text("ja") == "ip4:300.1.1.1: IP アドレスがないか不正です"


def test_missing_identities() -> None:
    dns = MemorySource({})
    o = _eval(dns, SpfIdentity(None, "h", "a@x.example"))
    assert (o.problem_code, o.problem) == (SpfProblemCode.NO_IP, "no connecting IP address")
    o = _eval(dns, SpfIdentity("192.0.2.1", None, ""))
    assert (o.problem_code, o.problem) == (SpfProblemCode.NO_DOMAIN, "no MAIL FROM or HELO domain")
    assert _eval(dns, SpfIdentity("192.0.2.1", "h", "a@x.example")).problem_code is None
