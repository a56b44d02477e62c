"""The judgement `mailauth report` exists for: who sends as the domain, which of it fails
and why, what exactly to fix, and whether p=quarantine / p=reject is safe now.

Pure over the store's aggregated rows and the resolved sources: no I/O, no printing. Every
source of every header-From domain gets one class:

- `aligned`: DMARC passes (aligned SPF or DKIM) for (nearly) all its mail;
- `forwarded`: a forwarder or mailing list relays the domain's mail (a receiver said so in
  a policy override reason, ARC was seen, or the source is a known forwarder/list): SPF
  breaks there by design and it is not the admin's to fix;
- `legitimate-failing`: a real sender of the domain's mail that fails DMARC (a known
  service, a passing DKIM or SPF for someone else's domain, a DKIM signature of the
  domain's own that fails, or some of its mail passing): with the exact fix;
- `unauthenticated`: nothing authenticates it: spoofing, which p=reject is for.

RFC 9989 removed `pct`, so the staged path is p=quarantine with t=y (testing mode:
receivers apply the policy one level lower, p=none, and report what quarantine would do),
then p=quarantine, then p=reject; the verdict names its evidence (reports, reporters,
days, messages).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from datetime import datetime, timezone
from enum import Enum

from mailauth.frozen import frozen, mutable
from mailauth.model import Phrase
from mailauth.report.containers import Unreadable
from mailauth.report.model import FailureReport, Note
from mailauth.report.sources import Service, SourceInfo, recognise
from mailauth.report.store import DAY, SourceDayRow, SourceRow, StoredReport

ALIGNED_SHARE = 0.98  # a source whose mail passes this often is aligned (stray failures)
REJECT_MIN_DAYS = 7  # a week of reports before p=reject: weekly senders must show up
FORWARDED_MAX_SHARE = 0.02  # above this, p=reject costs forwarded mail (ARC not universal)
FORWARD_REASONS = frozenset({"forwarded", "mailing_list", "trusted_forwarder"})


class SourceClass(str, Enum):
    ALIGNED = "aligned"
    LEGITIMATE_FAILING = "legitimate-failing"
    FORWARDED = "forwarded"
    UNAUTHENTICATED = "unauthenticated"


@frozen
class SourceSummary:
    """One sending source of one domain, with what the reports said about it."""

    ip: str
    ptr: str | None
    org_domain: str | None
    service: Service | None
    messages: int
    dmarc_pass: int
    spf_aligned: int
    dkim_aligned: int
    cls: SourceClass
    fix: Phrase | None
    spf: tuple[tuple[str, str, int], ...]  # (domain, result, messages)
    dkim: tuple[tuple[str, str | None, str, int], ...]  # (domain, selector, result, messages)
    dispositions: tuple[tuple[str, int], ...]
    reasons: tuple[str, ...]


@frozen
class DayPoint:
    """One day of a domain's time series."""

    day: str  # YYYY-MM-DD (UTC) of the reports' begin
    messages: int
    dmarc_pass: int

    @property
    def failing(self) -> int:
        return self.messages - self.dmarc_pass


@frozen
class Evidence:
    """What a verdict rests on: how many reports, from whom, over which days."""

    reports: int
    reporters: tuple[str, ...]
    first_day: str | None
    last_day: str | None
    days: int


@frozen
class Verdict:
    """Whether p=quarantine and p=reject are safe for a domain now, why, and what to publish."""

    quarantine_safe: bool
    reject_safe: bool
    reasons: tuple[Phrase, ...]
    next_record: str
    legitimate_failing_per_day: int


@frozen
class DomainAnalysis:
    """Everything said about one domain: its sources, days, verdict and actions."""

    domain: str
    messages: int
    dmarc_pass_messages: int
    policy_published: dict[str, str | int | bool | None]
    sources: tuple[SourceSummary, ...]
    verdict: Verdict
    days: tuple[DayPoint, ...]
    evidence: Evidence
    actions: tuple[Phrase, ...]
    source_days: tuple[SourceDayRow, ...] = ()


@frozen
class ReportNote:
    """A defect noted on one stored report, with the report it is about."""

    org_name: str
    report_id: str
    note: Note


@frozen
class ReportAnalysis:
    """The whole answer of one run (what every renderer draws)."""

    reports_read: int
    records: int
    duplicates: int
    unreadable: tuple[Unreadable, ...]
    domains: tuple[DomainAnalysis, ...]
    failures: tuple[FailureReport, ...] = ()
    notes: tuple[ReportNote, ...] = ()
    stored_reports: int = 0

    @property
    def target(self) -> str:
        return ", ".join(d.domain for d in self.domains) or "-"


