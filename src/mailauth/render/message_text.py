"""Text report of `mailauth verify`: verdict first, then the evidence (every DKIM signature,
SPF with where its inputs came from, ARC, the alignment picture), then findings worst first."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

from mailauth.findings.message_dkim import DKIM_REASON_TEXT
from mailauth.message.dkim import MAX_SIGNATURES
from mailauth.message.report import MessageReport
from mailauth.model import Result
from mailauth.render.environment import Environment
from mailauth.render.message_labels import mlabel
from mailauth.render.sanitize import printable
from mailauth.render.text_blocks import print_field, print_finding, print_score, print_table

RESULT_STYLE = {
    Result.PASS: "bold green",
    Result.FAIL: "bold red",
    Result.SOFTFAIL: "yellow",
    Result.NEUTRAL: "yellow",
    Result.NONE: "dim",
    Result.TEMPERROR: "magenta",
    Result.PERMERROR: "red",
    Result.POLICY: "red",
}


def render_messages(reports: Sequence[MessageReport], env: Environment) -> None:
    console = env.console()
    for number, report in enumerate(reports):
        if number:
            console.print()
        _report(console, report, env.lang)


def _heading(console: Console, key: str, lang: str) -> None:
    console.print()
    console.print(Text(mlabel(key, lang), style="bold underline"))


def _report(console: Console, r: MessageReport, lang: str) -> None:
    console.print(Text(mlabel("verify.heading", lang, file=printable(r.file)), style="bold"))
    if r.subject is not None:
        console.print(Text(mlabel("verify.subject", lang, subject=printable(r.subject))))
    console.print(_verdict(r, lang), style=RESULT_STYLE[r.dmarc.result])
    print_score(console, r.score, lang)
    _dkim(console, r, lang)
    _spf(console, r, lang)
    _arc(console, r, lang)
    _alignment(console, r, lang)
    _heading(console, "verify.section.authres", lang)
    header = r.authentication_results.replace("\r\n", "\n").replace("\t", "    ")
    console.print(Text(printable(header, multiline=True)), soft_wrap=True)
    if r.differences:
        _heading(console, "verify.section.earlier", lang)
        for d in r.differences:
            line = mlabel(
                "verify.earlier.line",
                lang,
                authserv_id=d.authserv_id,
                method=d.method,
                identifier=d.identifier,
                then=d.then,
                now=d.now,
            )
            console.print(Text("  " + printable(line)))
    if r.findings:
        _heading(console, "verify.section.findings", lang)
        for f in r.findings:
            print_finding(console, f, lang)


def _verdict(r: MessageReport, lang: str) -> str:
    d = r.dmarc
    domain = d.from_domain or "?"
    if d.result is Result.PASS:
        parts = []
        if d.spf_aligned:
            parts.append(mlabel("verify.how.spf", lang, domain=r.spf.domain))
        if d.dkim_aligned:
            parts.append(mlabel("verify.how.dkim", lang, domains=", ".join(d.dkim_aligned)))
        how = (
            parts[0] if len(parts) == 1 else mlabel("verify.how.join", lang, a=parts[0], b=parts[1])
        )
        return mlabel("verify.verdict.pass", lang, domain=domain, how=how)
    key = f"verify.verdict.{d.result.value}"
    return mlabel(key, lang, domain=domain, disposition=d.disposition, policy=d.policy)


def _dkim(console: Console, r: MessageReport, lang: str) -> None:
    console.print()
    if not r.dkim:
        console.print(Text(mlabel("verify.section.dkim", lang), style="bold underline"))
        console.print(Text("  " + mlabel("verify.no-dkim", lang)))
        return
    rows = [
        {
            "#": s.index + 1,
            "domain": s.domain,
            "selector": s.selector,
            "algorithm": s.algorithm,
            "result": s.result.value,
            "aligned": r.dkim_aligned(s),
            "reason": DKIM_REASON_TEXT.get(s.reason.value, s.reason.value),
        }
        for s in r.dkim
    ]
    columns = ["#", "domain", "selector", "algorithm", "result", "aligned", "reason"]
    print_table(console, mlabel("verify.section.dkim", lang), rows, columns, lang)
    if r.dkim_total > len(r.dkim):
        more = mlabel(
            "verify.dkim-more", lang, count=r.dkim_total - len(r.dkim), limit=MAX_SIGNATURES
        )
        console.print(Text("  " + more, style="dim"))


def _spf(console: Console, r: MessageReport, lang: str) -> None:
    _heading(console, "verify.section.spf", lang)
    ident = r.spf.identity
    print_field(console, "result", r.spf.result.value, lang)
    print_field(console, "domain", r.spf.domain, lang)
    for name, value, source in (
        ("ip", ident.ip, ident.ip_source),
        ("helo", ident.helo, ident.helo_source),
        ("mail_from", ident.mail_from or None, ident.mail_from_source),
    ):
        shown = mlabel("verify.source", lang, value=value, source=source) if value else None
        print_field(console, name, shown, lang)
    if r.spf.record:
        print_field(console, "record", r.spf.record, lang)
    if r.spf.mechanism:
        print_field(console, "mechanism", r.spf.mechanism, lang)
    if r.spf.problem:
        print_field(console, "problem", r.spf.problem, lang)
    if r.receiving_hop is not None:
        print_field(console, "received", r.receiving_hop.raw, lang)
    if r.fcrdns is not None:
        print_field(console, "fcrdns", r.fcrdns.status.value, lang)


def _arc(console: Console, r: MessageReport, lang: str) -> None:
    _heading(console, "verify.section.arc", lang)
    print_field(console, "result", r.arc.result.value, lang)
    print_field(console, "instances", r.arc.instances, lang)
    if r.arc.reason and r.arc.result is not Result.PASS:
        print_field(console, "reason", r.arc.reason, lang)
    for hop in sorted(r.arc.hops, key=lambda h: h.instance):
        value = (
            f"i={hop.instance} d={hop.seal_domain} s={hop.seal_selector} cv={hop.cv}: {hop.results}"
        )
        print_field(console, "hop", printable(value), lang)


def _alignment(console: Console, r: MessageReport, lang: str) -> None:
    _heading(console, "verify.section.alignment", lang)
    d = r.dmarc
    if d.from_domain is None:
        print_field(console, "from", list(d.from_addresses) or None, lang)
        return
    org = d.org_domain or d.from_domain
    console.print(Text("  " + mlabel("verify.from", lang, domain=d.from_domain, org=org)))
    if r.spf.domain:
        verdict = _align_word(r.spf.result is Result.PASS, d.spf_aligned, lang)
        mode = mlabel(f"verify.mode.{d.spf_mode}", lang)
        console.print(
            Text(
                "  "
                + mlabel(
                    "verify.aligned",
                    lang,
                    what="SPF",
                    domain=r.spf.domain,
                    verdict=verdict,
                    mode=mode,
                )
            )
        )
    for sig in r.dkim:
        if not sig.domain:
            continue
        verdict = _align_word(sig.result is Result.PASS, r.dkim_aligned(sig), lang)
        mode = mlabel(f"verify.mode.{d.dkim_mode}", lang)
        what = f"DKIM s={sig.selector}"
        console.print(
            Text(
                "  "
                + mlabel(
                    "verify.aligned", lang, what=what, domain=sig.domain, verdict=verdict, mode=mode
                )
            )
        )


def _align_word(passed: bool, aligned: bool, lang: str) -> str:
    if not passed:
        return mlabel("verify.aligned.notpass", lang)
    return mlabel("verify.aligned.yes" if aligned else "verify.aligned.no", lang)
