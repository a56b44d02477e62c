"""`mailauth report --format html`: one self-contained page (no script, no external font,
image or style sheet; a Content-Security-Policy that forbids loading any) with inline SVG
charts: daily volume with the DMARC pass rate, the top failing sources, and the share of
mail per service. Every value from a report is escaped: the reports come from strangers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from mailauth.i18n import label
from mailauth.render.environment import Environment
from mailauth.render.html_page import e as _e
from mailauth.render.html_page import page
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
from mailauth.report.analysis import DomainAnalysis, ReportAnalysis, SourceClass

_COLORS = {
    SourceClass.ALIGNED: "#2e8540",
    SourceClass.LEGITIMATE_FAILING: "#d98c00",
    SourceClass.FORWARDED: "#1f78b4",
    SourceClass.UNAUTHENTICATED: "#c0392b",
}
_PALETTE = ("#1f78b4", "#33a02c", "#e31a1c", "#ff7f00", "#6a3d9a", "#b15928", "#a6cee3",
            "#b2df8a", "#fb9a99", "#888888")  # fmt: skip
_STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;
background:#f5f6f8}main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px}h2{font-size:19px;margin-top:32px}h3{font-size:16px;margin:20px 0 8px}
.card{background:#fff;border-radius:10px;padding:18px 22px;margin:14px 0;
box-shadow:0 1px 3px rgba(0,0,0,.08)}.verdict{display:flex;gap:14px;flex-wrap:wrap}
.pill{border-radius:8px;padding:10px 14px;font-weight:600}.yes{background:#e3f4e7;color:#1b5e20}
.no{background:#fdecea;color:#8e1c12}code{background:#eef0f3;padding:2px 6px;border-radius:4px}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;
padding:6px 8px;border-bottom:1px solid #e6e8eb;vertical-align:top}td.n{text-align:right}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:14px}
.tag{display:inline-block;border-radius:4px;padding:1px 6px;color:#fff;font-size:12px}
svg text{font:11px system-ui,sans-serif;fill:#444}.wide{grid-column:1/-1}ul.bad li{color:#8e1c12}
"""


