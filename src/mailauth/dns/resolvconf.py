"""The system's nameservers, read from /etc/resolv.conf without importing dnspython.

A live run without `--nameserver` (how users run mailauth) needs only the `nameserver` lines
of resolv.conf(5), but `dns.resolver` costs ~100 ms of imports (issue 10: more than the rest
of a one-domain check). So the file is read here the way dnspython's
`Resolver.read_resolv_conf` reads it — lines starting with `#` or `;` skipped, a line split on
whitespace, the second word of each `nameserver` line taken, in order, duplicates kept — and
the addresses are spelled as `parse_nameserver` spells them (IPv6 compressed, a scope
`%eth0` kept). `search`, `domain` and `options` are not read: the checks ask absolute
names, and the timeout and retries come from the command line.

dnspython's reader is still used where ours could differ from it: on a platform that is not
POSIX (Windows keeps its resolvers in the registry), and when the file has no nameserver,
cannot be read or decoded, or names a nameserver that is not an IP address (dnspython
refuses such a file, or takes a DoH URL); so users see the same nameservers and the same
"no nameserver configured" as before.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

RESOLV_CONF = "/etc/resolv.conf"

Nameserver = tuple[str, int]


def system_nameservers(path: str | Path | None = None) -> list[Nameserver]:
    """Nameservers from resolv.conf (no network). Empty if none. `path`: another file than
    `RESOLV_CONF` (tests; the module attribute is read at each call, so a test's fresh
    interpreter can point a whole CLI run at its own file)."""
    path = RESOLV_CONF if path is None else path
    if os.name == "posix":
        ours = read_resolv_conf(path)
        if ours:
            return ours
    return _dnspython_nameservers(path)


def read_resolv_conf(path: str | Path) -> list[Nameserver] | None:
    """The `nameserver` lines of the resolv.conf at `path`, or None when this reader cannot
    stand in for dnspython's (see the module docstring)."""
    try:  # lines as dnspython reads them: a text file's lines (\n, \r\n or \r)
        with open(path, encoding="utf-8") as f:
            lines = list(f)
    except (OSError, UnicodeError):
        return None
    out: list[Nameserver] = []
    for line in lines:
        if not line or line[0] in "#;":
            continue
        tokens = line.split()
        if len(tokens) < 2 or tokens[0] != "nameserver":
            continue
        try:
            out.append((str(ipaddress.ip_address(tokens[1])), 53))
        except ValueError:
            return None
    return out or None


def _dnspython_nameservers(path: str | Path) -> list[Nameserver]:
    """dnspython's reading (the registry on Windows), as every run did before."""
    import dns.exception
    import dns.resolver

    try:
        resolver = dns.resolver.Resolver(configure=False)
        if os.name == "posix":
            resolver.read_resolv_conf(str(path))
        else:  # pragma: no cover - Windows
            resolver = dns.resolver.Resolver(configure=True)
    except (dns.exception.DNSException, OSError):
        return []
    out: list[Nameserver] = []
    for ns in resolver.nameservers:
        if isinstance(ns, str):
            try:
                out.append((str(ipaddress.ip_address(ns)), resolver.port))
            except ValueError:
                continue
    return out


def parse_nameserver(text: str) -> Nameserver:
    """`HOST[:PORT]` -> (address, port). HOST must be an IP address (resolving a nameserver's
    name would need DNS); IPv6 with a port is written `[::1]:5353`. Raises ValueError."""
    s = text.strip()
    host, port_text = s, ""
    if s.startswith("["):
        host, sep, rest = s[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise ValueError(f"invalid nameserver {text!r}: expected [IPv6]:PORT")
        port_text = rest[1:] if rest else ""
        if rest and not port_text:
            raise ValueError(f"invalid nameserver {text!r}: empty port")
    elif s.count(":") == 1:
        host, _, port_text = s.partition(":")
    try:
        address = str(ipaddress.ip_address(host))
    except ValueError:
        raise ValueError(f"invalid nameserver {text!r}: HOST must be an IP address") from None
    port = 53
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ValueError(f"invalid nameserver {text!r}: port must be 1-65535")
        port = int(port_text)
    return address, port
