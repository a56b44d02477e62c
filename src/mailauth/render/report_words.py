"""The words of a `mailauth report` analysis in one language, shared by every report
format so text, Markdown, HTML and JSON say the same thing."""

from __future__ import annotations

from mailauth.i18n import has_label, label
from mailauth.model import Phrase
from mailauth.report.analysis import DomainAnalysis, ReportNote, SourceSummary
from mailauth.report.containers import Unreadable


def phrase(p: Phrase, lang: str) -> str:
    return label(p.key, lang, **p.params)


def unreadable_reason(item: Unreadable, lang: str) -> str:
    if item.key == "os-error" and has_label(f"error.os.{item.value.lower()}"):
        return label(f"error.os.{item.value.lower()}", lang)  # an errno name: ENOENT
    return label(f"report.unreadable.{item.key}", lang, value=item.value)


def unreadable_line(item: Unreadable, lang: str) -> str:
    reason = unreadable_reason(item, lang)
    return label("report.unreadable.line", lang, file=item.file, reason=reason)


def note_line(n: ReportNote, lang: str) -> str:
    note = label(f"report.note.{n.note.code}", lang, value=n.note.value)
    return label("report.note.line", lang, org=n.org_name, report_id=n.report_id, note=note)


def source_name(s: SourceSummary) -> str:
    """How a source is named for people: its service, else its PTR name, else its IP."""
    if s.service is not None:
        return s.service.name + (f" ({s.ptr})" if s.ptr else "")
    return s.ptr or s.ip


def class_word(s: SourceSummary, lang: str) -> str:
    return label(f"report.class.{s.cls.value}", lang)


def fix_text(s: SourceSummary, lang: str) -> str:
    return phrase(s.fix, lang) if s.fix is not None else ""


def yes_no(value: bool, lang: str) -> str:
    return label("report.text.yes" if value else "report.text.no", lang)


def pass_percent(d: DomainAnalysis) -> float:
    return round(100 * d.dmarc_pass_messages / d.messages, 1) if d.messages else 0.0


def policy_word(d: DomainAnalysis) -> str:
    p = d.policy_published
    word = f"p={p.get('p') or '?'}"
    if p.get("testing"):
        word += "; t=y"
    if p.get("pct") is not None:
        word += f"; pct={p.get('pct')}"
    return word
