"""`mailauth stats --format html`: one self-contained page (no script, no external font,
image or style sheet; a Content-Security-Policy that forbids loading any) with inline SVG
charts: the DMARC policy distribution (overall and per group), adoption, grades, and the
adoption over time when earlier scans are given. Every value read from the input files
(group names from a CSV, file names) is escaped."""

from __future__ import annotations

from collections.abc import Sequence

from mailauth.i18n import label
from mailauth.render.environment import Environment
from mailauth.render.html_page import e as _e
from mailauth.render.html_page import page
from mailauth.render.output import DocumentWriter
from mailauth.render.stats_words import (
    GROUP_METRICS,
    dkim_note,
    group_title,
    mean_score_line,
    metric_count,
    metric_label,
    more_groups_line,
    policy_word,
    shown_groups,
    summary_lines,
    when,
)
from mailauth.stats.aggregate import METRICS, Tally
from mailauth.stats.facts import GRADES
from mailauth.stats.run import Stats

MAX_GROUPS = 30
_POLICY_COLORS = {
    "reject": "#2e8540",
    "quarantine": "#e0a100",
    "none": "#c0392b",
    "missing": "#9aa1ab",
}
_POLICY_ORDER = ("reject", "quarantine", "none", "missing")  # strongest first
_GRADE_COLORS = {"A": "#2e8540", "B": "#7cb342", "C": "#e0a100", "D": "#e67e22", "F": "#c0392b"}
_LINES = ("spf_present", "dmarc_policy:reject", "dkim_found", "mta_sts_present")
_LINE_COLORS = ("#1f78b4", "#2e8540", "#6a3d9a", "#e31a1c")
ADOPTION = (
    "spf_present",
    "dmarc_rua",
    "dkim_found",
    "bimi_present",
    "mta_sts_present",
    "tls_rpt_present",
    "spf_over_limit",
    "null_mx",
)
_STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;
background:#f5f6f8}main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px}h2{font-size:18px;margin:0 0 10px}
.card{background:#fff;border-radius:10px;padding:18px 22px;margin:14px 0;
box-shadow:0 1px 3px rgba(0,0,0,.08)}.charts{display:grid;
grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:14px}.wide{grid-column:1/-1}
.kpis{display:flex;gap:12px;flex-wrap:wrap}.kpi{background:#fff;border-radius:10px;
padding:12px 16px;box-shadow:0 1px 3px rgba(0,0,0,.08);min-width:120px}
.kpi b{display:block;font-size:24px}.kpi span{color:#5b6472;font-size:13px}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;
padding:5px 8px;border-bottom:1px solid #e6e8eb}td.n,th.n{text-align:right}
.up{color:#1b5e20}.down{color:#8e1c12}.note{color:#5b6472;font-size:13px}
.legend{display:flex;gap:18px;flex-wrap:wrap;font-size:13px;margin-top:8px}
.legend i{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-1px}
svg text{font:12px system-ui,sans-serif;fill:#333}code{background:#eef0f3;padding:1px 5px;
border-radius:4px}
"""


def _stacked_policies(rows: Sequence[tuple[str, Tally]], lang: str) -> str:
    """One 100 % bar per row (all domains, then each group), split by DMARC policy."""
    w, row, left = 760, 30, 190
    height = row * len(rows) + 8
    parts = [
        f'<svg viewBox="0 0 {w} {height}" width="100%" role="img" '
        f'aria-label="{_e(label("stats.html.policy-chart", lang))}">'
    ]
    for i, (name, t) in enumerate(rows):
        y = 6 + i * row
        parts.append(f'<text x="0" y="{y + 15}">{_e(name[:28])}</text>')
        x = float(left)
        for p in _POLICY_ORDER:
            n = t.dmarc_policy[p]
            width = (w - left - 10) * n / t.domains if t.domains else 0
            share = t.share(n)
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="20" '
                f'fill="{_POLICY_COLORS[p]}"><title>{_e(name)}: '
                f"{_e(policy_word(p, lang))} {n} ({share:.1f}%)</title></rect>"
            )
            if width > 38:
                parts.append(
                    f'<text x="{x + 4:.1f}" y="{y + 15}" style="fill:#fff">{share:.0f}%</text>'
                )
            x += width
    parts.append("</svg>")
    legend = "".join(
        f'<span><i style="background:{_POLICY_COLORS[p]}"></i>'
        f"{_e(metric_label(f'dmarc_policy:{p}', lang))}</span>"
        for p in _POLICY_ORDER
    )
    return "".join(parts) + f'<div class="legend">{legend}</div>'


def _adoption(t: Tally, lang: str) -> str:
    w, row, left = 520, 28, 200
    parts = [
        f'<svg viewBox="0 0 {w} {row * len(ADOPTION) + 8}" width="100%" role="img" '
        f'aria-label="{_e(label("stats.html.adoption-chart", lang))}">'
    ]
    for i, m in enumerate(ADOPTION):
        y = 4 + i * row
        share = t.share(metric_count(t, m), m)
        length = (w - left - 60) * share / 100
        parts.append(f'<text x="0" y="{y + 15}">{_e(metric_label(m, lang))}</text>')
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{w - left - 60}" height="16" rx="3" '
            'fill="#eef0f3"/>'
        )
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="16" rx="3" '
            f'fill="#1f78b4"/><text x="{left + length + 4:.1f}" y="{y + 15}">'
            f"{share:.1f}%</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _grades(t: Tally, lang: str) -> str:
    w, h, pad = 420, 220, 28
    top = max(t.grades.values(), default=0) or 1
    step = (w - 2 * pad) / len(GRADES)
    parts = [
        f'<svg viewBox="0 0 {w} {h}" width="100%" role="img" '
        f'aria-label="{_e(label("stats.html.grade-chart", lang))}">'
    ]
    for i, g in enumerate(GRADES):
        n = t.grades[g]
        bar = (h - 2 * pad - 10) * n / top
        x = pad + i * step + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{h - pad - bar:.1f}" width="{step * 0.7:.1f}" '
            f'height="{bar:.1f}" fill="{_GRADE_COLORS[g]}" rx="3"><title>{g}: {n}'
            "</title></rect>"
        )
        cx = x + step * 0.35
        parts.append(
            f'<text x="{cx:.1f}" y="{h - pad - bar - 4:.1f}" text-anchor="middle">'
            f"{n} ({t.share(n):.0f}%)</text>"
        )
        parts.append(
            f'<text x="{cx:.1f}" y="{h - 8}" text-anchor="middle" '
            f'style="font-weight:600">{g}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _timeline(s: Stats, lang: str) -> str:
    points = s.timeline
    w, h, pad, right = 760, 260, 40, 170
    span = max(1, len(points) - 1)
    plot = w - pad - right

    def xy(i: int, share: float) -> tuple[float, float]:
        return pad + plot * i / span, h - pad - (h - 2 * pad) * share / 100

    parts = [
        f'<svg viewBox="0 0 {w} {h}" width="100%" role="img" '
        f'aria-label="{_e(label("stats.html.timeline-chart", lang))}">'
    ]
    for tick in (0, 25, 50, 75, 100):
        _, y = xy(0, tick)
        parts.append(
            f'<line x1="{pad}" x2="{pad + plot}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#e6e8eb"/><text x="{pad - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end">{tick}%</text>'
        )
    for i, p in enumerate(points):
        x, _ = xy(i, 0)
        stamp = p.checked_to.strftime("%Y-%m-%d") if p.checked_to else f"#{i + 1}"
        parts.append(
            f'<text x="{x:.1f}" y="{h - 14}" text-anchor="middle">{_e(stamp)}'
            f"<title>{_e(p.label)}</title></text>"
        )
    for k, m in enumerate(_LINES):
        color = _LINE_COLORS[k]
        coords = [
            xy(i, p.overall.share(metric_count(p.overall, m), m)) for i, p in enumerate(points)
        ]
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{color}" stroke-width="2.5"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{color}"/>' for x, y in coords]
        ly = pad + 22 * k
        parts.append(
            f'<rect x="{w - right + 14}" y="{ly - 10}" width="12" height="12" '
            f'fill="{color}"/><text x="{w - right + 30}" y="{ly}">'
            f"{_e(metric_label(m, lang))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], numeric_from: int = 1) -> str:
    cls = [' class="n"' if i >= numeric_from else "" for i in range(len(head))]
    out = [
        "<table><tr>",
        *(f"<th{c}>{_e(h)}</th>" for c, h in zip(cls, head, strict=True)),
        "</tr>",
    ]
    for row in rows:
        out.append(
            "<tr>" + "".join(f"<td{c}>{v}</td>" for c, v in zip(cls, row, strict=True)) + "</tr>"
        )
    out.append("</table>")
    return "".join(out)


def _card(title: str, body: str, wide: bool = False) -> str:
    return f'<div class="card{" wide" if wide else ""}"><h2>{_e(title)}</h2>{body}</div>'


def render_one(s: Stats, lang: str) -> str:
    t = s.tallies.overall
    out = [f"<h1>{_e(label('stats.title', lang))}</h1>"]
    out += [f"<p>{_e(line)}</p>" for line in summary_lines(s, lang)]
    kpis = ("spf_present", "dmarc_policy:reject", "dkim_found", "mta_sts_present")
    out.append(
        '<div class="kpis">' + f'<div class="kpi"><b>{t.domains}</b>'
        f"<span>{_e(label('stats.col.domains', lang))}</span></div>"
    )
    for m in kpis:
        out.append(
            f'<div class="kpi"><b>{t.share(metric_count(t, m), m):.1f}%</b>'
            f"<span>{_e(metric_label(m, lang))}</span></div>"
        )
    out.append("</div>")
    out.append('<div class="charts">')
    rows = [(label("stats.html.all", lang), t)]
    rows += [(g.group or "", g) for g in s.tallies.groups[:MAX_GROUPS]]
    title = (
        label("stats.html.groups-chart", lang, group_by=s.group_by)
        if s.group_by
        else label("stats.html.policy-chart", lang)
    )
    out.append(_card(title, _stacked_policies(rows, lang), wide=True))
    if s.timeline:
        out.append(_card(label("stats.html.timeline-chart", lang), _timeline(s, lang), wide=True))
    note = f'<p class="note">{_e(dkim_note(s, lang))}</p>'
    out.append(_card(label("stats.html.adoption-chart", lang), _adoption(t, lang) + note))
    score = f'<p class="note">{_e(mean_score_line(t, lang))}</p>'
    out.append(_card(label("stats.html.grade-chart", lang), _grades(t, lang) + score))
    out.append("</div>")
    head = [label(f"stats.col.{k}", lang) for k in ("metric", "domains", "share")]
    adoption = [
        [
            _e(metric_label(m, lang)),
            str(metric_count(t, m)),
            f"{t.share(metric_count(t, m), m):.1f}%",
        ]
        for m in METRICS
    ]
    out.append(_card(label("stats.adoption", lang), _table(head, adoption)))
    old = s.compared
    if old:
        chead = [label(f"stats.col.{k}", lang) for k in ("metric", "old", "new", "delta")]
        crows = [
            [
                _e(metric_label(m, lang)),
                f"{a:.1f}%",
                f"{b:.1f}%",
                f'<span class="{"up" if d > 0 else "down" if d < 0 else ""}">{d:+.1f}</span>',
            ]
            for m, (a, b, d) in s.changes().items()
        ]
        out.append(_card(label("stats.compare", lang, label=old.label), _table(chead, crows)))
    if s.tallies.groups:
        ghead = [
            label("stats.col.group", lang),
            label("stats.col.domains", lang),
            *(metric_label(m, lang) for m in GROUP_METRICS),
            label("stats.col.mean-score", lang),
        ]
        grows = [
            [
                _e(g.group),
                str(g.domains),
                *(f"{g.share(metric_count(g, m), m):.1f}%" for m in GROUP_METRICS),
                "-" if g.mean_score is None else f"{g.mean_score:.1f}",
            ]
            for g in shown_groups(s)
        ]
        more = more_groups_line(s, lang)
        note = f'<p class="note">{_e(more)}</p>' if more else ""
        out.append(_card(group_title(s, lang), _table(ghead, grows) + note))
    if t.top_findings:
        fhead = [
            label("stats.col.finding", lang),
            label("stats.col.domains", lang),
            label("stats.col.share", lang),
        ]
        frows = [
            [f"<code>{_e(fid)}</code>", str(n), f"{t.share(n):.1f}%"] for fid, n in t.top_findings
        ]
        out.append(_card(label("stats.top-findings", lang), _table(fhead, frows)))
    if s.timeline:
        thead = [
            label("stats.col.scan", lang),
            label("stats.col.date", lang),
            label("stats.col.domains", lang),
        ]
        trows = [[_e(p.label), _e(when(p.checked_to)), str(p.overall.domains)] for p in s.timeline]
        out.append(_card(label("stats.timeline", lang), _table(thead, trows, numeric_from=2)))
    return "\n".join(out)


def render(items: Sequence[Stats], lang: str) -> str:
    body = [render_one(s, lang) for s in items]
    domains = items[0].tallies.overall.domains if items else 0
    title = label("stats.html.title", lang, domains=domains)
    return page(lang, title, _STYLE, body)


def html_writer(sink: Environment, expected: int | None) -> DocumentWriter[Stats]:
    return DocumentWriter(sink, render)
