"""The scoring model: pure findings -> score, grade, deductions (docs/scoring.md)."""

from __future__ import annotations

import pytest

from mailauth.domain.registry import DOMAIN_CHECKS, caps
from mailauth.findings import CATALOGUE
from mailauth.i18n import has_label
from mailauth.model import Finding, Severity
from mailauth.scoring import (
    GRADE_BANDS,
    OVERRIDES,
    SEVERITY_WEIGHTS,
    Threshold,
    grade_for,
    is_unscored,
    score,
)

CHECK_CAPS = caps()
# The domain checks' caps, and ten made-up checks for the floor-at-zero test.
CAPS = {**CHECK_CAPS, **{f"other{n}": 30 for n in range(10)}}


def f(id: str, severity: Severity = Severity.MEDIUM) -> Finding:
    return Finding(id, severity)


def test_no_findings_is_a_perfect_score() -> None:
    card = score([], CAPS)
    assert (card.score, card.grade, card.deductions, card.complete) == (100, "A", (), True)


def test_severity_weight_applies_when_no_override() -> None:
    card = score([f("spf.example-medium"), f("dmarc.example-low", Severity.LOW)], CAPS)
    assert card.score == 100 - 6 - 2
    assert [(d.finding_id, d.points) for d in card.deductions] == [
        ("spf.example-medium", 6),
        ("dmarc.example-low", 2),
    ]


def test_info_findings_cost_nothing_and_are_not_listed() -> None:
    card = score([f("mta_sts.missing", Severity.INFO)], CAPS)
    assert card.score == 100
    assert card.deductions == ()


def test_a_finding_reported_many_times_counts_once() -> None:
    card = score([f("mx.no-ptr", Severity.LOW)] * 5, CAPS)
    assert card.score == 98
    (deduction,) = card.deductions
    assert deduction.count == 5
    assert deduction.points == 2


def test_provider_rule_overrides_severity() -> None:
    card = score([f("spf.missing", Severity.HIGH)], CAPS)
    assert card.score == 100 - OVERRIDES["spf.missing"].points
    assert "Gmail" in card.deductions[0].reason()


def test_a_check_never_loses_more_than_its_cap() -> None:
    findings = [f(f"spf.problem-{n}", Severity.HIGH) for n in range(10)]
    card = score(findings, CAPS)
    assert card.score == 100 - CHECK_CAPS["spf"]
    assert sum(d.points for d in card.deductions) == CHECK_CAPS["spf"]
    trimmed = [d for d in card.deductions if d.cap is not None]
    assert trimmed and "maximum" in trimmed[0].reason()


def test_broken_spf_never_scores_below_missing_spf() -> None:
    broken = [f(i, Severity.HIGH) for i in OVERRIDES if i.startswith("spf.")]
    assert score(broken, CAPS).score >= score([f("spf.missing", Severity.HIGH)], CAPS).score


def test_score_never_goes_below_zero() -> None:
    findings = [f(f"{check}.x{n}", Severity.CRITICAL) for check in CHECK_CAPS for n in range(3)]
    findings += [f(f"other{n}.x", Severity.CRITICAL) for n in range(10)]
    card = score(findings, CAPS)
    assert card.score == 0
    assert card.grade == "F"


def test_lookup_failures_and_internal_errors_are_not_scored() -> None:
    card = score(
        [f("spf.lookup-failed", Severity.HIGH), f("core.internal-error", Severity.INFO)], CAPS
    )
    assert card.score == 100
    assert not card.complete
    assert card.unscored == ("spf.lookup-failed", "core.internal-error")


def test_sub_lookup_failures_are_scored_normally() -> None:
    # Only the check's own record failing means "no verdict"; an include failing is a finding.
    assert not is_unscored("spf.include-lookup-failed")
    assert not is_unscored("mx.host-lookup-failed")
    assert is_unscored("dmarc.lookup-failed")


@pytest.mark.parametrize(
    ("points", "grade"),
    [
        (100, "A"),
        (90, "A"),
        (89, "B"),
        (80, "B"),
        (79, "C"),
        (65, "C"),
        (64, "D"),
        (50, "D"),
        (49, "F"),
        (0, "F"),
    ],
)
def test_grade_bands(points: int, grade: str) -> None:
    assert grade_for(points) == grade


