"""The one DNS interface every check uses: `DnsSource.query(name, rdtype) -> DnsAnswer`.

DNS failures are values, not exceptions: SPF void-lookup counting (RFC 7208 §4.6.4) needs
NXDOMAIN and NODATA told apart, and temperror needs SERVFAIL/TIMEOUT told apart from both.
The checks never know whether the answers come from live DNS, zone files or a test server.
"""

from __future__ import annotations

from dataclasses import field
from enum import Enum
from typing import Protocol, runtime_checkable

from mailauth.frozen import frozen


class Rcode(str, Enum):
    """Outcome of one query. NOERROR with no records is NODATA (see `DnsAnswer.is_nodata`)."""

    NOERROR = "NOERROR"
    NXDOMAIN = "NXDOMAIN"
    SERVFAIL = "SERVFAIL"
    TIMEOUT = "TIMEOUT"
    REFUSED = "REFUSED"
    # Any other failure (FORMERR, NOTIMP, a malformed reply, no nameserver reachable).
    ERROR = "ERROR"
    # Offline mode: the name is outside every loaded zone file. Never treated as NXDOMAIN.
    UNRESOLVABLE = "UNRESOLVABLE"


@frozen
class DnsAnswer:
    """One query's answer.

    Names are lower-case, absolute names written without the trailing dot.
    `rrs` holds presentation-format rdata for every type except TXT/SPF
    (A: "192.0.2.1"; MX: "10 mx.example.jp"; CNAME/PTR/NS: "host.example.jp").
    `txt` holds each TXT/SPF record as its character-strings, kept apart so the
    255-byte rule can be checked; `texts()` joins them with no separator (RFC 7208 §3.3).
    `cnames` is the CNAME chain followed from `qname` to the owner of the answer.
    `hints` are (host, address) pairs the server volunteered in the additional section for
    the answer's targets (an MX answer's exchanges, RFC 1035 §3.3.9). A hint is never an
    answer: a check may start a lookup early from it (issue 10: the PTR of an MX host's
    address while the host's own A/AAAA are asked) but judges only what it asked. Not part
    of the answer's identity (zone files volunteer none), so it is left out of comparisons.
    """

    qname: str
    rdtype: str
    rcode: Rcode
    rrs: tuple[str, ...] = ()
    txt: tuple[tuple[bytes, ...], ...] = ()
    cnames: tuple[str, ...] = ()
    detail: str = ""
    hints: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    @property
    def ok(self) -> bool:
        """The name exists and the query succeeded (it may still have no records)."""
        return self.rcode is Rcode.NOERROR

    @property
    def is_nxdomain(self) -> bool:
        return self.rcode is Rcode.NXDOMAIN

    @property
    def is_nodata(self) -> bool:
        return self.rcode is Rcode.NOERROR and not self.rrs and not self.txt

    @property
    def is_void(self) -> bool:
        """RFC 7208 §4.6.4 void lookup: NXDOMAIN or an empty answer."""
        return self.is_nxdomain or self.is_nodata

    @property
    def is_error(self) -> bool:
        """A lookup that gave no verdict (temperror territory), as opposed to a negative answer."""
        return self.rcode not in (Rcode.NOERROR, Rcode.NXDOMAIN)

    def texts(self, encoding: str = "utf-8") -> list[str]:
        """TXT records joined per record, decoded leniently (a non-UTF-8 TXT must not crash)."""
        return [b"".join(parts).decode(encoding, "replace") for parts in self.txt]

    def mx(self) -> list[tuple[int, str]]:
        """MX records as (preference, exchange) pairs."""
        out: list[tuple[int, str]] = []
        for rr in self.rrs:
            pref, _, host = rr.partition(" ")
            try:
                out.append((int(pref), host.strip()))
            except ValueError:
                continue
        return out


@runtime_checkable
class DnsSource(Protocol):
    """Anything that answers DNS queries. Implementations must never raise for DNS
    outcomes; they return an answer whose `rcode` says what happened."""

    async def query(self, name: str, rdtype: str) -> DnsAnswer: ...


def normalize_name(name: str) -> str:
    """Lower-case, no trailing dot: the one spelling of a name used in answers and caches."""
    return name.strip().rstrip(".").lower()
