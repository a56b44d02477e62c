"""The MTA-STS policy step: fetch `https://mta-sts.<domain>/.well-known/mta-sts.txt` through
the run's fetcher, parse it, and hold it against the domain's MX hosts (RFC 8461 §3.2-§4.1).

Separate from the TXT-record check (`domain/mta_sts.py`) because it is the part that
leaves DNS: it asks `CheckContext.fetcher` (live and guarded, the `--https-dir` directory,
or off), never the network itself. What senders would do decides each finding: a redirect
is not followed (§3.3), a policy not served as text/plain may be rejected, an MX host the
policy does not list is refused in enforce mode (§4.1). Offline (`--https-dir`), the file is
the admin's draft: the web server's certificate and Content-Type were not seen, and the
report says so instead of judging them.
"""

from __future__ import annotations

import asyncio
from enum import Enum

from mailauth.dns.interface import DnsSource
from mailauth.fetch.interface import (
    DISABLED_OFFLINE,
    MAX_POLICY_BYTES,
    Fetcher,
    FetchOutcome,
    FetchResult,
)
from mailauth.findings.catalogue import finding
from mailauth.frozen import frozen
from mailauth.model import Finding, Phrase, Severity
from mailauth.records.mta_sts import (
    MAX_AGE_LIMIT,
    MtaStsPolicy,
    MtaStsPolicyProblem,
    PolicyProblem,
    parse_mta_sts_policy,
)


class PolicyStatus(str, Enum):
    """Where the policy step got to (JSON `mta_sts.policy.status`)."""

    VALID = "valid"  # fetched; senders can use it (findings may still apply)
    INVALID = "invalid"  # fetched; senders reject it (RFC 8461 §3.2)
    FETCH_FAILED = "fetch-failed"  # senders could not fetch it either
    REFUSED = "refused"  # the host has a non-public address: mailauth did not fetch
    NOT_AVAILABLE_OFFLINE = "not-available-offline"  # --https-dir has no file for it
    NOT_FETCHED = "not-fetched"  # see `NotFetched`


class NotFetched(str, Enum):
    """Why the policy was not fetched at all (JSON `mta_sts.policy.reason`)."""

    OFFLINE = "offline"  # --zone without --https-dir: an offline run goes to no server
    DISABLED = "no-fetch"  # --no-fetch
    NO_FETCHER = "no-fetcher"  # a library caller gave no fetcher
    NO_POLICY_HOST = "no-policy-host"  # mta-sts.<domain> has no address (its own finding)


@frozen
class PolicyCheck:
    """The policy step's result. `mx_hosts` is None when the MX lookup failed (the match
    was not made); `()` for a null MX. `server_checked`: the web server's certificate and
    Content-Type were seen (a live fetch that succeeded)."""

    status: PolicyStatus
    url: str
    reason: NotFetched | None = None
    fetch: FetchResult | None = None
    policy: MtaStsPolicy | None = None
    mx_hosts: tuple[str, ...] | None = None
    unmatched_mx: tuple[str, ...] = ()
    unused_patterns: tuple[str, ...] = ()

    @property
    def server_checked(self) -> bool:
        return self.fetch is not None and self.fetch.ok and not self.fetch.offline

    @property
    def offline(self) -> bool:
        return self.fetch is not None and self.fetch.offline

    @property
    def matched(self) -> bool:
        """The MX match was made, or was not needed (no usable policy, mode none)."""
        needed = self.policy is not None and self.policy.mode in ("enforce", "testing")
        return not needed or self.mx_hosts is not None


def not_fetched(url: str, reason: NotFetched) -> PolicyCheck:
    return PolicyCheck(PolicyStatus.NOT_FETCHED, url, reason=reason)


async def check_policy(
    fetcher: Fetcher, dns: DnsSource, domain: str, url: str
) -> tuple[PolicyCheck, list[Finding]]:
    """Fetch and judge the policy at `url` (RFC 8461 §3.3: no redirects). Never raises."""
    fetched, mx_hosts = await asyncio.gather(
        fetcher.fetch(url, max_bytes=MAX_POLICY_BYTES, allow_redirects=False),
        _mx_hosts(dns, domain),
    )
    if not fetched.ok:
        return _failed(url, fetched)
    findings: list[Finding] = []
    if not fetched.offline and not _is_text_plain(fetched.content_type):
        shown = fetched.content_type or "(none)"
        findings.append(finding("mta_sts.policy-content-type", url=url, content_type=shown))
    policy = parse_mta_sts_policy(fetched.body.decode("utf-8", "replace"))
    findings.extend(_policy_findings(url, policy))
    check = PolicyCheck(
        PolicyStatus.VALID if policy.valid else PolicyStatus.INVALID,
        url,
        fetch=fetched,
        policy=policy,
        mx_hosts=mx_hosts,
    )
    if policy.mode in ("enforce", "testing") and mx_hosts is not None and policy.mx:
        check, matched = _match(check, policy, mx_hosts, url)
        findings.extend(matched)
    return check, findings


