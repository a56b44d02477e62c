"""`mailauth stats --format markdown`: the same figures as the text output, as GitHub
Markdown tables (a survey's README, an issue, $GITHUB_STEP_SUMMARY). Values from the input
files (group names, file names) are escaped: a `|` must not open a column."""

from __future__ import annotations

from collections.abc import Sequence

from mailauth.i18n import label
from mailauth.render.environment import Environment
from mailauth.render.output import DocumentWriter
from mailauth.render.stats_words import (
    GROUP_METRICS,
    dkim_note,
    group_title,
    mean_score_line,
    metric_count,
    metric_label,
    more_groups_line,
    shown_groups,
    summary_lines,
    when,
)
from mailauth.stats.aggregate import METRICS, Tally
from mailauth.stats.facts import GRADES
from mailauth.stats.run import Stats


def _cell(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace("|", "\\|")
    return " ".join(text.split())


def _table(header: Sequence[str], rows: Sequence[Sequence[object]], right: int = 1) -> list[str]:
    align = ["---"] * min(right, len(header)) + ["---:"] * max(0, len(header) - right)
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _pct(t: Tally, count: int, metric: str | None = None) -> str:
    return f"{t.share(count, metric):.1f}%"


def render(items: Sequence[Stats], lang: str) -> str:
    return "\n\n".join(render_one(s, lang) for s in items) + "\n"


def render_one(s: Stats, lang: str) -> str:
    t = s.tallies.overall
    out = [f"## {label('stats.title', lang)}", ""]
    out += [_cell(line) + "  " for line in summary_lines(s, lang)]
    out += ["", f"### {label('stats.adoption', lang)}", ""]
    head = [
        label("stats.col.metric", lang),
        label("stats.col.domains", lang),
        label("stats.col.share", lang),
    ]
    rows = [
        [metric_label(m, lang), metric_count(t, m), _pct(t, metric_count(t, m), m)] for m in METRICS
    ]
    out += _table(head, rows)
    out += ["", f"_{_cell(dkim_note(s, lang))}_", "", f"### {label('stats.grades', lang)}", ""]
    grades = [[g, t.grades[g], _pct(t, t.grades[g])] for g in GRADES]
    out += _table([label("stats.col.grade", lang), *head[1:]], grades)
    out += ["", mean_score_line(t, lang)]
    if t.top_findings:
        out += ["", f"### {label('stats.top-findings', lang)}", ""]
        found = [[f"`{fid}`", n, _pct(t, n)] for fid, n in t.top_findings]
        out += _table([label("stats.col.finding", lang), *head[1:]], found)
    if s.tallies.groups:
        out += ["", f"### {_cell(group_title(s, lang))}", ""]
        ghead = [
            label("stats.col.group", lang),
            label("stats.col.domains", lang),
            *(metric_label(m, lang) for m in GROUP_METRICS),
            label("stats.col.mean-score", lang),
        ]
        grows = [
            [
                g.group,
                g.domains,
                *(_pct(g, metric_count(g, m), m) for m in GROUP_METRICS),
                "-" if g.mean_score is None else f"{g.mean_score:.1f}",
            ]
            for g in shown_groups(s)
        ]
        out += _table(ghead, grows)
        more = more_groups_line(s, lang)
        out += ["", _cell(more)] if more else []
    old = s.compared
    if old:
        out += ["", f"### {_cell(label('stats.compare', lang, label=old.label))}", ""]
        chead = [label(f"stats.col.{k}", lang) for k in ("metric", "old", "new", "delta")]
        crows = [
            [metric_label(m, lang), f"{a:.1f}%", f"{b:.1f}%", f"{d:+.1f}"]
            for m, (a, b, d) in s.changes().items()
        ]
        out += _table(chead, crows)
    if s.timeline:
        shown = ("spf_present", "dmarc_policy:reject", "dkim_found")
        out += ["", f"### {label('stats.timeline', lang)}", ""]
        thead = [
            label("stats.col.scan", lang),
            label("stats.col.date", lang),
            label("stats.col.domains", lang),
            *(metric_label(m, lang) for m in shown),
        ]
        trows = [
            [
                p.label,
                when(p.checked_to),
                p.overall.domains,
                *(_pct(p.overall, metric_count(p.overall, m), m) for m in shown),
            ]
            for p in s.timeline
        ]
        out += _table(thead, trows, right=2)
    return "\n".join(out)


def markdown_writer(sink: Environment, expected: int | None) -> DocumentWriter[Stats]:
    return DocumentWriter(sink, render)
