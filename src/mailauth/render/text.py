"""The domain report for people (rich): score and grade first, then why mail may land in
spam, then one section per check with its record, parsed view and findings with fixes,
then the score deductions."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from mailauth.domain.runner import DomainReport
from mailauth.i18n import label
from mailauth.model import Status
from mailauth.providers import ProviderVerdict, State
from mailauth.providers import Rule as ProviderRule
from mailauth.render.environment import Environment
from mailauth.render.ink import Canvas, Pad, Rule, Table, Text
from mailauth.render.layout import styled
from mailauth.render.output import CanvasWriter, write_all
from mailauth.render.sanitize import printable
from mailauth.render.text_blocks import (
    check_name,
    print_finding,
    print_score,
    print_summary,
    status_text,
    worst_first,
)
from mailauth.scoring import ScoreCard


def render_domains(reports: Sequence[DomainReport], env: Environment) -> None:
    write_all(env, text_writer, reports)


def text_writer(sink: Environment, expected: int | None) -> CanvasWriter[DomainReport]:
    return CanvasWriter(sink, print_report)


def print_report(console: Canvas, report: DomainReport, lang: str) -> None:
    # Imported here, not at the top: the views import every check module, which
    # `mailauth --help` and `--version` (which import this module) must not pay for.
    from mailauth.render.check_views import print_check_view

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
    if report.scored:
        print_score(console, report.score, lang, complete=report.complete)
    else:
        console.print(Text(label("report.no-score", lang), style="bold magenta"))
    if report.errors and report.scored:
        names = ", ".join(check_name(c, lang) for c in report.errors)
        console.print(Text(label("report.incomplete", lang, checks=names), style="magenta"))
    if report.partial:
        names = ", ".join(check_name(c, lang) for c in report.partial)
        console.print(Text(label("report.partial", lang, checks=names), style="magenta"))
    if report.skipped:
        names = ", ".join(check_name(c, lang) for c in report.skipped)
        console.print(Text(label("report.skipped", lang, checks=names), style="dim"))
    console.print()
    # Checks left out with --checks make the report incomplete, but are not "errors below".
    only_skipped = bool(report.skipped) and not report.errors and not report.partial
    print_summary(
        console,
        report.located_findings(),
        lang,
        complete=report.complete or only_skipped,
    )
    console.print()
    _providers(console, report.providers, lang)
    if report.nonexistent:
        console.print()
        note = label("report.nonexistent", lang, domain=printable(report.unicode_domain))
        console.print(Text(note, style="bold"))
    for name, check in () if report.nonexistent else report.checks.items():
        console.print()
        title = styled(
            "section.check",
            lang,
            "bold",
            check=check_name(name, lang),
            status=status_text(check.status, lang),
        )
        console.print(Rule(title, style="dim"))
        shown = print_check_view(console, check, lang)
        if check.findings:
            console.print(Pad(Text(label("section.findings", lang), style="bold"), 2))
            for f in sorted(check.findings, key=worst_first):
                print_finding(console, f, lang, indent=4)
        elif not shown:
            key = "section.skipped" if check.status is Status.SKIPPED else "section.no-findings"
            console.print(Pad(Text(label(key, lang), style="dim"), 2))
    console.print()
    console.print(Rule(Text(label("section.deductions", lang), style="bold"), style="dim"))
    _deductions(console, report.score, lang)


def _deductions(console: Canvas, card: ScoreCard, lang: str) -> None:
    """Points, finding id and why, in aligned columns; a long reason wraps in its column."""
    if not card.deductions:
        console.print(Pad(Text(label("section.no-deductions", lang)), 2))
        return
    grid = Table.grid(right_padding=2)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column()
    for d in card.deductions:
        reason = d.reason(lang)
        if d.count > 1:
            reason = label("deduction.count", lang, reason=reason, count=d.count)
        grid.add_row(label("deduction.points", lang, points=d.points), d.finding_id, reason)
    console.print(Pad(grid, 2, expand=False))


_VERDICT_STYLE = {State.MET: "green", State.UNMET: "red", State.UNKNOWN: "yellow"}


def _providers(console: Canvas, verdicts: Sequence[ProviderVerdict], lang: str) -> None:
    """One line per provider and audience: the question an admin asks first."""
    console.print(Text(label("providers.heading", lang), style="bold underline"))
    grid = Table.grid(right_padding=2)
    grid.add_column(no_wrap=True)
    grid.add_column()
    any_unknown = False
    for p in verdicts:
        for a in p.audiences:
            row = label(
                "providers.row",
                lang,
                provider=label(f"provider.{p.provider}", lang),
                audience=label(f"audience.{a.audience.value}", lang),
            )
            if a.verdict is State.MET:
                verdict = label("providers.met", lang)
            else:
                listed = a.unmet if a.verdict is State.UNMET else a.unknown
                key = "providers.unmet" if a.verdict is State.UNMET else "providers.unknown"
                verdict = label(key, lang, rules=_rule_list(listed, lang))
                any_unknown = any_unknown or a.verdict is State.UNKNOWN
            grid.add_row(row, Text(verdict, style=_VERDICT_STYLE[a.verdict]))
    console.print(Pad(grid, 2, expand=False))
    if any_unknown:
        console.print(Pad(Text(label("providers.unknown-note", lang)), 2))
    console.print(Pad(Text(label("providers.message-rules", lang)), 2))


def _rule_list(rules: Sequence[ProviderRule], lang: str) -> str:
    return functools.reduce(
        lambda left, right: label("providers.rule-list", lang, left=left, right=right),
        (label(f"rule.{r.value}", lang) for r in rules),
    )
