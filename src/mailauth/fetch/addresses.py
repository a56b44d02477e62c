"""Which addresses a fetch of a URL found in DNS may connect to, and how a host is resolved.

Every such URL is written by someone else: a BIMI `l=` or an MTA-STS host pointed at
127.0.0.1, 10.0.0.5 or 169.254.169.254 would turn `mailauth check` into a probe of the
network it runs in (SSRF). So the host is resolved through the run's `DnsSource` (the same
answers `--zone` and `--nameserver` give the checks), and only global unicast addresses
pass unless the user allows private ones (`--allow-private-fetch`, for tests and intranets).
The caller then connects to exactly the vetted address: no second resolution, so a name
that answers differently the second time (DNS rebinding) gains nothing.
"""

from __future__ import annotations

import asyncio
import ipaddress

from mailauth.dns.interface import DnsSource, Rcode
from mailauth.frozen import frozen

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(address: IPAddress) -> bool:
    """A global unicast address: not private, loopback, link-local, multicast, reserved,
    unspecified or shared (100.64/10). An IPv4-mapped IPv6 address is judged as the IPv4
    address it carries (::ffff:127.0.0.1 is loopback)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
    if address.is_multicast or address.is_reserved or address.is_link_local:
        return False
    if address.is_loopback or address.is_private or address.is_unspecified:
        return False
    return address.is_global


@frozen
class Resolved:
    """The addresses of a host (A first, then AAAA), or why there are none: `rcode` is the
    DNS outcome when no address was found (NXDOMAIN, SERVFAIL..., or NOERROR for NODATA)."""

    addresses: tuple[IPAddress, ...] = ()
    rcode: Rcode = Rcode.NOERROR


async def resolve(dns: DnsSource, host: str) -> Resolved:
    """A and AAAA of `host` through the run's DnsSource. Never raises."""
    a, aaaa = await asyncio.gather(dns.query(host, "A"), dns.query(host, "AAAA"))
    found: list[IPAddress] = []
    for rr in (*a.rrs, *aaaa.rrs):
        try:
            found.append(ipaddress.ip_address(rr.strip()))
        except ValueError:
            continue
    if found:
        return Resolved(tuple(dict.fromkeys(found)))
    # No address: say why. An error on either query outranks a negative answer on the other.
    for answer in (a, aaaa):
        if answer.is_error:
            return Resolved(rcode=answer.rcode)
    return Resolved(rcode=a.rcode)


def first_refused(addresses: tuple[IPAddress, ...]) -> IPAddress | None:
    """The first address a fetch must not connect to. One bad address refuses the host: a
    name answering both a public and a private address would otherwise be a coin toss."""
    for address in addresses:
        if not is_public(address):
            return address
    return None