def test_grade_bands_are_descending() -> None:
    lows = [low for _, low in GRADE_BANDS]
    assert lows == sorted(lows, reverse=True)


def test_every_override_is_a_catalogue_id() -> None:
    unknown = sorted(set(OVERRIDES) - set(CATALOGUE))
    assert not unknown, f"scoring overrides for ids not in the catalogue: {unknown}"


def test_every_cap_names_a_registered_check() -> None:
    assert set(CHECK_CAPS) == {spec.name for spec in DOMAIN_CHECKS}


def test_every_rule_has_a_label() -> None:
    rules = {w.rule for w in OVERRIDES.values()} | {w.rule for w in SEVERITY_WEIGHTS.values()}
    assert all(has_label(rule) for rule in rules)


def test_overrides_are_worse_than_or_equal_to_severity_except_documented() -> None:
    # An override stands for a provider rule that makes a finding worse than its severity.
    for fid, weight in OVERRIDES.items():
        entry = CATALOGUE.get(fid)
        if entry is not None:
            assert weight.points >= SEVERITY_WEIGHTS[entry.severity].points, fid


def test_cap_is_at_least_the_missing_record_weight() -> None:
    assert CHECK_CAPS["spf"] >= OVERRIDES["spf.missing"].points
    assert CHECK_CAPS["dmarc"] >= OVERRIDES["dmarc.missing"].points


def test_no_spf_no_dmarc_no_dkim_scores_below_30() -> None:
    findings = [
        f("spf.missing", Severity.HIGH),
        f("dmarc.missing", Severity.HIGH),
        f("dkim.no-selector-found", Severity.INFO),
    ]
    assert score(findings, CAPS).score < 30


def test_threshold_fail_under() -> None:
    card = score([f("spf.missing", Severity.HIGH)], CAPS)
    assert Threshold(fail_under=70).fails(card, [])
    assert not Threshold(fail_under=65).fails(card, [])


def test_threshold_fail_on_severity_or_worse() -> None:
    findings = [f("dmarc.policy-none", Severity.MEDIUM)]
    card = score(findings, CAPS)
    assert Threshold(fail_on=Severity.MEDIUM).fails(card, findings)
    assert Threshold(fail_on=Severity.LOW).fails(card, findings)
    assert not Threshold(fail_on=Severity.HIGH).fails(card, findings)
    assert not Threshold().fails(card, findings)


def test_threshold_ignores_lookup_failures() -> None:
    # Those are exit 3 (no verdict), not a failed threshold.
    findings = [f("spf.lookup-failed", Severity.HIGH)]
    assert not Threshold(fail_on=Severity.HIGH).fails(score(findings, CAPS), findings)


def test_a_scored_finding_of_a_check_without_a_cap_is_a_wiring_error() -> None:
    # A forgotten cap used to fall back silently to a default; now it fails loudly.
    with pytest.raises(KeyError):
        score([f("nosuchcheck.problem", Severity.HIGH)], CHECK_CAPS)


def test_without_caps_every_finding_costs_its_full_weight() -> None:
    findings = [f(f"spf.problem-{n}", Severity.HIGH) for n in range(3)]
    assert score(findings).score == 100 - 3 * SEVERITY_WEIGHTS[Severity.HIGH].points


def test_unscored_is_catalogue_metadata_not_id_spelling() -> None:
    unscored = {fid for fid, entry in CATALOGUE.items() if not entry.scored}
    assert unscored, "the catalogue marks no finding as unscored"
    assert all(is_unscored(fid) for fid in unscored)
    # An id that merely ends like one is scored unless the catalogue says otherwise.
    assert not is_unscored("spf.made-up.lookup-failed")
    assert "core.internal-error" in unscored


def test_every_message_section_has_a_cap() -> None:
    from mailauth.findings.catalogue import Scope
    from mailauth.message.verify import MESSAGE_CAPS

    sections = {e.section.name for e in CATALOGUE.values() if e.section.scope is Scope.MESSAGE}
    assert sections == set(MESSAGE_CAPS)
