"""`dns/codes.py` spells types and rcodes without dnspython; here dnspython checks every
entry (a wrong number would ask the wrong question on the live path)."""

from __future__ import annotations

import dns.rcode
import dns.rdatatype
import pytest

from mailauth.dns.answer import rdtype_text
from mailauth.dns.codes import RCODE_TEXT, TYPES, rcode_text


@pytest.mark.parametrize("mnemonic", sorted(TYPES))
def test_type_numbers_are_dnspython_s(mnemonic: str) -> None:
    assert int(dns.rdatatype.from_text(mnemonic)) == TYPES[mnemonic]
    assert dns.rdatatype.to_text(TYPES[mnemonic]) == mnemonic


def test_rcode_words_are_dnspython_s() -> None:
    for rcode in range(4096):  # every rcode EDNS can carry (RFC 6891 §6.1.3)
        assert rcode_text(rcode) == dns.rcode.to_text(dns.rcode.Rcode(rcode)), rcode


def test_the_table_has_the_named_rcodes() -> None:
    assert RCODE_TEXT[3] == "NXDOMAIN" and RCODE_TEXT[16] == "BADVERS"


@pytest.mark.parametrize("text", ["txt", " MX ", "TYPE16", "caa", "nsec3param", "bogus", ""])
def test_rdtype_text_matches_dnspython_with_or_without_the_table(text: str) -> None:
    try:
        expected: str | None = dns.rdatatype.to_text(dns.rdatatype.from_text(text.strip().upper()))
    except Exception:
        expected = None
    assert rdtype_text(text) == expected
