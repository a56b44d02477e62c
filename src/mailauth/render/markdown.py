"""`--format markdown`: the report as GitHub-flavoured Markdown, for a pull-request comment or
`$GITHUB_STEP_SUMMARY`.

A summary table (one row per report: score, grade, and for domains each check's status),
then, per report with findings, a collapsible list of them worst first with the fix and the
record to publish; with `--baseline`, what changed since. Everything taken from DNS or a
message is escaped, so a TXT record cannot inject links, HTML or table cells. The table of
findings stops at `MAX_FINDINGS` rows (a comment is limited to 65,536 characters, a step
summary to 1 MiB); the JSON or SARIF report has the rest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mailauth.i18n import label
from mailauth.model import Severity
from mailauth.render.environment import Environment
from mailauth.render.interface import Reportable
from mailauth.render.output import DocumentWriter
from mailauth.render.run_context import RunContext
from mailauth.render.sanitize import printable

MAX_FINDINGS = 200
_ICON = {"pass": "✅", "warn": "⚠️", "fail": "❌", "none": "➖", "error": "❗", "skipped": "⏭️"}
_SEVERITY_ICON = {
    Severity.CRITICAL: "🔴",
    Severity.HIGH: "🟠",
    Severity.MEDIUM: "🟡",
    Severity.LOW: "🔵",
    Severity.INFO: "⚪",
}
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def markdown_writer(sink: Environment, expected: int | None) -> DocumentWriter[Reportable]:
    run = sink.run

    def render(reports: Sequence[Reportable], lang: str) -> str:
        return render_markdown(reports, run, lang)

    return DocumentWriter(sink, render)


def render_markdown(reports: Sequence[Reportable], run: RunContext, lang: str = "en") -> str:
    from mailauth.domain.runner import DomainReport

    lines = [f"## {label(f'markdown.heading.{run.command}', lang)}", ""]
    checks: list[str] = []
    for r in reports:
        if isinstance(r, DomainReport):
            checks += [c for c in r.checks if c not in checks]
    head = [
        label("markdown.target", lang),
        label("markdown.score", lang),
        label("markdown.grade", lang),
        *(label(f"check.{c}", lang) for c in checks),
        label("markdown.findings", lang),
    ]
    lines.append(_row(head))
    lines.append(_row(["---", "---:", ":---:", *([":---:"] * len(checks)), "---:"]))
    for r in reports:
        statuses = []
        for c in checks:
            result = r.checks.get(c) if isinstance(r, DomainReport) else None
            statuses.append(_status(result.status.value, lang) if result is not None else "")
        provisional = isinstance(r, DomainReport) and not r.complete
        score = (
            label("markdown.at-most", lang, score=r.score.score)
            if provisional
            else str(r.score.score)
        )
        lines.append(_row([_cell(r.target), score, r.score.grade, *statuses, str(len(r.findings))]))
    lines.append("")
    budget = MAX_FINDINGS
    for r in reports:
        if run.changes is not None and r.target in run.changes:
            lines += _changes(r.target, run, lang)
        if not r.findings:
            continue
        summary = label("markdown.summary", lang, target=_cell(r.target), count=len(r.findings))
        lines += ["<details>", f"<summary>{summary}</summary>", ""]
        lines.append(
            _row(
                [
                    label("markdown.severity", lang),
                    label("markdown.finding", lang),
                    label("finding.fix", lang),
                ]
            )
        )
        lines.append(_row(["---", "---", "---"]))
        for f in r.findings:
            if budget <= 0:
                break
            budget -= 1
            text = f.text(lang)
            icon = _SEVERITY_ICON[f.severity]
            severity = f"{icon} {label(f'severity.{f.severity.value}', lang)}"
            what = f"**{_cell(text.title)}** (`{f.id}`)<br>{_cell(text.detail)}"
            fix = _cell(text.fix)
            if f.fix_record:
                fix += f"<br>{_code(f.fix_record)}"
            lines.append(_row([severity, what, fix]))
        lines += ["", "</details>", ""]
    hidden = sum(len(r.findings) for r in reports) - MAX_FINDINGS
    if hidden > 0:
        lines += [label("markdown.more", lang, count=hidden), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _changes(target: str, run: RunContext, lang: str) -> list[str]:
    assert run.changes is not None
    c = run.changes[target]
    out = [f"### {label('markdown.changes', lang, target=_cell(target))}", ""]
    if c.score_delta:
        out.append(f"- {label('baseline.score-delta', lang, delta=f'{c.score_delta:+d}')}")
    for key, ids in (("baseline.new", c.new), ("baseline.resolved", c.resolved)):
        if ids:
            out.append(f"- {label(key, lang, ids=', '.join(f'`{i}`' for i in ids))}")
    for change in c.records:
        before, after = change.before or "-", change.after or "-"
        text = label("baseline.record", lang, check=change.check, before=before, after=after)
        out.append(f"- {_cell(text)}")
    if not c.known:
        out.append(f"- {label('baseline.added', lang)}")
    if len(out) == 2:
        out.append(f"- {label('baseline.unchanged', lang)}")
    return [*out, ""]


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _status(value: str, lang: str) -> str:
    return f"{_ICON.get(value, '')} {label(f'status.{value}', lang)}"


def _cell(text: str) -> str:
    """Text from DNS or a message as inert Markdown in a table cell: one line, every
    character that could start markup escaped."""
    flat = printable(" ".join(text.split()))
    return _SPECIAL.sub(r"\\\1", flat)


def _code(text: str) -> str:
    """A record as a code span in a table cell (pipes escaped, as GFM tables need)."""
    flat = printable(" ".join(text.split())).replace("|", "\\|")
    fence = "``" if "`" in flat else "`"
    return f"{fence} {flat} {fence}" if fence == "``" else f"`{flat}`"
