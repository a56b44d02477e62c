"""MX check: where mail for the domain goes, and whether those hosts look like mail servers.

Receiving is not sending, but it matters for deliverability: bounces, replies and DMARC
reports come back through the MX, some receivers reject mail from domains that cannot
receive, and a small site's MX host is often its outbound server too, so its reverse DNS
(which Gmail and spam filters check on senders) is worth showing.
"""

from __future__ import annotations

import asyncio
import ipaddress

from mailauth.dns.interface import DnsAnswer, DnsSource, normalize_name
from mailauth.dns.reverse import ReverseDns, ReverseStatus, check_reverse, ptr_name
from mailauth.domain.context import CheckContext
from mailauth.findings.catalogue import finding
from mailauth.frozen import frozen
from mailauth.model import CheckReport, Finding, Status, status_from_findings

# Bound on reverse-DNS work so a domain with dozens of MX hosts cannot stall a run.
MAX_PTR_CHECKS = 32
# Hosts examined, most preferred first. Senders try a handful (Postfix: 5 addresses per
# delivery); a 3,000-host MX answer must not become 6,000 address lookups at once.
MAX_MX_HOSTS = 10
# `AddressCheck.fcrdns`: decided (True/False) or None (unknown, no PTR, not checked).
_FCRDNS = {ReverseStatus.CONFIRMED: True, ReverseStatus.NOT_CONFIRMED: False}


@frozen
class AddressCheck:
    """One address of an MX host; `reverse` is None when its reverse DNS was not checked
    (beyond MAX_PTR_CHECKS, or an implicit MX)."""

    address: str
    reverse: ReverseDns | None = None

    @property
    def ptrs(self) -> tuple[str, ...] | None:
        """The PTR names: () when there is none, None when unknown (the PTR lookup failed or
        was not made), which is not the same as missing."""
        rev = self.reverse
        if rev is None or (rev.status is ReverseStatus.UNKNOWN and not rev.names):
            return None
        return rev.names

    @property
    def ptr(self) -> str | None:
        """The first PTR name, or None (none, or unknown)."""
        ptrs = self.ptrs
        return ptrs[0] if ptrs else None

    @property
    def fcrdns(self) -> bool | None:
        """Forward-confirmed reverse DNS: decided (True/False) or None (unknown, no PTR, not
        checked)."""
        return _FCRDNS.get(self.reverse.status) if self.reverse else None


@frozen
class MxHost:
    name: str
    preference: int
    addresses: tuple[AddressCheck, ...] = ()
    cnames: tuple[str, ...] = ()
    ip_literal: bool = False

    @property
    def cname(self) -> str | None:
        """The name the host's CNAME chain ends at (RFC 2181 §10.3: an MX must not be an alias),
        or None."""
        return self.cnames[-1] if self.cnames else None


@frozen(kw_only=True)
class MxReport(CheckReport):
    check: str = "mx"
    hosts: tuple[MxHost, ...] = ()
    null_mx: bool = False
    implicit: bool = False


async def check_mx(ctx: CheckContext, domain: str) -> MxReport:
    dns = ctx.dns
    answer = await dns.query(domain, "MX")
    if answer.is_error:
        failed = finding("mx.lookup-failed", name=domain, rdtype="MX", rcode=answer.rcode.value)
        return MxReport(status=Status.ERROR, findings=(failed,))
    records = sorted(answer.mx())
    if not records:
        return await _no_mx(dns, domain)

    findings: list[Finding] = []
    real = [(pref, host) for pref, host in records if normalize_name(host)]
    null_mx = len(real) < len(records)  # RFC 7505 §3: "0 ." (the root) as the exchange
    if null_mx and not real:
        return MxReport(
            status=Status.PASS, findings=(finding("mx.null-mx", domain=domain),), null_mx=True
        )
    if null_mx:
        hosts_text = ", ".join(f"{p} {h}" for p, h in real)
        findings.append(finding("mx.null-mx-with-others", domain=domain, hosts=hosts_text))

    if len(real) > MAX_MX_HOSTS:
        skipped = len(real) - MAX_MX_HOSTS
        findings.append(
            finding(
                "mx.hosts-skipped",
                domain=domain,
                count=len(real),
                limit=MAX_MX_HOSTS,
                skipped=skipped,
            )
        )
        real = real[:MAX_MX_HOSTS]  # sorted: the most preferred
    names = [normalize_name(h) for _, h in real]
    literal = [_is_ip(n) for n in names]
    early = _early_reverse(dns, answer.hints, names) if ctx.eager else []
    try:
        return await _judge_hosts(dns, domain, real, names, literal, findings, null_mx)
    finally:
        for task in early:  # the hinted addresses the hosts do not have, or nobody read
            task.cancel()
        if early:
            await asyncio.gather(*early, return_exceptions=True)


