"""Reverse DNS of an address and its forward confirmation (FCrDNS, "iprev" in RFC 8601 §3).

Receivers (Gmail, Yahoo, spam filters) want the IP address a server sends from to have a PTR
record whose name resolves back to the same address. `mailauth verify` asks it of the
connecting IP, `mailauth check` of every MX address; both use this one implementation so they
cannot disagree about what "confirmed" means.

The outcome keeps "unknown" apart from "not confirmed": a lookup that failed (SERVFAIL,
TIMEOUT, REFUSED...) or that cannot be answered offline (UNRESOLVABLE) proves nothing about
the records, so it is never reported as a missing or non-matching PTR.
"""

from __future__ import annotations

import functools
import ipaddress
from enum import Enum

from mailauth.concurrency import gather_few
from mailauth.dns.interface import DnsAnswer, DnsSource, normalize_name
from mailauth.dns.orgdomain import DnsFailure
from mailauth.frozen import frozen
from mailauth.ip_text import IPAddress, read_ip

# At most this many PTR names are looked up forward, like RFC 7208 §4.6.4 bounds the SPF "ptr"
# mechanism: a reverse name with dozens of PTRs must not turn into dozens of queries.
MAX_PTR_NAMES = 10


class ReverseStatus(str, Enum):
    CONFIRMED = "confirmed"  # a PTR name has an A/AAAA record with this address
    NOT_CONFIRMED = "not-confirmed"  # every forward lookup answered; none names this address
    NO_PTR = "no-ptr"  # the reverse name exists without PTR, or does not exist (NXDOMAIN)
    UNKNOWN = "unknown"  # a lookup failed or is not resolvable offline: nothing is known


@frozen
class ReverseDns:
    """What the PTR and forward lookups of one address showed.

    `names` are the PTR names checked (deduplicated, at most MAX_PTR_NAMES); `failure` is the
    lookup that left the status UNKNOWN (the PTR query itself, or a forward query).
    """

    address: str
    status: ReverseStatus
    names: tuple[str, ...] = ()
    confirmed_name: str | None = None
    failure: DnsFailure | None = None


def parse_address(address: str | IPAddress) -> IPAddress:
    """The address whose reverse name is looked up; raises ValueError for a non-address.

    An IPv4-mapped IPv6 address (::ffff:192.0.2.1) is an IPv4 node (RFC 4291 §2.5.5.2): its
    PTR lives under in-addr.arpa and its forward record is an A record.
    """
    if isinstance(address, str):
        ip = read_ip(address)
        if ip is None:
            ip = ipaddress.ip_address(address)  # no address: raises its ValueError
        return _mapped(ip)
    return _mapped(ipaddress.ip_address(address))


def _mapped(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


# The reverse pointer is computed once per address object (text: mailauth.ip_text).
@functools.lru_cache(maxsize=1024)
def _reverse_pointer(ip: IPAddress) -> str:
    return ip.reverse_pointer


def ptr_name(address: str | IPAddress) -> str:
    """The name to ask PTR for: in-addr.arpa (RFC 1035 §3.5) or nibbles under ip6.arpa
    (RFC 3596 §2.5), without the trailing dot."""
    return parse_address(address).reverse_pointer


async def check_reverse(dns: DnsSource, address: str | IPAddress) -> ReverseDns:
    """PTR of `address`, then A/AAAA of each PTR name concurrently; confirmed when one of them
    names the address. Raises ValueError only for a non-address; DNS problems are statuses."""
    ip = parse_address(address)
    shown = str(ip)
    reverse = _reverse_pointer(ip)
    answer = await dns.query(reverse, "PTR")
    if answer.is_error:
        return ReverseDns(shown, ReverseStatus.UNKNOWN, failure=_failure(answer, reverse, "PTR"))
    names = tuple(dict.fromkeys(n for n in map(normalize_name, answer.rrs) if n))
    names = names[:MAX_PTR_NAMES]
    if not names:
        return ReverseDns(shown, ReverseStatus.NO_PTR)
    rdtype = "A" if ip.version == 4 else "AAAA"
    forward = await gather_few(dns.query(name, rdtype) for name in names)
    for name, fwd in zip(names, forward, strict=True):
        if any(_same(ip, rr) for rr in fwd.rrs):
            return ReverseDns(shown, ReverseStatus.CONFIRMED, names, name)
    for name, fwd in zip(names, forward, strict=True):
        if fwd.is_error:  # this name might have confirmed: unknown, not "not confirmed"
            failure = _failure(fwd, name, rdtype)
            return ReverseDns(shown, ReverseStatus.UNKNOWN, names, failure=failure)
    return ReverseDns(shown, ReverseStatus.NOT_CONFIRMED, names)


def _failure(answer: DnsAnswer, name: str, rdtype: str) -> DnsFailure:
    return DnsFailure(answer.qname or name, rdtype, answer.rcode)


def _same(ip: IPAddress, text: str) -> bool:
    return read_ip(text) == ip
