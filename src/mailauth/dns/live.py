"""Live DNS over UDP/TCP: our own exchange logic over a socket multiplexer (`dns/mux.py`),
our own reading of the replies (`dns/wire.py`, `dns/present.py`) and of /etc/resolv.conf
(`dns/resolvconf.py`). dnspython is imported only for what is rare: a record type
`present` does not write, a name with escapes or IDN labels, DNSSEC (`query_signed`), a
platform without resolv.conf. A run of the common kind imports no `dns.*` module (~100 ms of
start-up, issue 10; tests/unit/dns/test_live_imports.py holds it).

We do not use `dns.asyncresolver.Resolver.resolve` because the resolver folds SERVFAIL,
REFUSED and timeouts into `NoNameservers`/`LifetimeTimeout`, while SPF temperror and
void-lookup counting (RFC 7208 §4.6.4, §5) need each outcome kept apart; nor
`dns.asyncquery.udp`, which opens a socket per query (a bulk check ran out of file
descriptors, issue 10). Every outcome becomes a `DnsAnswer`; `query` never raises.

Load: at most `max_in_flight` queries (default 512) are outstanding at once per source,
whatever the number of domains or checks asking; further queries wait for a slot. The
sockets are a handful (see `dns/mux.py`), so a run stays far below `ulimit -n 1024`.

Transport: by default the sockets are shared through the multiplexer, on the running event
loop. `LiveSource.blocking()` is the same client over `dns/blocking.py`, whose coroutines
never wait on a loop (`concurrency.run_blocking`: `mailauth verify` of one message, which
then never imports asyncio, issue 10); every rule below holds for both.

Timing contract (the hostile-input tests rely on it): `timeout` bounds each attempt (as dig's
+timeout), each nameserver gets `retries + 1` attempts, and one query — all attempts, TCP
fallback and CNAME re-queries included — never takes longer than
`timeout * (retries + 1) * len(nameservers)` (`LiveSource.budget`), counted from the moment
the query gets its slot under the in-flight cap.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

from mailauth.dns import present, signed_texts, wire
from mailauth.dns.answer import MAX_CNAME_CHAIN, question
from mailauth.dns.codes import NOERROR, NXDOMAIN, REFUSED, SERVFAIL, rcode_text
from mailauth.dns.deadline import cutoff
from mailauth.dns.early import EDNS_PAYLOAD, EarlyRound, question_section
from mailauth.dns.interface import DnsAnswer, Rcode, normalize_name
from mailauth.dns.present import name_text
from mailauth.dns.resolvconf import parse_nameserver, system_nameservers
from mailauth.dns.signed import SignedAnswer, make_signed
from mailauth.errors import reraise_interrupt
from mailauth.frozen import frozen

if TYPE_CHECKING:
    import asyncio

    from mailauth.dns.mux import Multiplexer
    from mailauth.dns.slots import Slots

_RCODES = {SERVFAIL: Rcode.SERVFAIL, REFUSED: Rcode.REFUSED}
# When several nameservers fail differently, report the most informative outcome.
_PRIORITY = (Rcode.SERVFAIL, Rcode.REFUSED, Rcode.ERROR, Rcode.TIMEOUT)
# Queries outstanding at once per source: at 50 ms RTT, 512 in flight carry ~10,000 queries/s.
DEFAULT_MAX_IN_FLIGHT = 512
_TC = 0x02  # in the third header byte
_A, _MX, _AAAA = 1, 15, 28

Nameserver = tuple[str, int]  # the same alias as resolvconf.Nameserver
__all__ = ["EDNS_PAYLOAD", "LiveSource", "parse_nameserver"]
_T = TypeVar("_T")


class Transport(Protocol):
    """How queries travel: the `Multiplexer` (event loop) or `BlockingTransport`."""

    async def udp(
        self, wire: bytes, server: Nameserver, timeout: float, accept: Callable[[bytes], _T | None]
    ) -> _T: ...

    async def tcp(self, wire: bytes, server: Nameserver, timeout: float) -> bytes: ...

    def close(self) -> None: ...


@frozen
class _Failure:
    rcode: Rcode
    detail: str


class LiveSource:
    """A `DnsSource` asking recursive resolvers (or, in tests, an authoritative server)."""

    def __init__(
        self,
        nameservers: Sequence[Nameserver] | None = None,
        timeout: float = 5.0,
        retries: int = 1,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
    ) -> None:
        self.nameservers: list[Nameserver] = (
            list(nameservers) if nameservers is not None else system_nameservers()
        )
        self.timeout = float(timeout)
        self.retries = max(0, int(retries))
        self.max_in_flight = max(1, int(max_in_flight))
        self._mux: Multiplexer | None = None
        self._blocking: Transport | None = None
        self._slots: tuple[asyncio.AbstractEventLoop, Slots] | None = None

    @classmethod
    def blocking(
        cls, nameservers: Sequence[Nameserver] | None = None, timeout: float = 5.0, retries: int = 1
    ) -> LiveSource:
        """The same client without an event loop (`concurrency.run_blocking`): its
        datagrams leave at once and are waited for in lockstep rounds (dns/blocking.py)."""
        from mailauth.dns.blocking import BlockingTransport

        source = cls(nameservers, timeout=timeout, retries=retries)
        source._blocking = BlockingTransport()
        return source

    @property
    def mux(self) -> Multiplexer:
        """The event-loop transport, made at first use (never for a blocking source)."""
        if self._mux is None:
            from mailauth.dns.mux import Multiplexer

            self._mux = Multiplexer()
        return self._mux

    @property
    def transport(self) -> Transport:
        return self._blocking if self._blocking is not None else self.mux

    def close(self) -> None:
        """Release the sockets now (they are also released when the source is collected)."""
        if self._mux is not None:
            self._mux.close()
        if self._blocking is not None:
            self._blocking.close()

    def adopt_early(self, early: EarlyRound) -> None:
        """Use the datagrams of a round sent before this source existed (`dns/early.py`):
        a question this source asks its first nameserver with the same bytes takes over
        the early query instead of sending its own."""
        self.mux.adopt(early)

    @property
    def peak_in_flight(self) -> int:
        """The most queries in flight at once during the latest event loop's run."""
        return self._slots[1].peak if self._slots is not None else 0

    @property
    def slots(self) -> Slots:
        """The in-flight cap of the running loop: waiters belong to one loop, so a source
        used by several `asyncio.run` calls in turn gets a fresh one for each."""
        import asyncio

        from mailauth.dns.slots import Slots

        loop = asyncio.get_running_loop()
        if self._slots is None or self._slots[0] is not loop:
            self._slots = (loop, Slots(self.max_in_flight))
        return self._slots[1]

    @property
    def budget(self) -> float:
        """Upper bound on the wall time of one `query`."""
        return self.timeout * (self.retries + 1) * max(1, len(self.nameservers))

    async def query(self, name: str, rdtype: str) -> DnsAnswer:
        qname = normalize_name(name)
        try:
            if self._blocking is not None:  # no in-flight cap: one message's few lookups
                return await self._query(qname, rdtype)
            async with self.slots:
                return await self._query(qname, rdtype)
        except Exception as exc:  # DNS trouble is a value, never an exception (a cancel goes on)
            reraise_interrupt(exc)  # dnspython wraps Ctrl-C in its own exceptions
            return DnsAnswer(
                qname, rdtype.upper(), Rcode.ERROR, detail=f"unexpected error: {exc!r}"
            )

    async def _query(self, qname: str, rdtype: str) -> DnsAnswer:
        fast = wire.simple_question(qname, rdtype)
        if fast is not None:
            current, rdtype_u, rdt = fast
        else:  # IDN, escapes, a bad name or type: the checks zone files share
            q = question(qname, rdtype)
            if isinstance(q, DnsAnswer):
                return q
            current, rdtype_u, rdt = wire.labels_of(q.name), q.rdtype, q.rdt
        if not self.nameservers:
            return DnsAnswer(
                qname, rdtype_u, Rcode.ERROR, detail="no nameserver configured (/etc/resolv.conf)"
            )
        deadline = time.monotonic() + self.budget  # (the event loop's clock)
        if self._blocking is not None:  # a run deadline cannot cancel it: it ends there
            deadline = min(deadline, cutoff())
        chain: list[str] = []
        seen = {current}
        while True:
            reply = await self._exchange(current, rdt, deadline)
            if isinstance(reply, _Failure):
                return DnsAnswer(
                    qname, rdtype_u, reply.rcode, cnames=tuple(chain), detail=reply.detail
                )
            owner = current
            while True:  # follow the CNAMEs inside this reply (RFC 1034 §4.3.2 step 3a)
                records = reply.find(owner, rdt)
                if records or rdt == wire.CNAME:
                    break
                cname = reply.find(owner, wire.CNAME)
                if not cname:
                    break
                owner = reply.target(cname[0])
                chain.append(name_text(owner))
                if owner in seen or len(chain) > MAX_CNAME_CHAIN:
                    detail = "CNAME loop" if owner in seen else "CNAME chain too long"
                    return DnsAnswer(
                        qname, rdtype_u, Rcode.SERVFAIL, cnames=tuple(chain), detail=detail
                    )
                seen.add(owner)
            if records:
                answer = _answer(qname, rdtype_u, reply, records, chain)
                if rdt == _MX and reply.additional:
                    hints = _address_hints(reply, records)
                    if hints:
                        answer = dataclasses.replace(answer, hints=hints)
                return answer
            if reply.rcode == wire.NXDOMAIN:  # RFC 6604: about the last name in the chain
                return DnsAnswer(qname, rdtype_u, Rcode.NXDOMAIN, cnames=tuple(chain))
            if owner != current and not _negative_proof(reply, owner):
                current = owner  # the chain leaves this server's data: ask for the target
                continue
            referral = _referral(reply, owner)
            if referral:
                return DnsAnswer(qname, rdtype_u, Rcode.ERROR, cnames=tuple(chain), detail=referral)
            return DnsAnswer(qname, rdtype_u, Rcode.NOERROR, cnames=tuple(chain))

    async def query_signed(self, name: str, rdtype: str) -> SignedAnswer:
        """`mailauth.dns.signed`: the RRset at exactly `name` and its RRSIGs, asked with
        DO=1 (RFC 4035 §3.2.1) and AD=1 (RFC 6840 §5.7: report the AD flag)."""
        qname = normalize_name(name)
        try:
            if self._blocking is not None:
                return await self._query_signed(qname, rdtype)
            async with self.slots:
                return await self._query_signed(qname, rdtype)
        except Exception as exc:  # DNS trouble is a value, never an exception (a cancel goes on)
            reraise_interrupt(exc)
            return SignedAnswer(
                qname, rdtype.upper(), Rcode.ERROR, detail=f"unexpected error: {exc!r}"
            )

    async def _query_signed(self, qname: str, rdtype: str) -> SignedAnswer:
        fast = wire.simple_question(qname, rdtype)
        if fast is not None:  # as `_query`: dnspython's Name only for an odd name or type
            labels, rdtype_u, rdt = fast
        else:
            q = question(qname, rdtype)
            if isinstance(q, DnsAnswer):
                return SignedAnswer(q.qname, q.rdtype, q.rcode, detail=q.detail)
            labels, rdtype_u, rdt = wire.labels_of(q.name), q.rdtype, int(q.rdt)
        if not self.nameservers:
            return SignedAnswer(qname, rdtype_u, Rcode.ERROR, detail="no nameserver configured")
        deadline = time.monotonic() + self.budget
        if self._blocking is not None:
            deadline = min(deadline, cutoff())
        reply = await self._exchange(labels, rdt, deadline, dnssec=True)
        if isinstance(reply, _Failure):
            return SignedAnswer(qname, rdtype_u, reply.rcode, detail=reply.detail)
        ad = bool(reply.flags & wire.AD)
        if reply.rcode == wire.NXDOMAIN:
            return SignedAnswer(qname, rdtype_u, Rcode.NXDOMAIN, authenticated=ad)
        records = reply.find(labels, rdt)
        if not records:
            referral = _referral(reply, labels)
            if referral:
                return SignedAnswer(qname, rdtype_u, Rcode.ERROR, detail=referral)
            return SignedAnswer(qname, rdtype_u, Rcode.NOERROR, authenticated=ad)
        sig_records = reply.signatures(labels, rdt)
        unsigned = signed_texts.unsigned_texts(reply.wire, records, sig_records)
        if unsigned is not None:
            return SignedAnswer(qname, rdtype_u, Rcode.NOERROR, records=unsigned, authenticated=ad)
        # Signed answers are rare (a few per domain): dnspython parses their rdata, which
        # its validator needs as objects anyway (not dns.message: ~20 ms more of imports).
        rdatas = wire.dnspython_rdatas(reply.wire, records)
        sigs = wire.dnspython_rdatas(reply.wire, sig_records)
        return make_signed(qname, rdtype_u, rdatas, sigs, authenticated=ad)

    async def _exchange(
        self, qname: wire.Labels, rdt: int, deadline: float, *, dnssec: bool = False
    ) -> wire.Reply | _Failure:
        """One question to the nameservers in turn, `retries + 1` rounds, within `deadline`.
        A server that answers SERVFAIL/REFUSED is not asked again; a silent one is.
        `dnssec`: set DO and AD (signatures wanted, the resolver's AD flag reported)."""
        query = wire.build_query(qname, rdt, EDNS_PAYLOAD, dnssec=dnssec)
        active = list(self.nameservers)
        failures: list[_Failure] = []
        for _ in range(self.retries + 1):
            for host, port in list(active):
                remaining = deadline - time.monotonic()
                if remaining <= 0.001:
                    break
                where = f"{host}:{port}" if ":" not in host else f"[{host}]:{port}"
                attempt = min(self.timeout, remaining)
                try:
                    reply = await self._udp_then_tcp(query, host, port, attempt, deadline)
                except TimeoutError:  # (`_udp_then_tcp` raises no other kind)
                    failures.append(
                        _Failure(Rcode.TIMEOUT, f"no reply from {where} within {attempt:.2f}s")
                    )
                    continue
                except _TcpFailed as exc:
                    failures.append(_Failure(Rcode.ERROR, f"{where}: {exc}"))
                    continue
                except (OSError, EOFError, ValueError) as exc:
                    reraise_interrupt(exc)
                    failures.append(_Failure(Rcode.ERROR, f"{where}: {_describe(exc)}"))
                    continue
                rc = reply.rcode
                if rc in (NOERROR, NXDOMAIN):
                    return reply
                failures.append(
                    _Failure(_RCODES.get(rc, Rcode.ERROR), f"{where} answered {rcode_text(rc)}")
                )
                active.remove((host, port))
        if not failures:
            return _Failure(Rcode.TIMEOUT, "query budget exhausted")
        worst = min(failures, key=lambda f: _PRIORITY.index(f.rcode))
        details = list(dict.fromkeys(f.detail for f in failures))
        return _Failure(worst.rcode, "; ".join(details))

    async def _udp_then_tcp(
        self, query: bytes, host: str, port: int, timeout: float, deadline: float
    ) -> wire.Reply:
        """UDP first; on TC=1 the same question over TCP (RFC 7766 §5). Replies whose id or
        question do not match are ignored (`Multiplexer.udp`), as a resolver must to resist
        spoofing, so a server that only sends mismatched replies ends in a timeout."""
        transport = self.transport
        reply = await transport.udp(query, (host, port), timeout, _accept_udp)
        if reply is not _TRUNCATED:
            return reply
        remaining = min(self.timeout, deadline - time.monotonic())
        if remaining <= 0.001:
            raise TimeoutError
        try:
            tcp_query = os.urandom(2) + query[2:]  # (what `secrets.token_bytes` does)
            wire = await transport.tcp(tcp_query, (host, port), remaining)
            return _accept_tcp(wire, tcp_query)
        except _timeouts():  # distinct types before Python 3.11
            raise TimeoutError from None
        except (OSError, EOFError, ValueError) as exc:
            reraise_interrupt(exc)
            raise _TcpFailed(f"answer truncated over UDP and TCP failed: {_describe(exc)}") from exc


