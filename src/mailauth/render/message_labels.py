"""Interface text of the message reports (`mailauth verify`, `mailauth spf`).

Same rules as `mailauth.i18n` (templates with named fields, one table per language): this
table exists only because i18n.py has no registration hook yet; `mlabel()` prefers a key
defined in i18n, so moving these entries there later changes nothing for callers.
"""

from __future__ import annotations

from typing import Any

from mailauth.i18n import has_label, label

_EN: dict[str, str] = {
    "verify.heading": "mailauth verify: {file}",
    "verify.subject": "Subject: {subject}",
    "verify.verdict.pass": "DMARC pass for {domain}: {how}",
    "verify.verdict.fail": (
        "DMARC fail for {domain}: no aligned SPF or DKIM pass; a receiver applies {disposition} "
        "(published policy {policy})"
    ),
    "verify.verdict.none": (
        "No DMARC policy for {domain}: receivers judge the message on SPF/DKIM alone"
    ),
    "verify.verdict.temperror": "DMARC for {domain} could not be evaluated (DNS lookup failed)",
    "verify.verdict.permerror": (
        "DMARC cannot be evaluated: the message needs exactly one From address"
    ),
    "verify.how.spf": "aligned SPF ({domain})",
    "verify.how.dkim": "aligned DKIM ({domains})",
    "verify.how.join": "{a} and {b}",
    "verify.section.dkim": "DKIM signatures",
    "verify.section.spf": "SPF",
    "verify.section.arc": "ARC",
    "verify.section.alignment": "Alignment with the From domain",
    "verify.section.transport": "Delivery",
    "verify.section.authres": "Authentication-Results",
    "verify.section.earlier": "Earlier results (on arrival) that differ from now",
    "verify.section.findings": "Findings, worst first",
    "verify.no-dkim": "No DKIM-Signature header.",
    "verify.dkim-more": "{count} more signatures were not verified (limit {limit}).",
    "verify.source": "{value} (from {source})",
    "verify.aligned": "{what} {domain}: {verdict} ({mode})",
    "verify.aligned.yes": "aligned",
    "verify.aligned.no": "not aligned",
    "verify.aligned.notpass": "not counted (did not pass)",
    "verify.mode.r": "relaxed",
    "verify.mode.s": "strict",
    "verify.from": "From domain {domain} (organizational domain {org})",
    "verify.earlier.line": "{authserv_id}: {method} {identifier} was {then}, now {now}",
    "spftrace.heading": "mailauth spf: {ip} for {domain}",
    "spftrace.result": "Result: {result}",
    "spftrace.identity": "IP {ip}, MAIL FROM {mail_from}, HELO {helo}",
    "spftrace.record": "{indent}{entered} {domain}: {record}",
    "spftrace.record.none": "(no SPF record)",
    "spftrace.entered.top": "record",
    "spftrace.entered.include": "include",
    "spftrace.entered.redirect": "redirect",
    "spftrace.term.match": "{indent}  {term}  -> MATCH ({qualifier})",
    "spftrace.term.nomatch": "{indent}  {term}  -> no match",
    "spftrace.term.counted": " [lookup {count}/10]",
    "spftrace.lookup": "{indent}      {name} {rdtype}: {rcode} {values}",
    "spftrace.lookup.void": " (void lookup {count}/2)",
    "spftrace.record-result": "{indent}  = {result}",
    "spftrace.no-match": "{indent}  no mechanism matched: default result neutral",
    "spftrace.totals": "DNS lookups counted: {lookups}/10, void lookups: {void}/2",
    "spftrace.problem": "Problem: {problem}",
    "spftrace.decided": "Decided by: {mechanism}",
    "spftrace.explanation": "Explanation: {explanation}",
    # --- command-line help ---
    "cli.verify.short-help": "Verify a saved message: DKIM, ARC, SPF, DMARC, and spam risks.",
    "cli.verify.help": (
        "Verify one or more saved messages (.eml, or - for standard input): every DKIM "
        "signature, the ARC chain, SPF for the connecting IP, DMARC alignment and the "
        "disposition a receiver would apply, plus the message-level rules of Gmail/Yahoo. "
        "A file that is not a message is reported on one line (exit status 2) and the other "
        "files are still verified."
    ),
    "cli.option.ip": "IP of the server that delivered the message (default: from Received).",
    "cli.option.helo": "HELO/EHLO name that server used (default: from Received).",
    "cli.option.mail-from": "Envelope sender, MAIL FROM (default: from Return-Path).",
    "cli.option.authserv-id": "authserv-id written in the Authentication-Results header.",
    "cli.option.authentication-results": "Print only the Authentication-Results header.",
    "cli.spf.short-help": "Evaluate SPF for an IP and sender, with the evaluation trace.",
    "cli.spf.help": (
        "Evaluate SPF (RFC 7208 check_host) for a connecting IP, MAIL FROM and HELO, and show "
        "the trace: each record evaluated, which mechanism matched or why none did, every DNS "
        "lookup with its running count. Exit status 0 when SPF passes, 1 for any other "
        "result, 3 for temperror."
    ),
    "cli.option.spf-mail-from": (
        "MAIL FROM address (a bare domain means postmaster@domain; empty checks HELO)."
    ),
    "error.file": "{file}: {reason}",
    "error.ip": "'{value}' is not an IP address",
}

_TABLES: dict[str, dict[str, str]] = {"en": _EN}


def mlabel(key: str, lang: str = "en", /, **params: Any) -> str:
    if has_label(key):
        return label(key, lang, **params)
    template = _TABLES.get(lang, _EN).get(key) or _EN[key]
    return template.format(**params) if params else template
