"""Turning dnspython rdata into `DnsAnswer` values.

Live DNS and zone files must produce byte-identical answers for the same data (a parity test
checks it), so both backends format records through this one module (live DNS writes the
common types with `dns/present.py`, held to this module's text by a differential test).
dnspython is imported by the functions that need it, not with the module: the live path
uses this module without ever touching dnspython (start-up, issue 10).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from mailauth.dns.codes import TYPES
from mailauth.dns.interface import DnsAnswer, Rcode, normalize_name
from mailauth.frozen import frozen
from mailauth.names import to_alabel

if TYPE_CHECKING:
    import dns.name
    import dns.rdata
    import dns.rdatatype

# CNAMEs followed for one query before giving up, as dnspython's resolver (dns.message.MAX_CHAIN).
MAX_CNAME_CHAIN = 16
# Types whose rdata is one domain name: presented as a normalised name.
_NAME_TYPES = frozenset({"CNAME", "PTR", "NS", "DNAME"})
# Types whose rdata is a list of character-strings (RFC 1035 §3.3.14, RFC 7208 §3.3).
TXT_TYPES = frozenset({"TXT", "SPF"})


def name_text(name: dns.name.Name) -> str:
    """The one spelling of a dnspython name: lower-case, no trailing dot."""
    return normalize_name(name.to_text(omit_final_dot=True))


def rdata_text(rdtype: str, rdata: dns.rdata.Rdata) -> str:
    """Presentation form used in `DnsAnswer.rrs` (see its docstring)."""
    if rdtype in _NAME_TYPES:
        return name_text(rdata.target)  # type: ignore[attr-defined]
    if rdtype == "MX":
        exchange: dns.name.Name = rdata.exchange  # type: ignore[attr-defined]
        host = name_text(exchange) if exchange.labels != (b"",) else "."
        return f"{rdata.preference} {host}"  # type: ignore[attr-defined]
    return str(rdata.to_text())


def make_answer(
    qname: str,
    rdtype: str,
    rdatas: Iterable[dns.rdata.Rdata],
    cnames: Iterable[str] = (),
    detail: str = "",
) -> DnsAnswer:
    """A NOERROR answer. Records are sorted so that output (reports, JSON) is reproducible:
    an RRset is unordered (RFC 2181 §5) and servers rotate it."""
    if rdtype in TXT_TYPES:
        txt = sorted(tuple(bytes(s) for s in rd.strings) for rd in rdatas)  # type: ignore[attr-defined]
        return DnsAnswer(
            qname, rdtype, Rcode.NOERROR, txt=tuple(txt), cnames=tuple(cnames), detail=detail
        )
    rrs = sorted(rdata_text(rdtype, rd) for rd in rdatas)
    return DnsAnswer(
        qname, rdtype, Rcode.NOERROR, rrs=tuple(rrs), cnames=tuple(cnames), detail=detail
    )


@frozen
class Question:
    """A query both backends can ask: `qname`/`rdtype` as they appear in the answer, `name`/
    `rdt` as dnspython needs them."""

    qname: str
    rdtype: str
    name: dns.name.Name
    rdt: dns.rdatatype.RdataType


def question(qname: str, rdtype: str) -> Question | DnsAnswer:
    """Check a query before asking it: an unknown type or a name dnspython cannot build is an
    ERROR answer (DNS trouble is a value), the same one from live DNS and zone files.
    `qname` must already be normalised (`normalize_name`)."""
    import dns.exception
    import dns.name
    import dns.rdatatype

    rdtype_u = rdtype_text(rdtype)
    if rdtype_u is None:
        return DnsAnswer(
            qname, rdtype.upper(), Rcode.ERROR, detail=f"unknown record type {rdtype!r}"
        )
    try:
        name = dns.name.from_text(_ascii_name(qname) or ".")
    except (dns.exception.DNSException, UnicodeError) as exc:
        return DnsAnswer(qname, rdtype_u, Rcode.ERROR, detail=f"invalid domain name: {exc}")
    return Question(qname, rdtype_u, name, dns.rdatatype.from_text(rdtype_u))


def _ascii_name(qname: str) -> str:
    """An IDN in A-labels by `to_alabel` (IDNA 2008, as the checks spell names), not by
    dnspython's default codec (IDNA 2003). Label by label, so that a service label
    (`_dmarc.faß.de`) stays as it is."""
    if qname.isascii():
        return qname
    return ".".join(to_alabel(label) for label in qname.split("."))


def rdtype_text(rdtype: str) -> str | None:
    """Upper-case mnemonic for a type name, or None when dnspython does not know it."""
    mnemonic = rdtype.strip().upper()
    if mnemonic in TYPES:  # without importing dnspython
        return mnemonic
    import dns.rdatatype

    try:
        return dns.rdatatype.to_text(dns.rdatatype.from_text(rdtype.strip().upper()))
    except Exception:  # dnspython raises several types for junk; any means "unknown"
        return None
