"""`TracingQuery`: pyspf's `check_host()` with DNS through our DnsSource, every step recorded
in message/spftrace.py's types.

Its own module because it subclasses `spf.query`: importing it imports pyspf (message/
pyspf.py), which only a message with a connecting IP to check needs (issue 10, start-up).
"""

from __future__ import annotations

import functools
import ipaddress
from typing import TYPE_CHECKING, Any

from mailauth.dns.interface import DnsAnswer
from mailauth.i18n import label
from mailauth.message.dnsbridge import SyncDns
from mailauth.message.spftrace import (
    DNS_MECHANISMS,
    CheckHostProblem,
    EnteredBy,
    Lookup,
    MechanismStep,
    RecordStep,
    SpfProblemCode,
    pyspf_problem,
)
from mailauth.model import Result

if TYPE_CHECKING:
    import spf
else:  # pyspf without the dnspython stub resolver it would import (message/pyspf.py)
    from mailauth.message.pyspf import spf


def _result(word: object) -> Result | None:
    """pyspf's result word as a `Result`; None for a word RFC 7208 does not have (pyspf's
    lax modes only)."""
    try:
        return Result(str(word))
    except ValueError:
        return None


class _Term(tuple[Any, ...]):
    """What `validate_mechanism` returns, but telling us when check0 unpacks it to evaluate."""

    on_evaluate: Any = None

    def __iter__(self) -> Any:
        if self.on_evaluate is not None:
            self.on_evaluate(self)
        return super().__iter__()


