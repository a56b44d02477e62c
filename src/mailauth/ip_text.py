"""IP address text read once per process: `ipaddress` parses in Python, and verifying a
folder of mail meets the same few sending servers, relays and A records in every message
(issue 10). The Received trace, SPF's connecting IP and the reverse-DNS check all read
addresses through here.

No address is written in more than 45 characters (an IPv6 address with an IPv4 tail,
every hextet in 4 digits), so longer text (a zone index, or no address at all) is read
each time and not kept.
"""

from __future__ import annotations

import functools
import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_LONGEST_IP = 45


def read_ip(text: str) -> IPAddress | None:
    """`ipaddress.ip_address(text)`; None when `text` is no address."""
    return _read(text) if len(text) > _LONGEST_IP else _remembered(text)


def normal_ip(text: str) -> str | None:
    """`text` as an address in `ipaddress`'s normal form; None when it is no address.
    (Remembered too: writing an IPv6 address costs more than reading it back.)"""
    return _normal(text) if len(text) > _LONGEST_IP else _remembered_normal(text)


def _read(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _normal(text: str) -> str | None:
    ip = read_ip(text)
    return None if ip is None else str(ip)


_remembered = functools.lru_cache(maxsize=1024)(_read)
_remembered_normal = functools.lru_cache(maxsize=1024)(_normal)
