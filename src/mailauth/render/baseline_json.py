"""What changed since `--baseline`, as the machine-readable formats carry it (issue 13).

`--format json` and `jsonl` add one key, `baseline`, to each domain object when a baseline
was given (schema: `$defs/baseline` in schema/domain-report.schema.json):

    "baseline": {"file": "previous.json", "in_baseline": true, "score_delta": -5,
                 "new_findings": ["dmarc.policy-none"], "resolved_findings": ["spf.missing"],
                 "record_changes": [{"check": "dmarc", "before": "v=DMARC1; p=reject",
                                     "after": "v=DMARC1; p=none"}]}

Without a baseline the objects are exactly what they were, so a report written with
`--baseline` is itself a usable baseline for the next run (the key is not read back).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mailauth.domain.runner import DomainReport
from mailauth.render.run_context import RunContext

if TYPE_CHECKING:  # a type only: mailauth.baseline is loaded by runs with --baseline
    from mailauth.baseline import Changes

Project = Callable[[DomainReport, str], dict[str, Any]]


def changes_json(c: Changes) -> dict[str, Any]:
    """One domain's changes; ids sorted, records in the baseline's check order."""
    return {
        "file": c.file,
        "in_baseline": c.known,
        "score_delta": c.score_delta,
        "new_findings": list(c.new),
        "resolved_findings": list(c.resolved),
        "record_changes": [
            {"check": r.check, "before": r.before, "after": r.after} for r in c.records
        ],
    }


def with_baseline(project: Project, run: RunContext) -> Project:
    """`project` with each report's `baseline` object added, when the run has a baseline."""
    changes = run.changes
    if changes is None:
        return project

    def projected(report: DomainReport, lang: str) -> dict[str, Any]:
        out = project(report, lang)
        found = changes.get(report.target)
        if found is not None:
            out["baseline"] = changes_json(found)
        return out

    return projected
