"""Every piece of user interface text that is not about a finding: headings, column names,
status words, scoring rules, error lines, CLI help.

Finding text lives in the finding catalogue; this is the catalogue for everything around it.
One table per language, each a flat `key -> str.format template`; a missing translation falls
back to English, a missing key is a programming error (KeyError in tests). Nothing shown to a
user is built by concatenating English fragments in code: compose templates with named fields.
"""

from __future__ import annotations

from typing import Any

_EN: dict[str, str] = {
    # --- errors (one line on stderr) ---
    "error.line": "mailauth: error: {message}",
    "error.generic": "{message}",
    "error.input": "invalid input: {message}",
    "error.usage": "{message} (see '{command} --help')",
    "error.internal": (
        "internal error: {error}. This is a bug in mailauth; run again with --debug "
        "and report the traceback."
    ),
    "error.zone": "cannot load zone file: {detail}",
    "error.path": "cannot read {path}: {reason}",
    "error.nameserver": (
        "'{value}' is not an IP address with an optional port "
        "(192.0.2.53, 192.0.2.53:5353, [2001:db8::53]:5353)"
    ),
    "error.aborted": "aborted",
    "error.domain.empty": "the domain name is empty",
    "error.domain.ip-address": (
        "'{name}' is an IP address; give the domain name that appears after @ in addresses"
    ),
    "error.domain.underscore": (
        "'{name}' contains '_', which is used only in service names such as _dmarc; "
        "give the mail domain itself"
    ),
    "error.domain.name-too-long": (
        "'{name}' is {length} characters long; a domain name has at most 253"
    ),
    "error.domain.label-too-long": (
        "'{name}' has a label of {length} characters; each part between dots has at most 63"
    ),
    "error.domain.empty-label": "'{name}' has an empty label (two dots in a row)",
    "error.domain.hyphen": "'{name}' has a label that starts or ends with '-'",
    "error.domain.invalid-character": (
        "'{name}' contains a character that is not allowed in a domain name "
        "(letters, digits, '-' and '.' only)"
    ),
    "error.domain.invalid-idn": "'{name}' is not a valid internationalized domain name",
    "error.domain.single-label": (
        "'{name}' has only one label; give a full domain name such as example.jp"
    ),
    "error.domain.numeric-tld": "'{name}' ends in a numeric label, which no real domain has",
    # --- the domain report ---
    "report.heading": "mailauth check: {domain}",
    "report.heading-idn": "mailauth check: {unicode_domain} ({domain})",
    "report.score": "Score {score}/100  Grade {grade}",
    "report.incomplete": (
        "Incomplete: {checks} could not be checked, so the score covers only the rest "
        "and no verdict is given for them."
    ),
    "summary.heading": "Why mail from this domain may land in spam",
    "summary.item": "{check}: {title}",
    "summary.none": (
        "Nothing found that makes Gmail, Yahoo, Outlook or spam filters distrust this domain."
    ),
    "summary.none-incomplete": (
        "Nothing found in the checks that ran; the others gave no verdict (see below)."
    ),
    "summary.more": "... and {count} more findings in the sections below.",
    "section.check": "{check}  {status}",
    "section.findings": "Findings",
    "section.no-findings": "No findings.",
    "section.no-data": "Nothing to show.",
    "section.deductions": "Score deductions",
    "section.no-deductions": "No deductions.",
    "finding.heading": "{title}  [{id}]",
    "finding.detail": "What is wrong",
    "finding.consequence": "What receivers do",
    "finding.fix": "Fix",
    "finding.fix-record": "Publish exactly",
    "finding.references": "References",
    "layout.colon": "{name}:",
    "deduction.line": "-{points:>2}  {id}  {reason}",
    "deduction.count": "{reason} (reported {count} times, counted once)",
    "column.points": "Points",
    "column.finding": "Finding",
    "column.reason": "Why",
    # --- check names, status words, severities ---
    "check.spf": "SPF",
    "check.dmarc": "DMARC",
    "check.dkim": "DKIM",
    "check.bimi": "BIMI",
    "check.mx": "MX",
    "check.mta_sts": "MTA-STS",
    "check.tls_rpt": "TLS-RPT",
    "check.core": "mailauth",
    "status.pass": "PASS",
    "status.warn": "WARN",
    "status.fail": "FAIL",
    "status.none": "NONE",
    "status.error": "ERROR",
    "severity.critical": "CRITICAL",
    "severity.high": "HIGH",
    "severity.medium": "MEDIUM",
    "severity.low": "LOW",
    "severity.info": "INFO",
    "value.yes": "yes",
    "value.no": "no",
    "value.none": "-",
    "value.count-of-limit": "{count} (limit {limit})",
    "value.lookups": "({count})",
    # --- names of data fields shown in a check's parsed view ---
    "field.record": "Record",
    "field.records": "Records",
    "field.dns_lookups": "DNS lookups",
    "field.void_lookups": "Void lookups",
    "field.policy": "Policy",
    "field.location": "Found at",
    "field.org_domain": "Organizational domain",
    "field.selectors": "Selectors",
    "field.selector": "Selector",
    "field.status": "Status",
    "field.key_type": "Key type",
    "field.key_bits": "Key bits",
    "field.hosts": "Hosts",
    "field.host": "Host",
    "field.preference": "Preference",
    "field.addresses": "Addresses",
    "field.tags": "Tags",
    "field.includes": "Includes",
    "field.tipping_point": "Goes over the limit at",
    "field.breakdown": "Lookups by term",
    "field.spf_rrtype_records": "SPF-type records (obsolete)",
    "field.testing": "Testing mode",
    "field.rua": "Aggregate reports to",
    "field.ruf": "Failure reports to",
    "field.tried": "Selectors tried",
    "field.cname": "CNAME to",
    "field.address": "Address",
    "field.ptr": "Reverse DNS",
    "field.fcrdns": "Forward-confirmed",
    "field.null_mx": "Null MX (accepts no mail)",
    "field.implicit_mx": "No MX: mail goes to the A/AAAA record",
    "field.policy_url": "Policy URL",
    "field.logo_url": "Logo",
    "field.authority_url": "Mark certificate",
    "field.declined": "Declines BIMI",
    "field.dmarc_enforced": "DMARC enforced (needed for the logo)",
    # --- scoring rules (docs/scoring.md and the deductions list) ---
    "scoring.reason-capped": "{rule} (reduced: this check already lost its maximum of {cap})",
    "scoring.rule.severity-critical": "critical finding",
    "scoring.rule.severity-high": "high-severity finding",
    "scoring.rule.severity-medium": "medium-severity finding",
    "scoring.rule.severity-low": "low-severity finding",
    "scoring.rule.severity-info": "information only",
    "scoring.rule.providers-require-spf": (
        "Gmail, Yahoo and Outlook.com require SPF (bulk senders: SPF and DKIM)"
    ),
    "scoring.rule.spf-permerror": (
        "SPF permerror at every receiver (RFC 7208): as good as no SPF record"
    ),
    "scoring.rule.providers-require-dmarc": (
        "Gmail, Yahoo and Outlook.com require bulk senders to publish DMARC"
    ),
    "scoring.rule.gmail-dkim-1024": (
        "Gmail and Yahoo require DKIM keys of at least 1024 bits; shorter keys fail"
    ),
    "scoring.rule.providers-require-dkim": (
        "Gmail, Yahoo and Outlook.com require DKIM from bulk senders; a named selector "
        "without a key means that mail fails DKIM"
    ),
}

