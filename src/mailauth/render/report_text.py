"""`mailauth report` for people (rich): the verdict and the three most important actions
first (like `check`), then the sources, a terminal bar chart of daily volume and pass
rate, the files that could not be read and the defects of the reports that were."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mailauth.i18n import label
from mailauth.names import display_name
from mailauth.render.environment import Environment
from mailauth.render.output import TextWriter
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
from mailauth.render.sanitize import printable
from mailauth.report.analysis import DomainAnalysis, ReportAnalysis, SourceClass

BAR_WIDTH = 40
MAX_DAYS = 62
MAX_SOURCES = 25
_CLASS_STYLE = {
    SourceClass.ALIGNED: "green",
    SourceClass.LEGITIMATE_FAILING: "yellow",
    SourceClass.FORWARDED: "cyan",
    SourceClass.UNAUTHENTICATED: "red",
}


def text_writer(sink: Environment, expected: int | None) -> TextWriter[ReportAnalysis]:
    return TextWriter(sink, print_analysis)


def print_analysis(console: Console, a: ReportAnalysis, lang: str) -> None:
    summary = label(
        "report.text.summary",
        lang,
        reports=a.reports_read,
        records=a.records,
        duplicates=a.duplicates,
        unreadable=len(a.unreadable),
        failures=len(a.failures),
    )
    console.print(Text(summary, style="bold"))
    if not a.domains:
        console.print(label("report.text.nothing", lang))
    for d in a.domains:
        console.print()
        _domain(console, d, lang)
    if a.failures:
        console.print()
        console.print(Text(label("report.text.failures", lang), style="bold"))
        for f in a.failures[:50]:
            line = " ".join(
                x
                for x in (
                    f.arrival_date,
                    f.source_ip,
                    display_name(f.reported_domain or ""),
                    f.auth_failure,
                )
                if x
            )
            console.print("  " + printable(line))
    if a.unreadable:
        console.print()
        console.print(Text(label("report.text.unreadable", lang), style="bold red"))
        for u in a.unreadable:
            # One line each, never wrapped: scripts and people grep for the file name.
            console.print("  " + printable(unreadable_line(u, lang)), markup=False, soft_wrap=True)
    if a.notes:
        console.print()
        console.print(Text(label("report.text.notes", lang), style="bold"))
        for n in a.notes:
            console.print("  " + printable(note_line(n, lang)), markup=False, soft_wrap=True)


def _domain(console: Console, d: DomainAnalysis, lang: str) -> None:
    v = d.verdict
    heading = label(
        "report.text.domain",
        lang,
        domain=printable(display_name(d.domain)),  # U-labels in text (issue 14)
        messages=d.messages,
        passing=pass_percent(d),
        policy=policy_word(d),
    )
    console.print(Text(heading, style="bold underline"))
    q = label("report.text.quarantine-safe", lang, answer=yes_no(v.quarantine_safe, lang))
    r = label("report.text.reject-safe", lang, answer=yes_no(v.reject_safe, lang))
    console.print(Text(q, style="green" if v.quarantine_safe else "bold red"))
    console.print(Text(r, style="green" if v.reject_safe else "bold yellow"))
    for reason in v.reasons:
        console.print(Text("  - " + printable(phrase(reason, lang))))
    console.print(Text(label("report.text.next-record", lang, record=v.next_record), style="bold"))
    console.print(Text(label("report.text.actions", lang), style="bold"))
    for i, action in enumerate(d.actions, 1):
        console.print(Text(f"  {i}. " + printable(phrase(action, lang))))
    _sources(console, d, lang)
    _chart(console, d, lang)


def _sources(console: Console, d: DomainAnalysis, lang: str) -> None:
    table = Table(title=label("report.text.sources", lang), title_justify="left", expand=False)
    for key, justify in (
        ("ip", "left"),
        ("source", "left"),
        ("messages", "right"),
        ("spf", "right"),
        ("dkim", "right"),
        ("class", "left"),
    ):
        table.add_column(label(f"report.col.{key}", lang), justify=justify)  # type: ignore[arg-type]
    for s in d.sources[:MAX_SOURCES]:
        table.add_row(
            s.ip,
            Text(printable(display_name(source_name(s)))),
            str(s.messages),
            str(s.spf_aligned),
            str(s.dkim_aligned),
            Text(class_word(s, lang), style=_CLASS_STYLE[s.cls]),
        )
    console.print(table)
    # The fixes under the table, one per failing source: too long for a column.
    for s in d.sources[:MAX_SOURCES]:
        if s.fix is not None:
            line = f"  {s.ip} ({source_name(s)}): {fix_text(s, lang)}"
            console.print(Text(printable(line), style=_CLASS_STYLE[s.cls]))


def _chart(console: Console, d: DomainAnalysis, lang: str) -> None:
    days = d.days[-MAX_DAYS:]
    if not days:
        return
    console.print(Text(label("report.text.daily", lang), style="bold"))
    top = max(p.messages for p in days) or 1
    for p in days:
        width = max(1, round(BAR_WIDTH * p.messages / top)) if p.messages else 0
        good = round(width * p.dmarc_pass / p.messages) if p.messages else 0
        rate = round(100 * p.dmarc_pass / p.messages) if p.messages else 0
        line = Text(f"  {p.day} ")
        line.append("█" * good, style="green")
        line.append("█" * (width - good), style="red")
        line.append(" " * (BAR_WIDTH - width) + f" {p.messages:>8} {rate:>3}%")
        console.print(line)
