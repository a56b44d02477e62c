"""A small scriptable DNS server on loopback (UDP + TCP) for fault injection.

Answers authoritatively from a MemorySource-like table (`records[name][TYPE] = [values]`,
CNAMEs chased inside the table, NXDOMAIN/NODATA with a root SOA in authority) unless a rule
says otherwise for a name (and optionally a type):

    server.records = {"a.test": {"TXT": ["v=spf1 -all"]}}
    server.fault("slow.test", Fault.DROP)                 # never answers
    server.fault("x.test", Fault.SERVFAIL, rdtype="TXT")
    server.fault("late.test", Fault.DELAY, delay=0.3)     # answers, late
    server.add_huge_txt("big.test")                       # 50 TXT records, ~60 KB

Every query is logged as (name, TYPE, "udp"|"tcp") in `server.log`. The server runs its own
event loop in a daemon thread, so tests can use asyncio.run() freely.
"""

from __future__ import annotations

import asyncio
import socket
import struct
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.TXT
import dns.rrset

from mailauth.dns.interface import normalize_name
from mailauth.dns.live import LiveSource


class Fault(str, Enum):
    ANSWER = "answer"  # normal authoritative answer from `records`
    DROP = "drop"  # never answer, over UDP or TCP
    SERVFAIL = "servfail"
    REFUSED = "refused"
    NOTIMP = "notimp"
    TRUNCATE = "truncate"  # TC=1 over UDP, full answer over TCP
    TRUNCATE_NO_TCP = "truncate-no-tcp"  # TC=1 over UDP, TCP connection closed unanswered
    WRONG_ID = "wrong-id"  # the right answer with another message id
    WRONG_QUESTION = "wrong-question"  # an answer to a different name
    GARBAGE = "garbage"  # bytes that are not a DNS message
    DELAY = "delay"  # the right answer after `delay` seconds


@dataclass(frozen=True)
class Rule:
    fault: Fault
    delay: float = 0.0


RecordValue = str | bytes | Sequence[str] | Sequence[bytes]
_ROOT_SOA = dns.rrset.from_text(
    ".", 300, "IN", "SOA", "ns.fault.test. hostmaster.fault.test. 1 3600 900 1209600 300"
)


