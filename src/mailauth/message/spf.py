"""SPF for one connection (RFC 7208 check_host): which identities, and what pyspf says.

The three inputs of check_host — connecting IP, HELO name, MAIL FROM — come from the user
(`--ip`, `--helo`, `--mail-from`) or else from the message: MAIL FROM from Return-Path (the
envelope sender the final server recorded, RFC 5321 §4.4), IP and HELO from the receiving hop
(`received.receiving_hop`). Where each came from is kept, because a result computed from a
guessed IP must say so.
"""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Literal

from mailauth.dns.interface import DnsSource
from mailauth.frozen import frozen
from mailauth.i18n import label
from mailauth.ip_text import normal_ip, read_ip
from mailauth.message.dnsbridge import SyncDns
from mailauth.message.parse import ParsedMessage
from mailauth.message.received import Hop, receiving_hop
from mailauth.message.spftrace import CheckHostProblem, RecordStep, SpfProblemCode
from mailauth.message.usual_forms import return_path_address
from mailauth.model import Phrase, Result

if TYPE_CHECKING:
    from mailauth.message.spfquery import TracingQuery

# Where an identity came from: a command-line option, a header of the message, or nowhere.
Source = Literal["option", "Received", "Return-Path", "none"]


@frozen
class SpfIdentity:
    """check_host inputs and their provenance."""

    ip: str | None
    helo: str | None
    mail_from: str
    ip_source: Source = "none"
    helo_source: Source = "none"
    mail_from_source: Source = "none"

    @property
    def domain(self) -> str | None:
        """The domain SPF authenticates: MAIL FROM's, or HELO's for the null sender (§2.4)."""
        if "@" in self.mail_from:
            return self.mail_from.rsplit("@", 1)[1].lower().rstrip(".") or None
        return self.helo.lower().rstrip(".") if self.helo else None


@frozen
class SpfOutcome:
    """SPF's verdict on the message (RFC 7208 check_host for its MAIL FROM or HELO identity)
    and the evaluation trace behind it."""

    result: Result
    identity: SpfIdentity
    explanation: str = ""
    problem_detail: CheckHostProblem | None = None  # why no verdict / permerror / temperror
    mechanism: str | None = None  # the top-level term that decided the result
    lookups: int = 0
    void_lookups: int = 0
    records: tuple[RecordStep, ...] = field(default=())

    @property
    def domain(self) -> str | None:
        return self.identity.domain

    @property
    def record(self) -> str | None:
        return self.records[0].record if self.records else None

    @property
    def problem_code(self) -> SpfProblemCode | None:
        return self.problem_detail.code if self.problem_detail else None

    def problem_phrase(self) -> Phrase | None:
        """The problem as catalogue words, for finding params and reports alike."""
        p = self.problem_detail
        if p is None:
            return None
        return Phrase(f"verify.spf-problem.{p.code.value}", dict(p.params))

    def problem_text(self, lang: str = "en") -> str:
        """The problem in `lang`; "" when there is none."""
        phrase = self.problem_phrase()
        return "" if phrase is None else label(phrase.key, lang, **phrase.params)

    @property
    def problem(self) -> str:
        """The problem in English (JSON `problem`)."""
        return self.problem_text("en")


def identity_from_message(
    message: ParsedMessage,
    ip: str | None = None,
    helo: str | None = None,
    mail_from: str | None = None,
    *,
    hop: Hop | None = None,
) -> SpfIdentity:
    """Fill the identities not given as options from the message (`hop`: its receiving hop,
    when the caller has already found it)."""
    ip_source: Source = "option"
    helo_source: Source = "option"
    mail_from_source: Source = "option"
    if hop is None and (ip is None or helo is None):
        hop = receiving_hop(message)
    if ip is None:
        ip = (hop.ip if hop else None) or None
        ip_source = "Received" if ip else "none"
    if helo is None:
        helo = (hop.helo if hop else None) or None
        helo_source = "Received" if helo else "none"
    if mail_from is None:
        path = message.first("Return-Path")
        mail_from = _return_path(path) if path is not None else ""
        mail_from_source = "Return-Path" if path is not None else "none"
    return SpfIdentity(ip, helo, mail_from, ip_source, helo_source, mail_from_source)