_EN.update(
    {
        # --- command-line help (docs/cli.md is generated from it) ---
        "cli.main.help": (
            "Explain, with evidence, why mail from a domain may land in spam, and how to fix "
            "it.\n\n\b\nExit status (every command):\n"
            "  0  ran; nothing fails the threshold\n"
            "  1  ran; the result fails --fail-under or --fail-on (spf: SPF did not pass)\n"
            "  2  usage or input error (bad option, invalid domain, bad zone file)\n"
            "  3  lookups failed (timeout, SERVFAIL, no answer): no verdict"
        ),
        "cli.check.short-help": "Check a domain's SPF, DMARC, DKIM, BIMI, MX, MTA-STS, TLS-RPT.",
        "cli.check.help": (
            "Check the DNS records that decide whether Gmail, Yahoo, Outlook and spam filters "
            "trust mail from DOMAIN: SPF, DMARC, DKIM keys, BIMI, MX, MTA-STS and TLS-RPT. "
            "Prints a score and grade, the reasons mail may land in spam, and the exact "
            "records to publish.\n\nDOMAIN may be internationalized (日本語.jp). Give "
            "several domains to check them in one run.\n\nOffline, against zone files "
            "(also to lint records before publishing them):\n\n"
            "    mailauth check example.jp --zone samples/zones/"
        ),
        "cli.option.selector": (
            "DKIM selector to check (repeatable). Common selectors of big senders and ESPs "
            "are always tried; a selector named here that has no key is a finding."
        ),
        "cli.option.bimi-selector": "BIMI selector to look up (<selector>._bimi.DOMAIN).",
        "cli.option.zone": (
            "Answer DNS queries from this zone file, or every *.zone file in this directory, "
            "instead of the network (repeatable). Names outside the loaded zones are "
            "reported as not resolvable offline."
        ),
        "cli.option.nameserver": (
            "Ask this DNS server (IP address, optional port; repeatable) instead of the "
            "system's resolvers."
        ),
        "cli.option.timeout": "Seconds to wait for each DNS reply.",
        "cli.option.retries": "Times to retry a DNS query that timed out.",
        "cli.option.deadline": (
            "Stop querying after this many seconds in total; checks still waiting get an "
            "error (exit status 3)."
        ),
        "cli.option.format": "Output format.",
        "cli.option.fail-under": "Exit with status 1 when a score is below SCORE (0-100).",
        "cli.option.fail-on": ("Exit with status 1 when any finding has this severity or worse."),
        "cli.option.debug": "Show debug logs, and a traceback instead of a one-line error.",
        "cli.option.no-color": "Never use colour (also: NO_COLOR=1, or output not a terminal).",
    }
)

_TABLES: dict[str, dict[str, str]] = {"en": _EN}

LANGUAGES: tuple[str, ...] = tuple(_TABLES)


class _Params(dict[str, Any]):
    """Leaves an unknown {field} visible rather than raising while a user is watching."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def label(key: str, lang: str = "en", /, **params: Any) -> str:
    """The text of `key` in `lang` (English when untranslated), with `params` filled in."""
    template = _TABLES.get(lang, _EN).get(key)
    if template is None:
        template = _EN[key]
    return template.format_map(_Params(params)) if params else template


def has_label(key: str) -> bool:
    return key in _EN


def field_label(name: str, lang: str = "en") -> str:
    """Heading for a data field of a check (`dns_lookups`); the raw name when not catalogued,
    so a check that adds a field shows it at once and the label can follow."""
    key = f"field.{name}"
    return label(key, lang) if has_label(key) else name
