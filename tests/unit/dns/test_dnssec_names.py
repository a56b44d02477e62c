"""The DNSSEC chain's names as strings (dns/dnssec_names.py) against dnspython's `Name`: the
same owner, the same refusals, the same ancestors, for plain names (split here) and odd ones
(handed to dnspython), so the validator's walk cannot differ from the one it replaced."""

from __future__ import annotations

import dns.exception
import dns.name
import pytest

from mailauth.dns.answer import name_text
from mailauth.dns.dnssec_names import ancestry, owner, plain_labels, strict_owner
from mailauth.dns.interface import normalize_name

NAMES = [
    "",
    ".",
    "example",
    "Example.JP.",
    "_25._tcp.mx1.example.jp",
    "secure.dnssec.test",
    "a" * 63 + ".example",
    "a" * 64 + ".example",  # label too long
    ".".join(["b" * 63] * 4),  # 255 octets on the wire: too long
    ".".join(["b" * 63] * 3 + ["b" * 61]),  # 253 characters: the longest legal name
    ".".join(["b" * 63] * 3 + ["b" * 62]),  # 254 characters: one octet too long
    "a..b.example",  # empty label
    ".a.example",
    "a\\.b.example",  # an escaped dot: one label
    "a\\065.example",
    "x y.example",  # a space is a plain octet to dnspython
    "bücher.example",  # U-labels: dnspython's IDNA
    "@",
    "*.example",
    "a$b.example",
    "a;b.example",
    "a(b).example",
]


def _dnspython_owner(name: str) -> str | None:
    try:
        return name_text(dns.name.from_text(normalize_name(name) or "."))
    except dns.exception.DNSException:
        return None


def _dnspython_ancestry(name: str) -> list[str]:
    n = dns.name.from_text(name or ".")
    out = [name_text(n)]
    while n != dns.name.root:
        n = n.parent()
        out.append(name_text(n))
    return out


@pytest.mark.parametrize("name", NAMES)
def test_owner_and_ancestry_are_dnspythons(name: str) -> None:
    expected = _dnspython_owner(name)
    assert owner(name) == expected
    if expected is None:
        with pytest.raises(dns.exception.DNSException):
            strict_owner(name)
        return
    assert strict_owner(name) == expected
    assert ancestry(expected) == _dnspython_ancestry(expected)


def test_plain_names_are_split_here_and_odd_ones_are_not() -> None:
    assert plain_labels("mx1.example.jp") == ["mx1", "example", "jp"]
    assert plain_labels("") == []
    for odd in ("a\\.b.example", "bücher.example", "a..b", "@", "a" * 64 + ".example"):
        assert plain_labels(odd) is None
