"""`dns/present.py` against dnspython: the live source writes TXT, A, AAAA, MX, CNAME, PTR,
NS, DNAME and SOA rdata in plain Python, and the text must be dnspython's to the byte (the
zone-file source writes through dnspython; tests/integration/test_dns_parity.py compares
the two sources on the sample zones). Differential: every record of every test zone, then
generated ones (escaped labels, compression pointers, long TXT, zero runs in AAAA), then
raw rdata bytes, where both must also refuse the same malformed data."""

from __future__ import annotations

from pathlib import Path

import dns.exception
import dns.message
import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.zone
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailauth.dns import present, wire
from mailauth.dns.answer import make_answer
from mailauth.dns.interface import DnsAnswer
from mailauth.dns.live import _answer
from mailauth.dns.zonefile import zone_origin

REPO = Path(__file__).resolve().parents[3]
ZONE_DIRS = (REPO / "samples" / "zones", REPO / "tests" / "data" / "zones")
IN = dns.rdataclass.IN


def _zones() -> list[dns.zone.Zone]:
    out = []
    for directory in ZONE_DIRS:
        for path in sorted(directory.rglob("*.zone")):
            try:
                zone = dns.zone.from_file(
                    str(path), origin=zone_origin(path), relativize=False, check_origin=False
                )
            except Exception:  # files that test the zone reader's errors
                continue
            out.append(zone)
    return out


def live_answer(rrset: dns.rrset.RRset) -> DnsAnswer:
    """The answer LiveSource builds from `rrset` sent in a reply (names compressed)."""
    qname = rrset.name.to_text(omit_final_dot=True).lower()
    query = dns.message.make_query(rrset.name, rrset.rdtype)
    reply = dns.message.make_response(query)
    reply.answer.append(rrset)
    parsed = wire.parse_reply(reply.to_wire())
    labels = wire.labels_of(rrset.name)
    records = parsed.find(labels, int(rrset.rdtype))
    assert len(records) == len(rrset)
    return _answer(qname, dns.rdatatype.to_text(rrset.rdtype), parsed, records, [])


def dnspython_answer(rrset: dns.rrset.RRset) -> DnsAnswer:
    qname = rrset.name.to_text(omit_final_dot=True).lower()
    return make_answer(qname, dns.rdatatype.to_text(rrset.rdtype), rrset)


def test_every_record_of_the_test_zones_is_written_as_dnspython_writes_it() -> None:
    compared: dict[str, int] = {}
    for zone in _zones():
        for owner, rdataset in zone.iterate_rdatasets():
            if rdataset.rdclass != IN or rdataset.rdtype == dns.rdatatype.RRSIG:
                continue
            rrset = dns.rrset.RRset(owner, IN, rdataset.rdtype)
            rrset.update(rdataset)
            assert live_answer(rrset) == dnspython_answer(rrset), (owner, rdataset)
            key = dns.rdatatype.to_text(rdataset.rdtype)
            compared[key] = compared.get(key, 0) + len(rrset)
    # the data covers what present.py reads, and some types it leaves to dnspython
    for rdtype in ("TXT", "A", "AAAA", "MX", "CNAME", "NS", "SOA", "PTR"):
        assert compared.get(rdtype, 0) > 0, (rdtype, compared)
    assert set(compared) - {"TXT", "A", "AAAA", "MX", "CNAME", "NS", "SOA", "PTR"}


# -- generated records ---------------------------------------------------------------------

SPECIAL = b'"().;\\@$ \x00\x7f\x80\xff.Aa-_09'
label = st.binary(min_size=1, max_size=63) | st.lists(
    st.sampled_from([bytes([c]) for c in SPECIAL]), min_size=1, max_size=8
).map(b"".join)
names = (
    st.lists(label, min_size=0, max_size=6)
    .map(lambda labels: (*labels, b""))
    .filter(lambda labels: sum(len(x) + 1 for x in labels) <= 255)
    .map(dns.name.Name)
)
# Names sharing suffixes, so that dnspython's renderer compresses them.
suffixes = st.sampled_from([dns.name.from_text(t) for t in ("example.jp.", "A.b.", ".")])
related = st.tuples(st.lists(label, max_size=2), suffixes).map(
    lambda t: (
        dns.name.Name(t[0]).concatenate(t[1])
        if sum(len(x) + 1 for x in t[0]) + len(t[1].to_wire()) <= 255
        else t[1]
    )
)
any_name = names | related
zero_heavy = st.lists(
    st.sampled_from([0, 0, 0, 1, 0xFFFF, 0x0DB8]) | st.integers(0, 0xFFFF), min_size=8, max_size=8
).map(lambda groups: b"".join(g.to_bytes(2, "big") for g in groups))


