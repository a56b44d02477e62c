"""Presentation format of the rdata a run reads most, straight from the wire, in plain Python.

A live run used to hand every answer's rdata to dnspython (`dns.rdata.from_wire`, then
`to_text`), which costs ~100 ms of imports before the first query (issue 10: a one-domain
check or one `verify` is mostly start-up). The types nearly every run reads — TXT/SPF, A,
AAAA, MX, CNAME, PTR, NS, DNAME, SOA — are simple, so they are read here; every other type
still goes through dnspython (`wire.Reply.values`), imported only then.

The text must be byte for byte what dnspython gives (`answer.rdata_text` of its rdata): the
live and zone-file sources must answer identically (tests/integration/test_dns_parity), and
a differential test (tests/unit/dns/test_present.py) runs every record of samples/zones and
generated ones (escapes, compression, long TXT) through both. What dnspython refuses is
refused here too, with ValueError: a name whose compression pointer does not point before
where the name started (dnspython's rule, stricter than RFC 1035 §4.1.4), more than 16
pointers, a name over 255 octets, an unknown label type, rdata longer or shorter than its
fields, a TXT with no string.
"""

from __future__ import annotations

from mailauth.dns.interface import normalize_name

Labels = tuple[bytes, ...]

A, NS, CNAME, SOA, PTR, MX, TXT, AAAA, DNAME, SPF = 1, 2, 5, 6, 12, 15, 16, 28, 39, 99
NAME_TYPES = frozenset({CNAME, PTR, NS, DNAME})
TXT_TYPES = frozenset({TXT, SPF})
# The types read here; everything else goes to dnspython.
TYPES = NAME_TYPES | TXT_TYPES | {A, AAAA, MX, SOA}

_MAX_HOPS = 16  # dnspython's dns.name.MAX_COMPRESSION_POINTER_CHAIN
# dnspython's `dns.name._escapify`: these get a backslash, bytes outside 0x21-0x7e are \DDD.
_SPECIAL = b'"().;\\@$'
_PLAIN = bytes(c for c in range(0x21, 0x7F) if c not in _SPECIAL)
PLAIN_OCTETS = _PLAIN  # what a label may hold and be written as it is (dns/dnssec_names.py)
_BYTE_TEXT = tuple(
    "\\" + chr(c) if c in _SPECIAL else chr(c) if 0x20 < c < 0x7F else f"\\{c:03d}"
    for c in range(256)
)


def label_text(label: bytes) -> str:
    """One label as dnspython writes it (`\\.`, `\\"`, `\\\\`, `\\032`, …)."""
    if not label.translate(None, _PLAIN):  # letters, digits, hyphens: the usual case
        return label.decode("ascii")
    return "".join(_BYTE_TEXT[c] for c in label)


def absolute_text(labels: Labels) -> str:
    """dnspython's `Name.to_text()` of an absolute name: the trailing dot kept, case kept."""
    if labels == (b"",):
        return "."
    return ".".join(label_text(label) for label in labels)


def name_text(labels: Labels) -> str:
    """`answer.name_text` of the name: lower-case, no trailing dot ("" for the root)."""
    if labels == (b"",):
        return ""  # dnspython writes the root "." even with omit_final_dot
    return normalize_name(".".join(label_text(label) for label in labels[:-1]))


def read_name(wire: bytes, offset: int, end: int, *, compressed: bool = True) -> tuple[Labels, int]:
    """A name in rdata at `offset` (labels as written, case kept) and the offset after it.
    `end` bounds the rdata. Compression is followed as dnspython follows it
    (`dns.name.from_wire_parser`): each pointer must point before where the part it leaves
    started, and the part it reaches must end before that. `compressed=False`: a pointer is
    an error (DNAME's target, RFC 6672 §2.5, as dnspython reads it)."""
    labels: list[bytes] = []
    limit = end
    start = smallest = offset
    after = -1
    hops = 0
    size = 1
    pos = offset
    while True:
        if pos >= limit:
            raise ValueError("name runs past its rdata")
        count = wire[pos]
        pos += 1
        if count == 0:
            break
        if count < 64:
            if pos + count > limit:
                raise ValueError("label runs past its rdata")
            labels.append(wire[pos : pos + count])
            pos += count
            size += count + 1
        elif count >= 192:
            if not compressed:
                raise ValueError("compression pointer where names are not compressed")
            if pos >= limit:
                raise ValueError("compression pointer runs past its rdata")
            target = ((count & 0x3F) << 8) | wire[pos]
            pos += 1
            if after < 0:
                after = pos
            if target >= smallest:
                raise ValueError("compression pointer does not point backwards")
            smallest = target
            hops += 1
            if hops > _MAX_HOPS:
                raise ValueError("compression pointer chain too long")
            limit = start
            pos = start = target
        else:
            raise ValueError("unknown label type")
    if size > 255:
        raise ValueError("name too long")
    labels.append(b"")
    return tuple(labels), (pos if after < 0 else after)


