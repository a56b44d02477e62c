"""The words every `mailauth stats` format shares: metric names, the summary lines, the DKIM
estimate note. One place, so text, Markdown, CSV, JSON and HTML say the same thing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from mailauth.i18n import label
from mailauth.render.sanitize import printable
from mailauth.stats.aggregate import Tally
from mailauth.stats.run import Stats


def metric_label(metric: str, lang: str) -> str:
    """`spf_present` -> "SPF published"; `spf_all:-all` -> "SPF -all"; `dmarc_policy:reject`
    -> "DMARC p=reject"."""
    name, _, value = metric.partition(":")
    if name == "spf_all":
        if value == "none":
            return label("stats.metric.spf_all_none", lang)
        return label("stats.metric.spf_all", lang, qualifier=value)
    if name == "dmarc_policy":
        if value == "missing":
            return label("stats.metric.dmarc_missing", lang)
        return label("stats.metric.dmarc_policy", lang, policy=value)
    return label(f"stats.metric.{name}", lang)


def short_label(metric: str, lang: str) -> str:
    """The narrow column heading of a per-group table (`reject` for `dmarc_policy:reject`)."""
    name, _, value = metric.partition(":")
    return label(f"stats.short.{value or name}", lang)


def short_name(label_: str) -> str:
    """A scan's files by their names only (`a/b/scan.jsonl + c/d.jsonl` -> `scan.jsonl + d.jsonl`):
    a table column, not the record (JSON keeps the paths)."""
    return " + ".join(Path(part).name or part for part in label_.split(" + "))


def metric_count(t: Tally, metric: str) -> int:
    name, _, value = metric.partition(":")
    if name == "spf_all":
        return t.spf_all[value]
    if name == "dmarc_policy":
        return t.dmarc_policy[value]
    return t.count(name)


def policy_word(policy: str, lang: str) -> str:
    return label("stats.policy.missing", lang) if policy == "missing" else policy


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


def iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def summary_lines(s: Stats, lang: str) -> list[str]:
    scan, t = s.scan, s.tallies.overall
    lines = [
        label(
            "stats.summary",
            lang,
            domains=t.domains,
            reports=scan.reports_read,
            duplicates=scan.duplicates,
            malformed=scan.malformed,
        )
    ]
    if scan.checked_from:
        lines.append(
            label("stats.checked", lang, start=when(scan.checked_from), end=when(scan.checked_to))
        )
    if t.nonexistent:
        lines.append(label("stats.nonexistent", lang, count=t.nonexistent))
    if scan.unreadable:
        files = ", ".join(printable(u.path) for u in scan.unreadable)
        lines.append(label("stats.unreadable", lang, files=files))
    return lines


def dkim_note(s: Stats, lang: str) -> str:
    selectors = s.tallies.dkim_selectors
    if not selectors:
        return label("stats.dkim-none", lang)
    note = label("stats.dkim-estimate", lang, count=len(selectors), selectors=", ".join(selectors))
    if s.tallies.dkim_selector_lists > 1:
        note += " " + label("stats.dkim-lists", lang, count=s.tallies.dkim_selector_lists)
    return printable(note)


def mean_score_line(t: Tally, lang: str) -> str:
    if t.mean_score is None:
        return label("stats.mean-score-none", lang)
    return label("stats.mean-score", lang, score=t.mean_score, count=t.scored)


def group_title(s: Stats, lang: str) -> str:
    return label("stats.groups", lang, group_by=s.group_by or "")


# Groups a table shows (the biggest); json and csv have them all. A survey grouped by
# mx-operator can have thousands of groups, most of them one domain each.
MAX_GROUPS = 50


def shown_groups(s: Stats) -> tuple[Tally, ...]:
    return s.tallies.groups[:MAX_GROUPS]


def more_groups_line(s: Stats, lang: str) -> str | None:
    """The note under a table of groups that leaves some out."""
    hidden = s.tallies.groups[MAX_GROUPS:]
    if not hidden:
        return None
    domains = sum(g.domains for g in hidden)
    return label("stats.more-groups", lang, count=len(hidden), domains=domains)


# Columns of the per-group tables (text, Markdown, HTML): the headline metrics.
GROUP_METRICS: tuple[str, ...] = (
    "spf_present",
    "dmarc_policy:reject",
    "dmarc_policy:quarantine",
    "dmarc_policy:none",
    "dmarc_policy:missing",
    "dkim_found",
    "bimi_present",
    "mta_sts_present",
)