class TracingQuery(spf.query):  # type: ignore[misc]
    """A pyspf query whose lookups go to `resolver` and whose steps are recorded."""

    def __init__(self, ip: str, mail_from: str, helo: str, *, resolver: SyncDns, **kw: Any) -> None:
        super().__init__(ip, mail_from, helo, strict=True, **kw)
        self.resolver = resolver
        self.records: list[RecordStep] = []
        self.pending: list[Lookup] = []  # lookups before the first record (its own fetch)
        self._stack: list[RecordStep] = []
        self._answers: dict[tuple[str, str], list[Any]] = {}
        # The problems our own DNS hook raised, by message, to recognise `prob` afterwards.
        self._raised: dict[str, CheckHostProblem] = {}

    def first_lookup(self) -> list[tuple[str, str]]:
        """check_host's first query, [] when it makes none: the TXT record of the domain
        (RFC 7208 §4.4), unless the domain is malformed (§4.3), which pyspf does not ask."""
        domain = str(self.d)
        if all(0 < len(label) < 64 for label in domain.split(".")):
            return [(domain, "TXT")]
        return []

    # -- evaluation structure -------------------------------------------------------------
    def check1(self, spf_text: str | None, domain: str, recursion: int) -> Any:
        parent = self._stack[-1] if self._stack else None
        if parent is None:
            entered = EnteredBy.TOP
        else:
            entered = EnteredBy.REDIRECT if parent.depth == recursion else EnteredBy.INCLUDE
        step = RecordStep(recursion, domain, spf_text, entered)
        if parent is None:
            step.lookups, self.pending = self.pending, []
        elif entered is EnteredBy.REDIRECT:
            self._adopt_redirect_fetch(parent, step)
        self.records.append(step)
        self._stack.append(step)
        try:
            result = super().check1(spf_text, domain, recursion)
            step.result = _result(result[0])
            return result
        finally:
            self._stack.pop()
            current = self._current()
            if (
                current
                and current.kind == "include"
                and step.result is Result.PASS
                and entered is EnteredBy.INCLUDE
            ):
                current.matched = True

    def _adopt_redirect_fetch(self, parent: RecordStep, step: RecordStep) -> None:
        """pyspf fetches the redirect target's record after the mechanism loop, so it was
        noted under the last mechanism evaluated (or, with none, under the record itself):
        move it to the redirect's own step."""
        pools = [parent.lookups]
        if parent.mechanisms:
            pools.insert(0, parent.mechanisms[-1].lookups)
        name = step.domain.lower()
        for pool in pools:
            for i in range(len(pool) - 1, -1, -1):
                if pool[i].name == name and pool[i].rdtype == "TXT":
                    step.lookups.append(pool.pop(i))
                    return

    def validate_mechanism(self, mech: str) -> Any:
        try:
            parsed = super().validate_mechanism(mech)
        except ValueError:
            # int() of a CIDR length past Python's 4,300-digit limit (RFC 7208 §5.6 allows
            # 2 or 3 digits); where int() accepts it pyspf says PermError, so this does too.
            shown = mech if len(mech) <= 60 else mech[:60] + "…"
            problem = CheckHostProblem(SpfProblemCode.INVALID_TERM, {"term": shown})
            raise spf.PermError(self._raise(problem), mech) from None
        term = _Term(parsed)
        term.on_evaluate = self._evaluating
        return term

    def _evaluating(self, term: tuple[Any, ...]) -> None:
        if not self._stack:
            return
        # index, never unpack: unpacking would call __iter__ and come back here
        text, kind, arg, qualifier = term[0], term[1], term[2], term[4]
        step = MechanismStep(str(text), str(kind), str(arg or ""), _result(qualifier))
        self._stack[-1].mechanisms.append(step)
        if kind == "all":
            step.matched = True

    def _current(self) -> MechanismStep | None:
        if not self._stack or not self._stack[-1].mechanisms:
            return None
        return self._stack[-1].mechanisms[-1]

    def check_lookups(self) -> None:
        super().check_lookups()
        current = self._current()
        if current is not None and current.kind in DNS_MECHANISMS:
            current.counted = self.lookups
        elif current is None and self._stack:  # parse phase: only redirect= counts here
            self._stack[-1].redirect_counted = self.lookups

    def set_ip(self, i: str) -> None:
        """pyspf's `set_ip`, with the address text read once per process (`_connect_ip`):
        verify checks one sending server's address for message after message, and reading
        it (ipaddress, `exploded`, `str`) was a tenth of check_host here (issue 10).
        tests/unit/message/test_spf_remembered_ip.py holds every attribute to pyspf's."""
        if i.lower() in ("list", "list6"):
            super().set_ip(i)
            return
        try:
            address, ip6, shown, dotted = _connect_ip(i)
        except ValueError:
            super().set_ip(i)  # raises pyspf's PermError for it
            return
        self.iplist = False
        self.ipaddr, self.c, self.i = address, shown, dotted
        self.A, self.v, self.cidrmax = ("AAAA", "ip6", 128) if ip6 else ("A", "in-addr", 32)

    def cidrmatch(self, ipaddrs: Any, n: int) -> bool:
        matched = bool(self._cidrmatch(ipaddrs, n))
        current = self._current()
        if matched and current is not None and current.kind in ("a", "mx", "ip4", "ip6"):
            current.matched = True
        return matched

    def _cidrmatch(self, ipaddrs: Any, n: int) -> bool:
        """pyspf's `cidrmatch` with each network and its /n supernet read once per process
        (`_network`, `_supernet`): the same networks in the same order (all read before the
        first is tried), the same errors; pyspf's own for the `list` modes."""
        if not isinstance(self.iplist, bool):
            return bool(super().cidrmatch(ipaddrs, n))
        try:
            networks = [_network(ip) for ip in ipaddrs]
            return any(self.ipaddr in _supernet(network, n) for network in networks)
        except (ValueError, TypeError) as exc:
            if isinstance(exc, TypeError):  # an unhashable address: pyspf's own reading
                return bool(super().cidrmatch(ipaddrs, n))
            raise spf.PermError(str(exc)) from None

    def dns_a(self, domainname: str, A: str = "A") -> Any:
        found = super().dns_a(domainname, A)
        current = self._current()
        if found and current is not None and current.kind == "exists":
            current.matched = True
        return found

    def validated_ptrs(self) -> Any:
        names = super().validated_ptrs()
        current = self._current()
        if current is not None and current.kind == "ptr":
            current.matched = bool(spf.domainmatch(names, current.target))
        return names

    # -- DNS --------------------------------------------------------------------------------
    def dns(self, name: Any, qtype: str, cnames: Any = None, ignore_void: bool = False) -> Any:
        """Same contract as `spf.query.dns`: a list of values, [] when none (counted as a void
        lookup unless `ignore_void`), TempError for a failed lookup (RFC 7208 §4.4, §4.6.4)."""
        text = str(name).rstrip(".").lower()
        if not text or not all(0 < len(label) < 64 for label in text.split(".")):
            return []  # pyspf: an invalid name is no data, not a lookup
        key = (text, qtype)
        if self._answers.get(key):
            # Like pyspf's own cache, only answers with records are reused: asking a void
            # name again is another void lookup (RFC 7208 §4.6.4 counts each term whose
            # query comes back empty), and the bridge answers it without a round trip.
            return self._answers[key]
        answer = self.resolver.query(text, qtype)
        if answer.is_error:
            self._note(Lookup(text, qtype, answer.rcode.value, (), self.void_lookups))
            params = {"name": text, "rdtype": qtype, "rcode": answer.rcode.value}
            raise spf.TempError(self._raise(CheckHostProblem(SpfProblemCode.LOOKUP_FAILED, params)))
        if qtype in ("TXT", "SPF"):
            result: list[Any] = [list(parts) for parts in answer.txt if parts]
            shown = tuple(answer.texts())
        elif qtype == "MX":
            result = [(pref, host) for pref, host in answer.mx()]
            shown = tuple(f"{pref} {host}" for pref, host in result)
        else:
            result = list(answer.rrs)
            shown = tuple(result)
        if not result and not ignore_void:
            self.void_lookups += 1
        self._note(Lookup(text, qtype, _word(answer), shown, self.void_lookups))
        if not result and not ignore_void and self.void_lookups > spf.MAX_VOID_LOOKUPS:
            problem = CheckHostProblem(SpfProblemCode.VOID_LIMIT, {"limit": spf.MAX_VOID_LOOKUPS})
            raise spf.PermError(self._raise(problem))
        self._answers[key] = result
        return result

    def _raise(self, problem: CheckHostProblem) -> str:
        """The English message for an error we raise into pyspf, remembered with its code."""
        message = label(f"verify.spf-problem.{problem.code.value}", "en", **problem.params)
        self._raised[message] = problem
        return message

    def problem(self, fallback: str) -> CheckHostProblem:
        """What made check_host end in permerror/temperror: pyspf keeps only the message
        (`prob`), so map it back to the code we raised it with, or to pyspf's own."""
        message = str(getattr(self, "prob", "") or fallback)
        if message in self._raised:
            return self._raised[message]
        mechs = getattr(self, "mech", None)
        term = str(mechs[-1]) if isinstance(mechs, list) and mechs else None
        return pyspf_problem(message, term) or CheckHostProblem(
            SpfProblemCode.OTHER, {"message": message}
        )

    def _note(self, lookup: Lookup) -> None:
        current = self._current()
        if current is not None and current.kind in DNS_MECHANISMS:
            current.lookups.append(lookup)
        elif self._stack:
            self._stack[-1].lookups.append(lookup)
        else:
            self.pending.append(lookup)


def _word(answer: DnsAnswer) -> str:
    if answer.is_nxdomain:
        return "NXDOMAIN"
    return "NODATA" if answer.is_nodata else "NOERROR"


@functools.lru_cache(maxsize=256)
def _connect_ip(text: str) -> tuple[Any, bool, str, str]:
    """What pyspf's `set_ip` derives from an address text: the address (an IPv4-mapped IPv6
    address as its IPv4 address), whether it is IPv6, its `str` and its dotted form for
    PTR names (%{i}). Raises ValueError for text that is no address (not remembered)."""
    address: Any = ipaddress.ip_address(text)
    ip6 = isinstance(address, ipaddress.IPv6Address)
    if ip6 and address.ipv4_mapped:
        address, ip6 = ipaddress.IPv4Address(address.ipv4_mapped), False
    dotted = ".".join(list(address.exploded.replace(":", "").upper())) if ip6 else address.exploded
    return address, ip6, str(address), dotted


@functools.lru_cache(maxsize=1024)
def _network(ip: Any) -> Any:
    return ipaddress.ip_network(ip)


@functools.lru_cache(maxsize=1024)
def _supernet(network: Any, prefix: int) -> Any:
    return network.supernet(new_prefix=prefix)
