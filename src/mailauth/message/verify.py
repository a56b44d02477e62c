"""`verify_message()`: authenticate one message and explain the verdict.

Order of work: parse (may raise MessageInputError); then everything that needs only the
message, concurrently: DKIM (in the calling task), SPF and ARC (the native verifiers and
pyspf over the shared DnsSource, on the loop's thread when their lookups were prefetched,
else in a worker thread), the reverse DNS of the sending IP, and the DMARC policy of the
From domain; then the DMARC verdict (needs DKIM and SPF), the Authentication-Results header
and its comparison with earlier ones, findings, score. With live DNS the lookups of the five
overlap instead of adding up; with a cached source nothing waits, and a message without ARC
fields gets no ARC task at all. Never prints; DNS failures become results (temperror), not
exceptions. Every author domain (a message may name several in its From fields) has its
policy looked up in that first step.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence

from mailauth.concurrency import finished, gather, gather_few
from mailauth.dns.interface import DnsSource
from mailauth.dns.orgdomain import PolicyDiscovery, discover_policy
from mailauth.dns.reverse import ReverseDns, check_reverse
from mailauth.frozen import frozen
from mailauth.message import judge, rules
from mailauth.message.arc import ArcOutcome, not_sealed, verify_arc
from mailauth.message.authresults import build_header, compare, existing
from mailauth.message.dkim import verify_dkim
from mailauth.message.dmarc import MAX_AUTHOR_DOMAINS, author_domains, evaluate_dmarc
from mailauth.message.header_text import display_text
from mailauth.message.parse import ParsedMessage, parse_message
from mailauth.message.received import receiving_hop
from mailauth.message.report import MessageReport
from mailauth.message.spf import SpfOutcome, evaluate_spf, identity_from_message
from mailauth.model import Finding
from mailauth.scoring import score

# What each group of message findings can lose at most (the domain checks' caps are in
# domain/registry.py). Every message-scope catalogue section needs one: a test checks it.
MESSAGE_CAPS: dict[str, int] = {
    "msg_dkim": 30,
    "msg_spf": 30,
    "msg_dmarc": 30,
    "msg_arc": 30,
    "msg_authres": 30,
    "msg_unsub": 30,
    "msg_header": 30,
    "msg_transport": 30,
}


@frozen
class VerifyOptions:
    """What the user can tell us about the delivery that the message itself may not say."""

    ip: str | None = None
    helo: str | None = None
    mail_from: str | None = None
    authserv_id: str = "mailauth"
    timeout: float = 5.0


async def verify_message(
    raw: bytes, dns: DnsSource, options: VerifyOptions | None = None, *, file: str = "-"
) -> MessageReport:
    """Verify `raw` (the message bytes, exactly as saved). Raises `MessageInputError` when the
    bytes are not an email message; everything else is reported in the result."""
    options = options or VerifyOptions()
    message = parse_message(raw)
    hop = receiving_hop(message)
    identity = identity_from_message(message, options.ip, options.helo, options.mail_from, hop=hop)
    domains = author_domains(message)[:MAX_AUTHOR_DOMAINS]
    # DKIM runs in this task, the others in tasks of their own that start when it first
    # waits (a key lookup), or once it is done when nothing makes it wait (a cached source):
    # the lookups still overlap, and a message costs one Task fewer (issue 10).
    # SPF last: without an event loop (one message as a command) pyspf makes its later
    # lookups one after another from synchronous code; the others' lookups are out by then.
    others = gather(
        _arc(message, dns, options.timeout),
        _reverse(dns, identity.ip),
        _policies(dns, domains),
        evaluate_spf(dns, identity, options.timeout),
    )
    try:
        sigs, total = await verify_dkim(message, dns, options.timeout)
    except BaseException:
        others.cancel()
        raise
    results = await others
    arc: ArcOutcome = results[0]
    fcrdns: ReverseDns | None = results[1]
    discoveries: dict[str, PolicyDiscovery] = results[2]
    spf: SpfOutcome = results[3]
    dmarc = await evaluate_dmarc(dns, message, spf, sigs, discoveries)
    if identity.ip_source != "Received":
        hop = None  # the report shows the hop the connection data came from, if it did
    header = build_header(options.authserv_id, sigs, spf, dmarc, arc)
    earlier = existing(message)
    diffs = compare(earlier[0], sigs, spf, dmarc, arc) if earlier else []
    findings: list[Finding] = [
        *judge.dmarc_findings(dmarc),
        *judge.dkim_findings(sigs, total, dmarc),
        *judge.spf_findings(spf, dmarc),
        *judge.arc_findings(arc, dmarc),
        *rules.unsubscribe_findings(message, sigs, dmarc),
        *rules.header_findings(message),
        *rules.from_findings(message),
        *rules.tls_findings(hop),
        *judge.fcrdns_findings(fcrdns),
        *judge.authres_findings(diffs),
    ]
    findings.sort(key=lambda f: f.severity.rank)
    return MessageReport(
        file=file,
        subject=_shown(message, "Subject"),
        from_header=_shown(message, "From"),
        dkim=tuple(sigs),
        dkim_total=total,
        spf=spf,
        dmarc=dmarc,
        arc=arc,
        authentication_results=header,
        score=score(findings, MESSAGE_CAPS),
        findings=tuple(findings),
        receiving_hop=hop,
        fcrdns=fcrdns,
        earlier_results=tuple(earlier),
        differences=tuple(diffs),
    )


def _arc(message: ParsedMessage, dns: DnsSource, timeout: float) -> Awaitable[ArcOutcome]:
    """ARC verification; for a message with no ARC field (most mail) its outcome at once, as
    a finished Future: no Task, no event-loop pass."""
    unsealed = not_sealed(message)
    if unsealed is None:
        return verify_arc(message, dns, timeout)
    return finished(unsealed)


async def _reverse(dns: DnsSource, ip: str | None) -> ReverseDns | None:
    """None without an address, or with one that is not (`VerifyOptions(ip=...)` from a
    library caller; SPF then says `bad-ip`)."""
    try:
        return await check_reverse(dns, ip) if ip else None
    except ValueError:
        return None


async def _policies(dns: DnsSource, domains: Sequence[str]) -> dict[str, PolicyDiscovery]:
    """The DMARC policy of every author domain, started early."""
    found = await gather_few(discover_policy(dns, d) for d in domains)
    return dict(zip(domains, found, strict=True))


def _shown(message: ParsedMessage, name: str) -> str | None:
    """The first `name` field decoded for display: encoded words (ISO-2022-JP, Shift_JIS,
    EUC-JP, UTF-8; B and Q) and the unencoded Japanese real mailers send
    (message/header_text.py). The verified bytes are never touched."""
    found = message.all(name)
    return display_text(found[0]) if found else None
