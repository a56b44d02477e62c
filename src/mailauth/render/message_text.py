"""Text report of `mailauth verify`: verdict first, then the evidence (every DKIM signature,
SPF with where its inputs came from, ARC, the alignment picture), then findings worst first."""

from __future__ import annotations

import re

from mailauth.i18n import has_label, label
from mailauth.message.dkim import MAX_SIGNATURES
from mailauth.message.report import MessageReport
from mailauth.model import Result
from mailauth.names import display_name, to_unicode
from mailauth.render.environment import Environment
from mailauth.render.ink import Canvas, Pad, Text
from mailauth.render.layout import print_field, print_table
from mailauth.render.output import CanvasWriter
from mailauth.render.sanitize import printable
from mailauth.render.text_blocks import print_finding, print_score, worst_first

# What a domain name or selector is made of (RFC 6376 §3.1 selectors, RFC 5890 A-labels).
_PLAIN = re.compile(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*")

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


def text_writer(sink: Environment, expected: int | None) -> CanvasWriter[MessageReport]:
    return CanvasWriter(sink, print_report)


def _heading(console: Canvas, key: str, lang: str) -> None:
    console.print()
    console.print(Text(label(key, lang), style="bold underline"))


def _line(console: Canvas, text: str) -> None:
    """A sentence of a section: indented, wrapped at spaces under itself."""
    console.print(Pad(Text(printable(text)), 2))


def _field_label(name: str, lang: str) -> str:
    return label(f"verify.field.{name}", lang)


def _field(console: Canvas, name: str, value: object, lang: str, *, prose: bool = False) -> None:
    print_field(console, _field_label(name, lang), value, lang, prose=prose)


def print_report(console: Canvas, r: MessageReport, lang: str) -> None:
    console.print(Text(label("verify.heading", lang, file=printable(r.file)), style="bold"))
    if r.subject is not None:
        console.print(Text(label("verify.subject", lang, subject=printable(r.subject))))
    if r.from_header is not None:
        console.print(Text(label("verify.from-header", lang, value=printable(r.from_header))))
    console.print(Text(_verdict(r, lang), style=RESULT_STYLE[r.dmarc.result]))
    print_score(console, r.score, lang)
    if not r.score.complete:
        # Same promise as `check`: a score over part of the evidence says so next to it.
        console.print(Text(label("verify.incomplete", lang), style="magenta"))
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
            # A temperror now is our failed lookup, not a change since arrival.
            unchecked = d.now is Result.TEMPERROR
            line = label(
                "verify.earlier.unchecked" if unchecked else "verify.earlier.line",
                lang,
                authserv_id=d.authserv_id,
                method=d.method,
                identifier=d.identifier,
                then=d.then,
                now=d.now.value,
            )
            _line(console, line)
    if r.findings:
        _heading(console, "verify.section.findings", lang)
        for f in sorted(r.findings, key=worst_first):
            print_finding(console, f, lang)


def _verdict(r: MessageReport, lang: str) -> str:
    d = r.dmarc
    # Every verdict that names it has one; shown as people write it (日本語.jp, issue 14).
    domain = printable(to_unicode(d.from_domain or ""))
    if d.result is Result.PASS:
        dkim = display_name(", ".join(d.dkim_aligned))
        spf = display_name(r.spf.domain or "")
        if d.spf_aligned and d.dkim_aligned:
            how = label("verify.how.both", lang, domain=spf, domains=dkim)
        elif d.spf_aligned:
            how = label("verify.how.spf", lang, domain=spf)
        else:
            how = label("verify.how.dkim", lang, domains=dkim)
        return label("verify.verdict.pass", lang, domain=domain, how=printable(how))
    if d.authors:  # several author domains: the strictest decides
        return label(
            "verify.verdict.authors",
            lang,
            result=d.result.value,
            domain=printable(display_name(d.decided_by or "")),
            count=d.authors_total,
            disposition=d.disposition.value,
        )
    key = f"verify.verdict.{d.result.value}"
    if d.result is Result.FAIL and d.spf_unknown:
        key = "verify.verdict.fail-spf-unknown"  # it fails on DKIM; SPF was not evaluated
    policy = d.policy.value if d.policy else None
    return label(key, lang, domain=domain, disposition=d.disposition.value, policy=policy)


def _dkim(console: Canvas, r: MessageReport, lang: str) -> None:
    _heading(console, "verify.section.dkim", lang)
    if not r.dkim:
        _line(console, label("verify.no-dkim", lang))
        return
    rows = [
        {
            "index": s.index + 1,
            "domain": s.domain,
            "selector": s.selector,
            "algorithm": s.algorithm,
            "result": s.result.value,
            "aligned": _known(r.dkim_alignment(s), lang),
            "reason": label(f"verify.dkim-reason.{s.reason.value}", lang),
        }
        for s in r.dkim
    ]
    columns = ["index", "domain", "selector", "algorithm", "result", "aligned", "reason"]
    print_table(console, None, rows, columns, lang, indent=0, header=_field_label)
    if r.dkim_total > len(r.dkim):
        more = label(
            "verify.dkim-more", lang, count=r.dkim_total - len(r.dkim), limit=MAX_SIGNATURES
        )
        console.print(Pad(Text(more, style="dim"), 2))


def _spf(console: Canvas, r: MessageReport, lang: str) -> None:
    _heading(console, "verify.section.spf", lang)
    ident = r.spf.identity
    _field(console, "result", r.spf.result.value, lang)
    _field(console, "domain", r.spf.domain, lang)
    for name, value, source in (
        ("ip", ident.ip, ident.ip_source),
        ("helo", ident.helo, ident.helo_source),
        ("mail_from", ident.mail_from or None, ident.mail_from_source),
    ):
        _field(console, name, _sourced(value, source, lang) if value else None, lang)
    if r.spf.record:
        _field(console, "record", r.spf.record, lang)
    if r.spf.mechanism:
        _field(console, "mechanism", r.spf.mechanism, lang)
    if r.spf.problem_detail is not None:
        _field(console, "problem", r.spf.problem_text(lang), lang, prose=True)
    if r.receiving_hop is not None:
        _field(console, "received", r.receiving_hop.raw, lang, prose=True)
    if r.fcrdns is not None:
        _field(console, "reverse_dns", label(f"verify.fcrdns.{r.fcrdns.status.value}", lang), lang)


def _sourced(value: str, source: str, lang: str) -> str:
    """A value with where it came from: the command line, or a header of the message."""
    key = f"verify.source.{source.lower()}"
    if not has_label(key):
        key = "verify.source.other"
    return label(key, lang, value=display_name(value), source=source)


def _arc(console: Canvas, r: MessageReport, lang: str) -> None:
    _heading(console, "verify.section.arc", lang)
    _field(console, "result", r.arc.result.value, lang)
    _field(console, "arc_sets", r.arc.instances, lang)
    if r.arc.reason_code is not None and r.arc.result is not Result.PASS:
        _field(console, "reason", r.arc.reason_text(lang), lang, prose=True)
    for hop in sorted(r.arc.hops, key=lambda h: h.instance):
        value = label(
            "verify.arc-set",
            lang,
            instance=hop.instance,
            domain=display_name(hop.seal_domain or ""),
            selector=hop.seal_selector,
            cv=hop.cv.value if hop.cv else "",
            results=hop.results,
        )
        _field(console, "arc_set", value, lang, prose=True)


def _alignment(console: Canvas, r: MessageReport, lang: str) -> None:
    _heading(console, "verify.section.alignment", lang)
    d = r.dmarc
    if d.from_domain is None:
        _field(console, "from_addresses", list(d.from_addresses) or None, lang)
        for author in d.authors:
            policy = author.policy.value if author.policy else label("verify.param.none", lang)
            line = label(
                "verify.author",
                lang,
                domain=_name(author.from_domain or ""),
                result=author.result.value,
                policy=policy,
                disposition=author.disposition.value,
            )
            _line(console, line)
        return
    org = d.org_domain or d.from_domain
    _line(console, label("verify.from", lang, domain=_name(d.from_domain), org=_name(org)))
    if r.spf.domain:
        verdict = _align_word(r.spf.result, r.spf_alignment, lang)
        mode = label(f"verify.mode.{d.spf_mode.value}", lang)
        domain = _name(r.spf.domain)
        line = label("verify.align.spf", lang, domain=domain, verdict=verdict, mode=mode)
        _line(console, line)
    for sig in r.dkim:
        if not sig.domain:
            continue
        verdict = _align_word(sig.result, r.dkim_alignment(sig), lang)
        mode = label(f"verify.mode.{d.dkim_mode.value}", lang)
        line = label(
            "verify.align.dkim",
            lang,
            selector=_token(sig.selector),
            domain=_name(sig.domain),
            verdict=verdict,
            mode=mode,
        )
        _line(console, line)


def _name(value: str) -> str:
    """A domain inside a sentence, as people write it: an IDN in U-labels (idna validated
    them, so they are safe as they are), anything else as `_token` shows it."""
    shown = to_unicode(value)
    return shown if shown != value else _token(value)


def _token(value: str) -> str:
    """A domain or selector inside a sentence: as it is when it looks like one, otherwise
    quoted with escapes, so a hostile value (spaces, quotes, nothing at all) cannot run into
    the words around it."""
    if _PLAIN.fullmatch(value):
        return value
    import json  # only for such a value: a text report needs no JSON encoder otherwise

    return json.dumps(value, ensure_ascii=False)


def _known(aligned: bool | None, lang: str) -> bool | str:
    """A yes/no cell, or words when it is not known."""
    return label("verify.aligned.not-known", lang) if aligned is None else aligned


def _align_word(result: Result, aligned: bool | None, lang: str) -> str:
    if result is Result.TEMPERROR:
        return label("verify.aligned.unknown", lang)
    if result is not Result.PASS:
        return label("verify.aligned.notpass", lang)
    if aligned is None:
        return label("verify.aligned.lookup-failed", lang)
    return label("verify.aligned.yes" if aligned else "verify.aligned.no", lang)
