"""Pieces of the rich text reports shared by `check` and `verify`: status words, the score
line, the "why it may land in spam" summary, and a finding with its fix.

Every label comes from `mailauth.i18n`; every value from DNS or a message goes through
`printable()` and is printed as `Text` (never as markup), so a hostile record cannot restyle
the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from mailauth.i18n import has_label, label
from mailauth.model import Finding, Phrase, Severity, Status
from mailauth.names import display_name
from mailauth.render.ink import Canvas, Pad, Text
from mailauth.render.layout import print_hanging, print_prose, styled
from mailauth.render.sanitize import printable
from mailauth.scoring import ScoreCard, is_unscored, weight_of

SEVERITY_STYLE: dict[Severity, str] = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "bold yellow",
    Severity.LOW: "cyan",
    Severity.INFO: "dim",
}
STATUS_STYLE: dict[Status, str] = {
    Status.PASS: "bold green",
    Status.WARN: "bold yellow",
    Status.FAIL: "bold red",
    Status.NONE: "dim",
    Status.ERROR: "bold magenta",
    Status.SKIPPED: "dim",
}
GRADE_STYLE: dict[str, str] = {"A": "bold green", "B": "green", "C": "yellow", "D": "red"}

SUMMARY_LIMIT = 5  # the summary is a short list; the sections hold everything


def worst_first(f: Finding) -> tuple[int, int]:
    """Sort key, worst first: by severity, then by the points the score takes for the
    finding (a provider rule can make one medium finding cost more than another). Ties keep
    their order, which is the report's check order."""
    return (f.severity.rank, -weight_of(f).points)


def check_name(check: str, lang: str) -> str:
    key = f"check.{check}"
    return label(key, lang) if has_label(key) else check


def severity_text(severity: Severity, lang: str) -> Text:
    return Text(label(f"severity.{severity.value}", lang), style=SEVERITY_STYLE[severity])


def status_text(status: Status, lang: str) -> Text:
    return Text(label(f"status.{status.value}", lang), style=STATUS_STYLE[status])


def print_score(
    console: Canvas, card: ScoreCard, lang: str, *, complete: bool | None = None
) -> None:
    """The score line. Over an incomplete result (default: `card.complete`) the score is an
    upper bound, since unseen findings could only deduct, and the grade is provisional."""
    style = GRADE_STYLE.get(card.grade, "bold red")
    whole = card.complete if complete is None else complete
    key = "report.score" if whole else "report.score-at-most"
    console.print(styled(key, lang, style, score=card.score, grade=card.grade))


def print_summary(
    console: Canvas,
    located: Sequence[tuple[str, Finding]],
    lang: str,
    *,
    complete: bool = True,
) -> None:
    """The top reasons, worst first: what a receiver holds against this sender. A finding
    reported several times with the same title (one per MX address) is one reason. When
    some checks gave no verdict, "nothing found" is said only of the checks that ran."""
    console.print(Text(label("summary.heading", lang), style="bold underline"))
    reasons: list[tuple[str, Finding, str]] = []
    seen: set[tuple[str, str]] = set()
    for check, f in sorted(located, key=lambda pair: worst_first(pair[1])):
        if f.severity is Severity.INFO or is_unscored(f.id):
            continue
        title = one_line_params(f).text(lang).title
        if (check, title) not in seen:
            seen.add((check, title))
            reasons.append((check, f, title))
    if not reasons:
        key = "summary.none" if complete else "summary.none-incomplete"
        console.print(Pad(Text(label(key, lang), style="green"), 2))
        return
    for number, (check, f, title) in enumerate(reasons[:SUMMARY_LIMIT], start=1):
        head = severity_text(f.severity, lang)
        head.append("  ")
        head.append(label("summary.item", lang, check=check_name(check, lang), title=title))
        consequence = one_line_params(f).text(lang).consequence
        body = Text("\n").join([head, Text(printable(consequence))])
        print_hanging(console, label("summary.number", lang, number=number) + " ", body, 2)
    if len(reasons) > SUMMARY_LIMIT:
        more = label("summary.more", lang, count=len(reasons) - SUMMARY_LIMIT)
        console.print(Pad(Text(more, style="dim"), 2))


def print_finding(console: Canvas, f: Finding, lang: str, indent: int = 2) -> None:
    """One finding: what is wrong, what receivers do, the fix and the exact record."""
    f = one_line_params(f)
    text = f.text(lang)
    heading = Text(label("finding.heading", lang, title=printable(text.title), id=f.id))
    print_hanging(console, severity_text(f.severity, lang).append("  "), heading, indent)
    inner = indent + 4
    quoted = [v for v in f.params.values() if isinstance(v, str)]
    for key, value in (
        ("finding.detail", text.detail),
        ("finding.consequence", text.consequence),
        ("finding.fix", text.fix),
    ):
        if value:
            shown = printable(value, multiline=True)
            print_prose(console, label(key, lang), shown, lang, inner, keep=quoted)
    if f.fix_record:
        name = label("finding.fix-record", lang)
        console.print(Pad(Text(label("layout.colon", lang, name=name), style="bold"), inner))
        record = Text(" " * (inner + 2) + printable(f.fix_record), style="green")
        console.print(record, soft_wrap=True)
    from mailauth.findings import CATALOGUE  # with the first finding (scoring.is_unscored)

    entry = CATALOGUE.get(f.id)
    if entry and entry.references:
        refs = Text(label("layout.colon", lang, name=label("finding.references", lang)))
        refs.append(" ")
        refs.append("; ".join(str(r) for r in entry.references))
        refs.stylize("dim")
        console.print(Pad(refs, inner))


def one_line_params(f: Finding) -> Finding:
    """`f` with every text parameter (a record, a header, a name: from DNS or a message)
    made one printable line, before it is put into the catalogue's sentences. The sentences
    may span lines; a newline inside a TXT record must not, or it could forge report lines
    ("Record with this fix: ...") inside "What was found"."""
    return replace(
        f,
        params={
            k: printable(v) if k.endswith("_alabel") else _one_line(v)  # kept as A-labels
            for k, v in f.params.items()
        },
    )


def _one_line(value: Any) -> Any:
    if isinstance(value, str):
        return printable(_unicode_name(value))
    if isinstance(value, Phrase):
        return Phrase(value.key, {k: _one_line(v) for k, v in value.params.items()})
    if isinstance(value, list | tuple):
        return type(value)(_one_line(v) for v in value)
    return value


_NAME = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+\.?")


def _unicode_name(value: str) -> str:
    """A parameter that is a domain name with A-labels (xn--...), as people write it
    (日本語.jp): text reports show U-labels, as the report heading does (issue 14). Records
    and other text keep their A-labels: they are what is published and copied."""
    if not _NAME.fullmatch(value):
        return value
    return display_name(value)