def _rdata(rdtype: str, value: object) -> dns.rdata.Rdata:
    t = dns.rdatatype.from_text(rdtype)
    cls = dns.rdata.get_rdata_class(IN, t)
    if rdtype == "A":
        return cls(IN, t, ".".join(str(b) for b in value))  # type: ignore[union-attr]
    if rdtype == "AAAA":
        return cls(IN, t, dns.ipv6.inet_ntoa(value))  # type: ignore[arg-type]
    if rdtype in ("CNAME", "NS", "PTR", "DNAME"):
        return cls(IN, t, value)
    if rdtype == "MX":
        pref, name = value  # type: ignore[misc]
        return cls(IN, t, pref, name)
    if rdtype in ("TXT", "SPF"):
        return cls(IN, t, value)
    mname, rname, numbers = value  # type: ignore[misc]
    return cls(IN, t, mname, rname, *numbers)


def values(rdtype: str) -> st.SearchStrategy[object]:
    if rdtype == "A":
        return st.binary(min_size=4, max_size=4)
    if rdtype == "AAAA":
        return zero_heavy | st.binary(min_size=16, max_size=16)
    if rdtype in ("CNAME", "NS", "PTR", "DNAME"):
        return any_name
    if rdtype == "MX":
        return st.tuples(st.integers(0, 65535), any_name)
    if rdtype in ("TXT", "SPF"):
        strings = st.binary(max_size=255) | st.binary(min_size=200, max_size=255)
        return st.lists(strings, min_size=1, max_size=12)
    u32 = st.integers(0, 2**32 - 1)
    return st.tuples(any_name, any_name, st.tuples(u32, u32, u32, u32, u32))


PRESENT_TYPES = ["A", "AAAA", "CNAME", "NS", "PTR", "DNAME", "MX", "TXT", "SPF", "SOA"]


@pytest.mark.parametrize("rdtype", PRESENT_TYPES)
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), owner=any_name)
def test_generated_records_are_written_as_dnspython_writes_them(
    rdtype: str, data: st.DataObject, owner: dns.name.Name
) -> None:
    rdatas = data.draw(st.lists(values(rdtype), min_size=1, max_size=4))
    rrset = dns.rrset.RRset(owner, IN, dns.rdatatype.from_text(rdtype))
    for value in rdatas:
        rrset.add(_rdata(rdtype, value))
    assert live_answer(rrset) == dnspython_answer(rrset)


# -- raw rdata: the same text, and the same refusals ----------------------------------------


def _dnspython_view(rdt: int, buf: bytes, offset: int, length: int) -> object:
    try:
        rd = dns.rdata.from_wire(IN, rdt, buf, offset, length)
    except (dns.exception.DNSException, ValueError):
        return "refused"
    answer = make_answer("x", dns.rdatatype.to_text(rdt), [rd])
    return answer.txt[0] if answer.txt else answer.rrs[0]


def _present_view(rdt: int, buf: bytes, offset: int, length: int) -> object:
    try:
        if rdt in present.TXT_TYPES:
            return present.txt_strings(buf, offset, length)
        return present.rdata_text(rdt, buf, offset, length)
    except ValueError:
        return "refused"


NAME_AT_0 = b"\x07example\x02jp\x00"
prefixes = st.sampled_from(
    [b"", NAME_AT_0, b"\x01a" + b"\xc0\x00", b"\x03ABC\x00\x00"]
) | st.binary(max_size=24)
pointer_heavy = st.lists(
    st.sampled_from(
        [b"\xc0\x00", b"\xc0\x02", b"\xc0\x0b", b"\xc0\x30", b"\x00", b"\x01a", b"\x40"]
    )
    | st.binary(max_size=6),
    max_size=8,
).map(b"".join)
raw_rdata = st.binary(max_size=40) | pointer_heavy
# Mostly well-formed names: labels, then the root or a pointer into NAME_AT_0 (or beyond).
wire_label = st.binary(min_size=1, max_size=5).map(lambda x: bytes([len(x)]) + x)
wire_name = st.tuples(
    st.lists(wire_label, max_size=3),
    st.sampled_from([b"\x00", b"\xc0\x00", b"\xc0\x08", b"\xc0\x0b", b"\xc0\x0c", b"\xc1\x00"]),
).map(lambda t: b"".join(t[0]) + t[1])