def _return_path(value: str) -> str:
    """RFC 5321 §4.4 Return-Path: <addr> or <> (the null sender of bounces)."""
    usual = return_path_address(value)
    if usual is not None:
        return usual
    import email.utils  # only for an unusual spelling (message/usual_forms.py)

    _, addr = email.utils.parseaddr(value)
    return addr if "@" in addr else ""


async def evaluate_spf(dns: DnsSource, identity: SpfIdentity, timeout: float) -> SpfOutcome:
    """Run pyspf's check_host in a worker thread over our DnsSource (see dnsbridge). The
    domain's SPF record, check_host's first lookup, is fetched before the thread starts.
    pyspf is a library boundary: whatever it raises becomes permerror with a reason code."""
    if identity.ip is None:
        problem = CheckHostProblem(SpfProblemCode.NO_IP)
        return SpfOutcome(Result.NONE, identity, problem_detail=problem)
    if identity.domain is None:
        problem = CheckHostProblem(SpfProblemCode.NO_DOMAIN)
        return SpfOutcome(Result.NONE, identity, problem_detail=problem)
    ip = _address(identity.ip)
    if ip is None:
        problem = CheckHostProblem(SpfProblemCode.BAD_IP, {"ip": identity.ip})
        return SpfOutcome(Result.NONE, identity, problem_detail=problem)
    from mailauth.message.spfquery import TracingQuery  # pyspf: only with an IP to check

    bridge = SyncDns.for_running_loop(dns, timeout)
    try:
        # With an empty MAIL FROM pyspf checks postmaster@HELO itself (RFC 7208 §2.4).
        query = TracingQuery(
            ip, identity.mail_from, identity.helo or "", resolver=bridge, timeout=timeout
        )
        first = query.first_lookup()
    except Exception as exc:
        return _library_error(identity, exc)
    await bridge.prefetch(first)
    # Most SPF records (ip4/ip6 terms, `-all`) need no lookup beyond the prefetched one:
    # evaluated here on the loop's thread, no thread hand-off. A lookup that was not
    # prefetched is refused there (`NotPrefetched`, which pyspf may swallow into a result):
    # then that run is discarded and a fresh query runs in a worker thread, as before.
    outcome = _run(identity, query)
    if not bridge.deferred:
        return outcome
    try:
        query = TracingQuery(
            ip, identity.mail_from, identity.helo or "", resolver=bridge, timeout=timeout
        )
    except Exception as exc:
        return _library_error(identity, exc)
    import asyncio  # (never deferred without an event loop: lookups are made where asked)

    return await asyncio.to_thread(_run, identity, query)


def _address(text: str) -> str | None:
    """The address in normal form; None for one check_host cannot take: not an address, or
    with an IPv6 zone index (`fe80::1%eth0`, RFC 4007 §11), which means nothing off the host."""
    address = read_ip(text)
    if address is None or getattr(address, "scope_id", None):
        return None
    return normal_ip(text)


def _library_error(identity: SpfIdentity, exc: Exception) -> SpfOutcome:
    error = f"{type(exc).__name__}: {exc}"
    error = error if len(error) <= 200 else error[:200] + "…"  # hostile text, shown cut
    problem = CheckHostProblem(SpfProblemCode.LIBRARY_ERROR, {"error": error})
    return SpfOutcome(Result.PERMERROR, identity, problem_detail=problem)


def _run(identity: SpfIdentity, query: TracingQuery) -> SpfOutcome:
    try:
        result, _code, explanation = query.check()
    except Exception as exc:  # pyspf's own bug on hostile input: permerror, never a crash
        return _library_error(identity, exc)
    problem = query.problem(explanation) if result in ("permerror", "temperror") else None
    return SpfOutcome(
        result=Result(result),
        identity=identity,
        explanation=explanation if result in ("fail", "softfail") else "",
        problem_detail=problem,
        mechanism=query.mechanism,
        lookups=query.lookups,
        void_lookups=query.void_lookups,
        records=tuple(query.records),
    )
