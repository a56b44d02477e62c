"""DNS messages on the wire, read only as far as `LiveSource` needs them.

Profiling a bulk check (issue 10) showed dnspython's `dns.message.from_wire` taking over half
of the CPU: it builds Name, RRset and Rdata objects for every record of every section, and
adding the SOA of each negative answer to its RRset serialises it again to compare rdata. Most
replies in a check are negative (DKIM selector probes: NXDOMAIN with one SOA), and of a
positive one only the RRset asked for is used. So the sections are walked here without
building objects: each record is an owner (its labels, lower-cased), a type, a class and
where its rdata lies in the message. Only the rdata of the records that become the answer
is read (`Reply.texts`, `Reply.strings`): the common types by `dns/present.py` in plain
Python, written exactly as dnspython writes them, the others by dnspython, imported then.
So a live run of the common kind imports no `dns.*` module (start-up, issue 10), and the
live and zone-file sources keep answering identically (tests/integration/test_dns_parity).

Anything malformed raises `ValueError`; the caller treats such a reply as not received
(as `dns.asyncquery.udp(..., ignore_errors=True)` did).
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, NamedTuple

from mailauth.dns import present
from mailauth.dns.codes import TYPES

if TYPE_CHECKING:
    import dns.name
    import dns.rdata

Labels = tuple[bytes, ...]

HEADER = struct.Struct("!6H")
_RR = struct.Struct("!HHIH")
_MAX_POINTERS = 64

QR, AA, TC, RD, RA = 0x8000, 0x0400, 0x0200, 0x0100, 0x0080
AD = 0x0020
DO = 0x8000  # in the OPT record's TTL field (RFC 6891 §6.1.3, RFC 3225)
NOERROR, NXDOMAIN = 0, 3
IN = 1
CNAME, NS, SOA, OPT, RRSIG = 5, 2, 6, 41, 46


def build_query(name: Labels, rdtype: int, payload: int, *, dnssec: bool = False) -> bytes:
    """A recursive query with EDNS(0) (RFC 6891) advertising `payload` bytes. The id is 0:
    the multiplexer sets a random one per send. `dnssec`: DO=1 (RFC 4035 §3.2.1, signatures
    wanted) and AD=1 (RFC 6840 §5.7, the resolver's AD flag reported)."""
    header = HEADER.pack(0, RD | (AD if dnssec else 0), 1, 0, 0, 1)
    opt = b"\x00" + _RR.pack(OPT, payload, DO if dnssec else 0, 0)
    qname = b"".join(bytes((len(label),)) + label for label in name)
    return header + qname + struct.pack("!HH", rdtype, IN) + opt


def simple_question(qname: str, rdtype: str) -> tuple[Labels, str, int] | None:
    """(labels, type mnemonic, type) for the common question: an ASCII name with no escapes
    and labels of legal length, of a known type. None for anything else, which then goes
    through `answer.question` (dnspython's parser) so that both backends treat odd names
    alike. Building dnspython Names for every query cost ~10 % of a bulk check's CPU, and a
    type outside `codes.TYPES` (spelled `TYPE16`, or rare) takes that path too."""
    if not qname.isascii() or "\\" in qname:
        return None
    mnemonic = rdtype.strip().upper()
    rdt = TYPES.get(mnemonic)
    if rdt is None:
        return None
    labels = (*qname.encode().split(b"."), b"") if qname else (b"",)
    if any(not 0 < len(label) < 64 for label in labels[:-1]) or len(qname) > 253:
        return None
    return labels, mnemonic, rdt


def labels_of(name: dns.name.Name) -> Labels:
    """A name's labels as `Record.owner` holds them (lower-cased, the root label last)."""
    return tuple(label.lower() for label in name.labels)


def read_name(wire: bytes, offset: int) -> tuple[Labels, int]:
    """The name at `offset` (following compression pointers, RFC 1035 §4.1.4) and the offset
    just after it where it is written."""
    labels: list[bytes] = []
    end = -1
    jumps = 0
    size = 0
    while True:
        length = wire[offset]
        if length == 0:
            labels.append(b"")
            return tuple(labels), (offset + 1 if end < 0 else end)
        if length & 0xC0 == 0xC0:
            if jumps >= _MAX_POINTERS:
                raise ValueError("compression pointer loop")
            jumps += 1
            if end < 0:
                end = offset + 2
            offset = ((length & 0x3F) << 8) | wire[offset + 1]
            continue
        if length & 0xC0:
            raise ValueError("unknown label type")
        label = wire[offset + 1 : offset + 1 + length]
        if len(label) != length:
            raise ValueError("name runs past the message")
        size += length + 1
        if size > 254:
            raise ValueError("name too long")
        labels.append(label.lower())
        offset += length + 1


class Record(NamedTuple):
    """One resource record of a reply, not parsed beyond its header. A named tuple, not a
    frozen dataclass: one is made for every record of every reply, and a frozen dataclass's
    field-by-field `object.__setattr__` cost more than the rest of the header walk."""

    owner: Labels
    rdtype: int
    rdclass: int
    offset: int  # where the rdata starts in the message
    length: int


class Reply(NamedTuple):
    """A parsed reply: header fields, and the answer, authority and additional sections
    (without OPT) as records (a named tuple for the reason `Record` is one)."""

    wire: bytes
    flags: int
    rcode: int  # with the extended bits from OPT (RFC 6891 §6.1.3)
    answer: tuple[Record, ...]
    authority: tuple[Record, ...]
    additional: tuple[Record, ...] = ()

    def find(self, owner: Labels, rdtype: int) -> list[Record]:
        return [
            r for r in self.answer if r.rdtype == rdtype and r.owner == owner and r.rdclass == IN
        ]

    def strings(self, records: list[Record]) -> list[tuple[bytes, ...]]:
        """The character-strings of TXT/SPF `records`, duplicates dropped (an RRset is a
        set, RFC 2181 §5). Raises ValueError for malformed rdata."""
        wire = self.wire
        return list(dict.fromkeys(present.txt_strings(wire, r.offset, r.length) for r in records))

    def texts(self, records: list[Record]) -> list[str]:
        """Presentation form of `records` (all of one type, not TXT/SPF) as `DnsAnswer.rrs`
        holds it, duplicates dropped. Raises ValueError for malformed rdata."""
        if not records:
            return []
        rdt = records[0].rdtype
        if rdt in present.TYPES:
            wire = self.wire
            return list(
                dict.fromkeys(present.rdata_text(rdt, wire, r.offset, r.length) for r in records)
            )
        return _dnspython_texts(self.wire, records)

    def signatures(self, owner: Labels, covered: int) -> list[Record]:
        """The RRSIG records at `owner` in the answer that cover type `covered` (RFC 4034
        §3.1.1: the first two octets of the rdata)."""
        wire = self.wire
        return [
            r
            for r in self.find(owner, RRSIG)
            if r.length >= 2 and int.from_bytes(wire[r.offset : r.offset + 2], "big") == covered
        ]

    def target(self, record: Record) -> Labels:
        """The domain name a CNAME/NS record points to."""
        labels, _ = read_name(self.wire, record.offset)
        return labels


def dnspython_rdatas(wire: bytes, records: list[Record]) -> list[dns.rdata.Rdata]:
    """dnspython rdata of `records`, duplicates dropped by its rdata equality (as its RRset
    drops them). For what `present` does not write: odd types and DNSSEC answers, which
    dnspython then validates; `dns.rdata` is imported here. Raises ValueError."""
    import dns.exception
    import dns.rdata
    import dns.rdataclass
    import dns.rdatatype

    try:
        rdatas = [
            dns.rdata.from_wire(
                dns.rdataclass.RdataClass(r.rdclass),
                dns.rdatatype.RdataType(r.rdtype),
                wire,
                r.offset,
                r.length,
            )
            for r in records
        ]
    except dns.exception.DNSException as exc:
        raise ValueError(f"malformed rdata: {exc}") from None
    return list(dict.fromkeys(rdatas))


def _dnspython_texts(wire: bytes, records: list[Record]) -> list[str]:
    """The types `present` does not read (CAA, TLSA, SRV, …), written by
    `answer.rdata_text` from dnspython's rdata."""
    import dns.rdatatype

    from mailauth.dns.answer import rdata_text

    rdatas = dnspython_rdatas(wire, records)
    mnemonic = dns.rdatatype.to_text(dns.rdatatype.RdataType(records[0].rdtype))
    return [rdata_text(mnemonic, rd) for rd in rdatas]


def parse_reply(wire: bytes) -> Reply:
    """Walk every section of `wire` (so a malformed message is refused whole) keeping what
    `LiveSource` reads. Raises ValueError (or IndexError/struct.error, both turned into
    ValueError) for a message that is not well formed."""
    try:
        return _parse(wire)
    except (IndexError, struct.error) as exc:
        raise ValueError(f"malformed reply: {exc}") from None


def _parse(wire: bytes) -> Reply:
    _, flags, qdcount, ancount, nscount, arcount = HEADER.unpack_from(wire)
    offset = HEADER.size
    for _ in range(qdcount):
        _, offset = read_name(wire, offset)
        offset += 4
    sections: list[list[Record]] = [[], [], []]
    rcode = flags & 0xF
    for index, count in enumerate((ancount, nscount, arcount)):
        records = sections[index]
        for _ in range(count):
            owner, offset = read_name(wire, offset)
            rdtype, rdclass, ttl, length = _RR.unpack_from(wire, offset)
            offset += _RR.size
            if offset + length > len(wire):
                raise ValueError("rdata runs past the message")
            if rdtype == OPT:
                if index != 2:
                    raise ValueError("OPT outside the additional section")
                rcode |= (ttl >> 24) << 4
            else:
                records.append(Record(owner, rdtype, rdclass, offset, length))
            offset += length
    if offset != len(wire):
        raise ValueError("trailing bytes after the message")
    return Reply(wire, flags, rcode, tuple(sections[0]), tuple(sections[1]), tuple(sections[2]))


def is_subdomain(name: Labels, parent: Labels) -> bool:
    return len(name) >= len(parent) and name[len(name) - len(parent) :] == parent


__all__ = [
    "AA",
    "CNAME",
    "NS",
    "NXDOMAIN",
    "QR",
    "RA",
    "SOA",
    "TC",
    "Record",
    "Reply",
    "build_query",
    "dnspython_rdatas",
    "is_subdomain",
    "labels_of",
    "parse_reply",
    "read_name",
    "simple_question",
]