def structured(rdtype: str) -> st.SearchStrategy[bytes]:
    if rdtype == "MX":
        return st.tuples(st.binary(min_size=2, max_size=2), wire_name).map(b"".join)
    if rdtype == "SOA":
        return st.tuples(wire_name, wire_name, st.binary(min_size=19, max_size=21)).map(b"".join)
    if rdtype in ("TXT", "SPF"):
        counted = st.binary(max_size=8).map(lambda x: bytes([len(x)]) + x)
        return st.lists(counted, max_size=4).map(b"".join)
    return wire_name


@pytest.mark.parametrize("rdtype", PRESENT_TYPES)
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), prefix=prefixes, tail=st.binary(max_size=4))
def test_raw_rdata_is_read_and_refused_as_dnspython_does(
    rdtype: str, data: st.DataObject, prefix: bytes, tail: bytes
) -> None:
    rdata = data.draw(raw_rdata | structured(rdtype))
    rdt = int(dns.rdatatype.from_text(rdtype))
    buf = prefix + rdata + tail
    offset, length = len(prefix), len(rdata)
    assert _present_view(rdt, buf, offset, length) == _dnspython_view(rdt, buf, offset, length)


MALFORMED = [
    ("A", b"\x01\x02\x03"),
    ("AAAA", b"\x00" * 15),
    ("TXT", b""),
    ("TXT", b"\x05abc"),
    ("MX", b"\x00"),
    ("MX", b"\x00\x0a\x01a\x00\x00"),  # a byte after the name
    ("CNAME", b"\xc0\x0c"),  # points at itself: not backwards
    ("CNAME", b"\x41a\x00"),  # label type 01
    ("NS", b"\x01a"),  # no root label
    ("SOA", b"\x00\x00" + b"\x00" * 19),
    ("PTR", (b"\x3f" + b"a" * 63) * 4 + b"\x00"),  # 257 octets
]


@pytest.mark.parametrize(("rdtype", "rdata"), MALFORMED)
def test_malformed_rdata_raises_value_error(rdtype: str, rdata: bytes) -> None:
    rdt = int(dns.rdatatype.from_text(rdtype))
    buf = b"\x00" * 12 + rdata
    assert _dnspython_view(rdt, buf, 12, len(rdata)) == "refused"
    with pytest.raises(ValueError):
        if rdt in present.TXT_TYPES:
            present.txt_strings(buf, 12, len(rdata))
        else:
            present.rdata_text(rdt, buf, 12, len(rdata))


def test_a_malformed_record_in_an_answer_is_an_error_answer() -> None:
    query = dns.message.make_query("a.example.", "MX")
    good = dns.message.make_response(query)
    good.answer.append(dns.rrset.from_text("a.example.", 300, "IN", "MX", "10 mx.example."))
    data = bytearray(good.to_wire())
    data[-1] = 0xFF  # the exchange's root label becomes the start of an unknown label type
    reply = wire.parse_reply(bytes(data))
    records = reply.find((b"a", b"example", b""), 15)
    answer = _answer("a.example", "MX", reply, records, [])
    assert answer.rcode.value == "ERROR" and "malformed answer" in answer.detail


IPV6 = ["::", "::1", "::ffff:192.0.2.1", "::192.0.2.1", "2001:db8::", "1:0:0:2:0:0:0:3"]
IPV6 += ["1:0:1::", "0:0:1::", "2001:db8:0:0:1:0:0:1", "fe80::1:0:0:0", "0:0:0:0:0:1:0:0"]
IPV6 += ["::ffff:0:0", "::ffff:1:0", "0:0:0:0:0:ffff:0:1"]


@pytest.mark.parametrize("address", IPV6)
def test_ipv6_text_is_dnspython_s(address: str) -> None:
    binary = dns.ipv6.inet_aton(address)
    assert present.ipv6_text(binary) == dns.ipv6.inet_ntoa(binary)
