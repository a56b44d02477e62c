"""Text output of `mailauth spf`: the result, then the evaluation trace — each record
evaluated (top, include, redirect), each term with match/no match, and every DNS lookup with
the running §4.6.4 lookup and void-lookup counts."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from mailauth.message.spf import SpfOutcome
from mailauth.message.spftrace import Lookup
from mailauth.render.environment import Environment
from mailauth.render.message_labels import mlabel
from mailauth.render.message_text import RESULT_STYLE
from mailauth.render.sanitize import printable


def render_spf(reports: Sequence[SpfOutcome], env: Environment) -> None:
    console = env.console()
    for number, outcome in enumerate(reports):
        if number:
            console.print()
        _outcome(console, outcome, env.lang)


def _outcome(console: Console, o: SpfOutcome, lang: str) -> None:
    ident = o.identity
    console.print(
        Text(mlabel("spftrace.heading", lang, ip=ident.ip, domain=o.domain), style="bold")
    )
    console.print(
        Text(
            mlabel(
                "spftrace.identity",
                lang,
                ip=ident.ip,
                mail_from=ident.mail_from or "<>",
                helo=ident.helo or "-",
            )
        )
    )
    console.print(
        mlabel("spftrace.result", lang, result=o.result.value), style=RESULT_STYLE[o.result]
    )
    if o.mechanism:
        console.print(mlabel("spftrace.decided", lang, mechanism=printable(o.mechanism)))
    if o.problem:
        console.print(mlabel("spftrace.problem", lang, problem=printable(o.problem)))
    if o.explanation:
        console.print(mlabel("spftrace.explanation", lang, explanation=printable(o.explanation)))
    console.print()
    for step in o.records:
        indent = "  " * step.depth
        record = printable(step.record) if step.record else mlabel("spftrace.record.none", lang)
        entered = mlabel(f"spftrace.entered.{step.entered_by}", lang)
        console.print(
            Text(
                mlabel(
                    "spftrace.record",
                    lang,
                    indent=indent,
                    entered=entered,
                    domain=step.domain,
                    record=record,
                ),
                style="bold",
            ),
            soft_wrap=True,
        )
        _lookups(console, step.lookups, indent, lang)
        for m in step.mechanisms:
            key = "spftrace.term.match" if m.matched else "spftrace.term.nomatch"
            line = mlabel(key, lang, indent=indent, term=printable(m.term), qualifier=m.qualifier)
            if m.counted is not None:
                line += mlabel("spftrace.term.counted", lang, count=m.counted)
            console.print(Text(line, style="green" if m.matched else ""), soft_wrap=True)
            _lookups(console, m.lookups, indent, lang)
        if step.mechanisms and not any(m.matched for m in step.mechanisms) and step.result:
            console.print(
                Text(mlabel("spftrace.record-result", lang, indent=indent, result=step.result))
            )
    console.print()
    console.print(mlabel("spftrace.totals", lang, lookups=o.lookups, void=o.void_lookups))


def _lookups(console: Console, lookups: Sequence[Lookup], indent: str, lang: str) -> None:
    for lk in lookups:
        values = ", ".join(printable(v) for v in lk.values[:8])
        line = mlabel(
            "spftrace.lookup",
            lang,
            indent=indent,
            name=lk.name,
            rdtype=lk.rdtype,
            rcode=lk.rcode,
            values=values,
        )
        if lk.rcode in ("NXDOMAIN", "NODATA"):
            line += mlabel("spftrace.lookup.void", lang, count=lk.void_count)
        console.print(Text(line, style="dim"), soft_wrap=True)
