"""Read the Received trace (RFC 5321 §4.4): who handed the message to whom, from which IP,
with which protocol.

SPF needs the connecting IP, the HELO name and the receiving host; the TLS rule needs the
protocol of the receiving hop. Received syntax in practice is only loosely RFC 5321 (Postfix,
Exim, Exchange, Gmail and qmail all differ), so parsing is lenient and every field optional:
the newest header whose "from" part names an IP address is taken as the receiving hop.
"""

from __future__ import annotations

import functools
import ipaddress
import re

from mailauth.frozen import frozen
from mailauth.ip_text import normal_ip
from mailauth.message.parse import ParsedMessage

_FROM = re.compile(r"^\s*from\s+(\S+)(.*?)(?=\bby\s|;|$)", re.IGNORECASE | re.DOTALL)
_BY = re.compile(r"\bby\s+([^\s;()]+)", re.IGNORECASE)
_WITH = re.compile(r"\bwith\s+([A-Za-z0-9-]+)", re.IGNORECASE)
# An address literal [192.0.2.1] / [IPv6:2001:db8::1], else an address in parentheses.
_BRACKETED = re.compile(r"\[(?:IPv6:)?([0-9A-Fa-f:.]+)\]")
_PARENS = re.compile(r"\(\s*(?:[^()\s]*\s+)?\[?([0-9A-Fa-f:.]{7,})\]?\s*\)")
_TLS_WORDS = re.compile(r"version=TLS|using\s+TLS|\(TLS|\bTLSv?1[._]?\d|cipher=", re.IGNORECASE)


@frozen
class Hop:
    """One Received header field, as far as it could be read."""

    index: int  # 0 = newest (topmost)
    raw: str
    helo: str | None = None
    ip: str | None = None
    by: str | None = None
    protocol: str | None = None

    @property
    def tls(self) -> bool | None:
        """True/False when the header says; None when it does not name a protocol.

        RFC 3848: ESMTPS / ESMTPSA / UTF8SMTPS (the trailing S) mean STARTTLS was used;
        many servers also write "(version=TLS1.3 cipher=...)" or "using TLS".
        """
        if _TLS_WORDS.search(self.raw):
            return True
        if self.protocol is None:
            return None
        proto = self.protocol.upper()
        return proto.endswith(("SMTPS", "SMTPSA", "LMTPS", "LMTPSA"))


def parse_hop(index: int, value: str) -> Hop:
    text = " ".join(value.split())
    helo = ip = None
    match = _FROM.match(text)
    if match:
        helo = match.group(1).strip("[]()")
        clause = match.group(0)
        ip = _first_ip(_BRACKETED.findall(clause)) or _first_ip(_PARENS.findall(clause))
        ip = ip or _first_ip([helo.removeprefix("IPv6:")])  # "from 192.0.2.1 by ..."
    by = _BY.search(text)
    proto = _WITH.search(text)
    return Hop(
        index=index,
        raw=text,
        helo=helo,
        ip=ip,
        by=by.group(1) if by else None,
        protocol=proto.group(1) if proto else None,
    )


def receiving_hop(message: ParsedMessage) -> Hop | None:
    """The newest hop whose "from" part names a non-loopback IP: where the message entered
    the receiving system, i.e. the connection SPF and the TLS rule are about."""
    for i, value in enumerate(message.values("Received")):
        hop = parse_hop(i, value)
        if hop.ip and not _loopback(hop.ip):
            return hop
    return None


@functools.lru_cache(maxsize=1024)
def _loopback(ip: str) -> bool:
    return ipaddress.ip_address(ip).is_loopback


def _first_ip(candidates: list[str]) -> str | None:
    """The first candidate that is an IP address, in its normal form. An IPv6 zone index
    (`fe80::1%eth0`, RFC 4007 §11) names an interface of the host that wrote the header and
    means nothing anywhere else (SMTP address literals have none, RFC 5321 §4.1.3): the
    address is taken without it."""
    for c in candidates:
        found = normal_ip(c.partition("%")[0])
        if found is not None:
            return found
    return None
