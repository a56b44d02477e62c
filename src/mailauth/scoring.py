"""Findings -> a 0..100 score and an A..F grade, with every deduction explained.

Pure: no DNS, no printing. The model (docs/scoring.md is generated from these tables):
- start at 100; each distinct finding id deducts once, whatever how many times it occurs
  (ten MX hosts without reverse DNS are one problem, not ten);
- the points are the finding's severity weight, or a per-id weight where a provider rule
  (Gmail, Yahoo, Outlook) makes that finding worse or milder than its severity says;
- a check never loses more than its cap, which is what having no record at all costs:
  a broken SPF record cannot score lower than no SPF record. The caps come from the caller
  (the domain check registry, the message side's table): scoring knows no check by name;
- findings the catalogue marks `scored=False` (a lookup failed, mailauth failed) deduct
  nothing: the score covers what was seen, and the card is marked incomplete instead.

Scoring is the last pure stage: policy (ignored ids, later baselines and expectations) has
already removed or added findings when `score` sees them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from mailauth.frozen import frozen
from mailauth.i18n import label
from mailauth.model import Finding, Severity


@frozen
class Weight:
    """Points a finding costs and the label key of the rule that justifies them."""

    points: int
    rule: str


SEVERITY_WEIGHTS: dict[Severity, Weight] = {
    Severity.CRITICAL: Weight(30, "scoring.rule.severity-critical"),
    Severity.HIGH: Weight(15, "scoring.rule.severity-high"),
    Severity.MEDIUM: Weight(6, "scoring.rule.severity-medium"),
    Severity.LOW: Weight(2, "scoring.rule.severity-low"),
    Severity.INFO: Weight(0, "scoring.rule.severity-info"),
}

# Where a mailbox provider's published rule makes a finding cost more (or less) than its
# severity alone. Every key must be a catalogue id (tests/unit/scoring checks it).
OVERRIDES: dict[str, Weight] = {
    # Gmail and Yahoo (Feb 2024) and Outlook.com (May 2025): every sender needs SPF or DKIM,
    # bulk senders need both; without SPF, mail is unauthenticated for SPF-only receivers.
    "spf.missing": Weight(35, "scoring.rule.providers-require-spf"),
    # RFC 7208 §4.6.4: over 10 lookups is permerror at every receiver = SPF as good as missing.
    # The same for every other permerror of RFC 7208: several records (§4.5), a syntax error
    # (§4.6), too many void lookups or MX names (§4.6.4), an include loop or an include of
    # a domain without SPF (§5.2).
    "spf.too-many-lookups": Weight(35, "scoring.rule.spf-permerror"),
    "spf.multiple-records": Weight(35, "scoring.rule.spf-permerror"),
    "spf.syntax-error": Weight(35, "scoring.rule.spf-permerror"),
    "spf.too-many-void-lookups": Weight(35, "scoring.rule.spf-permerror"),
    "spf.mx-too-many-names": Weight(35, "scoring.rule.spf-permerror"),
    "spf.include-loop": Weight(35, "scoring.rule.spf-permerror"),
    "spf.include-no-spf": Weight(35, "scoring.rule.spf-permerror"),
    # Gmail, Yahoo and Outlook.com require bulk senders to publish DMARC (p=none at least).
    "dmarc.missing": Weight(40, "scoring.rule.providers-require-dmarc"),
    # RFC 9989: several records, or one that is not v=DMARC1, means no DMARC policy at all.
    "dmarc.multiple-records": Weight(40, "scoring.rule.providers-require-dmarc"),
    "dmarc.invalid-version": Weight(40, "scoring.rule.providers-require-dmarc"),
    # Gmail: "messages signed with a key shorter than 1024 bits are rejected/unauthenticated".
    "dkim.key-too-short": Weight(30, "scoring.rule.gmail-dkim-1024"),
    # The user named selectors that do not exist: mail signed with them fails DKIM.
    "dkim.selector-not-found": Weight(30, "scoring.rule.providers-require-dkim"),
    # A sender domain that does not exist (NXDOMAIN) is rejected outright: nothing is left.
    "domain.nxdomain": Weight(100, "scoring.rule.domain-nxdomain"),
}

# Lowest score of each grade, best first; anything below the last band is F.
GRADE_BANDS: tuple[tuple[str, int], ...] = (("A", 90), ("B", 80), ("C", 65), ("D", 50))
FAILING_GRADE = "F"


@frozen
class Deduction:
    """Points taken off for one finding id, and why (`rule` is a label key)."""

    finding_id: str
    points: int
    rule: str
    count: int = 1
    cap: int | None = None  # set when the check's cap shrank this deduction

    def reason(self, lang: str = "en") -> str:
        text = label(self.rule, lang)
        if self.cap is not None:
            return label("scoring.reason-capped", lang, rule=text, cap=self.cap)
        return text


@frozen
class ScoreCard:
    """The score of one report: points, grade and every deduction explained. `unscored`: the
    findings that mean part could not be evaluated; the score is then an upper bound."""

    score: int
    grade: str
    deductions: tuple[Deduction, ...]
    # Finding ids that mean part of the domain could not be evaluated (not scored).
    unscored: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.unscored


def is_unscored(finding_id: str) -> bool:
    """Lookup failures and mailauth's own errors say nothing about the records (catalogue
    metadata `scored=False`). The catalogue is imported here, at the first finding, not
    with this module: a message without findings never needs it (issue 10, start-up)."""
    from mailauth.findings.catalogue import is_scored

    return not is_scored(finding_id)


def weight_of(finding: Finding) -> Weight:
    return OVERRIDES.get(finding.id) or SEVERITY_WEIGHTS[finding.severity]


def grade_for(score: int) -> str:
    for grade, lowest in GRADE_BANDS:
        if score >= lowest:
            return grade
    return FAILING_GRADE


def score(findings: Iterable[Finding], caps: Mapping[str, int] | None = None) -> ScoreCard:
    """Score a domain (or a message) from its findings; see the module docstring.

    `caps` maps each check (a finding's catalogue section) to the most it can lose; None
    scores without caps. With caps, a scored finding of a check that has none is a wiring
    bug and raises KeyError rather than silently getting some default.
    """
    counts: Counter[str] = Counter()
    worst: dict[str, Finding] = {}
    unscored: list[str] = []
    for f in findings:
        if is_unscored(f.id):
            if f.id not in unscored:
                unscored.append(f.id)
            continue
        counts[f.id] += 1
        if f.id not in worst or weight_of(f).points > weight_of(worst[f.id]).points:
            worst[f.id] = f
    # Biggest first, so a cap trims the small deductions and the list reads worst first.
    ordered = sorted(worst.values(), key=lambda f: (-weight_of(f).points, f.id))
    spent: Counter[str] = Counter()
    deductions: list[Deduction] = []
    for f in ordered:
        w = weight_of(f)
        if w.points == 0:
            continue
        if caps is None:
            deductions.append(Deduction(f.id, w.points, w.rule, counts[f.id]))
            continue
        from mailauth.findings.catalogue import check_of  # see is_unscored

        check = check_of(f.id)
        cap = caps[check]
        points = min(w.points, cap - spent[check])
        if points <= 0:
            continue
        spent[check] += points
        capped = cap if points < w.points else None
        deductions.append(Deduction(f.id, points, w.rule, counts[f.id], capped))
    total = max(0, 100 - sum(d.points for d in deductions))
    return ScoreCard(total, grade_for(total), tuple(deductions), tuple(unscored))


@frozen
class Threshold:
    """When a finished run counts as failed (CLI exit 1): `--fail-under`, `--fail-on`.

    The score of an incomplete result (`complete` False: some lookups failed) is an upper
    bound, since what could not be seen could only deduct: it cannot show that `fail_under`
    is met, so it fails unless `allow_incomplete` (`--allow-incomplete`) says to judge the
    bound as it is. A bound already below `fail_under` fails either way."""

    fail_under: int | None = None
    fail_on: Severity | None = None
    allow_incomplete: bool = False

    def fails(
        self, card: ScoreCard, findings: Iterable[Finding], complete: bool | None = None
    ) -> bool:
        """`complete`: the report's own completeness when it knows more than its card (a
        domain report's partial checks); default `card.complete`."""
        if self.fail_under is not None:
            if card.score < self.fail_under:
                return True
            whole = card.complete if complete is None else complete
            if not whole and not self.allow_incomplete:
                return True
        if self.fail_on is not None:
            return any(
                f.severity.at_least(self.fail_on) and not is_unscored(f.id) for f in findings
            )
        return False
