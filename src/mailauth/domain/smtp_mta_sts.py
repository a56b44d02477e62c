"""Would an MTA-STS policy be satisfied by each MX host the `--smtp` probe reached?

RFC 8461 §4 asks two things of every MX host a sender delivers to under a policy: its name
matches one of the policy's `mx` patterns (§4.1), and it offers STARTTLS with a certificate
that is unexpired, chains to a trusted root and names the host (§4.2). The SMTP check knows
the second (`SmtpHost.mta_sts_ready`), the MTA-STS check fetched the first (the policy);
neither sees the other's result. This is the post-check stage of the runner that combines
them once both reports exist: a pure function over the two reports, so the policy is
fetched once (by the MTA-STS check) and nothing is asked of DNS or the network again.

Per host it sets `SmtpHost.mta_sts_policy` (`MtaStsVerdict`) and the reasons, and adds
`smtp.mta-sts-would-fail` for each reason (high in enforce mode: mail would bounce; medium
in testing: only TLS-RPT reports would say so). The finding is not scored: its causes are
scored by their own findings (`mta_sts.policy-mx-mismatch`, `smtp.certificate-*`,
`smtp.no-starttls`, `smtp.tls-failed`); it states their consequence under the policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from enum import Enum

from mailauth.domain.mta_sts import MtaStsReport
from mailauth.domain.mta_sts_policy import PolicyStatus
from mailauth.domain.results import CheckResult
from mailauth.domain.smtp import SmtpHost, SmtpReport
from mailauth.findings.catalogue import finding
from mailauth.model import Finding, Phrase, Severity, status_from_findings
from mailauth.records.mta_sts import MtaStsPolicy


class MtaStsVerdict(str, Enum):
    """JSON `smtp.hosts[].mta_sts_policy`."""

    SATISFIED = "satisfied"  # matched by a pattern, and STARTTLS with a valid certificate
    NOT_SATISFIED = "not-satisfied"  # `mta_sts_policy_reasons` says why
    NO_POLICY = "no-policy"  # no policy senders would apply (no record, invalid, mode none)
    UNKNOWN = "unknown"  # a policy is announced but mailauth did not see it
    NOT_TESTED = "not-tested"  # the host was not probed (port 25 unreachable, no address)


# Why a host would fail the policy (JSON `mta_sts_policy_reasons`).
MX_NOT_MATCHED = "mx-not-matched"
_UNPROBED = ("not-tested", "no-address")


def combine(reports: Mapping[str, CheckResult]) -> dict[str, CheckResult]:
    """`reports` with the SMTP report's hosts judged against the MTA-STS policy, when both
    checks ran (`--smtp` given); otherwise unchanged."""
    out = dict(reports)
    smtp, sts = reports.get("smtp"), reports.get("mta_sts")
    if not isinstance(smtp, SmtpReport) or not isinstance(sts, MtaStsReport):
        return out
    if not smtp.requested or not smtp.hosts:
        return out
    policy, verdict, why = _policy_of(sts)
    hosts: list[SmtpHost] = []
    added: list[Finding] = []
    for host in smtp.hosts:
        judged = _judge(host, policy, verdict, why)
        hosts.append(judged)
        if policy is not None:
            added += _findings(judged, policy)
    findings = (*smtp.findings, *added)
    out["smtp"] = replace(
        smtp, hosts=tuple(hosts), findings=findings, status=status_from_findings(list(findings))
    )
    return out


def _policy_of(sts: MtaStsReport) -> tuple[MtaStsPolicy | None, MtaStsVerdict, str | None]:
    """The policy senders would apply, or the verdict for every host and why there is none."""
    check = sts.policy_check
    if sts.parsed is None or check is None:
        return None, MtaStsVerdict.NO_POLICY, "no-record"
    if check.status is PolicyStatus.FETCH_FAILED:
        return None, MtaStsVerdict.NO_POLICY, "fetch-failed"
    if check.status is PolicyStatus.INVALID:
        return None, MtaStsVerdict.NO_POLICY, "invalid"
    policy = check.policy
    if check.status is not PolicyStatus.VALID or policy is None:
        return None, MtaStsVerdict.UNKNOWN, check.status.value
    if policy.mode not in ("enforce", "testing"):
        return None, MtaStsVerdict.NO_POLICY, "mode-none"
    return policy, MtaStsVerdict.SATISFIED, None


def _judge(
    host: SmtpHost, policy: MtaStsPolicy | None, verdict: MtaStsVerdict, why: str | None
) -> SmtpHost:
    if policy is None:
        return replace(host, mta_sts_policy=verdict.value, mta_sts_policy_reasons=_one(why))
    reasons: list[str] = []
    if not policy.matches_mx(host.host):
        reasons.append(MX_NOT_MATCHED)
    if host.status in _UNPROBED:
        # The pattern match is known without a probe; the TLS half is not.
        if reasons:
            return replace(
                host, mta_sts_policy=MtaStsVerdict.NOT_SATISFIED.value,
                mta_sts_policy_reasons=tuple(reasons),
            )  # fmt: skip
        return replace(host, mta_sts_policy=MtaStsVerdict.NOT_TESTED.value)
    reasons += _tls_reasons(host)
    shown = MtaStsVerdict.NOT_SATISFIED if reasons else MtaStsVerdict.SATISFIED
    return replace(host, mta_sts_policy=shown.value, mta_sts_policy_reasons=tuple(reasons))


def _one(why: str | None) -> tuple[str, ...]:
    return (why,) if why else ()


def _tls_reasons(host: SmtpHost) -> list[str]:
    """What RFC 8461 §4.2 finds wrong with the host's TLS (empty when `mta_sts_ready`)."""
    if host.status != "tls":
        return ["no-starttls" if host.status == "no-starttls" else "tls-failed"]
    if host.mta_sts_ready:
        return []
    c = host.certificate
    if c is None:
        return ["certificate-untrusted"]
    out = []
    if c.expired:
        out.append("certificate-expired")
    if not c.name_matches:
        out.append("certificate-name-mismatch")
    if not c.trusted:
        out.append("certificate-untrusted")
    return out or ["certificate-untrusted"]


def _findings(host: SmtpHost, policy: MtaStsPolicy) -> list[Finding]:
    if host.mta_sts_policy != MtaStsVerdict.NOT_SATISFIED.value:
        return []
    severity = Severity.MEDIUM if policy.mode == "testing" else None
    patterns = ", ".join(policy.mx) or "-"
    return [
        finding(
            "smtp.mta-sts-would-fail",
            severity=severity,
            host=host.host,
            mode=policy.mode or "",
            patterns=patterns,
            reason=Phrase(f"smtp.mta-sts-reason.{code}"),
        )
        for code in host.mta_sts_policy_reasons
    ]
