"""The policy stage for a message report: `mailauth verify --ignore ID[@DOMAIN]` (and the
configuration file's `ignore`, issue 13) with the meaning it has for `check`.

For `check` the @DOMAIN of a suppression is the domain checked; a message is about the
domain in its From header (what DMARC judges, and whose admin runs `verify` on a sample of
their mail), so here it is each author domain. As for a domain, a suppressed finding is not
listed and not scored (the score is computed again with the message caps), yet it is kept on
the report (`MessageReport.suppressed`). Pure: the verdicts (DKIM, SPF, DMARC results and the
Authentication-Results header) are not findings and never change.
"""

from __future__ import annotations

from dataclasses import replace

from mailauth.domain.policy import Policy
from mailauth.message.report import MessageReport
from mailauth.model import Finding
from mailauth.names import to_alabel


def apply_policy(report: MessageReport, policy: Policy) -> MessageReport:
    """`report` without the findings `policy` ignores for its author domains."""
    if not policy.ignore:
        return report
    domains = _author_domains(report) or ("",)
    kept: list[Finding] = []
    removed: list[Finding] = []
    for f in report.findings:
        ignored = any(policy.ignores(domain, f) for domain in domains)
        (removed if ignored else kept).append(f)
    if not removed:
        return report
    from mailauth.message.verify import MESSAGE_CAPS
    from mailauth.scoring import score

    return replace(
        report,
        findings=tuple(kept),
        score=score(kept, MESSAGE_CAPS),
        suppressed=(*report.suppressed, *removed),
    )


def _author_domains(report: MessageReport) -> tuple[str, ...]:
    """The From domains as A-labels (how a suppression's domain is written after parsing)."""
    out: list[str] = []
    for author in report.dmarc.author_outcomes:
        name = author.from_domain
        if not name:
            continue
        try:
            out.append(to_alabel(name.rstrip(".")))
        except UnicodeError:
            out.append(name.lower())
    return tuple(out)