async def _judge_hosts(
    dns: DnsSource,
    domain: str,
    real: list[tuple[int, str]],
    names: list[str],
    literal: list[bool],
    findings: list[Finding],
    null_mx: bool,
) -> MxReport:
    """The hosts' addresses, then their reverse DNS, and the findings about them."""
    lookups = await asyncio.gather(
        *(_addresses(dns, n) for n, lit in zip(names, literal, strict=True) if not lit)
    )
    resolved = iter(lookups)
    hosts: list[MxHost] = []
    for (pref, _), name, lit in zip(real, names, literal, strict=True):
        if lit:
            # RFC 1035 §3.3.9: the exchange is a domain name; an address there is not looked up.
            findings.append(finding("mx.target-is-ip", host=name, domain=domain))
            hosts.append(MxHost(name, pref, ip_literal=True))
            continue
        addrs, cnames, failed_rcode = next(resolved)
        if cnames:
            # RFC 2181 §10.3: an MX must not point at an alias.
            findings.append(finding("mx.target-is-cname", host=name, target=cnames[-1]))
        if failed_rcode is not None:
            findings.append(finding("mx.host-lookup-failed", host=name, rcode=failed_rcode))
        elif not addrs:
            findings.append(finding("mx.target-no-address", host=name))
        hosts.append(MxHost(name, pref, tuple(AddressCheck(a) for a in addrs), cnames))

    hosts = await _check_reverse(dns, hosts, findings)
    if not any(h.addresses for h in hosts) and not any(
        f.id == "mx.host-lookup-failed" for f in findings
    ):
        listed = ", ".join(h.name for h in hosts)
        findings.append(finding("mx.no-usable-host", domain=domain, hosts=listed))
    return MxReport(
        status=status_from_findings(findings),
        findings=tuple(findings),
        hosts=tuple(hosts),
        null_mx=null_mx,
    )


def _early_reverse(
    dns: DnsSource, hints: tuple[tuple[str, str], ...], names: list[str]
) -> list[asyncio.Task[DnsAnswer]]:
    """Start the PTR lookups of the addresses the MX answer's server volunteered for the
    hosts examined (`DnsAnswer.hints`), while the hosts' own A/AAAA are asked: the reverse
    check then finds them answered, a round trip sooner (issue 10). Only a lookup the check
    makes anyway gets used; a hinted address the host turns out not to have is cancelled
    or, if already answered, sits unused in the run's cache."""
    hosts = set(names)
    addresses = list(dict.fromkeys(a for host, a in hints if host in hosts))[:MAX_PTR_CHECKS]
    tasks: list[asyncio.Task[DnsAnswer]] = []
    for address in addresses:
        try:
            name = ptr_name(address)
        except ValueError:
            continue
        tasks.append(asyncio.ensure_future(dns.query(name, "PTR")))
    return tasks


async def _no_mx(dns: DnsSource, domain: str) -> MxReport:
    """RFC 5321 §5.1: without MX, the domain's own address is the implicit MX."""
    a, aaaa = await asyncio.gather(dns.query(domain, "A"), dns.query(domain, "AAAA"))
    addrs = [*a.rrs, *aaaa.rrs]
    if addrs:
        f = finding("mx.implicit", domain=domain, addresses=", ".join(addrs))
        host = MxHost(domain, 0, tuple(AddressCheck(x) for x in addrs), a.cnames)
        return MxReport(status=Status.NONE, findings=(f,), hosts=(host,), implicit=True)
    for ans in (a, aaaa):
        if ans.is_error:
            failed = finding(
                "mx.lookup-failed", name=domain, rdtype=ans.rdtype, rcode=ans.rcode.value
            )
            return MxReport(status=Status.ERROR, findings=(failed,))
    return MxReport(status=Status.NONE, findings=(finding("mx.no-mail-host", domain=domain),))


async def _addresses(dns: DnsSource, host: str) -> tuple[list[str], tuple[str, ...], str | None]:
    """A and AAAA of `host`: (addresses, CNAME chain, rcode when no address was found and a
    lookup failed). A failed lookup is never "no record": with A timed out and AAAA empty,
    the host may well have an IPv4 address."""
    a, aaaa = await asyncio.gather(dns.query(host, "A"), dns.query(host, "AAAA"))
    cnames = a.cnames or aaaa.cnames
    addrs = [*a.rrs, *aaaa.rrs]
    if not addrs and (a.is_error or aaaa.is_error):
        return [], cnames, (a if a.is_error else aaaa).rcode.value
    return addrs, cnames, None


async def _check_reverse(
    dns: DnsSource, hosts: list[MxHost], findings: list[Finding]
) -> list[MxHost]:
    """PTR and forward confirmation (FCrDNS) of every distinct address, concurrently."""
    distinct = list(dict.fromkeys(a.address for h in hosts for a in h.addresses))
    checked = distinct[:MAX_PTR_CHECKS]
    results = await asyncio.gather(*(_reverse(dns, addr) for addr in checked))
    by_address = {addr: r for addr, r in zip(checked, results, strict=True) if r is not None}
    reported: set[str] = set()
    out: list[MxHost] = []
    for h in hosts:
        checks = tuple(AddressCheck(a.address, by_address.get(a.address)) for a in h.addresses)
        for check in checks:
            rev = check.reverse
            if rev is None or check.address in reported:
                continue
            reported.add(check.address)
            if rev.status is ReverseStatus.NO_PTR:
                findings.append(finding("mx.no-ptr", host=h.name, address=check.address))
            elif rev.status is ReverseStatus.NOT_CONFIRMED:
                findings.append(
                    finding("mx.no-fcrdns", host=h.name, address=check.address, ptr=rev.names[0])
                )
        out.append(MxHost(h.name, h.preference, checks, h.cnames, h.ip_literal))
    return out


async def _reverse(dns: DnsSource, address: str) -> ReverseDns | None:
    try:
        return await check_reverse(dns, address)
    except ValueError:  # not an address (a malformed A/AAAA rdata): nothing to look up
        return None


def _is_ip(name: str) -> bool:
    """An MX target written as an address (`192.0.2.1` or `[192.0.2.1]`)."""
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True
