"""`mailauth stats --format csv`: one row for all domains (its `group` cell is empty) and one
per group, every count and share a column: what a spreadsheet or a plotting script reads.
The column names are the JSON names, flattened (`spf_all_-all`, `dmarc_policy_reject`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from mailauth.render.environment import Environment
from mailauth.render.output import DocumentWriter
from mailauth.stats.aggregate import FLAGS, Tally
from mailauth.stats.facts import GRADES, POLICIES, SPF_ALL
from mailauth.stats.run import Stats

COLUMNS: tuple[str, ...] = (
    "group",
    "domains",
    "nonexistent",
    *FLAGS,
    *(f"spf_all_{q}" for q in SPF_ALL),
    *(f"dmarc_policy_{p}" for p in POLICIES),
    *(f"grade_{g}" for g in GRADES),
    "scored",
    "mean_score",
    *(f"{name}_share" for name in FLAGS),
    *(f"dmarc_policy_{p}_share" for p in POLICIES),
)


def _row(t: Tally) -> list[object]:
    return [
        t.group if t.group is not None else "",
        t.domains,
        t.nonexistent,
        *(t.count(n) for n in FLAGS),
        *(t.spf_all[q] for q in SPF_ALL),
        *(t.dmarc_policy[p] for p in POLICIES),
        *(t.grades[g] for g in GRADES),
        t.scored,
        "" if t.mean_score is None else t.mean_score,
        *(t.share(t.count(n), n) for n in FLAGS),
        *(t.share(t.dmarc_policy[p], "dmarc_policy") for p in POLICIES),
    ]


def _safe(value: object) -> object:
    """A group name from a CSV could start a spreadsheet formula (=, +, -, @): quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def render(items: Sequence[Stats], lang: str) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for s in items:
        for t in (s.tallies.overall, *s.tallies.groups):
            w.writerow([_safe(v) for v in _row(t)])
    return out.getvalue()


def csv_writer(sink: Environment, expected: int | None) -> DocumentWriter[Stats]:
    return DocumentWriter(sink, render)
