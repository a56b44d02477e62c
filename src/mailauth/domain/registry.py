"""The one list of domain checks, typed: everything about a check family in one entry.

A `CheckSpec` names the check (its JSON key, the label `check.<name>`, its catalogue module
`findings/<name>.py` and its scenario folder `tests/data/zones/<name>/`), the coroutine that
runs it, the report type it returns and its score cap. The runner iterates `DOMAIN_CHECKS`
and hands the caps to `scoring.score`; tests/unit/runner/test_registry.py proves every entry
has each of those parts, and the renderers' exhaustive `match` over the report union proves
each has a view and a JSON projection. Adding a check family is one entry here plus its
modules (docs/architecture.md has a worked example).

Views and JSON projections are not fields here on purpose: data flows one way (checks ->
scoring -> rendering), so the check layer never imports the render layer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence

from mailauth.domain.bimi import BimiReport, check_bimi
from mailauth.domain.context import CheckContext
from mailauth.domain.dane import DaneReport, check_dane
from mailauth.domain.dkim import DkimReport, check_dkim
from mailauth.domain.dmarc import DmarcReport, check_dmarc, walk_lookups
from mailauth.domain.dnssec import DnssecReport, check_dnssec
from mailauth.domain.existence import SECTION as EXISTENCE_SECTION
from mailauth.domain.mta_sts import MtaStsReport, check_mta_sts
from mailauth.domain.mx import MxReport, check_mx
from mailauth.domain.ns import NsReport, check_ns
from mailauth.domain.results import CheckResult
from mailauth.domain.smtp import SmtpReport, check_smtp
from mailauth.domain.spf import SpfReport, check_spf
from mailauth.domain.tls_rpt import TlsRptReport, check_tls_rpt
from mailauth.frozen import frozen
from mailauth.model import CheckReport

CheckFunction = Callable[[CheckContext, str], Awaitable[CheckResult]]


@frozen
class CheckSpec:
    """One check family.

    `cap` is the most points the check can lose: what having no record at all costs (a
    broken SPF record cannot score lower than none). `report_type` is what `run` returns
    when it does not raise (the runner turns a raise into `CheckFailed`).
    """

    name: str
    run: CheckFunction
    cap: int
    report_type: type[CheckReport]
    # Lookups the check makes that are known from the domain name alone but that it asks only
    # after another answer (the DMARC tree walk's parents): the runner starts them with the
    # check, so they cost no round trip of their own (issue 10). The check's answers do not
    # change: it still asks, in its own order, and gets them from the run's cache.
    prefetch: Callable[[str], Sequence[tuple[str, str]]] | None = None


# Report order = this order (text sections, JSON keys).
DOMAIN_CHECKS: tuple[CheckSpec, ...] = (
    CheckSpec("spf", check_spf, cap=35, report_type=SpfReport),
    CheckSpec("dmarc", check_dmarc, cap=40, report_type=DmarcReport, prefetch=walk_lookups),
    CheckSpec("dkim", check_dkim, cap=35, report_type=DkimReport),
    CheckSpec("bimi", check_bimi, cap=6, report_type=BimiReport),
    CheckSpec("mx", check_mx, cap=30, report_type=MxReport),
    CheckSpec("mta_sts", check_mta_sts, cap=6, report_type=MtaStsReport),
    CheckSpec("tls_rpt", check_tls_rpt, cap=4, report_type=TlsRptReport),
    # Issue 11. DNSSEC: bogus signatures make the domain unresolvable for validating
    # resolvers (SERVFAIL), as bad as no SPF/DMARC at once; unsigned costs nothing.
    CheckSpec("dnssec", check_dnssec, cap=30, report_type=DnssecReport),
    # DANE is optional: missing costs nothing; bogus TLSA defers mail from DANE senders.
    CheckSpec("dane", check_dane, cap=15, report_type=DaneReport),
    # --smtp only: a host without STARTTLS, or a certificate MTA-STS/DANE senders refuse.
    CheckSpec("smtp", check_smtp, cap=20, report_type=SmtpReport),
    # Issue 13: who serves the domain's DNS, for `mailauth stats --group-by ns-operator`.
    # Nothing to lose: its one finding (the lookup failed) is unscored.
    CheckSpec("ns", check_ns, cap=0, report_type=NsReport),
)


# Not checks: the stages beside them, by catalogue section. The existence stage
# (domain/existence.py) reports under `domain`; a domain that does not exist loses everything.
STAGE_CAPS: Mapping[str, int] = {EXISTENCE_SECTION: 100}


def caps(checks: Sequence[CheckSpec] = DOMAIN_CHECKS) -> Mapping[str, int]:
    """`{check name: cap}` for `scoring.score` (the runner adds `STAGE_CAPS`). `core.*`
    findings (mailauth's own errors) are never scored, so no cap is needed for them."""
    return {spec.name: spec.cap for spec in checks}
