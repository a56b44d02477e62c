"""`mailauth stats` for people (rich): the adoption table with terminal bar charts, the DMARC
policies, the SPF `all` qualifiers and the grades as bars, the most common findings, then
the groups, the change since the last scan and the timeline when asked for. Column widths
come from rich, which measures Japanese text in terminal cells."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from mailauth.i18n import label
from mailauth.render.environment import Environment
from mailauth.render.output import TextWriter
from mailauth.render.sanitize import printable
from mailauth.render.stats_words import (
    GROUP_METRICS,
    dkim_note,
    group_title,
    mean_score_line,
    metric_count,
    metric_label,
    more_groups_line,
    short_label,
    short_name,
    shown_groups,
    summary_lines,
    when,
)
from mailauth.stats.aggregate import FLAGS, Tally
from mailauth.stats.facts import GRADES, POLICIES, SPF_ALL
from mailauth.stats.run import Stats

BAR_WIDTH = 30
_POLICY_STYLE = {
    "reject": "green",
    "quarantine": "yellow",
    "none": "red",
    "missing": "bright_black",
}
_GRADE_STYLE = {"A": "green", "B": "green", "C": "yellow", "D": "red", "F": "bold red"}


def text_writer(sink: Environment, expected: int | None) -> TextWriter[Stats]:
    return TextWriter(sink, print_stats)


def bar(share: float, style: str = "cyan", width: int = BAR_WIDTH) -> Text:
    """A bar of `share` percent, `width` cells at 100 %."""
    filled = round(width * share / 100)
    text = Text("█" * filled, style=style)
    text.append("·" * (width - filled), style="bright_black")
    return text


def _bars(
    t: Tally,
    lang: str,
    title: str,
    rows: list[tuple[str, int, str]],
    metrics: list[str] | None = None,
) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, pad_edge=False)
    table.add_column()
    table.add_column(justify="right")
    table.add_column(justify="right")
    table.add_column()
    for i, (name, count, style) in enumerate(rows):
        share = t.share(count, metrics[i] if metrics is not None else None)
        table.add_row(printable(name), str(count), f"{share:.1f}%", bar(share, style))
    return table


def print_stats(console: Console, s: Stats, lang: str) -> None:
    t = s.tallies.overall
    console.print(Text(label("stats.title", lang), style="bold underline"))
    for line in summary_lines(s, lang):
        console.print(line, markup=False, highlight=False)
    console.print()
    adoption = [(metric_label(m, lang), t.count(m), "cyan") for m in FLAGS]
    console.print(_bars(t, lang, label("stats.adoption", lang), adoption, list(FLAGS)))
    console.print(Text(dkim_note(s, lang), style="dim"))
    console.print()
    policies = [
        (metric_label(f"dmarc_policy:{p}", lang), t.dmarc_policy[p], _POLICY_STYLE[p])
        for p in POLICIES
    ]
    policy_metrics = ["dmarc_policy"] * len(policies)
    console.print(_bars(t, lang, label("stats.dmarc-policies", lang), policies, policy_metrics))
    console.print()
    qualifiers = [(metric_label(f"spf_all:{q}", lang), t.spf_all[q], "cyan") for q in SPF_ALL]
    spf_metrics = ["spf_all"] * len(qualifiers)
    console.print(_bars(t, lang, label("stats.spf-all", lang), qualifiers, spf_metrics))
    console.print()
    grades = [(g, t.grades[g], _GRADE_STYLE[g]) for g in GRADES]
    console.print(_bars(t, lang, label("stats.grades", lang), grades))
    console.print(mean_score_line(t, lang), markup=False, highlight=False)
    _findings(console, t, lang)
    if s.tallies.groups:
        _groups(console, s, lang)
    if s.compared:
        _compare(console, s, lang)
    if s.timeline:
        _timeline(console, s, lang)


def _findings(console: Console, t: Tally, lang: str) -> None:
    if not t.top_findings:
        return
    console.print()
    table = Table(title=label("stats.top-findings", lang), title_justify="left")
    table.add_column(label("stats.col.finding", lang))
    table.add_column(label("stats.col.domains", lang), justify="right")
    table.add_column(label("stats.col.share", lang), justify="right")
    for fid, n in t.top_findings:
        table.add_row(printable(fid), str(n), f"{t.share(n):.1f}%")
    console.print(table)


def _groups(console: Console, s: Stats, lang: str) -> None:
    console.print()
    table = Table(
        title=group_title(s, lang),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        collapse_padding=True,
        show_edge=False,
    )
    table.add_column(label("stats.col.group", lang), no_wrap=True, max_width=28)
    table.add_column(label("stats.col.domains", lang), justify="right", no_wrap=True)
    for m in GROUP_METRICS:
        table.add_column(short_label(m, lang), justify="right", no_wrap=True)
    table.add_column(label("stats.short.score", lang), justify="right", no_wrap=True)
    for g in shown_groups(s):
        cells = [f"{g.share(metric_count(g, m), m):.0f}%" for m in GROUP_METRICS]
        mean = "-" if g.mean_score is None else f"{g.mean_score:.1f}"
        table.add_row(Text(printable(g.group or "")), str(g.domains), *cells, mean)
    console.print(table)
    more = more_groups_line(s, lang)
    if more:
        console.print(more, markup=False, highlight=False)


def _compare(console: Console, s: Stats, lang: str) -> None:
    old = s.compared
    assert old is not None
    console.print()
    table = Table(
        title=label("stats.compare", lang, label=printable(old.label)), title_justify="left"
    )
    table.add_column(label("stats.col.metric", lang))
    table.add_column(label("stats.col.old", lang), justify="right")
    table.add_column(label("stats.col.new", lang), justify="right")
    table.add_column(label("stats.col.delta", lang), justify="right")
    for m, (a, b, d) in s.changes().items():
        style = "green" if d > 0 else "red" if d < 0 else ""
        table.add_row(
            metric_label(m, lang), f"{a:.1f}%", f"{b:.1f}%", Text(f"{d:+.1f}", style=style)
        )
    console.print(table)


def _timeline(console: Console, s: Stats, lang: str) -> None:
    console.print()
    table = Table(title=label("stats.timeline", lang), title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column(label("stats.col.scan", lang), overflow="fold")
    table.add_column(label("stats.col.date", lang), no_wrap=True)
    table.add_column(label("stats.col.domains", lang), justify="right")
    shown = ("spf_present", "dmarc_policy:reject", "dkim_found")
    for m in shown:
        table.add_column(short_label(m, lang), justify="right", no_wrap=True)
    for p in s.timeline:
        cells = [f"{p.overall.share(metric_count(p.overall, m), m):.1f}%" for m in shown]
        table.add_row(
            Text(printable(short_name(p.label))), when(p.checked_to), str(p.overall.domains), *cells
        )
    console.print(table)
