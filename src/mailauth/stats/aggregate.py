"""Counting: the adoption figures of a set of domains, overall and per group.

Pure and order-free: the same domains in any order (shards in any order, concatenated or
not) give the same `Stats`; every tie is broken by name. Counts are the contract (the JSON
names of issue 13); shares are derived from them when rendered (`Tally.share`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mailauth.frozen import frozen
from mailauth.stats.facts import GRADES, POLICIES, SPF_ALL, DomainFacts
from mailauth.stats.groups import Grouper

TOP_FINDINGS = 10

# The yes/no metrics, in the order every format lists them: (name, fact).
FLAGS: tuple[str, ...] = (
    "spf_present",
    "spf_over_limit",
    "dmarc_rua",
    "dkim_found",
    "bimi_present",
    "mta_sts_present",
    "tls_rpt_present",
    "null_mx",
)

# The check each metric is read from: when a report skipped that check (`mailauth check
# --checks`), the metric is unknown for the domain, not "no".
CHECK_OF: dict[str, str] = {
    "spf_present": "spf",
    "spf_all": "spf",
    "spf_over_limit": "spf",
    "dmarc_policy": "dmarc",
    "dmarc_rua": "dmarc",
    "dkim_found": "dkim",
    "bimi_present": "bimi",
    "mta_sts_present": "mta_sts",
    "tls_rpt_present": "tls_rpt",
    "null_mx": "mx",
}


@dataclass
class Tally:
    """The counts of one set of domains (all of them, or one group)."""

    group: str | None = None
    domains: int = 0
    nonexistent: int = 0
    flags: Counter[str] = field(default_factory=Counter)
    spf_all: Counter[str] = field(default_factory=Counter)
    dmarc_policy: Counter[str] = field(default_factory=Counter)
    grades: Counter[str] = field(default_factory=Counter)
    score_sum: int = 0
    scored: int = 0
    finding_counts: Counter[str] = field(default_factory=Counter)
    # Domains whose report skipped the metric's check (`CHECK_OF`), by metric name: they
    # count neither as yes nor as no, and shares are taken over the others (`known`).
    unknown: Counter[str] = field(default_factory=Counter)

    def add(self, f: DomainFacts) -> None:
        self.domains += 1
        self.nonexistent += f.exists is False
        if f.skipped:
            for metric, check in CHECK_OF.items():
                if check in f.skipped:
                    self.unknown[metric] += 1
        for name in FLAGS:
            if CHECK_OF[name] not in f.skipped and getattr(f, name):
                self.flags[name] += 1
        if f.spf_all is not None and "spf" not in f.skipped:
            self.spf_all[f.spf_all] += 1
        if "dmarc" not in f.skipped:
            self.dmarc_policy[f.dmarc_policy] += 1
        if f.grade is not None:
            self.grades[f.grade] += 1
        if f.score is not None:
            self.score_sum += f.score
            self.scored += 1
        self.finding_counts.update(set(f.findings))  # a domain counts once per id

    def count(self, name: str) -> int:
        """A flag's count (`spf_present`...)."""
        return self.flags[name]

    def share(self, count: int, metric: str | None = None) -> float:
        """`count` as a percentage of the domains, one decimal; with `metric`, of the domains
        where that metric is known (`known`)."""
        whole = self.known(metric) if metric is not None else self.domains
        return round(100 * count / whole, 1) if whole else 0.0

    def known(self, metric: str) -> int:
        """The domains whose report ran the check `metric` is read from (`spf_all:-all` is
        read from spf)."""
        return self.domains - self.unknown[metric.partition(":")[0]]

    @property
    def spf_all_counts(self) -> dict[str, int]:
        return {q: self.spf_all[q] for q in SPF_ALL}

    @property
    def policy_counts(self) -> dict[str, int]:
        return {p: self.dmarc_policy[p] for p in POLICIES}

    @property
    def grade_counts(self) -> dict[str, int]:
        return {g: self.grades[g] for g in GRADES}

    @property
    def mean_score(self) -> float | None:
        return round(self.score_sum / self.scored, 1) if self.scored else None

    @property
    def top_findings(self) -> list[tuple[str, int]]:
        ranked = sorted(self.finding_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return ranked[:TOP_FINDINGS]

    def metrics(self) -> dict[str, float]:
        """Every share in percent, by metric name: what `--compare` and the timeline follow."""
        out = {name: self.share(self.count(name), name) for name in FLAGS}
        out.update(
            {f"spf_all:{q}": self.share(n, "spf_all") for q, n in self.spf_all_counts.items()}
        )
        out.update(
            {
                f"dmarc_policy:{p}": self.share(n, "dmarc_policy")
                for p, n in self.policy_counts.items()
            }
        )
        return out


# The metrics in display order (`Tally.metrics` keys).
METRICS: tuple[str, ...] = (
    "spf_present",
    *(f"spf_all:{q}" for q in SPF_ALL),
    "spf_over_limit",
    *(f"dmarc_policy:{p}" for p in POLICIES),
    "dmarc_rua",
    "dkim_found",
    "bimi_present",
    "mta_sts_present",
    "tls_rpt_present",
    "null_mx",
)


@frozen
class Tallies:
    overall: Tally
    groups: tuple[Tally, ...]  # biggest group first, then by name
    dkim_selectors: tuple[str, ...]  # the selectors probed (the most common list first)
    dkim_selector_lists: int  # how many different lists the scan used


def tally(facts: Iterable[DomainFacts], group: Grouper | None = None) -> Tallies:
    overall = Tally()
    groups: dict[str, Tally] = {}
    lists: Counter[tuple[str, ...]] = Counter()
    for f in facts:
        overall.add(f)
        lists[f.dkim_tried] += 1
        if group is not None:
            name = group(f)
            groups.setdefault(name, Tally(group=name)).add(f)
    ordered = sorted(groups.values(), key=lambda t: (-t.domains, t.group or ""))
    return Tallies(overall, tuple(ordered), *_selectors(lists))


def _selectors(lists: Counter[tuple[str, ...]]) -> tuple[tuple[str, ...], int]:
    if not lists:
        return (), 0
    common = min(lists.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    extra = sorted({s for selectors in lists for s in selectors} - set(common))
    return (*common, *extra), len(lists)


def deltas(
    old: Tally, new: Tally, metrics: Sequence[str] = METRICS
) -> dict[str, tuple[float, float, float]]:
    """`{metric: (old %, new %, change in points)}`."""
    a, b = old.metrics(), new.metrics()
    return {m: (a[m], b[m], round(b[m] - a[m], 1)) for m in metrics}