def _failed(url: str, fetched: FetchResult) -> tuple[PolicyCheck, list[Finding]]:
    outcome = fetched.outcome
    if outcome is FetchOutcome.DISABLED:
        why = NotFetched.OFFLINE if fetched.detail == DISABLED_OFFLINE else NotFetched.DISABLED
        return PolicyCheck(PolicyStatus.NOT_FETCHED, url, reason=why, fetch=fetched), []
    if outcome is FetchOutcome.NOT_AVAILABLE_OFFLINE:
        path = _offline_path(url)
        found = finding("mta_sts.policy-not-available-offline", url=url, path=path)
        return PolicyCheck(PolicyStatus.NOT_AVAILABLE_OFFLINE, url, fetch=fetched), [found]
    if outcome is FetchOutcome.REFUSED_ADDRESS:
        host = url.split("/")[2]
        address = fetched.address or fetched.detail or ""
        found = finding("mta_sts.policy-fetch-refused", url=url, host=host, address=address)
        return PolicyCheck(PolicyStatus.REFUSED, url, fetch=fetched), [found]
    if outcome is FetchOutcome.REDIRECT:
        found = finding(
            "mta_sts.policy-redirect",
            url=url,
            status=fetched.status or "3xx",
            location=fetched.location or "-",  # no Location header (words: issue 14)
        )
        return PolicyCheck(PolicyStatus.FETCH_FAILED, url, fetch=fetched), [found]
    reason = Phrase(
        f"fetch-outcome.{outcome.value}",
        {"detail": fetched.detail or "", "limit": MAX_POLICY_BYTES},
    )
    found = finding("mta_sts.policy-fetch-failed", url=url, reason=reason)
    return PolicyCheck(PolicyStatus.FETCH_FAILED, url, fetch=fetched), [found]


def _offline_path(url: str) -> str:
    """Where the file goes under --https-dir: `<host>/<path>`."""
    return url.split("://", 1)[-1]


def _is_text_plain(content_type: str | None) -> bool:
    """RFC 8461 §3.3: the media type is text/plain (parameters such as charset allowed)."""
    if not content_type:
        return False
    return content_type.split(";", 1)[0].strip().lower() == "text/plain"


def _policy_findings(url: str, policy: MtaStsPolicy) -> list[Finding]:
    out: list[Finding] = []
    for p in policy.problems:
        code = p.code
        if code is PolicyProblem.SHORT_MAX_AGE:
            if policy.mode == "enforce":  # a short max_age while testing is sensible
                out.append(_max_age(url, p.value or "", "short"))
        elif code is PolicyProblem.BAD_MAX_AGE and (p.value or "").isdigit():
            out.append(_max_age(url, p.value or "", "long", Severity.MEDIUM))
        else:
            severity = Severity.LOW if not code.fatal else None
            out.append(
                finding("mta_sts.policy-syntax", severity=severity, url=url, problem=_phrase(p))
            )
    if policy.mode == "testing":
        out.append(finding("mta_sts.policy-testing", url=url))
    elif policy.mode == "none":
        out.append(finding("mta_sts.policy-none", url=url))
    return out


def _max_age(url: str, value: str, kind: str, severity: Severity | None = None) -> Finding:
    problem = Phrase(f"mta-sts-max-age.{kind}", {"limit": MAX_AGE_LIMIT})
    return finding(
        "mta_sts.policy-max-age", severity=severity, url=url, max_age=value, problem=problem
    )


def _phrase(p: MtaStsPolicyProblem) -> Phrase:
    return Phrase(
        f"mta-sts-policy-problem.{p.code.value}", {"subject": p.subject or "", "value": p.value}
    )


def _match(
    check: PolicyCheck, policy: MtaStsPolicy, mx_hosts: tuple[str, ...], url: str
) -> tuple[PolicyCheck, list[Finding]]:
    """RFC 8461 §4.1: every MX host must match a pattern; a pattern matching no MX is stale."""
    unmatched = tuple(h for h in mx_hosts if not policy.matches_mx(h))
    unused = tuple(
        p for p in policy.mx if not any(MtaStsPolicy("", mx=(p,)).matches_mx(h) for h in mx_hosts)
    )
    severity = Severity.MEDIUM if policy.mode == "testing" else None
    patterns = ", ".join(policy.mx)
    hosts = ", ".join(mx_hosts) or "(none)"
    findings = [
        finding("mta_sts.policy-mx-mismatch", severity=severity, mx=h, patterns=patterns, url=url)
        for h in unmatched
    ]
    if mx_hosts:  # with no MX at all, every pattern is unused: the MX check says why
        findings += [
            finding("mta_sts.policy-mx-unused", pattern=p, hosts=hosts, url=url) for p in unused
        ]
    matched = PolicyCheck(
        check.status,
        check.url,
        fetch=check.fetch,
        policy=check.policy,
        mx_hosts=mx_hosts,
        unmatched_mx=unmatched,
        unused_patterns=unused,
    )
    return matched, findings


async def _mx_hosts(dns: DnsSource, domain: str) -> tuple[str, ...] | None:
    """The MX host names senders would deliver to (the per-run cache answers the MX check's
    query): None when the lookup failed, () for a null MX (RFC 7505), the domain itself
    when it has no MX (the implicit MX, RFC 5321 §5.1)."""
    answer = await dns.query(domain, "MX")
    if answer.is_error:
        return None
    hosts = [host.rstrip(".").lower() for _, host in sorted(answer.mx())]
    if not hosts:
        return (domain,)
    if hosts == [""]:  # "0 ." : the null MX
        return ()
    return tuple(dict.fromkeys(h for h in hosts if h))
