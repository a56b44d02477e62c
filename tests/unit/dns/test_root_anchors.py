"""The built-in root anchors are built without dnspython's zone reader (start-up); they must
be exactly what reading the same lines as an anchor file gives."""

from __future__ import annotations

from mailauth.dns.trust_anchor import ROOT_ANCHORS, ROOT_DESCRIPTION, parse_anchors, root_anchors


def test_root_anchors_are_the_parsed_lines() -> None:
    built, parsed = root_anchors(), parse_anchors("\n".join(ROOT_ANCHORS), ROOT_DESCRIPTION)
    assert built == parsed
    assert list(built.ds) == [""] and not built.dnskey
    rrset, other = built.ds_rrset(""), parsed.ds_rrset("")
    assert (rrset.name, rrset.rdclass, rrset.rdtype, rrset.ttl) == (
        other.name,
        other.rdclass,
        other.rdtype,
        other.ttl,
    )
    assert rrset == other and len(rrset) == len(ROOT_ANCHORS) == 2
    assert [r.to_text() for r in rrset] == [line.split(" DS ", 1)[1] for line in ROOT_ANCHORS]
