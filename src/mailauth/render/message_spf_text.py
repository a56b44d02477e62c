"""Text output of `mailauth spf`: the result, then the evaluation trace — each record
evaluated (top, include, redirect), each term with match/no match, and every DNS lookup with
the running RFC 7208 §4.6.4 lookup and void-lookup counts.

Trace lines are soft-wrapped, never broken: they quote records and DNS answers, and the
indentation (two spaces per include level) is what shows the nesting.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from mailauth.domain.spf_tree import LOOKUP_LIMIT, VOID_LIMIT
from mailauth.i18n import label
from mailauth.message.spf import SpfOutcome
from mailauth.message.spftrace import Lookup, MechanismStep
from mailauth.render.environment import Environment
from mailauth.render.message_text import RESULT_STYLE
from mailauth.render.output import TextWriter
from mailauth.render.sanitize import printable

VOID_RCODES = ("NXDOMAIN", "NODATA")  # what §4.6.4 counts as a void lookup


def text_writer(sink: Environment, expected: int | None) -> TextWriter[SpfOutcome]:
    return TextWriter(sink, print_outcome)


def _print(console: Console, depth: int, text: str, style: str = "") -> None:
    console.print(Text("  " * depth + text, style=style), soft_wrap=True)


def print_outcome(console: Console, o: SpfOutcome, lang: str) -> None:
    ident = o.identity
    heading = label("spftrace.heading", lang, ip=ident.ip, domain=o.domain)
    console.print(Text(heading, style="bold"))
    identity = label(
        "spftrace.identity",
        lang,
        ip=ident.ip,
        mail_from=printable(ident.mail_from) or "<>",
        helo=printable(ident.helo or "-"),
    )
    console.print(Text(identity))
    result = label("spftrace.result", lang, result=o.result.value)
    console.print(Text(result, style=RESULT_STYLE[o.result]))
    if o.mechanism:
        console.print(Text(label("spftrace.decided", lang, mechanism=printable(o.mechanism))))
    if o.problem_detail is not None:
        problem = printable(o.problem_text(lang))
        console.print(Text(label("spftrace.problem", lang, problem=problem)))
    if o.explanation:
        text = label("spftrace.explanation", lang, explanation=printable(o.explanation))
        console.print(Text(text))
    console.print()
    for step in o.records:
        record = printable(step.record) if step.record else label("spftrace.record.none", lang)
        entered = label(f"spftrace.entered.{step.entered_by.value}", lang)
        line = label("spftrace.record", lang, entered=entered, domain=step.domain, record=record)
        _print(console, step.depth, line, "bold")
        _lookups(console, step.lookups, step.depth, lang)
        for m in step.mechanisms:
            _print(console, step.depth + 1, _term(m, lang), "green" if m.matched else "")
            _lookups(console, m.lookups, step.depth, lang)
        if step.mechanisms and not any(m.matched for m in step.mechanisms) and step.result:
            result_line = label("spftrace.record-result", lang, result=step.result.value)
            _print(console, step.depth + 1, result_line)
    console.print()
    totals = label(
        "spftrace.totals",
        lang,
        lookups=o.lookups,
        lookup_limit=LOOKUP_LIMIT,
        void=o.void_lookups,
        void_limit=VOID_LIMIT,
    )
    console.print(Text(totals))


def _term(m: MechanismStep, lang: str) -> str:
    key = "spftrace.term.match" if m.matched else "spftrace.term.nomatch"
    if m.counted is not None:
        key += "-counted"
    return label(
        key,
        lang,
        term=printable(m.term),
        qualifier=m.qualifier.value if m.qualifier else "",
        count=m.counted,
        limit=LOOKUP_LIMIT,
    )


def _lookups(console: Console, lookups: Sequence[Lookup], depth: int, lang: str) -> None:
    for lk in lookups:
        if lk.rcode in VOID_RCODES:
            line = label(
                "spftrace.lookup.void",
                lang,
                name=lk.name,
                rdtype=lk.rdtype,
                rcode=lk.rcode,
                count=lk.void_count,
                limit=VOID_LIMIT,
            )
        else:
            values = ", ".join(printable(v) for v in lk.values[:8])
            line = label(
                "spftrace.lookup",
                lang,
                name=lk.name,
                rdtype=lk.rdtype,
                rcode=lk.rcode,
                values=values,
            )
        _print(console, depth + 3, line, "dim")
