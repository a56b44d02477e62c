"""Forward-confirmed reverse DNS of the sending server (FCrDNS, "iprev" in RFC 8601 §3).

Gmail and Yahoo require the IP that delivers mail to have a PTR record whose name resolves
back to the same IP. The check: PTR of the address, then A/AAAA of each name (at most 10,
like RFC 7208 §4.6.4 does for ptr), confirmed when one name maps back to the IP.
"""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass
from enum import Enum

from mailauth.dns.interface import DnsSource
from mailauth.dns.orgdomain import DnsFailure

MAX_NAMES = 10


class FcrdnsStatus(str, Enum):
    CONFIRMED = "confirmed"
    NO_PTR = "no-ptr"
    NOT_CONFIRMED = "not-confirmed"
    ERROR = "error"


@dataclass(frozen=True)
class FcrdnsOutcome:
    ip: str
    status: FcrdnsStatus
    names: tuple[str, ...] = ()
    confirmed_name: str | None = None
    failure: DnsFailure | None = None


async def check_fcrdns(dns: DnsSource, ip: str) -> FcrdnsOutcome:
    address = ipaddress.ip_address(ip)
    reverse = address.reverse_pointer
    answer = await dns.query(reverse, "PTR")
    if answer.is_error:
        return FcrdnsOutcome(
            ip, FcrdnsStatus.ERROR, failure=DnsFailure(reverse, "PTR", answer.rcode)
        )
    names = tuple(dict.fromkeys(answer.rrs))[:MAX_NAMES]
    if not names:
        return FcrdnsOutcome(ip, FcrdnsStatus.NO_PTR)
    rdtype = "A" if address.version == 4 else "AAAA"
    forward = await asyncio.gather(*(dns.query(n, rdtype) for n in names))
    for name, fwd in zip(names, forward, strict=True):
        if any(_same(address, rr) for rr in fwd.rrs):
            return FcrdnsOutcome(ip, FcrdnsStatus.CONFIRMED, names, name)
    failed = next((f for f in forward if f.is_error), None)
    if failed is not None:
        failure = DnsFailure(failed.qname, rdtype, failed.rcode)
        return FcrdnsOutcome(ip, FcrdnsStatus.ERROR, names, failure=failure)
    return FcrdnsOutcome(ip, FcrdnsStatus.NOT_CONFIRMED, names)


def _same(address: ipaddress.IPv4Address | ipaddress.IPv6Address, text: str) -> bool:
    try:
        return ipaddress.ip_address(text) == address
    except ValueError:
        return False
