"""MX answers carry the addresses the server volunteered for the exchanges (`DnsAnswer.hints`,
RFC 1035 §3.3.9 additional section processing), and the MX check starts the PTR lookups of
those addresses early (issue 10: one round trip fewer) without their changing any result.

Against knotd on loopback (an authoritative server adds the A/AAAA of in-zone MX targets),
and, for the edge case of hints that do not match the host's real addresses (a resolver's
stale additional data), a small source that adds wrong hints to real answers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace

from tests.support.knot import KnotServer

from mailauth.dns.cache import CachingSource
from mailauth.dns.interface import DnsAnswer, DnsSource
from mailauth.dns.live import LiveSource
from mailauth.dns.zonefile import ZoneSource
from mailauth.domain.context import CheckContext, CheckOptions
from mailauth.domain.mx import MxReport, check_mx


@dataclass
class Hinting:
    """Answers of `inner`, with `hints` put on every MX answer (none: hints taken away)."""

    inner: DnsSource
    hints: tuple[tuple[str, str], ...] = ()
    log: list[tuple[str, str]] = field(default_factory=list)

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        self.log.append((name, rdtype))
        answer = await self.inner.query(name, rdtype)
        return replace(answer, hints=self.hints) if rdtype == "MX" else answer


def live(knot: KnotServer) -> LiveSource:
    return LiveSource([knot.address], timeout=3, retries=1)


def mx_report(source: DnsSource, domain: str, eager: bool = True) -> MxReport:
    ctx = CheckContext(CachingSource(source), CheckOptions(), eager=eager)
    return asyncio.run(check_mx(ctx, domain))


def test_live_mx_answer_carries_the_exchanges_addresses(knot_server: KnotServer) -> None:
    answer = asyncio.run(live(knot_server).query("example.jp", "MX"))
    assert sorted(answer.hints) == [
        ("mx1.example.jp", "192.0.2.25"),
        ("mx2.example.jp", "192.0.2.26"),
    ]
    # Hints are not part of the answer: the zone-file source, which has none, answers the same.
    offline = ZoneSource.from_paths(sorted(knot_server.zones.values())).lookup("example.jp", "MX")
    assert offline.hints == () and offline == answer
    # Only MX answers carry them, and only for their own exchanges.
    assert asyncio.run(live(knot_server).query("mx1.example.jp", "A")).hints == ()


def test_hints_change_no_mx_result(knot_server: KnotServer) -> None:
    for domain in ("example.jp", "broken.example", "toomany.example", "shop.example"):
        with_hints = mx_report(live(knot_server), domain)
        without = mx_report(Hinting(live(knot_server)), domain)
        assert with_hints == without, domain
        assert with_hints.findings == without.findings


def test_wrong_hints_are_only_extra_lookups(knot_server: KnotServer) -> None:
    """A hinted address the host does not have (stale additional data) is looked up early at
    most, never reported: the hosts' own A/AAAA decide what is checked."""
    honest = mx_report(Hinting(live(knot_server)), "example.jp")
    stale = Hinting(live(knot_server), hints=(("mx1.example.jp", "198.51.100.7"),))
    misled = mx_report(stale, "example.jp")
    assert misled == honest and misled.findings == honest.findings
    assert [a.address for h in misled.hosts for a in h.addresses] == ["192.0.2.25", "192.0.2.26"]
    # A hint for a host the MX answer does not name starts nothing.
    elsewhere = Hinting(live(knot_server), hints=(("other.example", "198.51.100.8"),))
    assert mx_report(elsewhere, "example.jp") == honest
    assert ("8.100.51.198.in-addr.arpa", "PTR") not in elsewhere.log


def test_early_lookups_only_when_eager(knot_server: KnotServer) -> None:
    """A domain checked alone starts the hinted PTR lookup at once; in a bulk run
    (`eager=False`, CPU-bound) nothing starts before its turn."""
    stale = (("mx1.example.jp", "198.51.100.7"),)
    alone, bulk = Hinting(live(knot_server), stale), Hinting(live(knot_server), stale)
    assert mx_report(alone, "example.jp") == mx_report(bulk, "example.jp", eager=False)
    early = ("7.100.51.198.in-addr.arpa", "PTR")
    assert early in alone.log and early not in bulk.log
    # The real address's PTR was asked before the host's own A was answered: in the log,
    # it comes before the A query (the MX answer is all it waited for).
    honest = Hinting(live(knot_server), (("mx1.example.jp", "192.0.2.25"),))
    mx_report(honest, "example.jp")
    ptr = honest.log.index(("25.2.0.192.in-addr.arpa", "PTR"))
    assert ptr < honest.log.index(("mx1.example.jp", "A"))
