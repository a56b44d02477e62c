"""The built-in root anchors are built without dnspython's zone reader (start-up); they must
be exactly what reading the same lines as an anchor file gives."""

from __future__ import annotations

from mailauth.dns.trust_anchor import ROOT_ANCHORS, ROOT_DESCRIPTION, parse_anchors, root_anchors


def test_root_anchors_are_the_parsed_lines() -> None:
    built, parsed = root_anchors(), parse_anchors("\n".join(ROOT_ANCHORS), ROOT_DESCRIPTION)
    assert built == parsed
    assert len(built.ds) == 1 and not built.dnskey
    for name, rrset in built.ds.items():
        other = parsed.ds[name]
        assert (rrset.name, rrset.rdclass, rrset.rdtype, rrset.ttl) == (
            other.name,
            other.rdclass,
            other.rdtype,
            other.ttl,
        )
        assert sorted(r.to_text() for r in rrset) == sorted(r.to_text() for r in other)
        assert len(rrset) == len(ROOT_ANCHORS) == 2