_TRUNCATED = wire.Reply(b"", 0, 0, (), ())  # marker: the UDP reply had TC=1


def _timeouts() -> tuple[type[BaseException], ...]:
    """TimeoutError, and asyncio's before Python 3.11 (an alias of it since)."""
    if sys.version_info >= (3, 11):
        return (TimeoutError,)
    import asyncio  # pragma: no cover - Python 3.10

    return (TimeoutError, asyncio.TimeoutError)  # pragma: no cover


def _accept_udp(data: bytes) -> wire.Reply:
    """A matching UDP reply (id, question and sender already checked by the multiplexer).
    A truncated one is not parsed: it is asked again over TCP."""
    if data[2] & _TC:
        return _TRUNCATED
    return wire.parse_reply(data)


def _accept_tcp(data: bytes, query: bytes) -> wire.Reply:
    """A TCP reply must match too: the id the multiplexer sent and the question."""
    question = question_section(query)
    if (
        len(data) < 12
        or data[:2] != query[:2]
        or not data[2] & 0x80
        or data[12 : 12 + len(question)].lower() != question
    ):
        raise _Mismatch
    return wire.parse_reply(data)


class _TcpFailed(Exception):
    pass


class _Mismatch(ValueError):
    """A TCP reply whose id or question is not the query's."""


