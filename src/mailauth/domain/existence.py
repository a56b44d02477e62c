"""Does the domain exist at all? The stage that runs beside the checks and can overrule them.

A sender domain that does not exist (NXDOMAIN: no records of any type, nothing below it,
RFC 8020) cannot authenticate anything: receivers reject mail from a sender domain that
does not resolve, and it is usually a typo. The checks would each report their own "missing"
finding and propose records to publish at the typo; this stage says the one thing that
matters instead (`domain.nxdomain`) and the runner sets the checks' findings aside.

Existence is judged from the types the checks ask at the name anyway (TXT for SPF, MX and
the implicit-MX A/AAAA for MX), so with the run's cache it costs no extra query. The name
does not exist only when every one of them is NXDOMAIN without a CNAME: one NOERROR answer
(a record of another type, an empty non-terminal, a wildcard) means it exists, and a server
that answers NXDOMAIN for one type only (some load balancers do) does not fool the verdict.
A failed or offline-unresolvable lookup leaves it unknown, which is never NXDOMAIN.

Not a check of the registry on purpose: its findings form the `domain` section of the
catalogue, but a domain report's JSON keys are the checks' names, and `domain` is already
the report's name field.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from enum import Enum

from mailauth.dns.interface import DnsAnswer, DnsSource, Rcode
from mailauth.findings.catalogue import finding
from mailauth.frozen import frozen
from mailauth.model import CheckReport, Status

SECTION = "domain"  # the catalogue section and `Finding.check` of this stage's findings
PROBE_TYPES = ("TXT", "MX", "A", "AAAA")


class Existence(str, Enum):
    EXISTS = "exists"
    NXDOMAIN = "nxdomain"
    UNKNOWN = "unknown"  # a lookup failed, or the name is not resolvable offline


_STATUS = {
    Existence.EXISTS: Status.PASS,
    Existence.NXDOMAIN: Status.FAIL,
    Existence.UNKNOWN: Status.ERROR,
}


@frozen(kw_only=True)
class ExistenceReport(CheckReport):
    """The stage's verdict. A `CheckReport` so the policy stage can suppress its finding
    like any other (`--ignore domain.nxdomain`), but never one of `DomainReport.checks`."""

    check: str = SECTION
    existence: Existence = Existence.UNKNOWN

    @property
    def exists(self) -> bool | None:
        """True or False when known; None when the lookups could not tell."""
        if self.existence is Existence.UNKNOWN:
            return None
        return self.existence is Existence.EXISTS


def judge_existence(answers: Sequence[DnsAnswer]) -> Existence:
    """Pure: the verdict from the answers for the name (see the module docstring)."""
    if any(a.rcode is Rcode.NOERROR or a.cnames for a in answers):
        return Existence.EXISTS
    if answers and all(a.is_nxdomain for a in answers):
        return Existence.NXDOMAIN
    return Existence.UNKNOWN


def existence_report(domain: str, existence: Existence) -> ExistenceReport:
    findings = (finding("domain.nxdomain", domain=domain),)
    return ExistenceReport(
        status=_STATUS[existence],
        findings=findings if existence is Existence.NXDOMAIN else (),
        existence=existence,
    )


async def check_existence(dns: DnsSource, domain: str) -> ExistenceReport:
    """Ask `PROBE_TYPES` at `domain` (an A-label) and judge whether it exists.

    TXT and MX first (the SPF and MX checks ask them too); A and AAAA only when neither
    shows the name exists, which is when the MX check asks them as well (implicit MX)."""
    first = await asyncio.gather(*(dns.query(domain, t) for t in PROBE_TYPES[:2]))
    if judge_existence(first) is Existence.EXISTS:
        return existence_report(domain, Existence.EXISTS)
    rest = await asyncio.gather(*(dns.query(domain, t) for t in PROBE_TYPES[2:]))
    return existence_report(domain, judge_existence([*first, *rest]))


__all__ = [
    "PROBE_TYPES",
    "SECTION",
    "Existence",
    "ExistenceReport",
    "check_existence",
    "existence_report",
    "judge_existence",
]