def _name_rdata(wire: bytes, offset: int, end: int, compressed: bool = True) -> Labels:
    labels, pos = read_name(wire, offset, end, compressed=compressed)
    if pos != end:
        raise ValueError("bytes after the name in rdata")
    return labels


def rdata_text(rdtype: int, wire: bytes, offset: int, length: int) -> str:
    """`answer.rdata_text` of the record of type `rdtype` (one of `TYPES` but TXT/SPF)
    whose rdata is `wire[offset:offset + length]`. Raises ValueError for malformed rdata."""
    end = offset + length
    if end > len(wire):
        raise ValueError("rdata runs past the message")
    if rdtype == A:
        if length != 4:
            raise ValueError("an A record is 4 bytes")
        return "%d.%d.%d.%d" % tuple(wire[offset:end])  # noqa: UP031  (fastest here)
    if rdtype == AAAA:
        if length != 16:
            raise ValueError("an AAAA record is 16 bytes")
        return ipv6_text(wire[offset:end])
    if rdtype in NAME_TYPES:
        return name_text(_name_rdata(wire, offset, end, rdtype != DNAME))
    if rdtype == MX:
        if length < 2:
            raise ValueError("MX rdata too short")
        exchange = _name_rdata(wire, offset + 2, end)
        host = name_text(exchange) if exchange != (b"",) else "."
        return f"{int.from_bytes(wire[offset : offset + 2], 'big')} {host}"
    if rdtype == SOA:
        mname, pos = read_name(wire, offset, end)
        rname, pos = read_name(wire, pos, end)
        if end - pos != 20:
            raise ValueError("SOA rdata has the wrong length")
        numbers = " ".join(str(int.from_bytes(wire[i : i + 4], "big")) for i in range(pos, end, 4))
        return f"{absolute_text(mname)} {absolute_text(rname)} {numbers}"
    raise ValueError(f"type {rdtype} is not read here")


def txt_strings(wire: bytes, offset: int, length: int) -> tuple[bytes, ...]:
    """The character-strings of a TXT/SPF record (RFC 1035 §3.3.14). Raises ValueError for
    a string running past the rdata or rdata with none (dnspython refuses both)."""
    end = offset + length
    if end > len(wire):
        raise ValueError("rdata runs past the message")
    strings: list[bytes] = []
    pos = offset
    while pos < end:
        size = wire[pos]
        pos += 1
        if pos + size > end:
            raise ValueError("character-string runs past its rdata")
        strings.append(wire[pos : pos + size])
        pos += size
    if not strings:
        raise ValueError("TXT rdata without a character-string")
    return tuple(strings)


def ipv6_text(address: bytes) -> str:
    """dnspython's `dns.ipv6.inet_ntoa`: the longest run of two or more zero groups (the
    first of equal runs) becomes `::`; `::a.b.c.d` and `::ffff:a.b.c.d` for addresses with
    an embedded IPv4 address. Not `ipaddress`/`inet_ntop`, which differ on those."""
    chunks = [f"{int.from_bytes(address[i : i + 2], 'big'):x}" for i in range(0, 16, 2)]
    best_start = best_len = 0
    start = -1
    for i in range(9):
        zero = i < 8 and chunks[i] == "0"
        if zero and start < 0:
            start = i
        elif not zero and start >= 0:
            if i - start > best_len:
                best_start, best_len = start, i - start
            start = -1
    if best_len <= 1:
        return ":".join(chunks)
    if best_start == 0 and (best_len == 6 or (best_len == 5 and chunks[5] == "ffff")):
        prefix = "::" if best_len == 6 else "::ffff:"
        return prefix + "%d.%d.%d.%d" % tuple(address[12:])  # noqa: UP031
    return ":".join(chunks[:best_start]) + "::" + ":".join(chunks[best_start + best_len :])
