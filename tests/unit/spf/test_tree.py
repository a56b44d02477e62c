"""The domain-mode walker: counting over every branch, loops, caps, failures, concurrency."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from mailauth.dns.interface import DnsAnswer, Rcode
from mailauth.dns.memory import MemorySource
from mailauth.domain.spf_tree import (
    MAX_DEPTH,
    MAX_QUERIES,
    NodeState,
    SpfTree,
    spf_lookup_tree,
)


@dataclass
class OverlapSource(MemorySource):
    """A MemorySource whose answers take a moment, recording how many queries were in flight
    at once, so a test can prove that one level's includes are fetched concurrently."""

    delay: float = 0.01
    in_flight: int = 0
    max_in_flight: dict[str, int] = field(default_factory=dict)

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        self.in_flight += 1
        key = rdtype.upper()
        self.max_in_flight[key] = max(self.max_in_flight.get(key, 0), self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            return self.lookup(name, rdtype)
        finally:
            self.in_flight -= 1


def tree(records: dict, domain: str = "example.com", **kw: object) -> SpfTree:
    return asyncio.run(spf_lookup_tree(MemorySource(records, **kw), domain))  # type: ignore[arg-type]


def test_counts_every_branch_with_breakdown() -> None:
    t = tree(
        {
            "example.com": {"TXT": ["v=spf1 a mx include:a.example include:b.example -all"]},
            "a.example": {"TXT": ["v=spf1 a:x.a.example include:c.example ~all"]},
            "b.example": {"TXT": ["v=spf1 ip4:192.0.2.1 -all"]},
            "c.example": {"TXT": ["v=spf1 exists:c.example ptr -all"], "A": ["192.0.2.9"]},
            "x.a.example": {"A": ["192.0.2.2"]},
        }
    )
    assert t.dns_lookups == 2 + 1 + 1 + 1 + 2 + 1  # a mx inc(a) [a: inc(c) [exists ptr]] inc(b)
    inc_a = t.root.terms[2].child
    assert inc_a is not None
    assert (inc_a.own_lookups, inc_a.total_lookups) == (2, 4)
    assert t.root.terms[3].child is not None and t.root.terms[3].child.total_lookups == 0
    assert t.root.terms[0].void  # example.com has no A / AAAA
    assert t.root.terms[1].void  # and no MX
    assert t.void_lookups == 2
    assert t.lookup_tipping is None


def test_tipping_point_is_the_first_lookup_over_the_limit_in_evaluation_order() -> None:
    records = {
        "example.com": {
            "TXT": ["v=spf1 a a a include:big.example include:small.example -all"],
            "A": ["192.0.2.1"],
        },
        "big.example": {"TXT": ["v=spf1 " + " ".join(["a:h.example"] * 8) + " -all"]},
        "small.example": {"TXT": ["v=spf1 a:h.example -all"]},
        "h.example": {"A": ["192.0.2.2"]},
    }
    t = tree(records)
    assert t.dns_lookups == 3 + 1 + 8 + 1 + 1
    assert t.lookup_tipping is not None
    assert t.lookup_tipping.count == 11
    assert t.lookup_tipping.top == "include:big.example"
    assert t.lookup_tipping.path == ("include:big.example",)


def test_include_loop_a_b_a_is_detected_and_finishes() -> None:
    t = tree(
        {
            "example.com": {"TXT": ["v=spf1 include:b.example -all"]},
            "b.example": {"TXT": ["v=spf1 include:example.com -all"]},
        }
    )
    assert t.loops == [("example.com", "b.example", "example.com")]
    b = t.root.terms[0].child
    assert b is not None and b.terms[0].child is not None
    assert b.terms[0].child.state is NodeState.LOOP


def test_self_redirect_is_a_loop() -> None:
    t = tree({"example.com": {"TXT": ["v=spf1 ip4:192.0.2.1 redirect=example.com"]}})
    assert t.loops == [("example.com", "example.com")]


def test_hundred_nested_includes_finish_fast_and_are_marked_truncated() -> None:
    records = {"example.com": {"TXT": ["v=spf1 include:n1.example -all"]}}
    for i in range(1, 101):
        records[f"n{i}.example"] = {"TXT": [f"v=spf1 include:n{i + 1}.example -all"]}
    src = MemorySource(records)
    start = time.monotonic()
    t = asyncio.run(spf_lookup_tree(src, "example.com"))
    assert time.monotonic() - start < 2
    assert t.truncated
    assert t.dns_lookups == MAX_DEPTH + 1
    assert t.dns_lookups > 10
    assert len(src.log) <= MAX_DEPTH + 3  # one TXT query per level, plus the root's TXT/SPF


def test_hostile_record_with_thousands_of_terms_is_bounded() -> None:
    terms = " ".join(f"a:h{i}.example" for i in range(3000))
    src = MemorySource({"example.com": {"TXT": [[f"v=spf1 {terms} -all".encode()]]}})
    t = asyncio.run(spf_lookup_tree(src, "example.com"))
    assert t.dns_lookups == 3000
    assert t.truncated
    assert len(src.log) <= MAX_QUERIES + 2


def test_diamond_counts_each_occurrence_but_queries_once() -> None:
    src = MemorySource(
        {
            "example.com": {"TXT": ["v=spf1 include:x.example include:y.example -all"]},
            "x.example": {"TXT": ["v=spf1 include:shared.example -all"]},
            "y.example": {"TXT": ["v=spf1 include:shared.example -all"]},
            "shared.example": {"TXT": ["v=spf1 a:m.shared.example -all"]},
            "m.shared.example": {"A": ["192.0.2.1"]},
        }
    )
    t = asyncio.run(spf_lookup_tree(src, "example.com"))
    assert t.dns_lookups == 2 + 2 * (1 + 1)
    assert src.log.count(("shared.example", "TXT")) == 1


def test_servfail_on_one_include_is_a_temperror_on_that_term_only() -> None:
    t = tree(
        {
            "example.com": {"TXT": ["v=spf1 include:ok.example include:bad.example -all"]},
            "ok.example": {"TXT": ["v=spf1 a:h.ok.example -all"]},
            "h.ok.example": {"A": ["192.0.2.1"]},
        },
        failures={("bad.example", "TXT"): Rcode.SERVFAIL},
    )
    ok, bad = t.root.terms
    assert ok.rcode is None and ok.child is not None and ok.child.state is NodeState.OK
    assert bad.rcode is Rcode.SERVFAIL and bad.rdtype == "TXT"
    assert bad.child is not None and bad.child.state is NodeState.LOOKUP_FAILED
    assert t.dns_lookups == 3


def test_root_lookup_failure_and_missing_record() -> None:
    failed = tree({}, failures={("example.com", "*"): Rcode.TIMEOUT})
    assert failed.root.state is NodeState.LOOKUP_FAILED and failed.root.rcode is Rcode.TIMEOUT
    missing = tree({"example.com": {"TXT": ["v=spf10 not spf", "other"]}})
    assert missing.root.state is NodeState.NO_SPF
    assert missing.dns_lookups == 0


def test_record_selection_is_case_insensitive_and_multiple_is_flagged() -> None:
    t = tree({"example.com": {"TXT": ["V=SPF1 -all", "v=spf1 +all", "v=spf10"]}})
    assert t.root.state is NodeState.MULTIPLE
    assert t.root.records == ("V=SPF1 -all", "v=spf1 +all")


def test_txt_strings_are_joined_without_spaces_and_kept() -> None:
    t = tree({"example.com": {"TXT": [["v=spf1 ip4:", "192.0.2.5 -all"]]}})
    assert t.root.record == "v=spf1 ip4:192.0.2.5 -all"
    assert t.root.strings == (b"v=spf1 ip4:", b"192.0.2.5 -all")


def test_domain_macros_are_expanded_client_macros_are_not() -> None:
    t = tree(
        {
            "example.com": {"TXT": ["v=spf1 include:_spf.%{d} include:%{i}._ip.%{d} -all"]},
            "_spf.example.com": {"TXT": ["v=spf1 a:%{o} -all"]},
        }
    )
    first, second = t.root.terms
    assert first.child is not None and first.child.domain == "_spf.example.com"
    assert first.child.terms[0].target == "example.com"  # %{o}: the domain being checked
    assert second.child is not None and second.child.state is NodeState.MACRO
    assert t.dns_lookups == 3


def test_void_lookup_limit_matches_the_conformance_scenarios() -> None:
    over = tree(
        {
            "e11.example.com": {
                "TXT": ["v=spf1 a:err.example.com a:err1.example.com a:err2.example.com ?all"]
            }
        },
        "e11.example.com",
    )
    at = tree(
        {"e12.example.com": {"TXT": ["v=spf1 a:err.example.com a:err1.example.com ?all"]}},
        "e12.example.com",
    )
    assert (over.void_lookups, at.void_lookups) == (3, 2)
    assert over.void_tipping is not None and over.void_tipping.term == "a:err2.example.com"


def test_processing_limit_scenarios_of_the_rfc7208_suite() -> None:
    """The domain-mode count for the suite's "Processing limits" zone data (see the
    spf_tree module docstring for how it relates to the per-IP expectations)."""
    inc = {"TXT": ["v=spf1 a a a a a a a a"], "A": ["1.2.3.10"]}
    e6 = {
        "TXT": ["v=spf1 a mx a mx a mx a mx a ptr ip4:1.2.3.4 -all"],
        "A": ["1.2.3.8"],
        "MX": ["10 e6.example.com"],
    }
    e7 = {"TXT": ["v=spf1 a mx a mx a mx a mx a ptr a ip4:1.2.3.4 -all"], "A": ["1.2.3.20"]}
    e8 = {"TXT": ["v=spf1 a include:inc.example.com ip4:1.2.3.4 mx -all"], "A": ["1.2.3.4"]}
    e9 = {"TXT": ["v=spf1 a include:inc.example.com a ip4:1.2.3.4 -all"], "A": ["1.2.3.21"]}
    mx = {
        "TXT": ["v=spf1 mx"],
        "A": ["1.2.3.5"],
        "MX": [f"{i} mail.example.com" for i in range(10)] + ["10 e4.example.com"],
    }
    zone = {
        "inc.example.com": inc,
        "e6.example.com": e6,
        "e7.example.com": e7,
        "e8.example.com": e8,
        "e9.example.com": e9,
        "e4.example.com": mx,
        "e1.example.com": {"TXT": ["v=spf1 ip4:1.1.1.1 redirect=e1.example.com"]},
        "e2.example.com": {"TXT": ["v=spf1 include:e3.example.com"]},
        "e3.example.com": {"TXT": ["v=spf1 include:e2.example.com"]},
    }
    count = {
        d: tree(zone, d).dns_lookups for d in ("e6", "e7", "e8", "e9") for d in [f"{d}.example.com"]
    }
    assert count == {
        "e6.example.com": 10,
        "e7.example.com": 11,
        "e8.example.com": 11,
        "e9.example.com": 11,
    }
    assert tree(zone, "e1.example.com").loops and tree(zone, "e2.example.com").loops
    assert tree(zone, "e4.example.com").root.terms[0].mx_names == 11


def test_terms_after_all_and_ignored_redirect_are_not_counted() -> None:
    t = tree({"example.com": {"TXT": ["v=spf1 -all a mx redirect=x.example"]}})
    assert t.dns_lookups == 0
    assert t.root.terms == []


def test_includes_of_one_level_are_queried_concurrently() -> None:
    records = {
        "example.com": {
            "TXT": ["v=spf1 " + " ".join(f"include:i{i}.example" for i in range(6)) + " -all"]
        }
    }
    for i in range(6):
        records[f"i{i}.example"] = {"TXT": [f"v=spf1 include:j{i}.example -all"]}
        records[f"j{i}.example"] = {"TXT": ["v=spf1 a:h.example -all"]}
    records["h.example"] = {"A": ["192.0.2.1"]}
    # Answers slow enough that a busy machine's scheduling delays are small beside them
    # (with 20 ms answers the 0.2 s bound was mostly start-up time under load).
    delay = 0.2
    src = OverlapSource(records, delay=delay)
    start = time.monotonic()
    t = asyncio.run(spf_lookup_tree(src, "example.com"))
    elapsed = time.monotonic() - start
    assert t.dns_lookups == 6 * 3
    assert src.max_in_flight["TXT"] >= 6  # all six includes of a level at once
    # four levels of round trips (root, i*, j*, the a: lookups), not 6 + 6 + 6 sequential ones
    assert elapsed < delay * 10
