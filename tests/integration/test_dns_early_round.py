"""A round of queries sent before the DNS client exists (dns/early.py), taken over by its
multiplexer (dns/mux.py `adopt`, `udp`'s claim): against the fault-injecting loopback
server, whose log shows what reached it.

An early query is used only by a query with the same bytes to the same server; the reply
is judged by the usual rules (sender, id, question), whether it was read before the claim
or after; its attempt is timed from when it left; an early query nobody claims costs
nothing but its datagram.
"""

from __future__ import annotations

import asyncio
import socket
import time

from tests.support.faultdns import Fault, FaultDnsServer

from mailauth.dns import early
from mailauth.dns.interface import Rcode
from mailauth.dns.live import LiveSource

QUESTIONS = [("a.test", "TXT"), ("b.test", "TXT"), ("a.test", "MX"), ("c.test", "A")]


def records(server: FaultDnsServer) -> None:
    server.add("a.test", "TXT", "v=spf1 -all")
    server.add("b.test", "TXT", "hello")
    server.add("a.test", "MX", "10 mx.a.test.")
    server.add("c.test", "A", "192.0.2.1")


def sent_early(server: FaultDnsServer, questions: list[tuple[str, str]]) -> early.EarlyRound:
    round_ = early.send_round(server.address, questions)
    assert round_ is not None
    return round_


def test_early_queries_are_taken_over_not_sent_again(fault_dns: FaultDnsServer) -> None:
    records(fault_dns)
    live = LiveSource([fault_dns.address], timeout=5, retries=0)
    live.adopt_early(sent_early(fault_dns, QUESTIONS))

    async def ask() -> list[object]:
        return list(await asyncio.gather(*(live.query(n, t) for n, t in QUESTIONS)))

    answers = asyncio.run(ask())
    fresh = LiveSource([fault_dns.address], timeout=5, retries=0)
    expected = asyncio.run(asyncio.wait_for(_all(fresh, QUESTIONS), 10))
    assert answers == expected
    asked = [q for q in fault_dns.log if q[2] == "udp"]
    assert sorted(asked) == sorted([(n, t, "udp") for n, t in QUESTIONS] * 2)  # once each
    assert live.mux.open_sockets == 1  # the early socket is the client's own now
    live.close()
    fresh.close()


async def _all(live: LiveSource, questions: list[tuple[str, str]]) -> list[object]:
    return list(await asyncio.gather(*(live.query(n, t) for n, t in questions)))


def test_a_reply_read_before_the_claim_is_kept_for_it(fault_dns: FaultDnsServer) -> None:
    """The first claim reads every reply waiting on the socket; the others' are kept."""
    records(fault_dns)
    live = LiveSource([fault_dns.address], timeout=5, retries=0)
    live.adopt_early(sent_early(fault_dns, QUESTIONS))
    time.sleep(0.3)  # every reply is waiting in the socket's buffer

    async def one_by_one() -> list[object]:
        out = [await live.query("a.test", "TXT")]  # reads all four replies
        for name, rdtype in QUESTIONS[1:]:
            out.append(await live.query(name, rdtype))
        return out

    answers = asyncio.run(one_by_one())
    assert [a.rcode for a in answers] == [Rcode.NOERROR] * 4  # type: ignore[attr-defined]
    assert answers[1].texts() == ["hello"]  # type: ignore[attr-defined]
    assert len(fault_dns.log) == len(QUESTIONS)
    live.close()


def test_an_unanswered_early_query_times_out_from_when_it_left(
    fault_dns: FaultDnsServer,
) -> None:
    fault_dns.fault("slow.test", Fault.DROP)
    live = LiveSource([fault_dns.address], timeout=0.6, retries=0)
    live.adopt_early(sent_early(fault_dns, [("slow.test", "TXT")]))
    time.sleep(0.3)
    started = time.monotonic()
    answer = asyncio.run(live.query("slow.test", "TXT"))
    waited = time.monotonic() - started
    assert answer.rcode is Rcode.TIMEOUT
    assert waited < 0.55  # the rest of its attempt, not a whole new one
    assert len(fault_dns.log) == 1
    live.close()


def test_a_claim_after_the_attempt_ended_asks_afresh(fault_dns: FaultDnsServer) -> None:
    """Not a timeout at once: the question is sent again, with a whole attempt of its own."""
    fault_dns.fault("slow.test", Fault.DROP)
    live = LiveSource([fault_dns.address], timeout=0.2, retries=0)
    live.adopt_early(sent_early(fault_dns, [("slow.test", "TXT")]))
    time.sleep(0.3)
    started = time.monotonic()
    answer = asyncio.run(live.query("slow.test", "TXT"))
    assert answer.rcode is Rcode.TIMEOUT
    assert time.monotonic() - started >= 0.19
    assert len(fault_dns.log) == 2
    live.close()


def test_a_reply_with_another_id_is_not_taken(fault_dns: FaultDnsServer) -> None:
    fault_dns.add("spoof.test", "TXT", "x")
    fault_dns.fault("spoof.test", Fault.WRONG_ID)
    live = LiveSource([fault_dns.address], timeout=0.4, retries=0)
    live.adopt_early(sent_early(fault_dns, [("spoof.test", "TXT")]))
    time.sleep(0.1)
    assert asyncio.run(live.query("spoof.test", "TXT")).rcode is Rcode.TIMEOUT
    live.close()


