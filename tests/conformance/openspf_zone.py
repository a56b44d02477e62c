"""A DnsSource over one OpenSPF YAML scenario's `zonedata` (the RFC 7208 test suite).

The suite writes its DNS as a table with two rules a zone file cannot express, so it is
served from memory rather than from knot:

* `TIMEOUT` as a bare list item: a query for that name times out for every RR type not
  listed *before* it (a name whose only item is `TIMEOUT` always times out). Types listed
  before it are answered with the records listed before it.
* A name with `SPF` entries and no `TXT` entry serves each SPF value as a TXT record too
  (the suite was written when the SPF RR type was still published next to TXT).
  `TXT: NONE` means "no TXT record here": it only switches the copy off.

Everything else is plain DNS: unlisted names are NXDOMAIN, a listed name without records
of the asked type is NODATA, CNAMEs are followed (at most 16 deep). A CNAME loop is
answered as an authoritative server such as knot answers it: NOERROR, the chain in
`cnames`, no records. These are the semantics of pyspf's reference driver
(`test/testspf.py`, `DNSLookup` + `getrdata`), which passes the whole suite.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mailauth.dns.interface import DnsAnswer, Rcode, normalize_name

TIMEOUT = "TIMEOUT"
_MAX_CNAME = 16


@dataclass(frozen=True)
class _Rec:
    rdtype: str
    value: Any


@dataclass
class OpenSpfZone:
    """`OpenSpfZone(scenario["zonedata"])`; `log` lists every (name, type) asked."""

    zonedata: Mapping[str, list[Any]]
    log: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._names: dict[str, list[_Rec | str]] = {
            normalize_name(name): _entries(items or []) for name, items in self.zonedata.items()
        }

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        return self.lookup(name, rdtype)

    def lookup(self, name: str, rdtype: str) -> DnsAnswer:
        qname, rdtype = normalize_name(name), rdtype.upper()
        self.log.append((qname, rdtype))
        if any(len(label) > 63 for label in qname.split(".")):
            # pyspf's driver emulates pydns, which refuses to build such a query.
            return DnsAnswer(qname, rdtype, Rcode.ERROR, detail="DNS label too long")
        owner, chain = qname, []
        for _ in range(_MAX_CNAME):
            entries = self._names.get(owner)
            if entries is None:
                return DnsAnswer(qname, rdtype, Rcode.NXDOMAIN, cnames=tuple(chain))
            found, timed_out = _select(entries, rdtype)
            if timed_out:
                return DnsAnswer(
                    qname,
                    rdtype,
                    Rcode.TIMEOUT,
                    cnames=tuple(chain),
                    detail="TIMEOUT in the suite's zonedata",
                )
            cname = [r for r in _select(entries, "CNAME")[0]] if rdtype != "CNAME" else []
            if cname and not found:
                target = normalize_name(str(cname[0].value))
                if target in chain or target == qname:
                    return DnsAnswer(
                        qname, rdtype, Rcode.NOERROR, cnames=(*chain, target), detail="CNAME loop"
                    )
                chain.append(target)
                owner = target
                continue
            return _answer(qname, rdtype, found, chain)
        return DnsAnswer(
            qname, rdtype, Rcode.NOERROR, cnames=tuple(chain), detail="CNAME chain too long"
        )


def _entries(items: list[Any]) -> list[_Rec | str]:
    """Flatten the YAML list into records in order, applying the SPF-as-TXT rule."""
    out: list[_Rec | str] = []
    has_txt = any(isinstance(i, dict) and "TXT" in i for i in items)
    copies: list[_Rec] = []
    for item in items:
        if item == TIMEOUT:
            out.append(TIMEOUT)
            continue
        for rdtype, value in item.items():
            rdtype = str(rdtype).upper()
            if rdtype == "SPF" and not has_txt:
                copies.append(_Rec("TXT", value))
            if value == "NONE":
                # "TXT: NONE": no record at all (it only stops the SPF-as-TXT copy above),
                # so a TIMEOUT after it still applies to TXT, as in pyspf's driver.
                continue
            out.append(_Rec(rdtype, value))
    return out + list(copies)


def _select(entries: list[_Rec | str], rdtype: str) -> tuple[list[_Rec], bool]:
    """Records of `rdtype` and whether the query times out (see the module docstring)."""
    found: list[_Rec] = []
    listed = False
    for entry in entries:
        if entry == TIMEOUT:
            return found, not listed
        assert isinstance(entry, _Rec)
        if entry.rdtype == rdtype:
            listed = True
            found.append(entry)
    return found, False


def _answer(qname: str, rdtype: str, recs: list[_Rec], chain: list[str]) -> DnsAnswer:
    if rdtype in ("TXT", "SPF"):
        txt = tuple(_strings(r.value) for r in recs)
        return DnsAnswer(qname, rdtype, Rcode.NOERROR, txt=txt, cnames=tuple(chain))
    return DnsAnswer(
        qname,
        rdtype,
        Rcode.NOERROR,
        rrs=tuple(_rr(rdtype, r.value) for r in recs),
        cnames=tuple(chain),
    )


def _strings(value: Any) -> tuple[bytes, ...]:
    """A TXT value: one string, or a list of character-strings (`[]` = no strings)."""
    if isinstance(value, list):
        return tuple(str(v).encode() for v in value)
    return (str(value).encode(),)


def _rr(rdtype: str, value: Any) -> str:
    """Presentation format as `DnsAnswer.rrs` documents it."""
    if rdtype == "MX":
        pref, host = value
        return f"{int(pref)} {normalize_name(str(host))}"
    if rdtype in ("CNAME", "PTR", "NS"):
        return normalize_name(str(value))
    if rdtype in ("A", "AAAA"):
        try:
            return str(ipaddress.ip_address(str(value)))
        except ValueError:
            return str(value)  # the suite has deliberately broken addresses; serve them as-is
    return str(value)


def zone_file_text(zonedata: Mapping[str, list[Any]], origin: str) -> str:
    """The names of `zonedata` under `origin` as a BIND zone file, for serving a scenario from
    a real server. Only scenarios without TIMEOUT items can be written (a zone file cannot
    time out); the SPF-as-TXT rule is applied as above."""
    origin = normalize_name(origin)
    lines = [
        f"$ORIGIN {origin}.",
        "$TTL 300",
        f"@ IN SOA ns.{origin}. hostmaster.{origin}. 1 3600 900 1209600 300",
        f"@ IN NS ns.{origin}.",
        "ns IN A 127.0.0.1",
    ]
    for name, items in zonedata.items():
        owner = normalize_name(name)
        if owner != origin and not owner.endswith("." + origin):
            continue
        for entry in _entries(items or []):
            if entry == TIMEOUT:
                raise ValueError(f"{name}: TIMEOUT cannot be written to a zone file")
            assert isinstance(entry, _Rec)
            lines.append(f"{owner}. IN {entry.rdtype} {_zone_rdata(entry)}")
    return "\n".join(lines) + "\n"


def _zone_rdata(rec: _Rec) -> str:
    if rec.rdtype in ("TXT", "SPF"):
        strings = [s.decode() for s in _strings(rec.value)]
        return " ".join('"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"' for s in strings)
    if rec.rdtype == "MX":
        pref, host = rec.value
        return f"{int(pref)} {normalize_name(str(host))}."
    if rec.rdtype in ("CNAME", "PTR"):
        return normalize_name(str(rec.value)) + "."
    return _rr(rec.rdtype, rec.value)