def _free_port(host: str, listen: bool = True) -> tuple[socket.socket, socket.socket]:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for _ in range(50):
        udp = socket.socket(family, socket.SOCK_DGRAM)
        udp.bind((host, 0))
        port = udp.getsockname()[1]
        tcp = socket.socket(family, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            tcp.bind((host, port))
        except OSError:
            udp.close()
            tcp.close()
            continue
        if listen:
            tcp.listen(64)
        udp.setblocking(False)
        tcp.setblocking(False)
        return udp, tcp
    raise OSError("no free UDP+TCP port on loopback")


class FaultDnsServer:
    """`tcp=False`: the TCP port is reserved but nothing listens (connection refused)."""

    def __init__(self, host: str = "127.0.0.1", tcp: bool = True) -> None:
        self.host = host
        self.records: dict[str, dict[str, list[RecordValue]]] = {}
        self.rules: dict[tuple[str, str], Rule] = {}
        self.log: list[tuple[str, str, str]] = []
        self.refuse_tcp = False  # close every TCP connection at once
        self.tcp = tcp
        self._udp, self._tcp = _free_port(host, listen=tcp)
        self.port: int = self._udp.getsockname()[1]
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="fault-dns", daemon=True)
        self._ready = threading.Event()
        self._server: asyncio.AbstractServer | None = None
        self._transport: asyncio.DatagramTransport | None = None
        self._tcp_writers: set[asyncio.StreamWriter] = set()

    # -- scripting -------------------------------------------------------------------
    @property
    def nameserver(self) -> str:
        return f"{self.host}:{self.port}" if ":" not in self.host else f"[{self.host}]:{self.port}"

    @property
    def address(self) -> tuple[str, int]:
        return (self.host, self.port)

    def source(self, timeout: float = 10.0, retries: int = 0) -> LiveSource:
        """A LiveSource pointed at this server. The default timeout is generous: this server
        answers from a thread of the test process, late on a loaded machine; a test about
        timeouts passes its own."""
        return LiveSource([self.address], timeout=timeout, retries=retries)

    def set_records(self, records: Mapping[str, Mapping[str, Sequence[RecordValue]]]) -> None:
        self.records = {
            normalize_name(n): {t.upper(): list(v) for t, v in types.items()}
            for n, types in records.items()
        }

    def add(self, name: str, rdtype: str, *values: RecordValue) -> None:
        self.records.setdefault(normalize_name(name), {}).setdefault(rdtype.upper(), []).extend(
            values
        )

    def fault(self, name: str, fault: Fault, rdtype: str = "*", delay: float = 0.0) -> None:
        self.rules[(normalize_name(name), rdtype.upper())] = Rule(fault, delay)

    def add_huge_txt(
        self, name: str, records: int = 50, total_bytes: int = 60_000, prefix: str = ""
    ) -> None:
        """`records` TXT records of 255-byte strings, `total_bytes` of text in all (a DNS
        message is at most 65535 bytes, so "64 KB of TXT" is about as big as it gets)."""
        per_record = total_bytes // records
        values: list[list[bytes]] = []
        for i in range(records):
            # distinct records: an RRset is a set, identical rdata would collapse into one
            head = (prefix if i == 0 else "") + f"{i:03d}-"
            body = (head.encode() + bytes([97 + i % 26]) * per_record)[:per_record]
            values.append([body[j : j + 255] for j in range(0, len(body), 255)])
        self.records.setdefault(normalize_name(name), {})["TXT"] = list(values)

    def reset(self) -> None:
        self.records = {}
        self.rules = {}
        self.log.clear()
        self.refuse_tcp = False

    def queries(self, name: str | None = None) -> list[tuple[str, str, str]]:
        return [e for e in self.log if name is None or e[0] == normalize_name(name)]

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> FaultDnsServer:
        self._thread.start()
        if not self._ready.wait(5):
            raise RuntimeError("fault DNS server did not start")
        return self

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        self._loop.call_soon_threadsafe(self._shutdown)
        self._thread.join(5)

    def _shutdown(self) -> None:
        try:
            if self._transport is not None:
                self._transport.close()
            if self._server is not None:
                self._server.close()
            for w in list(self._tcp_writers):
                w.close()
            self._tcp.close()
        finally:
            self._loop.stop()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)

        async def setup() -> None:
            self._transport, _ = await self._loop.create_datagram_endpoint(
                lambda: _Udp(self), sock=self._udp
            )
            if self.tcp:
                self._server = await asyncio.start_server(self._serve_tcp, sock=self._tcp)

        self._loop.run_until_complete(setup())
        self._ready.set()
        self._loop.run_forever()
        # Connections a client keeps open for reuse (LiveSource pools TCP) still have their
        # handler waiting: end them before the loop closes.
        # (`_shutdown` closed their connections: let them see it and return).
        pending = asyncio.all_tasks(self._loop)
        if pending:
            self._loop.run_until_complete(asyncio.wait(pending, timeout=2))
        self._loop.close()

    # -- answering -------------------------------------------------------------------
    def _rule(self, name: str, rdtype: str) -> Rule:
        return self.rules.get((name, rdtype)) or self.rules.get((name, "*")) or Rule(Fault.ANSWER)

    def answer(self, query: dns.message.Message) -> dns.message.Message:
        """The normal authoritative answer from the table (RFC 1034 §4.3.2, no zone cuts)."""
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        question = query.question[0]
        qname, qtype = question.name, question.rdtype
        owner = qname
        for _ in range(17):
            types = self.records.get(normalize_name(owner.to_text()))
            if types is None:
                response.set_rcode(dns.rcode.NXDOMAIN)
                response.authority.append(_ROOT_SOA)
                return response
            type_text = dns.rdatatype.to_text(qtype)
            if type_text in types:
                response.answer.append(_rrset(owner, type_text, types[type_text]))
                return response
            if "CNAME" in types and qtype != dns.rdatatype.CNAME:
                cname = _rrset(owner, "CNAME", types["CNAME"][:1])
                response.answer.append(cname)
                owner = cname[0].target  # type: ignore[attr-defined]
                if any(r.name == owner for r in response.answer):
                    return response  # a loop: the client must notice
                continue
            break
        response.authority.append(_ROOT_SOA)
        return response

    async def reply_wire(self, wire: bytes, transport: str) -> bytes | None:
        """The bytes to send back for one query (None: stay silent)."""
        try:
            query = dns.message.from_wire(wire)
        except dns.exception.DNSException:
            return None
        if not query.question:
            return None
        q = query.question[0]
        name = normalize_name(q.name.to_text())
        rdtype = dns.rdatatype.to_text(q.rdtype)
        self.log.append((name, rdtype, transport))
        rule = self._rule(name, rdtype)
        f = rule.fault
        if f is Fault.DROP:
            return None
        if f is Fault.GARBAGE:
            return b"\x00\x01garbage, not DNS"
        if f is Fault.DELAY:
            await asyncio.sleep(rule.delay)
        if f in (Fault.SERVFAIL, Fault.REFUSED, Fault.NOTIMP):
            response = dns.message.make_response(query)
            response.set_rcode(
                {
                    Fault.SERVFAIL: dns.rcode.SERVFAIL,
                    Fault.REFUSED: dns.rcode.REFUSED,
                    Fault.NOTIMP: dns.rcode.NOTIMP,
                }[f]
            )
            return response.to_wire()
        if f is Fault.WRONG_QUESTION:
            other = dns.message.make_query("wrong-question.fault.test", q.rdtype)
            other.id = query.id
            response = self.answer(other)
        else:
            response = self.answer(query)
        if f is Fault.WRONG_ID:
            response.id = (query.id + 1) % 65536
        if transport == "udp":
            if f in (Fault.TRUNCATE, Fault.TRUNCATE_NO_TCP):
                return _truncated(response)
            limit = max(512, query.payload) if query.edns >= 0 else 512
            try:
                return response.to_wire(max_size=limit)
            except dns.exception.TooBig:
                return _truncated(response)
        try:
            return response.to_wire(max_size=65535)
        except dns.exception.TooBig:
            failure = dns.message.make_response(query)
            failure.set_rcode(dns.rcode.SERVFAIL)
            return failure.to_wire()

    async def _serve_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._tcp_writers.add(writer)
        try:
            if self.refuse_tcp:
                return
            while True:
                try:
                    (length,) = struct.unpack("!H", await reader.readexactly(2))
                    wire = await reader.readexactly(length)
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                name = _qname(wire)
                rule = self._rule(name, _qtype(wire))
                if rule.fault is Fault.TRUNCATE_NO_TCP:
                    self.log.append((name, _qtype(wire), "tcp"))
                    return  # close without answering
                reply = await self.reply_wire(wire, "tcp")
                if reply is None:
                    await asyncio.sleep(3600)  # hold the connection open, silent
                    return
                writer.write(struct.pack("!H", len(reply)) + reply)
                await writer.drain()
        finally:
            self._tcp_writers.discard(writer)
            writer.close()


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, server: FaultDnsServer) -> None:
        self.server = server
        self.transport: asyncio.DatagramTransport | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: Any) -> None:
        task = asyncio.ensure_future(self._reply(data, addr))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _reply(self, data: bytes, addr: Any) -> None:
        reply = await self.server.reply_wire(data, "udp")
        if reply is not None and self.transport is not None and not self.transport.is_closing():
            self.transport.sendto(reply, addr)


