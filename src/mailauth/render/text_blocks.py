"""Pieces of the rich text reports shared by `check` and `verify`: score line, the
"why it may land in spam" summary, a finding with its fix, a check's parsed data.

Every label comes from `mailauth.i18n`; every value from DNS or a message goes through
`printable()` and is printed as `Text` (never as markup), so a hostile record cannot restyle
the terminal. Records to publish are printed with soft wrapping only: the terminal may fold
the line, but no newline is inserted, so copy-paste gives the exact record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from mailauth.findings import CATALOGUE
from mailauth.i18n import field_label, has_label, label
from mailauth.model import Finding, Severity, Status
from mailauth.render.sanitize import printable
from mailauth.scoring import ScoreCard, is_unscored

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
}
GRADE_STYLE: dict[str, str] = {"A": "bold green", "B": "green", "C": "yellow", "D": "red"}

SUMMARY_LIMIT = 5  # the summary is a short list; the sections hold everything


def check_name(check: str, lang: str) -> str:
    key = f"check.{check}"
    return label(key, lang) if has_label(key) else check


def severity_text(severity: Severity, lang: str) -> Text:
    return Text(label(f"severity.{severity.value}", lang), style=SEVERITY_STYLE[severity])


def status_text(status: Status, lang: str) -> Text:
    return Text(label(f"status.{status.value}", lang), style=STATUS_STYLE[status])


def print_score(console: Console, card: ScoreCard, lang: str) -> None:
    line = Text(label("report.score", lang, score=card.score, grade=card.grade))
    line.stylize(GRADE_STYLE.get(card.grade, "bold red"))
    console.print(line)


def print_summary(
    console: Console,
    located: Sequence[tuple[str, Finding]],
    lang: str,
    *,
    complete: bool = True,
) -> None:
    """The top reasons, worst first: what a receiver holds against this sender. When some
    checks gave no verdict, "nothing found" is said only of the checks that ran."""
    console.print(Text(label("summary.heading", lang), style="bold underline"))
    reasons = [
        (c, f) for c, f in located if f.severity is not Severity.INFO and not is_unscored(f.id)
    ]
    if not reasons:
        key = "summary.none" if complete else "summary.none-incomplete"
        console.print(Padding(Text(label(key, lang), style="green"), (0, 0, 0, 2)))
        return
    for number, (check, f) in enumerate(reasons[:SUMMARY_LIMIT], start=1):
        text = f.text(lang)
        head = Text(f"{number}. ")
        head.append_text(severity_text(f.severity, lang))
        head.append("  ")
        head.append(
            label("summary.item", lang, check=check_name(check, lang), title=printable(text.title))
        )
        console.print(Padding(head, (0, 0, 0, 2)))
        console.print(Padding(Text(printable(text.consequence)), (0, 0, 0, 5)))
    if len(reasons) > SUMMARY_LIMIT:
        more = label("summary.more", lang, count=len(reasons) - SUMMARY_LIMIT)
        console.print(Padding(Text(more, style="dim"), (0, 0, 0, 2)))


def print_finding(console: Console, f: Finding, lang: str, indent: int = 2) -> None:
    """One finding: what is wrong, what receivers do, the fix and the exact record."""
    text = f.text(lang)
    head = severity_text(f.severity, lang)
    head.append("  ")
    head.append(label("finding.heading", lang, title=printable(text.title), id=f.id))
    console.print(Padding(head, (0, 0, 0, indent)))
    inner = indent + 4
    for key, value in (
        ("finding.detail", text.detail),
        ("finding.consequence", text.consequence),
        ("finding.fix", text.fix),
    ):
        if value:
            line = Text(label("layout.colon", lang, name=label(key, lang)), style="bold")
            line.append(" ")
            line.append(printable(value, multiline=True))
            console.print(Padding(line, (0, 0, 0, inner)))
    if f.fix_record:
        heading = label("layout.colon", lang, name=label("finding.fix-record", lang))
        console.print(Padding(Text(heading, style="bold"), (0, 0, 0, inner)))
        record = Text(" " * (inner + 2) + printable(f.fix_record), style="green")
        console.print(record, soft_wrap=True)
    entry = CATALOGUE.get(f.id)
    if entry and entry.references:
        refs = Text(label("layout.colon", lang, name=label("finding.references", lang)))
        refs.append(" ")
        refs.append("; ".join(entry.references))
        refs.stylize("dim")
        console.print(Padding(refs, (0, 0, 0, inner)))


def print_field(console: Console, name: str, value: Any, lang: str, indent: int = 2) -> None:
    """`Name: value` on one logical line (soft-wrapped only, so a record stays copyable);
    a list of several values goes one per line below the name."""
    line = Text(" " * indent)
    line.append(label("layout.colon", lang, name=name), style="bold")
    if isinstance(value, (list, tuple)) and len(value) > 1:
        console.print(line)
        for item in value:
            console.print(Text(" " * (indent + 2) + "- " + _scalar(item, lang)), soft_wrap=True)
        return
    line.append(" ")
    line.append(_scalar(value, lang))
    console.print(line, soft_wrap=True)


def print_table(
    console: Console,
    title: str,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    lang: str,
    indent: int = 2,
) -> None:
    """Rows of flat records under a `Title:` line; columns with no value in any row are left out."""
    used = [c for c in columns if any(_present(row.get(c)) for row in rows)]
    console.print(Text(" " * indent + label("layout.colon", lang, name=title), style="bold"))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    for col in used:
        table.add_column(field_label(col, lang), overflow="fold", no_wrap=False)
    for row in rows:
        table.add_row(*(_scalar(row.get(col), lang) for col in used))
    console.print(Padding(table, (0, 0, 0, indent + 2), expand=False))


def _present(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != ()


def _scalar(value: Any, lang: str) -> str:
    if value is None or value == "" or value == [] or value == ():
        return label("value.none", lang)
    if isinstance(value, bool):
        return label("value.yes" if value else "value.no", lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(_scalar(v, lang) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={_scalar(v, lang)}" for k, v in value.items())
    return printable(str(value))