def _describe(exc: BaseException) -> str:
    if isinstance(exc, _Mismatch):
        return "reply does not match the query (wrong id or question)"
    if isinstance(exc, EOFError):
        return "connection closed by the server"
    return str(exc) or type(exc).__name__


def _answer(
    qname: str, rdtype: str, reply: wire.Reply, records: list[wire.Record], chain: list[str]
) -> DnsAnswer:
    """The NOERROR answer of `records` (as `answer.make_answer` builds it from dnspython
    rdata: sorted, as an RRset is unordered, RFC 2181 §5, and servers rotate it). A record
    that does not parse makes the answer an ERROR (as a malformed reply is not received)."""
    try:
        if records[0].rdtype in present.TXT_TYPES:
            txt = tuple(sorted(reply.strings(records)))
            return DnsAnswer(qname, rdtype, Rcode.NOERROR, txt=txt, cnames=tuple(chain))
        rrs = tuple(sorted(reply.texts(records)))
    except ValueError as exc:
        return DnsAnswer(
            qname, rdtype, Rcode.ERROR, cnames=tuple(chain), detail=f"malformed answer: {exc}"
        )
    return DnsAnswer(qname, rdtype, Rcode.NOERROR, rrs=rrs, cnames=tuple(chain))


def _address_hints(reply: wire.Reply, records: list[wire.Record]) -> tuple[tuple[str, str], ...]:
    """(host, address) of the A/AAAA records in the additional section whose owner is one of
    the MX `records`' exchanges (`DnsAnswer.hints`). Authoritative servers add them (RFC 1035
    §3.3.9); resolvers with minimal responses do not, and then there are none."""
    exchanges = {wire.read_name(reply.wire, r.offset + 2)[0] for r in records if r.length > 2}
    out: dict[tuple[str, str], None] = {}
    for r in reply.additional:
        if r.rdclass != wire.IN or r.owner not in exchanges:
            continue
        if r.rdtype == _A and r.length == 4:
            family = socket.AF_INET
        elif r.rdtype == _AAAA and r.length == 16:
            family = socket.AF_INET6
        else:
            continue
        address = socket.inet_ntop(family, reply.wire[r.offset : r.offset + r.length])
        out[(_host_text(r.owner), address)] = None
    return tuple(out)


def _host_text(labels: wire.Labels) -> str:
    """`name_text` of a host name's labels (already lower-case), without building a
    dnspython Name for the usual letters, digits, hyphens and underscores (a bulk check
    reads thousands of hints)."""
    if all(label.replace(b"-", b"").replace(b"_", b"").isalnum() for label in labels[:-1]):
        return b".".join(labels[:-1]).decode("ascii")
    return name_text(labels)


def _negative_proof(reply: wire.Reply, name: wire.Labels) -> bool:
    """True if the authority section carries the SOA of a zone containing `name`
    (RFC 2308 §2.2: the NODATA is about `name`, not only about the CNAME's owner)."""
    return any(r.rdtype == wire.SOA and wire.is_subdomain(name, r.owner) for r in reply.authority)


def _referral(reply: wire.Reply, name: wire.Labels) -> str:
    """A non-authoritative empty answer with NS records in authority is a referral: the
    server we asked does not recurse and does not serve `name`."""
    if reply.flags & (wire.AA | wire.RA):
        return ""
    for r in reply.authority:
        if r.rdtype == wire.NS and wire.is_subdomain(name, r.owner):
            return (
                f"referral to {name_text(r.owner)}: the nameserver is not"
                " recursive and does not serve this name"
            )
    return ""
