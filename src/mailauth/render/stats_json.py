"""`mailauth stats --format json`: one object. The names issue 13 spells out are a contract
(`domains`, `spf_present`, `dmarc_policy` {none, quarantine, reject, missing}, `dkim_found`,
`bimi_present`, `mta_sts_present`, `grades` {A..F}, and the same under `groups[]` with a
`group` name); the keys beside them are documented in docs/stats.md."""

from __future__ import annotations

from typing import Any

from mailauth.i18n import label
from mailauth.render.environment import Environment
from mailauth.render.output import JsonWriter
from mailauth.render.stats_words import dkim_note, iso
from mailauth.stats.aggregate import FLAGS, Tally
from mailauth.stats.run import ScanPoint, Stats

SCHEMA_VERSION = 1


def tally_json(t: Tally) -> dict[str, Any]:
    out: dict[str, Any] = {"domains": t.domains}
    if t.group is not None:
        out = {"group": t.group, **out}
    out["nonexistent"] = t.nonexistent
    out["spf_present"] = t.count("spf_present")
    out["spf_all"] = t.spf_all_counts
    out["spf_over_limit"] = t.count("spf_over_limit")
    out["dmarc_policy"] = t.policy_counts
    out["dmarc_rua"] = t.count("dmarc_rua")
    for name in FLAGS[3:]:
        out[name] = t.count(name)
    out["grades"] = t.grade_counts
    out["scored"] = t.scored
    out["mean_score"] = t.mean_score
    out["top_findings"] = [{"id": fid, "domains": n} for fid, n in t.top_findings]
    out["shares"] = t.metrics()
    if t.unknown:  # reports made with `check --checks`: metrics whose check was skipped
        out["unknown"] = {m: t.unknown[m] for m in sorted(t.unknown)}
    return out


def _point(p: ScanPoint) -> dict[str, Any]:
    return {
        "label": p.label,
        "checked_from": iso(p.checked_from),
        "checked_to": iso(p.checked_to),
        "domains": p.overall.domains,
        "shares": p.overall.metrics(),
    }


def stats_json(s: Stats, lang: str) -> dict[str, Any]:
    scan = s.scan
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "lang": lang,
        "sources": list(scan.sources),
        "reports_read": scan.reports_read,
        "duplicates": scan.duplicates,
        "malformed_lines": scan.malformed,
        "unreadable_files": [
            {"path": u.path, "reason": label(u.reason.key, lang, **u.reason.params)}
            for u in scan.unreadable
        ],
        "checked_from": iso(scan.checked_from),
        "checked_to": iso(scan.checked_to),
        **tally_json(s.tallies.overall),
        "dkim_estimate": {
            "selectors": list(s.tallies.dkim_selectors),
            "selector_lists": s.tallies.dkim_selector_lists,
            "note": dkim_note(s, lang),
        },
        "group_by": s.group_by,
        "groups": [tally_json(g) for g in s.tallies.groups],
    }
    old = s.compared
    out["compare"] = (
        {
            "old": _point(old),
            "metrics": {
                m: {"old": a, "new": b, "delta": d} for m, (a, b, d) in s.changes().items()
            },
        }
        if old
        else None
    )
    out["timeline"] = [_point(p) for p in s.timeline]
    return out


def json_writer(sink: Environment, expected: int | None) -> JsonWriter[Stats]:
    return JsonWriter(sink, stats_json, expected)
