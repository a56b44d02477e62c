"""`--baseline previous.json`: what changed since a previous run, and whether it got worse.

A baseline is what `mailauth check --format json` wrote before (one object, or an array of
them; `--format jsonl` lines are accepted too). For each domain of this run, compared with its
object there: the finding ids that are new, those resolved, the score delta, and the records
that changed (SPF, DMARC, BIMI, MTA-STS, TLS-RPT text; DKIM selectors and their keys; MX
hosts). `--fail-on-new` then fails the run only on regressions: new findings.

Pure over two JSON projections (this run's report is projected with the same
`render.json.domain_json` that wrote the baseline), so it compares like with like and never
depends on how the reports were computed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mailauth.errors import InputError, os_reason
from mailauth.frozen import frozen
from mailauth.model import Phrase

# The checks whose record text is compared, by JSON key.
_TEXT_RECORDS = ("spf", "dmarc", "bimi", "mta_sts", "tls_rpt")


@frozen
class RecordChange:
    check: str
    before: str | None
    after: str | None


@frozen
class PastFinding:
    """A finding of the baseline that this run no longer has, as the baseline wrote it: the
    machine formats still name it (SARIF's `absent` results need a check and a level)."""

    id: str
    check: str
    severity: str
    title: str


@frozen
class Changes:
    """One domain against its baseline. `known` False: the domain was not in the baseline
    (every finding is new, no score delta). `file`: the baseline's path, as given."""

    target: str
    known: bool
    score_delta: int | None
    new: tuple[str, ...]
    resolved: tuple[str, ...]
    records: tuple[RecordChange, ...]
    file: str = ""
    past: tuple[PastFinding, ...] = ()  # the resolved findings, one per id

    @property
    def regressed(self) -> bool:
        return bool(self.new)

    def state(self, finding_id: str, check: str) -> str:
        """SARIF's `baselineState` (2.1.0 §3.27.24) of a finding of this run: `new` when the
        id was not in the baseline for this domain (or the domain was not), `updated` when it
        was but the record of its check changed since, else `unchanged`."""
        if not self.known or finding_id in self.new:
            return "new"
        if any(r.check == check for r in self.records):
            return "updated"
        return "unchanged"


@frozen
class Baseline:
    """The previous reports by domain (A-label)."""

    path: str
    reports: Mapping[str, Mapping[str, Any]]

    def compare(self, current: Mapping[str, Any]) -> Changes:
        """`current` is this run's `domain_json` of one domain."""
        domain = str(current.get("domain", ""))
        target = str(current.get("unicode_domain") or domain)
        before = self.reports.get(domain)
        now_ids = _ids(current)
        if before is None:
            return Changes(target, False, None, tuple(sorted(now_ids)), (), (), self.path)
        # A check left out of this run (`--checks`) says nothing about its findings: they are
        # neither resolved nor its record changed.
        skipped = _skipped(current)
        then_ids = _ids(before, skipped)
        delta = None
        if isinstance(current.get("score"), int) and isinstance(before.get("score"), int):
            delta = int(current["score"]) - int(before["score"])
        resolved = tuple(sorted(then_ids - now_ids))
        return Changes(
            target,
            True,
            delta,
            tuple(sorted(now_ids - then_ids)),
            resolved,
            tuple(c for c in _record_changes(before, current) if c.check not in skipped),
            self.path,
            _past(before, resolved),
        )


def load_baseline(path: str | Path) -> Baseline:
    """Read a previous `--format json` (or jsonl) output. Raises `InputError` (exit 2) when
    the file is not one."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError("error.baseline", path=str(p), reason=os_reason(exc)) from exc
    except UnicodeDecodeError as exc:
        reason = Phrase("error.reason.not-utf8")
        raise InputError("error.baseline", path=str(p), reason=reason) from exc
    try:
        payload: Any = json.loads(text)
    except json.JSONDecodeError:
        try:
            payload = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            where = {"line": exc.lineno, "column": exc.colno}
            reason = Phrase("error.reason.not-json", where)
            raise InputError("error.baseline", path=str(p), reason=reason) from exc
    items: Sequence[Any] = payload if isinstance(payload, list) else [payload]
    reports: dict[str, Mapping[str, Any]] = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("domain"), str):
            reason = Phrase("error.reason.not-a-report")
            raise InputError("error.baseline", path=str(p), reason=reason)
        reports[item["domain"]] = item
    return Baseline(str(p), reports)


def _ids(report: Mapping[str, Any], skipped: frozenset[str] = frozenset()) -> set[str]:
    findings = report.get("findings") or []
    return {
        str(f["id"])
        for f in findings
        if isinstance(f, dict) and "id" in f and f.get("check") not in skipped
    }


def _skipped(report: Mapping[str, Any]) -> frozenset[str]:
    """The checks `report` did not run (`"status": "skipped"`, `check --checks`)."""
    return frozenset(
        name
        for name, section in report.items()
        if isinstance(section, dict) and section.get("status") == "skipped"
    )


def _past(report: Mapping[str, Any], resolved: Sequence[str]) -> tuple[PastFinding, ...]:
    """The baseline's own words for each resolved id (its first finding of that id)."""
    wanted = set(resolved)
    out: dict[str, PastFinding] = {}
    for f in report.get("findings") or []:
        if not isinstance(f, dict) or f.get("id") not in wanted or f["id"] in out:
            continue
        out[f["id"]] = PastFinding(
            str(f["id"]),
            str(f.get("check") or ""),
            str(f.get("severity") or "info"),
            str(f.get("title") or f["id"]),
        )
    return tuple(out[i] for i in resolved if i in out)


def _record_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[RecordChange]:
    out: list[RecordChange] = []
    for check in _TEXT_RECORDS:
        old, new = _text(before, check), _text(after, check)
        if old != new:
            out.append(RecordChange(check, old, new))
    for check, summary in (("dkim", _dkim), ("mx", _mx)):
        old, new = summary(before), summary(after)
        if old != new:
            out.append(RecordChange(check, old, new))
    return out


def _text(report: Mapping[str, Any], check: str) -> str | None:
    section = report.get(check)
    value = section.get("record") if isinstance(section, dict) else None
    return str(value) if value else None


def _dkim(report: Mapping[str, Any]) -> str | None:
    section = report.get("dkim")
    selectors = section.get("selectors") if isinstance(section, dict) else None
    if not selectors:
        return None
    parts = [
        f"{s.get('selector')}:{s.get('key_type') or '-'}/{s.get('key_bits') or '-'}"
        for s in selectors
        if isinstance(s, dict)
    ]
    return " ".join(sorted(parts)) or None


def _mx(report: Mapping[str, Any]) -> str | None:
    section = report.get("mx")
    hosts = section.get("hosts") if isinstance(section, dict) else None
    if not hosts:
        return "0 ." if isinstance(section, dict) and section.get("null_mx") else None
    parts = [f"{h.get('preference')} {h.get('name')}" for h in hosts if isinstance(h, dict)]
    return ", ".join(sorted(parts)) or None
