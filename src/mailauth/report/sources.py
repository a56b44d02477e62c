"""Who a sending IP is: reverse DNS (PTR), the organizational domain of the PTR name
(RFC 9989 tree walk through `mailauth.dns.orgdomain`), and a known service from the
shipped table (`services.json`: each entry says how it is recognised).

Lookups go through the run's DnsSource (live, zone files, or a test server), concurrently
and at most once per address; with `resolve=False` (--no-resolve) no query is made and a
service is recognised from the report alone (DKIM d=, SPF domain).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from mailauth.dns.interface import DnsSource, normalize_name
from mailauth.frozen import frozen

if TYPE_CHECKING:
    import asyncio

CONCURRENCY = 32


@frozen
class Service:
    """A sending service the package knows (services.json), and how it is recognised."""

    name: str
    kind: str  # esp | forwarder | mailing-list
    domains: tuple[str, ...]
    spf_include: str | None
    how: str


@frozen
class SourceInfo:
    """What DNS says of a source IP: its PTR name and that name's organizational domain."""

    ip: str
    ptr: str | None = None
    org_domain: str | None = None


@cache
def services() -> tuple[Service, ...]:
    text = resources.files("mailauth.report").joinpath("services.json").read_text("utf-8")
    data = json.loads(text)
    return tuple(
        Service(s["name"], s["kind"], tuple(s["domains"]), s["spf_include"], s["how"])
        for s in data["services"]
    )


def _under(name: str, domain: str) -> bool:
    return name == domain or name.endswith("." + domain)


def recognise(names: Iterable[str | None]) -> Service | None:
    """The service one of `names` (PTR name, DKIM d=, SPF domain) belongs to; the most
    specific entry wins (protection.outlook.com before outlook.com)."""
    best: tuple[int, Service] | None = None
    for name in names:
        if not name:
            continue
        name = normalize_name(name)
        for service in services():
            for domain in service.domains:
                if _under(name, domain) and (best is None or len(domain) > best[0]):
                    best = (len(domain), service)
    return best[1] if best else None


async def _lookup(dns: DnsSource, ip: str, gate: asyncio.Semaphore) -> SourceInfo:
    from mailauth.dns.orgdomain import organizational_domain
    from mailauth.dns.reverse import parse_address

    async with gate:
        try:
            reverse = parse_address(ip).reverse_pointer
        except ValueError:
            return SourceInfo(ip)
        answer = await dns.query(reverse, "PTR")
        names = [n for n in map(normalize_name, answer.rrs) if n]
        if not answer.ok or not names:
            return SourceInfo(ip)
        ptr = names[0]
        org = await organizational_domain(dns, ptr)
        return SourceInfo(ip, ptr, org.org_domain)


async def resolve_sources(dns: DnsSource, ips: Iterable[str]) -> dict[str, SourceInfo]:
    """PTR and organizational domain of every distinct address, concurrently. (asyncio
    and the tree walk are imported here: a --no-resolve run needs neither, and they were
    a fifth of its start-up.)"""
    import asyncio

    gate = asyncio.Semaphore(CONCURRENCY)
    unique = sorted(set(ips))
    found = await asyncio.gather(*(_lookup(dns, ip, gate) for ip in unique))
    return {info.ip: info for info in found}
