"""The live resolver path (LiveSource over UDP/TCP) against a real authoritative server,
knotd on loopback, serving samples/zones and tests/data/zones."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from tests.support.knot import KnotError, KnotServer, collect_zone_files, find_knotd, start_knot

from mailauth.dns.cache import CachingSource
from mailauth.dns.interface import DnsAnswer, Rcode
from mailauth.dns.live import LiveSource

SEM = "semantics.dns.test"


def q(dns: CachingSource | LiveSource, name: str, rdtype: str) -> DnsAnswer:
    return asyncio.run(dns.query(name, rdtype))


def test_fixture_exposes_address(knot_server: KnotServer) -> None:
    assert knot_server.host == "127.0.0.1"
    assert knot_server.nameserver == f"127.0.0.1:{knot_server.port}"
    assert knot_server.address == ("127.0.0.1", knot_server.port)
    assert {"example.jp", "bigtxt.dns.test", SEM} <= set(knot_server.zones)


def test_txt_keeps_character_strings(live_dns: CachingSource) -> None:
    a = q(live_dns, "s1._domainkey.example.jp", "TXT")
    assert a.rcode is Rcode.NOERROR
    (parts,) = a.txt
    assert parts[0] == b"v=DKIM1; k=rsa; " and len(parts) == 3
    assert all(len(p) <= 255 for p in parts)
    assert a.texts()[0] == b"".join(parts).decode()
    apex = q(live_dns, SEM, "TXT")
    assert apex.txt == ((b"apex", b"split", b"strings"),)
    assert apex.texts() == ["apexsplitstrings"]


def test_multiple_txt_records(live_dns: CachingSource) -> None:
    a = q(live_dns, "example.jp", "TXT")
    assert sorted(a.texts()) == [
        "google-site-verification=abc123",
        "v=spf1 ip4:192.0.2.0/25 include:_spf.esp.example -all",
    ]


def test_nxdomain_nodata_and_empty_non_terminal(live_dns: CachingSource) -> None:
    nx = q(live_dns, f"nope.{SEM}", "TXT")
    assert nx.rcode is Rcode.NXDOMAIN and nx.is_void and not nx.is_error
    nodata = q(live_dns, f"mx.{SEM}", "TXT")
    assert nodata.rcode is Rcode.NOERROR and nodata.is_nodata
    for ent in (f"c.{SEM}", f"b.c.{SEM}"):  # RFC 8020: exists because a.b.c exists
        a = q(live_dns, ent, "TXT")
        assert a.rcode is Rcode.NOERROR and a.is_nodata, ent


def test_tcp_fallback_for_large_answer(knot_server: KnotServer) -> None:
    live = LiveSource([knot_server.address], timeout=2, retries=0)
    a = q(live, "bigtxt.dns.test", "TXT")
    assert a.rcode is Rcode.NOERROR
    assert sum(len(s) for rec in a.txt for s in rec) > 1232
    big = max(a.txt, key=len)
    assert len(big) == 6 and all(len(s) == 250 for s in big)
    assert "v=spf1 -all" in a.texts()


def test_cname_chain_is_followed(live_dns: CachingSource) -> None:
    a = q(live_dns, f"chain1.{SEM}", "A")
    assert a.rcode is Rcode.NOERROR and a.rrs == ("192.0.2.10",)
    assert a.cnames == (f"chain2.{SEM}", f"mx.{SEM}")
    cross = q(live_dns, f"toexample.{SEM}", "MX")
    assert cross.cnames == ("example.jp",)
    assert cross.mx() == [(10, "mx1.example.jp"), (20, "mx2.example.jp")]
    own = q(live_dns, f"chain1.{SEM}", "CNAME")
    assert own.rrs == (f"chain2.{SEM}",) and own.cnames == ()


def test_cname_into_delegated_child_zone(live_dns: CachingSource) -> None:
    a = q(live_dns, f"tosub.{SEM}", "A")
    assert a.rrs == ("192.0.2.30",) and a.cnames == (f"www.sub.{SEM}",)


def test_dangling_cname_is_nxdomain_of_the_target(live_dns: CachingSource) -> None:
    a = q(live_dns, f"dangling.{SEM}", "A")
    assert a.rcode is Rcode.NXDOMAIN and a.cnames == (f"missing.{SEM}",)


def test_cname_loop_is_servfail_not_hang(live_dns: CachingSource) -> None:
    a = q(live_dns, f"loop1.{SEM}", "A")
    assert a.rcode is Rcode.SERVFAIL and a.detail == "CNAME loop"
    assert q(live_dns, f"self.{SEM}", "TXT").rcode is Rcode.SERVFAIL


def test_wildcards(live_dns: CachingSource) -> None:
    assert q(live_dns, f"any.wild.{SEM}", "TXT").texts() == ["wildcard"]
    assert q(live_dns, f"a.b.wild.{SEM}", "TXT").texts() == ["wildcard"]
    assert q(live_dns, f"exists.wild.{SEM}", "TXT").is_nodata  # an existing name blocks it


def test_names_and_types_are_normalised(live_dns: CachingSource) -> None:
    a = q(live_dns, "MX1.Example.JP.", "a")
    assert a.qname == "mx1.example.jp" and a.rdtype == "A" and a.rrs == ("192.0.2.25",)
    mx = q(live_dns, "noreply.example.jp", "MX")
    assert mx.rrs == ("0 .",)


def test_names_outside_test_zones_are_nxdomain(live_dns: CachingSource) -> None:
    # knot also serves a root zone, so the world looks like the Internet: NXDOMAIN, not REFUSED
    assert q(live_dns, "unknown-tld-xyz", "TXT").rcode is Rcode.NXDOMAIN
    assert q(live_dns, "jp", "TXT").is_nodata


def test_referral_from_non_recursive_server_is_an_error(live_dns: CachingSource) -> None:
    a = q(live_dns, f"x.orphan.{SEM}", "TXT")
    assert a.rcode is Rcode.ERROR and "referral" in a.detail


def test_ipv6_loopback(knot_server: KnotServer) -> None:
    if not knot_server.ipv6:
        return
    live = LiveSource([("::1", knot_server.port)], timeout=2, retries=0)
    assert q(live, "mx1.example.jp", "A").rrs == ("192.0.2.25",)


def test_concurrent_queries(live_dns: CachingSource) -> None:
    names = [f"mx{i}.example.jp" for i in (1, 2)] * 20 + ["www.example.jp"]

    async def run() -> list[DnsAnswer]:
        return await asyncio.gather(*(live_dns.query(n, "A") for n in names))

    answers = asyncio.run(run())
    assert all(a.rcode is Rcode.NOERROR for a in answers)
    assert live_dns.stats.queries == 3


def test_a_zone_knot_refuses_is_named_with_its_file(
    knot_server: KnotServer, tmp_path: Path
) -> None:
    good = tmp_path / "good.test.zone"
    good.write_text("@ 60 IN SOA a. b. 1 1 1 1 1\n@ 60 IN TXT ok\n")
    bad = tmp_path / "bad.test.zone"  # no SOA: Knot cannot load it
    bad.write_text("@ 60 IN TXT no soa\n")
    knotd = find_knotd()
    assert knotd is not None
    with pytest.raises(KnotError) as exc:
        start_knot([good, bad], knotd).stop()
    message = str(exc.value)
    assert "bad.test." in message and str(bad) in message
    assert "good.test." not in message


def test_knot_skip_mark(tmp_path: Path) -> None:
    (tmp_path / "a.test.zone").write_text("@ 60 IN SOA a. b. 1 1 1 1 1\n")
    (tmp_path / "b.test.zone").write_text(
        "; knot: skip (CNAME and other data)\nx 60 IN A 1.2.3.4\n"
    )
    assert [p.name for p in collect_zone_files([tmp_path])] == ["a.test.zone"]


def test_dkim_probes_stop_at_an_nxdomain_domainkey(live_dns: CachingSource) -> None:
    """knot says NXDOMAIN at `_domainkey.toomany.example` (no key below it) and NOERROR at
    `_domainkey.example.jp` (an empty non-terminal above its keys): the DKIM check sends 3
    queries for the first and probes every selector for the second, and its reports are the
    zone files' reports (issue 10, RFC 8020)."""
    from mailauth.dns.zonefile import ZoneSource
    from mailauth.domain.context import CheckContext
    from mailauth.domain.dkim import check_dkim
    from mailauth.domain.dkim_selectors import COMMON_SELECTORS

    zones = ZoneSource.from_paths(sorted(Path("samples/zones").glob("*.zone")))
    assert q(live_dns, "_domainkey.toomany.example", "TXT").rcode is Rcode.NXDOMAIN
    assert q(live_dns, "_domainkey.example.jp", "TXT").rcode is Rcode.NOERROR
    for domain, asked in (("toomany.example", 3), ("example.jp", 1 + len(COMMON_SELECTORS))):
        before = live_dns.stats.queries
        live = asyncio.run(check_dkim(CheckContext(live_dns), domain))
        sent = live_dns.stats.queries - before
        assert sent == asked - 1, domain  # `_domainkey` itself was asked above
        assert live == asyncio.run(check_dkim(CheckContext(zones), domain)), domain
        assert sorted(live.tried) == sorted(COMMON_SELECTORS), domain
    assert [s.selector for s in live.selectors] == ["s1", "s2"]
