"""The network guard itself: non-loopback traffic is refused and recorded."""

from __future__ import annotations

import socket

import dns.resolver
import pytest
from tests.support import netguard


@pytest.fixture
def expect_violation() -> object:
    mark = len(netguard.violations)
    yield
    assert len(netguard.violations) > mark, "the guard did not record the attempt"
    del netguard.violations[mark:]  # expected: do not fail this test at teardown


def test_udp_sendto_off_machine_is_refused(expect_violation: object) -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s,
        pytest.raises(netguard.NetworkGuardError),
    ):
        s.sendto(b"x", ("192.0.2.1", 53))


def test_tcp_connect_off_machine_is_refused(expect_violation: object) -> None:
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s, pytest.raises(OSError):
        s.connect(("2001:db8::1", 53))


def test_name_resolution_through_system_is_refused(expect_violation: object) -> None:
    with pytest.raises(OSError):
        socket.getaddrinfo("example.com", 443)


def test_dnspython_default_resolver_is_refused(expect_violation: object) -> None:
    with pytest.raises(OSError):
        dns.resolver.resolve("example.com", "TXT")


def test_loopback_is_allowed() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.sendto(b"x", ("127.0.0.1", 9))
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as s:
        s.sendto(b"x", ("::1", 9))
    assert socket.getaddrinfo("127.0.0.1", 53)
    assert socket.getaddrinfo("localhost", 53)