def _aligned(domain: str, header_from: str) -> bool:
    """Relaxed alignment, approximated without DNS: one name is the other or under it."""
    return bool(domain) and (
        domain == header_from
        or domain.endswith("." + header_from)
        or header_from.endswith("." + domain)
    )


def iso_day(day: int) -> str:
    return datetime.fromtimestamp(day * DAY, tz=timezone.utc).strftime("%Y-%m-%d")


@mutable
class _Acc:
    """One source's counts while the records are summed."""

    messages: int = 0
    dmarc_pass: int = 0
    spf_aligned: int = 0
    dkim_aligned: int = 0
    spf: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    dkim: dict[tuple[str, str | None, str], int] = field(default_factory=lambda: defaultdict(int))
    dispositions: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    reasons: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    arc: bool = False


def _accumulate(rows: Iterable[SourceRow]) -> dict[str, dict[str, _Acc]]:
    out: dict[str, dict[str, _Acc]] = defaultdict(lambda: defaultdict(_Acc))
    for row in rows:
        acc = out[row.header_from][row.source_ip]
        n = row.messages
        acc.messages += n
        acc.spf_aligned += n if row.spf == "pass" else 0
        acc.dkim_aligned += n if row.dkim == "pass" else 0
        acc.dmarc_pass += n if (row.spf == "pass" or row.dkim == "pass") else 0
        for domain, _scope, result in row.spf_results:
            acc.spf[(domain, result)] += n
        for domain, selector, result in row.dkim_results:
            acc.dkim[(domain, selector, result)] += n
        acc.dispositions[row.disposition or "none"] += n
        for kind, comment in row.reasons:
            acc.reasons[kind] += n
            if comment and "arc" in comment.lower():
                acc.arc = True
    return out


def _classify(
    hf: str, ip: str, acc: _Acc, info: SourceInfo
) -> tuple[SourceClass, Phrase | None, Service | None]:
    passing_dkim = [d for (d, _s, r) in acc.dkim if r == "pass"]
    spf_domains = [d for (d, _r) in acc.spf]
    service = recognise([info.ptr, info.org_domain, *passing_dkim, *spf_domains])
    if acc.messages and acc.dmarc_pass >= ALIGNED_SHARE * acc.messages:
        return SourceClass.ALIGNED, None, service
    forwarded = (
        bool(FORWARD_REASONS & set(acc.reasons))
        or acc.arc
        or (service is not None and service.kind in ("forwarder", "mailing-list"))
    )
    if forwarded:
        return SourceClass.FORWARDED, None, service
    own_failing = [(d, s) for (d, s, r) in acc.dkim if r != "pass" and _aligned(d, hf) and s]
    foreign_dkim = [d for d in passing_dkim if not _aligned(d, hf)]
    spf_own_failing = [d for (d, r) in acc.spf if r != "pass" and _aligned(d, hf)]
    spf_foreign_pass = [d for (d, r) in acc.spf if r == "pass" and not _aligned(d, hf)]
    name = service.name if service else (info.org_domain or info.ptr or ip)
    fix: Phrase | None = None
    if own_failing:
        domain, selector = own_failing[0]
        fix = Phrase("report.fix.publish-selector", {"selector": selector, "domain": domain})
    elif spf_own_failing and service is not None and service.spf_include:
        include = service.spf_include
        fix = Phrase("report.fix.spf-include", {"include": include, "domain": spf_own_failing[0]})
    elif foreign_dkim:
        fix = Phrase(
            "report.fix.dkim-own-domain", {"service": name, "domain": hf, "d": foreign_dkim[0]}
        )
    elif spf_foreign_pass:
        fix = Phrase(
            "report.fix.dkim-own-domain",
            {"service": name, "domain": hf, "d": spf_foreign_pass[0]},
        )
    elif spf_own_failing and (service is not None or acc.dmarc_pass):
        fix = Phrase("report.fix.spf-ip", {"ip": ip, "domain": spf_own_failing[0]})
    elif service is not None:
        fix = Phrase("report.fix.dkim-own-domain", {"service": name, "domain": hf, "d": "-"})
    if fix is not None or acc.dmarc_pass:
        if fix is None:
            fix = Phrase("report.fix.partial", {"domain": hf})
        return SourceClass.LEGITIMATE_FAILING, fix, service
    return SourceClass.UNAUTHENTICATED, None, service


def _policy_for(hf: str, reports: Sequence[StoredReport]) -> dict[str, str | int | bool | None]:
    own = [r for r in reports if r.domain == hf]
    parent = [r for r in reports if hf.endswith("." + r.domain)]
    chosen = own or parent
    if not chosen:
        return {"domain": hf}
    latest = max(chosen, key=lambda r: r.begin)
    return {"domain": latest.domain, **latest.policy}


