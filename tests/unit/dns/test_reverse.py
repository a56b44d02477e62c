"""Reverse DNS and forward confirmation (`mailauth.dns.reverse`), shared by `check` (MX hosts)
and `verify` (the sending server): a failed or offline-unresolvable lookup is UNKNOWN,
never "no PTR" or "not confirmed"."""

from __future__ import annotations

import asyncio

import pytest

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.dns.reverse import (
    MAX_PTR_NAMES,
    ReverseDns,
    ReverseStatus,
    check_reverse,
    ptr_name,
)

REV = "1.2.0.192.in-addr.arpa"


def run(dns: MemorySource, address: str = "192.0.2.1") -> ReverseDns:
    return asyncio.run(check_reverse(dns, address))


def test_ptr_names() -> None:
    assert ptr_name("192.0.2.1") == REV
    assert ptr_name("2001:db8::25") == (
        "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"
    )
    # RFC 4291 §2.5.5.2: an IPv4-mapped address is the IPv4 node
    assert ptr_name("::ffff:192.0.2.1") == REV
    with pytest.raises(ValueError):
        ptr_name("mail.example.jp")


def test_confirmed_by_any_of_several_names() -> None:
    dns = MemorySource(
        {
            REV: {"PTR": ["other.example.net", "mx1.example.com", "mx1.example.com."]},
            "other.example.net": {"A": ["198.51.100.7"]},
            "mx1.example.com": {"A": ["192.0.2.1"]},
        }
    )
    result = run(dns)
    assert result.status is ReverseStatus.CONFIRMED
    assert result.names == ("other.example.net", "mx1.example.com")  # deduplicated
    assert result.confirmed_name == "mx1.example.com"


def test_ipv6_and_mapped_addresses() -> None:
    v6 = ptr_name("2001:db8::25")
    dns = MemorySource(
        {
            v6: {"PTR": ["mx6.example.com"]},
            "mx6.example.com": {"AAAA": ["2001:db8:0:0::25"]},
            REV: {"PTR": ["mx1.example.com"]},
            "mx1.example.com": {"A": ["192.0.2.1"]},
        }
    )
    assert run(dns, "2001:db8::25").status is ReverseStatus.CONFIRMED
    mapped = run(dns, "::ffff:192.0.2.1")
    assert (mapped.status, mapped.address) == (ReverseStatus.CONFIRMED, "192.0.2.1")


@pytest.mark.parametrize("records", [{}, {REV: {}}], ids=["nxdomain", "nodata"])
def test_no_ptr(records: dict[str, dict[str, list[str]]]) -> None:
    assert run(MemorySource(records)).status is ReverseStatus.NO_PTR


def test_not_confirmed_only_when_every_forward_lookup_answered() -> None:
    dns = MemorySource(
        {REV: {"PTR": ["host.isp.example", "gone.isp.example"]}, "host.isp.example": {"A": []}}
    )
    result = run(dns)
    assert result.status is ReverseStatus.NOT_CONFIRMED and result.failure is None


@pytest.mark.parametrize(
    "rcode", [Rcode.SERVFAIL, Rcode.TIMEOUT, Rcode.REFUSED, Rcode.ERROR, Rcode.UNRESOLVABLE]
)
def test_failed_ptr_lookup_is_unknown(rcode: Rcode) -> None:
    result = run(MemorySource(failures={(REV, "PTR"): rcode}))
    assert result.status is ReverseStatus.UNKNOWN and result.names == ()
    assert result.failure is not None
    assert (result.failure.name, result.failure.rdtype, result.failure.rcode) == (
        REV,
        "PTR",
        rcode,
    )


@pytest.mark.parametrize("rcode", [Rcode.REFUSED, Rcode.UNRESOLVABLE])
def test_a_failed_forward_lookup_is_unknown_even_when_another_name_does_not_match(
    rcode: Rcode,
) -> None:
    """The failed name might have confirmed: REFUSED (live) and UNRESOLVABLE (offline) alike."""
    dns = MemorySource(
        {
            REV: {"PTR": ["a.isp.example", "b.isp.example"]},
            "b.isp.example": {"A": ["198.51.100.9"]},
        },
        failures={("a.isp.example", "A"): rcode},
    )
    result = run(dns)
    assert result.status is ReverseStatus.UNKNOWN
    assert result.names == ("a.isp.example", "b.isp.example")
    assert result.failure is not None and result.failure.rcode is rcode


def test_forward_lookups_are_bounded() -> None:
    names = [f"h{i}.example.net" for i in range(MAX_PTR_NAMES + 5)]
    dns = MemorySource({REV: {"PTR": names}})
    result = run(dns)
    assert len(result.names) == MAX_PTR_NAMES
    assert len([q for q in dns.log if q[1] == "A"]) == MAX_PTR_NAMES
