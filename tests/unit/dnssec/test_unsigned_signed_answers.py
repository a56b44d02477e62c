"""Signed queries whose answer carries no signature (an unsigned zone's SOA, an address):
knotd over the wire (written by dns/signed_texts.py, without dnspython) and the zone files
(dnspython) must give the same records, as they do for signed ones (test_dnssec_check.py)."""

from __future__ import annotations

import asyncio

import pytest

from mailauth.dns.cache import CachingSource

QUESTIONS = [
    ("example.jp", "SOA"),
    ("broken.example", "SOA"),
    ("toomany.example", "SOA"),
    ("broken.example", "A"),
    ("mail.broken.example", "A"),  # a CNAME: a signed query does not follow it
    ("v6web.fetch.test", "AAAA"),
    ("mapped.fetch.test", "AAAA"),
    ("other-types.domain.test", "SOA"),
    ("toomany.example", "DNSKEY"),  # unsigned: no records
    ("unsigned.dnssec.test", "SOA"),
    ("missing-ds.dnssec.test", "SOA"),  # signed (no DS): dnspython's path on both
]


@pytest.mark.parametrize(("name", "rdtype"), QUESTIONS)
def test_unsigned_records_are_the_same_live_and_offline(
    zone_dns: CachingSource, live_dns: CachingSource, name: str, rdtype: str
) -> None:
    offline = asyncio.run(zone_dns.query_signed(name, rdtype))
    live = asyncio.run(live_dns.query_signed(name, rdtype))
    assert (live.rcode, live.records, live.rrsigs) == (
        offline.rcode,
        offline.records,
        offline.rrsigs,
    )
    if rdtype != "DNSKEY" and name != "mail.broken.example":
        assert live.records  # the question has an answer: not a test of two empty sets
