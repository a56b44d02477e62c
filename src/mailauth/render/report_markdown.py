"""`mailauth report --format markdown`: the text report as Markdown, for a ticket or a
wiki page. Table cells have `|` and line breaks escaped."""

from __future__ import annotations

from collections.abc import Sequence

from mailauth.i18n import label
from mailauth.render.environment import Environment
from mailauth.render.output import DocumentWriter
from mailauth.render.report_words import (
    class_word,
    fix_text,
    note_line,
    pass_percent,
    phrase,
    policy_word,
    source_name,
    unreadable_line,
    yes_no,
)
from mailauth.report.analysis import DomainAnalysis, ReportAnalysis


def _cell(text: object) -> str:
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _domain(d: DomainAnalysis, lang: str) -> list[str]:
    v = d.verdict
    out = [
        "## "
        + _cell(
            label(
                "report.text.domain",
                lang,
                domain=d.domain,
                messages=d.messages,
                passing=pass_percent(d),
                policy=policy_word(d),
            )
        ),
        "",
        "- **"
        + label("report.text.quarantine-safe", lang, answer=yes_no(v.quarantine_safe, lang))
        + "**",
        "- **" + label("report.text.reject-safe", lang, answer=yes_no(v.reject_safe, lang)) + "**",
    ]
    out += ["  - " + _cell(phrase(r, lang)) for r in v.reasons]
    out += ["", label("report.text.next-record", lang, record=f"`{v.next_record}`"), ""]
    out += ["### " + label("report.text.actions", lang), ""]
    out += [f"{i}. {_cell(phrase(a, lang))}" for i, a in enumerate(d.actions, 1)]
    cols = ("ip", "source", "messages", "spf", "dkim", "class", "fix")
    out += ["", "### " + label("report.text.sources", lang), ""]
    out.append("| " + " | ".join(label(f"report.col.{c}", lang) for c in cols) + " |")
    out.append("|" + "---|" * len(cols))
    for s in d.sources:
        cells = (s.ip, source_name(s), s.messages, s.spf_aligned, s.dkim_aligned,
                 class_word(s, lang), fix_text(s, lang))  # fmt: skip
        out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if d.days:
        out += ["", "### " + label("report.text.daily", lang), ""]
        out.append(f"| {label('report.col.day', lang)} | {label('report.col.messages', lang)} "
                   f"| {label('report.col.pass', lang)} |")  # fmt: skip
        out.append("|---|---|---|")
        for p in d.days:
            rate = round(100 * p.dmarc_pass / p.messages) if p.messages else 0
            out.append(f"| {p.day} | {p.messages} | {rate}% |")
    return out


def render(analyses: Sequence[ReportAnalysis], lang: str) -> str:
    lines: list[str] = []
    for a in analyses:
        summary = label("report.text.summary", lang, reports=a.reports_read, records=a.records,
                        duplicates=a.duplicates, unreadable=len(a.unreadable),
                        failures=len(a.failures))  # fmt: skip
        lines += ["# " + _cell(summary), ""]
        for d in a.domains:
            lines += [*_domain(d, lang), ""]
        if a.unreadable:
            lines += ["## " + label("report.text.unreadable", lang), ""]
            lines += ["- " + _cell(unreadable_line(u, lang)) for u in a.unreadable]
            lines.append("")
        if a.notes:
            lines += ["## " + label("report.text.notes", lang), ""]
            lines += ["- " + _cell(note_line(n, lang)) for n in a.notes]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def markdown_writer(sink: Environment, expected: int | None) -> DocumentWriter[ReportAnalysis]:
    return DocumentWriter(sink, render)
