"""Fail any test that tries to reach the network beyond loopback.

This machine's /etc/resolv.conf points off the machine, so a forgotten nameserver argument
would silently send real queries (and make results depend on the Internet). The guard wraps
the socket calls that send or resolve and raises `NetworkGuardError` (an OSError, so code
under test sees an ordinary unreachable network) AND records the attempt, so the test still
fails at teardown even if the code under test swallowed the error (as DNS sources must).
dnspython's default resolvers are replaced by one that refuses to work at all.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import traceback
from collections.abc import Callable
from typing import Any

import dns.asyncresolver
import dns.resolver

violations: list[str] = []
_installed = False
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


class NetworkGuardError(OSError):
    def __init__(self, what: str) -> None:
        super().__init__(errno.ENETUNREACH, f"network guard: {what} (tests may only use loopback)")


def _is_loopback_host(host: object) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    h = host.split("%", 1)[0].strip("[]").lower()
    if h in _LOCAL_NAMES or h == "":
        return True
    try:
        addr = ipaddress.ip_address(h)
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_loopback


def _violation(what: str) -> NetworkGuardError:
    stack = "".join(traceback.format_stack(limit=12)[:-2])
    violations.append(f"{what}\n{stack}")
    return NetworkGuardError(what)


def _check_address(sock: socket.socket, address: Any, what: str) -> None:
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return  # AF_UNIX and friends never leave the machine
    host = address[0] if isinstance(address, tuple) and address else address
    if not _is_loopback_host(host):
        raise _violation(f"{what} to {address!r}")


def _wrap_method(name: str, addr_index: Callable[[tuple[Any, ...]], Any]) -> None:
    original = getattr(socket.socket, name)

    def guarded(self: socket.socket, *args: Any) -> Any:
        address = addr_index(args)
        if address is not None:
            _check_address(self, address, f"socket.{name}")
        return original(self, *args)

    guarded.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(socket.socket, name, guarded)


def _wrap_resolver_fn(name: str, reverse: bool = False) -> None:
    """Forward lookups of an IP literal need no network; reverse lookups (gethostbyaddr,
    getnameinfo without NI_NUMERICHOST) of a non-loopback address do."""
    original = getattr(socket, name)
    own_hostname = socket.gethostname().lower()

    def guarded(*args: Any, **kwargs: Any) -> Any:
        host = args[0] if args else kwargs.get("host")
        if isinstance(host, tuple):  # getnameinfo((host, port), flags)
            host = host[0]
            if len(args) > 1 and args[1] & socket.NI_NUMERICHOST:
                return original(*args, **kwargs)
        h = host.decode() if isinstance(host, bytes) else host
        allowed = _is_loopback_host(h) or str(h).lower() == own_hostname
        if not allowed and not reverse and _is_ip_literal(h):
            allowed = True
        if not allowed:
            raise _violation(f"socket.{name}({h!r}): name resolution through the system")
        return original(*args, **kwargs)

    setattr(socket, name, guarded)


def _is_ip_literal(host: object) -> bool:
    try:
        ipaddress.ip_address(str(host).split("%", 1)[0])
        return True
    except ValueError:
        return False


class _GuardResolver(dns.resolver.Resolver):
    """dnspython's default resolver in tests: every use is a violation."""

    def __init__(self) -> None:
        super().__init__(configure=False)
        self.nameservers = ["127.0.0.1"]
        self.port = 1

    def resolve(self, qname: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        raise _violation(f"dns.resolver default resolver used for {qname!r}")


class _GuardAsyncResolver(dns.asyncresolver.Resolver):
    def __init__(self) -> None:
        super().__init__(configure=False)
        self.nameservers = ["127.0.0.1"]
        self.port = 1

    async def resolve(self, qname: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        raise _violation(f"dns.asyncresolver default resolver used for {qname!r}")


def install() -> None:
    """Idempotent; called from pytest_configure so it covers session fixtures too."""
    global _installed
    if _installed:
        return
    _installed = True
    _wrap_method("connect", lambda a: a[0] if a else None)
    _wrap_method("connect_ex", lambda a: a[0] if a else None)
    _wrap_method("sendto", lambda a: a[-1] if len(a) >= 2 else None)
    _wrap_method("sendmsg", lambda a: a[3] if len(a) >= 4 else None)
    for fn in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        _wrap_resolver_fn(fn)
    for fn in ("gethostbyaddr", "getnameinfo"):
        _wrap_resolver_fn(fn, reverse=True)
    dns.resolver.default_resolver = _GuardResolver()
    dns.asyncresolver.default_resolver = _GuardAsyncResolver()