def _evidence(
    hf: str,
    reports: Sequence[StoredReport],
    days: Sequence[DayPoint],
    report_counts: Mapping[str, tuple[int, frozenset[str]]] | None = None,
) -> Evidence:
    """`report_counts`: each report domain's number of reports and reporters (the store's
    `report_overview`), when `reports` holds only some of them."""
    if report_counts is None:
        mine = [r for r in reports if r.domain == hf or hf.endswith("." + r.domain)]
        count, reporters = len(mine), {r.org_name for r in mine}
    else:
        count, reporters = 0, set()
        for domain, (n, orgs) in report_counts.items():
            if domain == hf or hf.endswith("." + domain):
                count += n
                reporters |= orgs
    return Evidence(
        reports=count,
        reporters=tuple(sorted(reporters)),
        first_day=days[0].day if days else None,
        last_day=days[-1].day if days else None,
        days=len(days),
    )


def _stage(policy: dict[str, str | int | bool | None]) -> str:
    p = policy.get("p")
    testing = bool(policy.get("testing"))
    if p == "reject":
        return "reject"
    if p == "quarantine":
        return "quarantine-testing" if testing else "quarantine"
    return "none"


def _record(p: str, *, testing: bool = False) -> str:
    """The policy tags to publish next (the admin keeps rua= and the other tags); sp and np
    default to p (RFC 9989 §5.3), so subdomains follow the same staged path."""
    return f"v=DMARC1; p={p}" + ("; t=y" if testing else "")


def _about(failure: FailureReport) -> str:
    """The domain a failure report is about: its Reported-Domain, else the From domain."""
    if failure.reported_domain:
        return failure.reported_domain.lower()
    from email.utils import parseaddr  # here: only failure reports need it (start-up)

    return parseaddr(failure.header_from or "")[1].rpartition("@")[2].lower().rstrip(".")


def _failure_evidence(domain: str, failures: Sequence[FailureReport]) -> Phrase | None:
    """Failure reports (RFC 6591 / RFC 9991) about `domain` are evidence too: each is one
    message that failed, with its source, so the verdict names how many and from where."""
    mine = [f for f in failures if _about(f) == domain]
    if not mine:
        return None
    ips = list(dict.fromkeys(f.source_ip or "?" for f in mine))
    shown = ", ".join(ips[:5]) + (f" (+{len(ips) - 5})" if len(ips) > 5 else "")
    return Phrase(
        "report.reason.failure-reports", {"count": len(mine), "domain": domain, "sources": shown}
    )


