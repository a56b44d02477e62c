"""TracingQuery reads the connecting address and the networks of ip4/ip6/a/mx terms once per
process (issue 10) instead of in every check_host. What pyspf derives from them must not
change: every attribute `set_ip` sets, and `cidrmatch`'s answer or PermError, against pyspf's
own `spf.query` on the same inputs (v4, v6, IPv4-mapped v6, bad text, the list modes,
networks and prefixes that do and do not contain the address, bad networks and prefixes)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from mailauth.message.pyspf import spf
from mailauth.message.spfquery import TracingQuery

ADDRESSES = [
    "192.0.2.10",
    "192.0.2.255",
    "0.0.0.0",
    "2001:db8::1",
    "2001:DB8:0:0:0:0:0:1",
    "::ffff:192.0.2.10",
    "::1",
    "fe80::1",
]
BAD = ["192.0.2.300", "not an address", "2001:db8::g", ""]
ATTRIBUTES = ("iplist", "ipaddr", "c", "i", "A", "v", "cidrmax")
NETWORKS = [
    ["192.0.2.0"],
    ["192.0.2.0/24"],
    ["198.51.100.7", "192.0.2.10"],
    ["2001:db8::"],
    ["2001:db8::/32", "192.0.2.0/24"],
    ["192.0.2.0/33"],
    ["192.0.2.1/24"],
    ["bad", "192.0.2.10"],
    ["192.0.2.10", "bad"],
    [],
]
PREFIXES = [0, 8, 24, 31, 32, 64, 127, 128]


def theirs(ip: str) -> Any:
    return spf.query(ip, "a@example.com", "mx.example.com", strict=True)


def ours(ip: str) -> Any:
    return TracingQuery(ip, "a@example.com", "mx.example.com", resolver=None)  # type: ignore[arg-type]


def outcome(run: Any) -> Any:
    try:
        return ("ok", run())
    except spf.PermError as exc:
        return ("PermError", str(exc))


@pytest.mark.parametrize("ip", [*ADDRESSES, "list", "list6"])
def test_set_ip_sets_what_pyspf_sets(ip: str) -> None:
    for _ in range(2):  # the first reading and the remembered one
        mine, pyspf = ours(ip), theirs(ip)
        for name in ATTRIBUTES:
            assert getattr(mine, name, None) == getattr(pyspf, name, None), name
            assert type(getattr(mine, name, None)) is type(getattr(pyspf, name, None)), name


@pytest.mark.parametrize("ip", BAD)
def test_bad_address_is_pyspfs_permerror(ip: str) -> None:
    def seen(query: Any) -> tuple[Any, ...]:
        return tuple(getattr(query, name, None) for name in ATTRIBUTES)

    for _ in range(2):
        assert outcome(lambda: seen(ours(ip))) == outcome(lambda: seen(theirs(ip)))
    if ip:
        with pytest.raises(spf.PermError):
            ours(ip)


def test_cidrmatch_answers_as_pyspf() -> None:
    compared = 0
    for ip, networks, prefix in itertools.product(ADDRESSES, NETWORKS, PREFIXES):
        mine, pyspf = ours(ip), theirs(ip)
        for _ in range(2):
            got = outcome(lambda: mine._cidrmatch(networks, prefix))  # noqa: B023
            want = outcome(lambda: pyspf.cidrmatch(networks, prefix))  # noqa: B023
            assert got == want, (ip, networks, prefix)
            compared += 1
    assert compared == 2 * len(ADDRESSES) * len(NETWORKS) * len(PREFIXES)


def test_list_mode_collects_as_pyspf() -> None:
    mine, pyspf = ours("list"), theirs("list")
    assert mine._cidrmatch(["192.0.2.0/24"], 24) == pyspf.cidrmatch(["192.0.2.0/24"], 24)
    assert mine.iplist == pyspf.iplist
