"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer).

One run with an `automationDetails` id `mailauth/<command>/` (GitHub's category: uploads of
another command or repository do not close each other's alerts). One rule per catalogue
finding id of the command's scope, with its text, fix and `helpUri` from the catalogue's
references; a result's level comes from the finding's severity (critical/high: error,
medium: warning, low/info: note). A finding about a record read from a zone file points at
the file and line (GitHub shows alerts only with a file location); otherwise the location is
logical, naming the DNS record. `partialFingerprints` hash what the finding is (domain, id,
record), never its line, so an alert survives an edit above it; GitHub reads them as
`primaryLocationLineHash`. At most `MAX_RESULTS`
(GitHub shows 5,000 per run), worst first; the rest is counted in a notification.

The document is validated against the vendored OASIS schema in tests/data/sarif/.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from mailauth import __version__
from mailauth.findings.catalogue import CATALOGUE, FindingDef, Scope
from mailauth.i18n import FINDING_PARTS, finding_key, label, template
from mailauth.model import Finding, Severity
from mailauth.render.environment import Environment
from mailauth.render.interface import Reportable
from mailauth.render.output import DocumentWriter
from mailauth.render.places import Located, check_place, located, workspace_path
from mailauth.render.places import level as sarif_level
from mailauth.render.run_context import RunContext

if TYPE_CHECKING:
    from mailauth.baseline import Changes

MAX_RESULTS = 5_000
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/mailauth/mailauth"
FINGERPRINT = "mailauthFinding/v1"
# GitHub sorts security alerts by this (0-10); our severities mapped onto its bands.
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "7.5",
    Severity.MEDIUM: "5.0",
    Severity.LOW: "2.0",
    Severity.INFO: "0.0",
}
# GitHub's `problem.severity` words for a result level.
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
_SCOPES = {
    "check": (Scope.DOMAIN, Scope.POLICY, Scope.TOOL),
    "verify": (Scope.MESSAGE, Scope.TOOL),
}
_FIELD = re.compile(r"\{([a-z_]+)[^}]*\}")


def sarif_writer(sink: Environment, expected: int | None) -> DocumentWriter[Reportable]:
    run = sink.run

    def render(reports: Sequence[Reportable], lang: str) -> str:
        return json.dumps(sarif_log(reports, run, lang), indent=2, ensure_ascii=False) + "\n"

    return DocumentWriter(sink, render)


def sarif_log(reports: Sequence[Reportable], run: RunContext, lang: str = "en") -> dict[str, Any]:
    """The SARIF log of one run over `reports`."""
    scopes = _SCOPES.get(run.command, (Scope.DOMAIN, Scope.TOOL))
    entries = sorted(
        (e for e in CATALOGUE.values() if e.section.scope in scopes), key=lambda e: e.id
    )
    everything = [item for r in reports for item in located(r, run.locator)]
    for item in everything:  # a finding outside the scope (a library's own) still gets a rule
        if item.finding.id in CATALOGUE and CATALOGUE[item.finding.id] not in entries:
            entries.append(CATALOGUE[item.finding.id])
    index = {e.id: i for i, e in enumerate(entries)}
    everything.sort(key=lambda item: item.finding.severity.rank)
    shown = everything[:MAX_RESULTS]
    results = [_result(item, index, lang) for item in shown]
    total = len(everything)
    if run.changes is not None:  # --baseline: SARIF 2.1.0 §3.27.24
        _mark(results, shown, run.changes)
        absent = _absent(reports, run, index, lang)
        total += len(absent)
        results += absent[: MAX_RESULTS - len(results)]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if total > len(results):
        text = label("sarif.truncated", lang, shown=len(results), total=total)
        invocation["toolExecutionNotifications"] = [{"level": "warning", "message": {"text": text}}]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mailauth",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule(e, lang) for e in entries],
                    }
                },
                "automationDetails": {"id": f"mailauth/{run.command}/"},
                "invocations": [invocation],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _rule(entry: FindingDef, lang: str) -> dict[str, Any]:
    raw = [template(finding_key(entry.id, part), lang) for part in FINDING_PARTS]
    title, detail, consequence, fix = (_generic(t) for t in raw)
    md_detail, md_consequence, md_fix = (_generic(t, markdown=True) for t in raw[1:])
    refs = [r for cite in entry.references for r in cite.references]
    help_text = "\n\n".join(p for p in (detail, consequence, fix) if p)
    markdown = "\n\n".join(
        [
            *(p for p in (md_detail, md_consequence) if p),
            f"**{label('finding.fix', lang)}:** {md_fix}" if md_fix else "",
            *(f"- [{ref}]({ref.url})" for ref in refs),
        ]
    ).strip()
    rule: dict[str, Any] = {
        "id": entry.id,
        "name": _camel(entry.id),
        "shortDescription": {"text": _limit(title)},
        "fullDescription": {"text": _limit(detail or title)},
        "help": {"text": help_text or title, "markdown": markdown or title},
        "defaultConfiguration": {"level": sarif_level(entry.severity)},
        "properties": {
            # "security" makes GitHub rank alerts by security-severity (spoofing is one).
            "tags": ["security", "mail", entry.section.protocol.value],
            "problem.severity": _PROBLEM_SEVERITY[sarif_level(entry.severity)],
            "security-severity": _SECURITY_SEVERITY[entry.severity],
            "mailauth-severity": entry.severity.value,
        },
    }
    if refs:
        rule["helpUri"] = refs[0].url
    return rule


