"""The SPF evaluation trace: which record, which mechanism matched, each counted lookup."""

from __future__ import annotations

import asyncio

from mailauth.dns.interface import Rcode
from mailauth.dns.memory import MemorySource
from mailauth.message.parse import parse_message
from mailauth.message.received import parse_hop, receiving_hop
from mailauth.message.spf import SpfIdentity, evaluate_spf
from mailauth.model import Result

DNS = MemorySource(
    {
        "example.jp": {
            "TXT": ["v=spf1 ip4:192.0.2.0/25 include:_spf.esp.example redirect=r.example.jp"]
        },
        "_spf.esp.example": {"TXT": ["v=spf1 ip4:198.51.100.0/24 a:mx.esp.example -all"]},
        "mx.esp.example": {"A": ["198.51.100.25"]},
        "r.example.jp": {"TXT": ["v=spf1 mx -all"]},
    },
    failures={("down.example", "TXT"): Rcode.TIMEOUT},
)


def _eval(ip: str, sender: str = "a@example.jp") -> object:
    return asyncio.run(evaluate_spf(DNS, SpfIdentity(ip, "h.example", sender), 3))


def test_match_inside_include_is_traced() -> None:
    o = _eval("198.51.100.9")
    assert o.result is Result.PASS and o.mechanism == "include:_spf.esp.example"  # type: ignore[attr-defined]
    top, inc = o.records  # type: ignore[attr-defined]
    assert (top.entered_by, inc.entered_by, inc.depth) == ("top", "include", 1)
    assert [m.matched for m in top.mechanisms] == [False, True]
    # pyspf counts redirect= when it parses the record, so the include is lookup 2
    assert (top.redirect_counted, top.mechanisms[1].counted) == (1, 2)
    assert inc.mechanisms[0].matched


def test_no_match_falls_through_to_redirect_with_running_counts() -> None:
    o = _eval("203.0.113.1")
    assert o.result is Result.FAIL  # type: ignore[attr-defined]
    kinds = [r.entered_by for r in o.records]  # type: ignore[attr-defined]
    assert kinds == ["top", "include", "redirect"]
    redirect = o.records[2]  # type: ignore[attr-defined]
    assert redirect.lookups and redirect.lookups[0].name == "r.example.jp"
    mx = redirect.mechanisms[0]
    assert mx.kind == "mx" and not mx.matched and mx.counted == 4
    assert mx.lookups[0].rcode == "NODATA" and mx.lookups[0].void_count == 1
    assert o.lookups == 4 and o.void_lookups == 1  # type: ignore[attr-defined]


def test_dns_failure_is_temperror_not_system_resolver() -> None:
    o = _eval("192.0.2.1", "a@down.example")
    assert o.result is Result.TEMPERROR  # type: ignore[attr-defined]
    assert "TIMEOUT" in o.problem  # type: ignore[attr-defined]


def test_received_header_forms() -> None:
    hop = parse_hop(
        0,
        "from mail.example.jp (mail.example.jp [192.0.2.30])\r\n\tby mx (Postfix) with ESMTPS id 1",
    )
    assert (hop.helo, hop.ip, hop.by, hop.tls) == ("mail.example.jp", "192.0.2.30", "mx", True)
    hop = parse_hop(0, "from x (unknown [IPv6:2001:db8::1]) by mx with SMTP id 2")
    assert (hop.ip, hop.tls) == ("2001:db8::1", False)
    hop = parse_hop(0, "from a.tls.example (a [192.0.2.9]) by mx with ESMTP (TLS1.3 cipher=X)")
    assert hop.tls is True
    assert parse_hop(0, "by mx with LMTP; date").ip is None
    # an address literal as the HELO name, without brackets
    assert parse_hop(0, "from IPv6:2001:DB8::7 by mx with SMTP; date").ip == "2001:db8::7"
    assert parse_hop(0, "from 192.0.2.7 by mx with SMTP; date").ip == "192.0.2.7"


def test_receiving_hop_with_a_bare_ipv6_helo_literal() -> None:
    message = parse_message(b"Received: from IPv6:2001:db8::1 by mx; x\r\nFrom: a@b\r\n\r\n")
    hop = receiving_hop(message)
    assert hop is not None and hop.ip == "2001:db8::1"


def test_each_void_lookup_counts_even_for_a_name_asked_before() -> None:
    """RFC 7208 §4.6.4 limits the terms whose lookups come back empty, so the third `a` term
    naming the same missing host is the third void lookup: permerror, as pyspf counts it on
    its own (the bridge once answered the repeats from a cache without counting them)."""
    dns = MemorySource(
        {"example.com": {"TXT": ["v=spf1 a:nx.example a:nx.example a:nx.example -all"]}}
    )
    outcome = asyncio.run(evaluate_spf(dns, SpfIdentity("192.0.2.9", "h", "a@example.com"), 3))
    assert outcome.result is Result.PERMERROR
    assert "Void lookup limit" in outcome.problem
    two = MemorySource({"example.com": {"TXT": ["v=spf1 a:nx.example a:nx.example -all"]}})
    outcome = asyncio.run(evaluate_spf(two, SpfIdentity("192.0.2.9", "h", "a@example.com"), 3))
    assert (outcome.result, outcome.void_lookups) == (Result.FAIL, 2)