def _rrset(owner: dns.name.Name, rdtype: str, values: Sequence[RecordValue]) -> dns.rrset.RRset:
    rrset = dns.rrset.RRset(owner, dns.rdataclass.IN, dns.rdatatype.from_text(rdtype))
    for value in values:
        if rdtype in ("TXT", "SPF"):
            if isinstance(value, (str, bytes)):
                parts: list[bytes] = [value.encode() if isinstance(value, str) else value]
            else:
                parts = [v.encode() if isinstance(v, str) else v for v in value]
            rd: dns.rdata.Rdata = dns.rdtypes.ANY.TXT.TXT(
                dns.rdataclass.IN, dns.rdatatype.from_text(rdtype), parts
            )
        else:
            text = value.decode() if isinstance(value, bytes) else str(value)
            rd = dns.rdata.from_text(
                dns.rdataclass.IN, rdtype, text, origin=dns.name.root, relativize=False
            )
        rrset.add(rd, 300)
    return rrset


def _truncated(response: dns.message.Message) -> bytes:
    response.answer.clear()
    response.authority.clear()
    response.additional.clear()
    response.flags |= dns.flags.TC
    return response.to_wire()


def _qname(wire: bytes) -> str:
    try:
        return normalize_name(dns.message.from_wire(wire).question[0].name.to_text())
    except Exception:
        return ""


def _qtype(wire: bytes) -> str:
    try:
        return dns.rdatatype.to_text(dns.message.from_wire(wire).question[0].rdtype)
    except Exception:
        return ""
