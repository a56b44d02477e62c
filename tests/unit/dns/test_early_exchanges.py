"""`early.exchanges`: which MX hosts the early follower asks about (dns/early.py) — those
the MX check looks up (domain/mx.py), read from replies dnspython writes."""

from __future__ import annotations

import dns.flags
import dns.message
import dns.rcode
import dns.rrset

from mailauth.dns import early
from mailauth.domain import mx


def reply(*rdatas: str, rcode: int = dns.rcode.NOERROR, flags: int = 0) -> bytes:
    query = dns.message.make_query("a.test", "MX")
    response = dns.message.make_response(query)
    response.set_rcode(rcode)
    response.flags |= flags
    if rdatas:
        response.answer.append(dns.rrset.from_text("a.test.", 300, "IN", "MX", *rdatas))
    return response.to_wire()


def test_the_cap_is_the_checks() -> None:
    assert early.MAX_MX_HOSTS == mx.MAX_MX_HOSTS


def test_by_preference_lower_cased_without_the_root_or_addresses() -> None:
    got = early.exchanges(reply("20 B.a.test.", "10 mx.a.test.", "0 .", "5 192.0.2.1."))
    assert got == ["mx.a.test", "b.a.test"]


def test_at_most_the_checks_number_of_hosts() -> None:
    hosts = [f"{n} h{n:02}.a.test." for n in range(15, 0, -1)]
    assert early.exchanges(reply(*hosts)) == [f"h{n:02}.a.test" for n in range(1, 11)]


def test_nothing_from_a_reply_the_client_would_not_use_as_is() -> None:
    assert early.exchanges(reply(rcode=dns.rcode.NXDOMAIN)) == []
    assert early.exchanges(reply("10 mx.a.test.", rcode=dns.rcode.SERVFAIL)) == []
    assert early.exchanges(reply("10 mx.a.test.", flags=dns.flags.TC)) == []  # over TCP
    assert early.exchanges(reply()) == []  # NODATA
    assert early.exchanges(b"\x00\x01garbage") == []
    assert early.exchanges(reply("10 mx.a.test.")[:-3]) == []  # cut short


def test_reply_matches_as_the_multiplexer_judges() -> None:
    query = dns.message.make_query("a.test", "MX").to_wire()
    question = early.question_section(query)
    assert early.reply_matches(reply("10 mx.a.test."), question)
    assert not early.reply_matches(query, question)  # not a reply
    other = dns.message.make_response(dns.message.make_query("b.test", "MX")).to_wire()
    assert not early.reply_matches(other, question)
