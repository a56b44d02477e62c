"""`--format json`: the machine-readable domain report (schema: schema/domain-report.schema.json,
documented in docs/json-schema.md). One object per domain; an array when several were asked.

`finding_json()` is shared with the message reports so a finding has one shape everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mailauth.model import Finding
from mailauth.render.environment import Environment
from mailauth.render.output import JsonWriter, write_all
from mailauth.scoring import ScoreCard

if TYPE_CHECKING:
    # Annotations only: `verify --format json` imports this module for finding_json() and
    # score_json(), and must not import the domain checks these types come with (issue 10).
    from mailauth.domain.runner import DomainReport
    from mailauth.providers import ProviderVerdict

SCHEMA_VERSION = 1


def finding_json(check: str, f: Finding, lang: str = "en") -> dict[str, Any]:
    from mailauth.findings import CATALOGUE  # with the first finding (scoring.is_unscored)

    text = f.text(lang)
    entry = CATALOGUE.get(f.id)
    return {
        "id": f.id,
        "check": check,
        "severity": f.severity.value,
        "title": text.title,
        "detail": text.detail,
        "consequence": text.consequence,
        "fix": text.fix,
        "fix_record": f.fix_record,
        "references": [str(r) for r in entry.references] if entry else [],
    }


def score_json(
    card: ScoreCard, lang: str = "en", *, complete: bool | None = None, scored: bool = True
) -> dict[str, Any]:
    """`score`, `grade`, `complete`, `score_is_upper_bound`, `grade_provisional` and
    `deductions`, merged into a report object. `complete` defaults to the card's; over an
    incomplete result the score is an upper bound (unseen findings could only deduct) and
    the grade provisional. `scored=False`: nothing could be evaluated, no score at all."""
    whole = card.complete if complete is None else complete
    bound = scored and not whole
    return {
        "score": card.score if scored else None,
        "grade": card.grade if scored else None,
        "complete": whole,
        "score_is_upper_bound": bound,
        "grade_provisional": bound,
        "deductions": [
            {"id": d.finding_id, "points": d.points, "count": d.count, "reason": d.reason(lang)}
            for d in card.deductions
        ],
    }


def domain_json(report: DomainReport, lang: str = "en") -> dict[str, Any]:
    # Imported here, not at the top: the projections import every check module, which
    # `mailauth --help` and `--version` (which import this module) must not pay for.
    from mailauth.render.check_json import check_json

    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "lang": lang,
        "domain": report.domain,
        "unicode_domain": report.unicode_domain,
        "domain_exists": report.exists,
        "checked_at": _timestamp(report.checked_at),
        **score_json(report.score, lang, complete=report.complete, scored=report.scored),
    }
    for name, check in report.checks.items():
        out[name] = check_json(check)
    out["providers"] = providers_json(report.providers)
    out["findings"] = [finding_json(c, f, lang) for c, f in report.located_findings()]
    return out


def _timestamp(when: datetime | None) -> str | None:
    """ISO 8601 in UTC with a `Z` (2026-12-06T08:55:46Z), or None."""
    return when.isoformat().replace("+00:00", "Z") if when is not None else None


def providers_json(verdicts: Sequence[ProviderVerdict]) -> dict[str, Any]:
    """`{provider: {audience: {verdict, unmet, rules: {rule: state}}}}` - stable keys only."""
    return {
        p.provider: {
            a.audience.value: {
                "verdict": a.verdict.value,
                "unmet": [r.value for r in a.unmet],
                "rules": {r.rule.value: r.state.value for r in a.rules},
            }
            for a in p.audiences
        }
        for p in verdicts
    }


def render_domains(reports: Sequence[DomainReport], env: Environment) -> None:
    write_all(env, domain_json_writer, reports)


def domain_json_writer(sink: Environment, expected: int | None) -> JsonWriter[DomainReport]:
    # The check projections and the encoder load now, with the writer: a single live check
    # opens it while its DNS answers travel, not after the last one (issue 10).
    import json  # noqa: F401

    import mailauth.render.check_json  # noqa: F401
    from mailauth.render.baseline_json import with_baseline

    return JsonWriter(sink, with_baseline(domain_json, sink.run), expected)