def _verdict(
    domain: str,
    sources: Sequence[SourceSummary],
    messages: int,
    evidence: Evidence,
    policy: dict[str, str | int | bool | None],
    failures: Sequence[FailureReport] = (),
) -> Verdict:
    reasons: list[Phrase] = []
    by: dict[SourceClass, int] = defaultdict(int)
    for s in sources:
        by[s.cls] += s.messages
    legit = by[SourceClass.LEGITIMATE_FAILING]
    forwarded = by[SourceClass.FORWARDED]
    days = max(evidence.days, 1)
    per_day = -(-legit // days)
    reasons.append(
        Phrase(
            "report.reason.evidence",
            {
                "reports": evidence.reports,
                "reporters": len(evidence.reporters),
                "days": evidence.days,
                "first": evidence.first_day or "-",
                "last": evidence.last_day or "-",
                "messages": messages,
            },
        )
    )
    failed = _failure_evidence(domain, failures)
    if failed is not None:
        reasons.append(failed)
    failing_names = [
        s.service.name if s.service else (s.ptr or s.ip)
        for s in sources
        if s.cls is SourceClass.LEGITIMATE_FAILING
    ]
    quarantine_safe = messages > 0 and legit == 0
    if not messages:
        reasons.append(Phrase("report.reason.no-data", {"domain": domain}))
    elif legit:
        names = ", ".join(dict.fromkeys(failing_names))
        reasons.append(
            Phrase(
                "report.reason.legitimate-failing",
                {"per_day": per_day, "messages": legit, "sources": names},
            )
        )
    elif by[SourceClass.ALIGNED] == 0:
        # Nothing passes: a domain that sends no mail (p=reject is right), or one whose real
        # senders are all unrecognised. Say so rather than call it "all legitimate mail passes".
        reasons.append(Phrase("report.reason.nothing-passes", {"domain": domain}))
    else:
        reasons.append(Phrase("report.reason.all-legitimate-pass", {"domain": domain}))
    spoof = by[SourceClass.UNAUTHENTICATED]
    if spoof:
        reasons.append(Phrase("report.reason.spoofing", {"messages": spoof}))
    reject_safe = quarantine_safe
    if quarantine_safe and evidence.days < REJECT_MIN_DAYS:
        reject_safe = False
        reasons.append(
            Phrase("report.reason.too-few-days", {"days": evidence.days, "need": REJECT_MIN_DAYS})
        )
    if quarantine_safe and messages and forwarded > FORWARDED_MAX_SHARE * messages:
        reject_safe = False
        share = round(100 * forwarded / messages, 1)
        reasons.append(Phrase("report.reason.forwarded", {"messages": forwarded, "share": share}))
    stage = _stage(policy)
    if stage == "reject":
        record = _record("reject")
        reasons.append(Phrase("report.reason.at-reject", {}))
    elif not quarantine_safe:
        record = _record("none") if stage == "none" else _record("quarantine", testing=True)
        reasons.append(Phrase("report.reason.hold", {}))
    elif stage == "none":
        record = _record("quarantine", testing=True)
        reasons.append(Phrase("report.reason.next-testing", {}))
    elif stage == "quarantine-testing":
        record = _record("quarantine")
        reasons.append(Phrase("report.reason.next-quarantine", {}))
    elif reject_safe:
        record = _record("reject")
        reasons.append(Phrase("report.reason.next-reject", {}))
    else:
        record = _record("quarantine")
    return Verdict(quarantine_safe, reject_safe, tuple(reasons), record, per_day)


def _actions(sources: Sequence[SourceSummary], verdict: Verdict) -> tuple[Phrase, ...]:
    """The three most important things to do, biggest failing volume first."""
    out: list[Phrase] = []
    seen: set[tuple[str, tuple[tuple[str, object], ...]]] = set()
    failing = sorted(
        (s for s in sources if s.cls is SourceClass.LEGITIMATE_FAILING and s.fix),
        key=lambda s: -s.messages,
    )
    for s in failing:
        assert s.fix is not None
        key = (s.fix.key, tuple(sorted(s.fix.params.items())))
        if key not in seen:
            seen.add(key)
            out.append(s.fix)
    if not out:
        out.append(Phrase("report.action.publish", {"record": verdict.next_record}))
    return tuple(out[:3])


def analyse(
    rows: Iterable[SourceRow],
    day_rows: Iterable[tuple[str, int, int, int]],
    reports: Sequence[StoredReport],
    infos: dict[str, SourceInfo],
    *,
    source_days: Sequence[SourceDayRow] = (),
    failures: Sequence[FailureReport] = (),
    report_counts: Mapping[str, tuple[int, frozenset[str]]] | None = None,
) -> list[DomainAnalysis]:
    """Every header-From domain's sources, classes, fixes, daily series and verdict.
    `reports` may be only each domain's latest ones when `report_counts` counts them all
    (the store's `report_overview`)."""
    accs = _accumulate(rows)
    series: dict[str, list[DayPoint]] = defaultdict(list)
    for hf, day, n, passed in day_rows:
        series[hf].append(DayPoint(iso_day(day), n, passed))
    by_domain: dict[str, list[SourceDayRow]] = defaultdict(list)
    for sd in source_days:
        by_domain[sd.header_from].append(sd)
    out: list[DomainAnalysis] = []
    for hf in sorted(accs):
        summaries: list[SourceSummary] = []
        for ip, acc in accs[hf].items():
            info = infos.get(ip, SourceInfo(ip))
            cls, fix, service = _classify(hf, ip, acc, info)
            summaries.append(
                SourceSummary(
                    ip=ip,
                    ptr=info.ptr,
                    org_domain=info.org_domain,
                    service=service,
                    messages=acc.messages,
                    dmarc_pass=acc.dmarc_pass,
                    spf_aligned=acc.spf_aligned,
                    dkim_aligned=acc.dkim_aligned,
                    cls=cls,
                    fix=fix,
                    spf=tuple((d, r, n) for (d, r), n in sorted(acc.spf.items())),
                    dkim=tuple(
                        (d, s, r, n)
                        for (d, s, r), n in sorted(acc.dkim.items(), key=lambda kv: str(kv[0]))
                    ),
                    dispositions=tuple(sorted(acc.dispositions.items())),
                    reasons=tuple(sorted(acc.reasons)),
                )
            )
        summaries.sort(key=lambda s: (-s.messages, s.ip))
        messages = sum(s.messages for s in summaries)
        passed = sum(s.dmarc_pass for s in summaries)
        days = tuple(series.get(hf, ()))
        policy = _policy_for(hf, reports)
        evidence = _evidence(hf, reports, days, report_counts)
        verdict = _verdict(hf, summaries, messages, evidence, policy, failures)
        out.append(
            DomainAnalysis(
                domain=hf,
                messages=messages,
                dmarc_pass_messages=passed,
                policy_published=policy,
                sources=tuple(summaries),
                verdict=verdict,
                days=days,
                evidence=evidence,
                actions=_actions(summaries, verdict),
                source_days=tuple(by_domain.get(hf, ())),
            )
        )
    return out