def _daily_svg(d: DomainAnalysis, lang: str) -> str:
    days = d.days[-62:]
    w, h, pad = 1000, 240, 36
    if not days:
        return ""
    top = max(p.messages for p in days) or 1
    step = (w - 2 * pad) / len(days)
    bar = max(1.0, step * 0.8)
    parts = [f'<svg viewBox="0 0 {w} {h}" width="100%" role="img" '
             f'aria-label="{_e(label("report.html.daily", lang))}">']  # fmt: skip
    points = []
    for i, p in enumerate(days):
        x = pad + i * step
        full = (h - 2 * pad) * p.messages / top
        good = full * p.dmarc_pass / p.messages if p.messages else 0
        y = h - pad - full
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{full - good:.1f}" '
                     f'fill="#e8a09a"><title>{_e(p.day)}: {p.messages}</title></rect>')  # fmt: skip
        parts.append(f'<rect x="{x:.1f}" y="{y + full - good:.1f}" width="{bar:.1f}" '
                     f'height="{good:.1f}" fill="#7fbf8e"/>')  # fmt: skip
        rate = p.dmarc_pass / p.messages if p.messages else 0
        points.append(f"{x + bar / 2:.1f},{pad + (h - 2 * pad) * (1 - rate):.1f}")
    parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#1f3b73" '
                 'stroke-width="2"/>')  # fmt: skip
    parts.append(f'<text x="{pad}" y="{h - 10}">{_e(days[0].day)}</text>')
    parts.append(f'<text x="{w - pad}" y="{h - 10}" text-anchor="end">{_e(days[-1].day)}</text>')
    parts.append(f'<text x="4" y="{pad}">{top}</text><text x="{w - 4}" y="{pad}" '
                 'text-anchor="end">100%</text>')  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def _failing_svg(d: DomainAnalysis) -> str:
    failing = sorted(
        (s for s in d.sources if s.messages > s.dmarc_pass), key=lambda s: s.dmarc_pass - s.messages
    )[:8]
    if not failing:
        return "<p>—</p>"
    w, row = 420, 26
    top = max(s.messages - s.dmarc_pass for s in failing) or 1
    parts = [f'<svg viewBox="0 0 {w} {row * len(failing) + 8}" width="100%" role="img">']
    for i, s in enumerate(failing):
        n = s.messages - s.dmarc_pass
        length = 200 * n / top
        y = 4 + i * row
        parts.append(f'<text x="0" y="{y + 16}">{_e(source_name(s)[:34])}</text>')
        parts.append(f'<rect x="240" y="{y + 4}" width="{length:.1f}" height="16" rx="3" '
                     f'fill="{_COLORS[s.cls]}"/>')  # fmt: skip
        parts.append(f'<text x="{244 + length:.1f}" y="{y + 16}">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _service_svg(d: DomainAnalysis, lang: str) -> str:
    share: dict[str, int] = defaultdict(int)
    for s in d.sources:
        share[s.service.name if s.service else label("report.html.other", lang)] += s.messages
    total = sum(share.values()) or 1
    items = sorted(share.items(), key=lambda kv: -kv[1])[: len(_PALETTE)]
    w = 420
    parts = [f'<svg viewBox="0 0 {w} {40 + 20 * len(items)}" width="100%" role="img">']
    x = 0.0
    for i, (name, n) in enumerate(items):
        width = w * n / total
        parts.append(f'<rect x="{x:.1f}" y="4" width="{width:.1f}" height="22" '
                     f'fill="{_PALETTE[i]}"><title>{_e(name)}: {n}</title></rect>')  # fmt: skip
        x += width
    for i, (name, n) in enumerate(items):
        y = 44 + 20 * i
        parts.append(f'<rect x="0" y="{y - 10}" width="12" height="12" fill="{_PALETTE[i]}"/>')
        parts.append(f'<text x="18" y="{y}">{_e(name)} — {n} ({100 * n / total:.1f}%)</text>')
    parts.append("</svg>")
    return "".join(parts)


def _domain(d: DomainAnalysis, lang: str) -> str:
    v = d.verdict
    head = label("report.text.domain", lang, domain=d.domain, messages=d.messages,
                 passing=pass_percent(d), policy=policy_word(d))  # fmt: skip
    q = label("report.text.quarantine-safe", lang, answer=yes_no(v.quarantine_safe, lang))
    r = label("report.text.reject-safe", lang, answer=yes_no(v.reject_safe, lang))
    out = [f"<h2>{_e(head)}</h2>", '<div class="card"><div class="verdict">',
           f'<div class="pill {"yes" if v.quarantine_safe else "no"}">{_e(q)}</div>',
           f'<div class="pill {"yes" if v.reject_safe else "no"}">{_e(r)}</div>',
           "</div><ul>"]  # fmt: skip
    out += [f"<li>{_e(phrase(x, lang))}</li>" for x in v.reasons]
    record = label("report.text.next-record", lang, record="\x00")
    before, _, after = record.partition("\x00")
    out.append(
        f"</ul><p><strong>{_e(before)}<code>{_e(v.next_record)}</code>{_e(after)}</strong></p>"
    )
    out.append(f"<h3>{_e(label('report.text.actions', lang))}</h3><ol>")
    out += [f"<li>{_e(phrase(a, lang))}</li>" for a in d.actions]
    out.append("</ol></div>")
    out.append('<div class="charts">')
    out.append(f'<div class="card wide"><h3>{_e(label("report.html.daily", lang))}</h3>'
               f"{_daily_svg(d, lang)}</div>")  # fmt: skip
    out.append(f'<div class="card"><h3>{_e(label("report.html.failing", lang))}</h3>'
               f"{_failing_svg(d)}</div>")  # fmt: skip
    out.append(f'<div class="card"><h3>{_e(label("report.html.services", lang))}</h3>'
               f"{_service_svg(d, lang)}</div>")  # fmt: skip
    out.append("</div>")
    cols = ("ip", "source", "messages", "spf", "dkim", "class", "fix")
    out.append(f'<div class="card"><h3>{_e(label("report.text.sources", lang))}</h3><table><tr>')
    out += [f"<th>{_e(label(f'report.col.{c}', lang))}</th>" for c in cols]
    out.append("</tr>")
    for s in d.sources[:200]:
        color = _COLORS[s.cls]
        tag = f'<span class="tag" style="background:{color}">{_e(class_word(s, lang))}</span>'
        out.append(f"<tr><td>{_e(s.ip)}</td><td>{_e(source_name(s))}</td>"
                   f'<td class="n">{s.messages}</td><td class="n">{s.spf_aligned}</td>'
                   f'<td class="n">{s.dkim_aligned}</td><td>{tag}</td>'
                   f"<td>{_e(fix_text(s, lang))}</td></tr>")  # fmt: skip
    out.append("</table></div>")
    return "\n".join(out)


def render(analyses: Sequence[ReportAnalysis], lang: str) -> str:
    body: list[str] = []
    title = ""
    for a in analyses:
        title = label("report.html.title", lang, domains=a.target)
        summary = label("report.text.summary", lang, reports=a.reports_read, records=a.records,
                        duplicates=a.duplicates, unreadable=len(a.unreadable),
                        failures=len(a.failures))  # fmt: skip
        body.append(f"<h1>{_e(title)}</h1><p>{_e(summary)}</p>")
        body += [_domain(d, lang) for d in a.domains]
        if a.unreadable:
            body.append(f'<div class="card"><h3>{_e(label("report.text.unreadable", lang))}</h3>'
                        '<ul class="bad">')  # fmt: skip
            body += [f"<li>{_e(unreadable_line(u, lang))}</li>" for u in a.unreadable]
            body.append("</ul></div>")
        if a.notes:
            body.append(f'<div class="card"><h3>{_e(label("report.text.notes", lang))}</h3><ul>')
            body += [f"<li>{_e(note_line(n, lang))}</li>" for n in a.notes]
            body.append("</ul></div>")
    return page(lang, title, _STYLE, body)


def html_writer(sink: Environment, expected: int | None) -> DocumentWriter[ReportAnalysis]:
    return DocumentWriter(sink, render)
