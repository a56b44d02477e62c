"""The records of an unsigned answer to a signed query, written without dnspython.

The DNSSEC check asks every domain's SOA and DNSKEY with the DO bit (`dns/signed.py`), and
for an unsigned zone the SOA comes back without RRSIGs. Handing that one record to dnspython
(`wire.dnspython_rdatas`, then `to_text`) imported its rdata machinery, ~30 ms of a `mailauth
check`'s CPU while its first answers were on the way (issue 10), only to write a line that
`dns/present.py` writes too. So the types whose text `present` gives exactly as dnspython's
`to_text()` does (A, AAAA, and SOA: absolute names, case kept) are written there when no
signature covers them; anything signed (the validator needs dnspython's objects anyway) or
of another type still goes through dnspython. tests/unit/dns/test_signed_texts.py holds the
two to the same text on every such record of samples/zones and on generated ones.
"""

from __future__ import annotations

from mailauth.dns import present
from mailauth.dns.wire import Record

# The types whose `present.rdata_text` is dnspython's `rdata.to_text()`: not the name types
# or MX, which `present` writes as `DnsAnswer.rrs` holds them (lower-case, no final dot).
SAME_TEXT = frozenset({present.A, present.AAAA, present.SOA})


def unsigned_texts(
    wire: bytes, records: list[Record], signatures: list[Record]
) -> tuple[str, ...] | None:
    """`SignedAnswer.records` of `records` (one RRset, found in `wire`) when nothing signs
    them and `present` writes their type as dnspython does; else None (dnspython's turn).
    Raises ValueError for malformed rdata, as dnspython's path does."""
    if signatures or not records or records[0].rdtype not in SAME_TEXT:
        return None
    rdtype = records[0].rdtype
    # dnspython's RRset drops duplicate rdata by its own equality: for A and AAAA that is
    # byte equality; two SOA records (never legitimate) are left to dnspython.
    if rdtype == present.SOA and len(records) > 1:
        return None
    texts = {present.rdata_text(rdtype, wire, r.offset, r.length) for r in records}
    return tuple(sorted(texts))
