"""An unsigned RRset in a signed answer, written without dnspython (dns/signed_texts.py),
against the path it short-cuts (`wire.dnspython_rdatas` then `signed.make_signed`): the same
records on every A, AAAA and SOA RRset of the test zones and on generated ones (escaped and
mixed-case names, compression, duplicates), and dnspython's turn for everything else."""

from __future__ import annotations

from pathlib import Path

import dns.message
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.zone
import pytest

from mailauth.dns import wire
from mailauth.dns.signed import make_signed
from mailauth.dns.signed_texts import unsigned_texts

REPO = Path(__file__).resolve().parents[3]
ZONES = sorted((REPO / "samples" / "zones").glob("*.zone")) + sorted(
    (REPO / "tests" / "data").rglob("*.zone")
)
TYPES = ("A", "AAAA", "SOA")


def _reply(rrsets: list[dns.rrset.RRset]) -> wire.Reply:
    query = dns.message.make_query(rrsets[0].name, rrsets[0].rdtype)
    response = dns.message.make_response(query)
    response.answer.extend(rrsets)
    return wire.parse_reply(response.to_wire())


def _both(rrsets: list[dns.rrset.RRset]) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    """(this module's records, dnspython's) for the first RRset, as `_query_signed` finds
    it in the reply (owner and type), the signatures at its owner included."""
    first = rrsets[0]
    reply = _reply(rrsets)
    labels = tuple(label.lower() for label in first.name.labels)
    records = reply.find(labels, first.rdtype)
    sigs = reply.signatures(labels, first.rdtype)
    ours = unsigned_texts(reply.wire, records, sigs)
    theirs = make_signed(
        "q",
        dns.rdatatype.to_text(first.rdtype),
        wire.dnspython_rdatas(reply.wire, records),
        wire.dnspython_rdatas(reply.wire, sigs),
    )
    return ours, theirs.records


def _zone_rrsets() -> list[dns.rrset.RRset]:
    out = []
    for path in ZONES:
        try:
            zone = dns.zone.from_file(str(path), relativize=False, check_origin=False)
        except Exception:  # the hostile test zones: not this test's subject
            continue
        for owner, rdataset in zone.iterate_rdatasets():
            if dns.rdatatype.to_text(rdataset.rdtype) in TYPES:
                out.append(dns.rrset.from_rdata_list(owner, rdataset.ttl, list(rdataset)))
    return out


def test_every_zone_rrset_is_written_as_dnspython_writes_it() -> None:
    rrsets = _zone_rrsets()
    assert len(rrsets) > 50  # the sample and test zones, not an empty glob
    for rrset in rrsets:
        ours, theirs = _both([rrset])
        assert ours is not None, rrset
        assert ours == theirs, rrset


def _rrset(owner: str, rdtype: str, *texts: str) -> dns.rrset.RRset:
    return dns.rrset.from_text_list(owner, 300, "IN", rdtype, list(texts))


GENERATED = [
    _rrset("Example.JP.", "SOA", "NS1.Example.JP. Host\\.Master.example.jp. 1 2 3 4 5"),
    _rrset("x.example.", "SOA", ". . 4294967295 0 0 0 0"),
    _rrset("x.example.", "SOA", "a\\032b.x.example. \\255x.example. 1 2 3 4 5"),
    _rrset("x.example.", "SOA", 'a\\"b.x.example. a\\;b\\(c\\).x.example. 1 2 3 4 5'),
    _rrset("x.example.", "A", "192.0.2.1", "192.0.2.1", "10.0.0.255"),
    _rrset("x.example.", "AAAA", "2001:db8::1", "::ffff:192.0.2.1", "::192.0.2.1", "fe80::"),
    _rrset("x.example.", "AAAA", "2001:db8:0:0:1:0:0:1", "2001:db8::1"),
]


@pytest.mark.parametrize("rrset", GENERATED, ids=lambda r: f"{r.name} {r.rdtype!r}")
def test_generated_rrsets_are_written_as_dnspython_writes_them(rrset: dns.rrset.RRset) -> None:
    ours, theirs = _both([rrset])
    assert ours is not None
    assert ours == theirs


def test_signed_or_other_rrsets_are_left_to_dnspython() -> None:
    soa = _rrset("x.example.", "SOA", "a.x.example. b.x.example. 1 2 3 4 5")
    sig = _rrset(
        "x.example.",
        "RRSIG",
        "SOA 13 2 300 20300101000000 20200101000000 12345 x.example. AAAA",
    )
    ours, theirs = _both([soa, sig])
    assert ours is None and theirs  # signed: dnspython parses it for the validator
    for other in (
        _rrset("x.example.", "MX", "10 Mail.x.example."),  # present writes it lower-case
        _rrset("x.example.", "NS", "ns1.x.example."),
        _rrset("x.example.", "TXT", '"v=spf1 -all"'),
        _rrset("x.example.", "DNSKEY", "257 3 13 AAAA"),
    ):
        assert _both([other])[0] is None, other
    # Two SOA records (dnspython's own RRset holds one: built from the wire by hand): its
    # equality decides what is a duplicate, so they go to dnspython.
    soa_reply = _reply([soa])
    record = soa_reply.answer[0]
    assert unsigned_texts(soa_reply.wire, [record], []) is not None
    assert unsigned_texts(soa_reply.wire, [record, record], []) is None
