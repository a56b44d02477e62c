"""`dns/resolvconf.py` reads the system's nameservers without dnspython; it must find what
dnspython's `Resolver.read_resolv_conf` found (LiveSource used it before), and hand over to it
where the two could differ. Each case is a resolv.conf file of its own (a path argument)."""

from __future__ import annotations

from pathlib import Path

import dns.resolver
import pytest

from mailauth.dns import resolvconf
from mailauth.dns.resolvconf import read_resolv_conf, system_nameservers


def dnspython_reading(path: Path) -> list[tuple[str, int]]:
    """What LiveSource took from dnspython before (live.system_nameservers of main)."""
    import ipaddress

    resolver = dns.resolver.Resolver(configure=False)
    try:
        resolver.read_resolv_conf(str(path))
    except dns.resolver.NoResolverConfiguration:
        return []
    return [(str(ipaddress.ip_address(ns)), resolver.port) for ns in resolver.nameservers]


FILES = {
    "one": "nameserver 192.0.2.53\n",
    "several in order, duplicates kept": "nameserver 192.0.2.2\nnameserver 192.0.2.1\n"
    "nameserver 192.0.2.2\n",
    "ipv6 spelled compressed": "nameserver 2001:DB8:0:0::53\nnameserver ::FFFF:192.0.2.1\n",
    "scoped ipv6": "nameserver fe80::1%eth0\n",
    "comments and other lines": "# nameserver 192.0.2.9\n; nameserver 192.0.2.8\n"
    "search example.jp corp.example\ndomain example.jp\noptions rotate timeout:1 attempts:3\n"
    "nameserver\nnameserver 192.0.2.7 # trailing words\n\n   \n",
    "tabs and CRLF": "nameserver\t192.0.2.6\r\nnameserver   ::1\r\n",
    "a comment only at the first character": "  # nameserver 192.0.2.5\nnameserver 192.0.2.4\n",
    "systemd-resolved stub": "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n",
}


@pytest.mark.parametrize("text", FILES.values(), ids=FILES.keys())
def test_our_reading_is_dnspython_s(tmp_path: Path, text: str) -> None:
    path = tmp_path / "resolv.conf"
    path.write_bytes(text.encode())
    ours = read_resolv_conf(path)
    assert ours, "this reader must stand in for dnspython's here"
    assert ours == dnspython_reading(path)
    assert system_nameservers(path) == ours


def test_the_examples_above_are_read_without_dnspython(tmp_path: Path) -> None:
    path = tmp_path / "resolv.conf"
    path.write_text(FILES["several in order, duplicates kept"])
    assert system_nameservers(path) == [("192.0.2.2", 53), ("192.0.2.1", 53), ("192.0.2.2", 53)]


NO_NAMESERVER = {
    "empty": "",
    "only other lines": "search example.jp\noptions ndots:2\n",
    "commented out": "#nameserver 192.0.2.1\n",
}


@pytest.mark.parametrize("text", NO_NAMESERVER.values(), ids=NO_NAMESERVER.keys())
def test_no_nameserver_is_none_configured_as_before(tmp_path: Path, text: str) -> None:
    path = tmp_path / "resolv.conf"
    path.write_text(text)
    assert read_resolv_conf(path) is None  # dnspython's reader is asked: the same answer
    assert system_nameservers(path) == [] == dnspython_reading(path)


def test_a_missing_file_is_none_configured(tmp_path: Path) -> None:
    assert read_resolv_conf(tmp_path / "absent") is None
    assert system_nameservers(tmp_path / "absent") == []


def test_a_name_or_url_goes_to_dnspython_as_before(tmp_path: Path) -> None:
    """dnspython takes a DoH URL (LiveSource leaves it out: not an address) and refuses a
    host name; whatever it does, users see it as before."""
    path = tmp_path / "resolv.conf"
    path.write_text("nameserver https://dns.example/dns-query\nnameserver 192.0.2.1\n")
    assert read_resolv_conf(path) is None
    assert system_nameservers(path) == [("192.0.2.1", 53)]
    path.write_text("nameserver dns.example\n")
    with pytest.raises(ValueError, match=r"dns\.example"):
        system_nameservers(path)


def test_undecodable_bytes_go_to_dnspython(tmp_path: Path) -> None:
    path = tmp_path / "resolv.conf"
    path.write_bytes(b"# \xff\nnameserver 192.0.2.1\n")
    assert read_resolv_conf(path) is None
    with pytest.raises(UnicodeDecodeError):  # dnspython reads it as UTF-8 too
        system_nameservers(path)


def test_the_default_path_is_the_system_s() -> None:
    assert resolvconf.RESOLV_CONF == "/etc/resolv.conf"
