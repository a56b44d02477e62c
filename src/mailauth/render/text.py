"""The domain report for people (rich): score and grade first, then why mail may land in
spam, then one section per check with its record, parsed view and findings with fixes,
then the score deductions."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.padding import Padding
from rich.rule import Rule
from rich.text import Text

from mailauth.domain.runner import DomainReport
from mailauth.i18n import label
from mailauth.render.check_views import print_check_view
from mailauth.render.environment import Environment
from mailauth.render.sanitize import printable
from mailauth.render.text_blocks import (
    check_name,
    print_finding,
    print_score,
    print_summary,
    status_text,
)


def render_domains(reports: Sequence[DomainReport], env: Environment) -> None:
    console = env.console()
    for index, report in enumerate(reports):
        if index:
            console.print()
        _report(console, report, env.lang)


def _report(console: Console, report: DomainReport, lang: str) -> None:
    if report.unicode_domain != report.domain:
        heading = label(
            "report.heading-idn",
            lang,
            domain=report.domain,
            unicode_domain=printable(report.unicode_domain),
        )
    else:
        heading = label("report.heading", lang, domain=report.domain)
    console.print(Text(heading, style="bold"))
    print_score(console, report.score, lang)
    if report.errors:
        names = ", ".join(check_name(c, lang) for c in report.errors)
        console.print(Text(label("report.incomplete", lang, checks=names), style="magenta"))
    console.print()
    print_summary(console, report.located_findings(), lang, complete=not report.errors)
    for name, check in report.checks.items():
        console.print()
        title = Text(check_name(name, lang) + "  ", style="bold")
        title.append_text(status_text(check.status, lang))
        console.print(Rule(title, align="left", style="dim"))
        data = check.data()
        if data:
            print_check_view(console, name, data, lang)
        if check.findings:
            console.print(
                Padding(Text(label("section.findings", lang), style="bold"), (0, 0, 0, 2))
            )
            for f in sorted(check.findings, key=lambda f: f.severity.rank):
                print_finding(console, f, lang, indent=4)
        elif not data:
            console.print(Padding(Text(label("section.no-findings", lang)), (0, 0, 0, 2)))
    console.print()
    console.print(
        Rule(Text(label("section.deductions", lang), style="bold"), align="left", style="dim")
    )
    if not report.score.deductions:
        console.print(Padding(Text(label("section.no-deductions", lang)), (0, 0, 0, 2)))
    for d in report.score.deductions:
        reason = d.reason(lang)
        if d.count > 1:
            reason = label("deduction.count", lang, reason=reason, count=d.count)
        line = label("deduction.line", lang, points=d.points, id=d.finding_id, reason=reason)
        console.print(Padding(Text(line), (0, 0, 0, 2)))
