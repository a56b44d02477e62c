"""Name server check: the domain's NS records (RFC 1035 §3.3.11), one query.

Nothing is judged here: the host names are recorded so a survey can group domains by the
operator that serves their DNS (`mailauth stats --group-by ns-operator`; hosting providers
changing their defaults explain jumps in adoption). A name that is not a zone apex (no NS
of its own) or does not exist gives no hosts and no finding (the existence stage speaks for
a missing name); a failed lookup is `ns.lookup-failed` (unscored: it says nothing about the
domain's mail).
"""

from __future__ import annotations

from mailauth.domain.context import CheckContext
from mailauth.findings.catalogue import finding
from mailauth.frozen import frozen
from mailauth.model import CheckReport, Status


@frozen(kw_only=True)
class NsReport(CheckReport):
    check: str = "ns"
    hosts: tuple[str, ...] = ()  # lower case, no trailing dot, sorted


async def check_ns(ctx: CheckContext, domain: str) -> NsReport:
    answer = await ctx.dns.query(domain, "NS")
    if answer.is_error:
        failed = finding("ns.lookup-failed", name=domain, rcode=answer.rcode.value)
        return NsReport(status=Status.ERROR, findings=(failed,))
    hosts = sorted({rr.strip().lower().rstrip(".") for rr in answer.rrs if rr.strip()})
    return NsReport(status=Status.PASS if hosts else Status.NONE, hosts=tuple(hosts))
