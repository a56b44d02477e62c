"""The expectations stage: a domain's report held against what its owner wrote under
`[expect]` in mailauth.toml (issue 13). Pure, after the checks and the policy stage; each
unmet key becomes a finding `expect.<key>` on the report (`DomainReport.expectations`),
unscored, so the grade still measures deliverability while the run fails (exit 1).
"""

from __future__ import annotations

from dataclasses import replace

from mailauth.domain.dkim import DkimReport
from mailauth.domain.dmarc import DmarcReport
from mailauth.domain.policy import Policy
from mailauth.domain.runner import DomainReport
from mailauth.domain.spf import SpfReport
from mailauth.expectations import POLICY_ORDER, Expectations
from mailauth.findings import finding
from mailauth.model import Finding, Status


def unmet(report: DomainReport, expect: Expectations) -> list[Finding]:
    """The `expect.*` findings of `report` (none when every expectation holds, or when the
    domain does not exist: that verdict overrules everything)."""
    if report.nonexistent:
        return []
    out: list[Finding] = []
    domain = report.domain
    dmarc = report.checks.get("dmarc")
    if expect.dmarc_policy is not None and isinstance(dmarc, DmarcReport):
        found = dmarc.discovery.policy
        actual = found.value if found is not None else "missing"
        rank = POLICY_ORDER.index(actual) if actual in POLICY_ORDER else -1
        if dmarc.status is not Status.ERROR and rank < POLICY_ORDER.index(expect.dmarc_policy):
            out.append(
                finding(
                    "expect.dmarc.policy",
                    domain=domain,
                    expected=expect.dmarc_policy,
                    actual=actual,
                )
            )
    spf = report.checks.get("spf")
    limit = expect.spf_max_lookups
    if limit is not None and isinstance(spf, SpfReport) and spf.dns_lookups > limit:
        out.append(
            finding(
                "expect.spf.max_lookups",
                domain=domain,
                limit=expect.spf_max_lookups,
                count=spf.dns_lookups,
            )
        )
    dkim = report.checks.get("dkim")
    if expect.dkim_selectors_required and isinstance(dkim, DkimReport):
        usable = {
            s.selector.lower()
            for s in dkim.selectors
            if s.key is not None and s.status in (Status.PASS, Status.WARN)
        }
        missing = [s for s in expect.dkim_selectors_required if s.lower() not in usable]
        if missing and dkim.status is not Status.ERROR:
            out.append(
                finding(
                    "expect.dkim.selectors_required",
                    domain=domain,
                    required=", ".join(expect.dkim_selectors_required),
                    missing=", ".join(missing),
                )
            )
    return out


def with_expectations(report: DomainReport, expect: Expectations, policy: Policy) -> DomainReport:
    """`report` with its unmet expectations, less those `policy` ignores (`--ignore`)."""
    found = [f for f in unmet(report, expect) if not policy.ignores(report.domain, f)]
    if not found:
        return report
    return replace(report, expectations=tuple(found))
