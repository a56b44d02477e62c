"""A DnsSource over a Python mapping: for unit tests of edge cases and conformance suites
whose DNS data is written as tables (the OpenSPF YAML, the DMARC cases)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mailauth.dns.interface import DnsAnswer, Rcode, normalize_name

# A record value: str for most types, tuple[bytes, ...] / list[str] for TXT character-strings.
RecordValue = str | bytes | Sequence[str] | Sequence[bytes]


@dataclass
class MemorySource:
    """`records[name][rdtype] = [values]`. A name present with no record of a type is NODATA;
    an absent name is NXDOMAIN, unless a name below it is present: that makes it an empty
    non-terminal, which exists (NODATA, RFC 8020), as in a zone file and on a real server.
    `failures[(name, rdtype)] = Rcode` injects errors
    (use rdtype "*" for every type). CNAMEs are followed (at most 16 deep).
    `log` records every query made, for tests that count lookups."""

    records: Mapping[str, Mapping[str, Sequence[RecordValue]]] = field(default_factory=dict)
    failures: Mapping[tuple[str, str], Rcode] = field(default_factory=dict)
    log: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._data = {
            normalize_name(n): {t.upper(): list(v) for t, v in types.items()}
            for n, types in self.records.items()
        }
        # Empty non-terminals: every ancestor of a present name exists (RFC 8020).
        self._ents = {
            parent for name in self._data for parent in _ancestors(name) if parent not in self._data
        }
        self._fail = {(normalize_name(n), t.upper()): r for (n, t), r in self.failures.items()}
        # Each question's answer, built once: the data above is fixed at construction and a
        # DnsAnswer is frozen, so a question asked again gets the same answer object, as
        # from CachingSource (a verify over many messages asks the same few, issue 10).
        self._answers: dict[tuple[str, str], DnsAnswer] = {}

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        return self.lookup(name, rdtype)

    def lookup(self, name: str, rdtype: str) -> DnsAnswer:
        """Synchronous form of `query`, for callers outside an event loop."""
        key = normalize_name(name), rdtype.upper()
        self.log.append(key)
        answer = self._answers.get(key)
        if answer is None:
            answer = self._answers[key] = self._answer(*key)
        return answer

    def _answer(self, qname: str, rdtype: str) -> DnsAnswer:
        owner, chain = qname, list[str]()
        for _ in range(16):
            fail = self._fail.get((owner, rdtype)) or self._fail.get((owner, "*"))
            if fail is not None:
                return DnsAnswer(qname, rdtype, fail, cnames=tuple(chain))
            types = self._data.get(owner)
            if types is None:
                rcode = Rcode.NOERROR if owner in self._ents else Rcode.NXDOMAIN
                return DnsAnswer(qname, rdtype, rcode, cnames=tuple(chain))
            if rdtype != "CNAME" and "CNAME" in types and types["CNAME"]:
                target = normalize_name(str(types["CNAME"][0]))
                chain.append(target)
                owner = target
                continue
            values = types.get(rdtype, [])
            if rdtype in ("TXT", "SPF"):
                return DnsAnswer(
                    qname,
                    rdtype,
                    Rcode.NOERROR,
                    txt=tuple(_txt(v) for v in values),
                    cnames=tuple(chain),
                )
            return DnsAnswer(
                qname,
                rdtype,
                Rcode.NOERROR,
                rrs=tuple(_rr(rdtype, str(v)) for v in values),
                cnames=tuple(chain),
            )
        return DnsAnswer(qname, rdtype, Rcode.SERVFAIL, cnames=tuple(chain), detail="CNAME loop")


def _ancestors(name: str) -> list[str]:
    """`a.b.c` -> [`b.c`, `c`] (the root is not a name here)."""
    labels = name.split(".")
    return [".".join(labels[i:]) for i in range(1, len(labels))]


def _txt(value: RecordValue) -> tuple[bytes, ...]:
    if isinstance(value, bytes):
        return (value,)
    if isinstance(value, str):
        return (value.encode(),)
    return tuple(v if isinstance(v, bytes) else str(v).encode() for v in value)


def _rr(rdtype: str, value: str) -> str:
    if rdtype in ("CNAME", "PTR", "NS"):
        return normalize_name(value)
    if rdtype == "MX":
        pref, _, host = value.strip().partition(" ")
        return f"{pref} {normalize_name(host)}"
    return value.strip()
