"""`dmarc.too-many-report-uris` (issue 8, item 7b): RFC 7489 §6.2 let receivers stop after two
report addresses and many still do; RFC 9989 §4.6 only asks (SHOULD) for every one."""

from __future__ import annotations

import asyncio

import pytest

from mailauth.dns.memory import MemorySource
from mailauth.domain.context import CheckContext
from mailauth.domain.dmarc import check_dmarc
from mailauth.model import Finding, Severity


def findings(record: str) -> list[Finding]:
    dns = MemorySource(
        {"example.com": {"A": ["192.0.2.1"]}, "_dmarc.example.com": {"TXT": [record]}}
    )
    report = asyncio.run(check_dmarc(CheckContext(dns), "example.com"))
    return [f for f in report.findings if f.id == "dmarc.too-many-report-uris"]


A, B, C = (f"mailto:{x}@example.com" for x in "abc")


def test_three_rua_addresses() -> None:
    (f,) = findings(f"v=DMARC1; p=reject; rua={A},{B},{C}")
    assert f.params == {"name": "_dmarc.example.com", "tag": "rua", "count": 3, "extra": C}
    assert f.severity is Severity.LOW
    assert "RFC 9989" in f.text().consequence and C in f.text().detail


def test_ruf_is_judged_the_same_way() -> None:
    (f,) = findings(f"v=DMARC1; p=reject; rua={A}; ruf={A},{B},{C}")
    assert f.params["tag"] == "ruf"


@pytest.mark.parametrize(
    "record",
    [
        f"v=DMARC1; p=reject; rua={A},{B}",
        f"v=DMARC1; p=reject; rua={A}",
        # Addresses no receiver can use are reported on their own and not counted here.
        f"v=DMARC1; p=reject; rua={A},https://r.example.com/x,b@example.com",
    ],
)
def test_two_usable_addresses_are_fine(record: str) -> None:
    assert findings(record) == []