def _result(item: Located, index: dict[str, int], lang: str) -> dict[str, Any]:
    f, place = item.finding, item.place
    text = f.text(lang)
    message = label("sarif.message", lang, target=item.target, title=text.title)
    if text.detail:
        message += " " + text.detail
    location: dict[str, Any] = {}
    if place.origin is not None:
        location["physicalLocation"] = {
            "artifactLocation": _artifact(place.origin.path),
            "region": {"startLine": place.origin.line},
        }
    logical = place.logical or item.target
    location["logicalLocations"] = [
        {"name": logical, "fullyQualifiedName": f"{item.target}/{logical}", "kind": "resource"}
    ]
    result: dict[str, Any] = {
        "ruleId": f.id,
        "level": sarif_level(f.severity),
        "message": {"text": message},
        "locations": [location],
        # GitHub tracks alerts by primaryLocationLineHash alone (and computes one from the
        # line's text when absent, which changes when the record is edited): ours is what
        # the finding is, so an alert survives edits that do not resolve it.
        "partialFingerprints": {
            "primaryLocationLineHash": f"{fingerprint(item)}:1",
            FINGERPRINT: fingerprint(item),
        },
        "properties": {"severity": f.severity.value, "check": item.check},
    }
    if f.id in index:
        result["ruleIndex"] = index[f.id]
    if f.fix_record:
        result["properties"]["fix_record"] = f.fix_record
    return result


def _mark(
    results: Sequence[dict[str, Any]], shown: Sequence[Located], changes: Mapping[str, Changes]
) -> None:
    """Each result's `baselineState`: new, updated or unchanged (`Changes.state`)."""
    for result, item in zip(results, shown, strict=True):
        found = changes.get(item.target)
        if found is not None:
            result["baselineState"] = found.state(item.finding.id, item.check)


def _absent(
    reports: Sequence[Reportable], run: RunContext, index: dict[str, int], lang: str
) -> list[dict[str, Any]]:
    """One `absent` result per finding id the baseline had and this run has not, placed at
    the record its check reads now and fingerprinted as the finding was, so that a viewer
    comparing runs closes the alert it had."""
    out: list[dict[str, Any]] = []
    for report in reports:
        changes = run.changes.get(report.target) if run.changes is not None else None
        for past in changes.past if changes is not None else ():
            entry = CATALOGUE.get(past.id)
            if entry is None:  # an id this version does not know: nothing to point at
                continue
            place = check_place(report, past.check, run.locator)
            item = Located(report.target, past.check, Finding(past.id, entry.severity), place)
            result = _result(item, index, lang)
            title = _past_title(past.id, past.title, lang)
            text = label("sarif.absent", lang, target=item.target, title=title)
            result["message"] = {"text": text}
            result["baselineState"] = "absent"
            out.append(result)
    return out


def _past_title(finding_id: str, written: str, lang: str) -> str:
    """A resolved finding's title in this run's language when the catalogue's needs no
    parameters (most do not); else the baseline's own words, which had them filled in."""
    generic = template(finding_key(finding_id, "title"), lang)
    return (written if "{" in generic else generic).rstrip(".")


def fingerprint(item: Located) -> str:
    """What the finding is, not where it is written: target, id, record and the finding's
    selector when it has one (two DKIM keys too short are two alerts)."""
    selector = item.finding.params.get("selector", "")
    parts = (item.target, item.finding.id, item.place.logical, str(selector))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _artifact(path: str) -> dict[str, Any]:
    """A repository-relative URI when the file is under the working directory (what GitHub
    matches against the checkout), else an absolute file URI."""
    rel = workspace_path(path)
    if rel is None:
        return {"uri": Path(path).resolve().as_uri()}
    return {"uri": quote(rel), "uriBaseId": "%SRCROOT%"}


def _generic(text: str, *, markdown: bool = False) -> str:
    """A finding template as rule text: its fields shown as <name> placeholders (as a code
    span in Markdown, where a bare <name> would be taken for an HTML tag)."""
    shape = "`<{}>`" if markdown else "<{}>"
    return _FIELD.sub(lambda m: shape.format(m.group(1)), text).strip()


def _limit(text: str, most: int = 1024) -> str:
    """GitHub's limit for rule descriptions."""
    return text if len(text) <= most else text[: most - 1] + "…"


def _camel(finding_id: str) -> str:
    words = re.split(r"[._-]+", finding_id)
    return "".join(w[:1].upper() + w[1:] for w in words if w)