def test_only_the_same_question_to_the_same_server_is_taken(fault_dns: FaultDnsServer) -> None:
    """Another type, or the same question to another server, is sent as usual; the early
    queries nobody asks end unread."""
    records(fault_dns)
    other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    other.bind(("127.0.0.1", 0))  # silent: the early round to it is never answered
    live = LiveSource([fault_dns.address], timeout=5, retries=0)
    live.adopt_early(early.send_round(other.getsockname(), [("a.test", "TXT")]))  # type: ignore[arg-type]
    answer = asyncio.run(live.query("a.test", "TXT"))
    assert answer.texts() == ["v=spf1 -all"]
    assert fault_dns.log == [("a.test", "TXT", "udp")]
    live.close()
    other.close()


def test_a_round_nobody_takes_is_closed(fault_dns: FaultDnsServer) -> None:
    assert early.launch(fault_dns.address, [("a.test", "TXT")])
    round_ = early.take()
    assert round_ is not None and early.take() is None
    round_.close()
    assert round_.sock.fileno() == -1
    early.discard()  # nothing left: a no-op


def test_nothing_is_sent_when_the_server_cannot_be_reached() -> None:
    """A datagram that cannot leave (no route) sends nothing and leaves no socket open: the
    client then meets the same error itself and reports it."""
    assert early.send_round(("127.0.0.1", 0), [("a.test", "TXT")]) is None  # port 0
    assert early.send_round(("127.0.0.1", 53), [("bad\\name", "TXT")]) is None  # not plain


def _follower(domain: str) -> early._Follower:
    follower = early._launched[-1].follower if early._launched else None
    assert follower is not None, f"no follower for {domain}"
    return follower


def test_the_mx_answer_is_followed_before_the_client_exists(fault_dns: FaultDnsServer) -> None:
    """The hosts' A/AAAA leave as soon as the MX reply is read, and the client takes them
    over: every question reaches the server once, the answers are a fresh client's."""
    fault_dns.add("a.test", "MX", "20 mx2.a.test.", "10 MX.a.test.", "30 .")
    fault_dns.add("mx.a.test", "A", "192.0.2.1")
    fault_dns.add("mx2.a.test", "AAAA", "2001:db8::1")
    fault_dns.add("b.test", "TXT", "hello")
    assert early.launch(fault_dns.address, [("a.test", "MX"), ("b.test", "TXT")])
    assert early.follow_mx("a.test")
    follower = _follower("a.test")
    follower.join(5)
    assert not follower.is_alive()
    assert follower.sent == [
        ("mx.a.test", "A"),
        ("mx.a.test", "AAAA"),
        ("mx2.a.test", "A"),
        ("mx2.a.test", "AAAA"),
    ]  # by preference; the root ("30 .") is no host
    round_ = early.take()
    assert round_ is not None and round_.follower is None
    wanted = [("a.test", "MX"), ("mx.a.test", "A"), ("mx.a.test", "AAAA")]
    wanted += [("mx2.a.test", "A"), ("mx2.a.test", "AAAA"), ("b.test", "TXT")]
    live = LiveSource([fault_dns.address], timeout=5, retries=0)
    live.adopt_early(round_)
    answers = asyncio.run(asyncio.wait_for(_all(live, wanted), 10))
    fresh = LiveSource([fault_dns.address], timeout=5, retries=0)
    expected = asyncio.run(asyncio.wait_for(_all(fresh, wanted), 10))
    assert answers == expected
    asked = sorted(q for q in fault_dns.log if q[2] == "udp")
    assert asked == sorted([(n, t, "udp") for n, t in wanted] * 2)  # once each way
    live.close()
    fresh.close()


def test_no_follower_without_the_mx_question(fault_dns: FaultDnsServer) -> None:
    assert early.launch(fault_dns.address, [("a.test", "TXT")])
    assert not early.follow_mx("a.test")  # the round did not ask its MX
    assert not early.follow_mx("b.test")
    round_ = early.take()
    assert round_ is not None and round_.follower is None
    round_.close()
    assert not early.follow_mx("a.test")  # no round at all


def test_a_follower_waiting_for_silence_stops_at_once_when_taken() -> None:
    """A nameserver that never answers: taking the round stops and joins the follower
    promptly, and closing leaves no socket and no thread."""
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.0.0.1", 0))
    try:
        assert early.launch(silent.getsockname(), [("a.test", "MX")])
        assert early.follow_mx("a.test")
        follower = _follower("a.test")
        time.sleep(0.05)
        assert follower.is_alive()
        started = time.monotonic()
        round_ = early.take()
        assert round_ is not None
        assert time.monotonic() - started < 1.0
        assert not follower.is_alive() and follower.sent == []
        round_.close()
        assert round_.sock.fileno() == -1
    finally:
        silent.close()


def test_a_failed_mx_lookup_is_not_followed(fault_dns: FaultDnsServer) -> None:
    fault_dns.fault("a.test", Fault.SERVFAIL, "MX")
    assert early.launch(fault_dns.address, [("a.test", "MX")])
    assert early.follow_mx("a.test")
    follower = _follower("a.test")
    follower.join(5)
    assert not follower.is_alive() and follower.sent == []
    round_ = early.take()
    assert round_ is not None
    (query,) = round_.queries.values()
    assert len(query.replies) == 1  # kept for the client's claim, judged there
    round_.close()
