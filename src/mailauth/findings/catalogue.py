"""The finding catalogue: every stable finding id with its user-facing text.

The English text a user reads about a finding is written here (one module per protocol
registers its entries); `describe` looks it up through `mailauth.i18n` like any UI text
(`finding.<id>.title`, ...), so a translation is entries in that language's one table and
never string concatenation in a check.
Templates use `str.format` named fields filled from `Finding.params`.
Ids are an interface (users suppress them in CI): never rename one, add a new id instead.

What a finding *is* (its check, scope, protocol, whether it is scored) is metadata here, never
read off the spelling of its id: each catalogue module declares its `Section` once and defines
its ids through it, and `define` refuses an id outside its section's prefix.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from mailauth import i18n
from mailauth.findings.references import Cite
from mailauth.model import Finding, FindingText, Phrase, Severity


class Scope(str, Enum):
    """What a finding is about: a domain's published records (`mailauth check`), one message
    (`mailauth verify`), or mailauth itself."""

    DOMAIN = "domain"
    MESSAGE = "message"
    TOOL = "tool"


class Protocol(str, Enum):
    """The standard (or receiver rule set) a finding is judged against."""

    SPF = "spf"
    DMARC = "dmarc"
    DKIM = "dkim"
    BIMI = "bimi"
    MX = "mx"
    MTA_STS = "mta_sts"
    TLS_RPT = "tls_rpt"
    DNSSEC = "dnssec"
    DANE = "dane"
    SMTP = "smtp"
    DNS = "dns"  # the domain name itself (does it exist?)
    ARC = "arc"
    AUTHENTICATION_RESULTS = "authentication_results"
    LIST_UNSUBSCRIBE = "list_unsubscribe"
    MESSAGE_FORMAT = "message_format"
    TRANSPORT = "transport"
    MAILAUTH = "mailauth"


@dataclass(frozen=True)
class Section:
    """A group of ids with one prefix, declared once by its catalogue module:
    `define = Section("spf", Scope.DOMAIN, Protocol.SPF).define`.

    `name` is the id prefix and the group a finding is scored and reported under (`check`
    in JSON): a domain check's name, or `msg_<protocol>` on the message side.
    """

    name: str
    scope: Scope
    protocol: Protocol

    def define(
        self,
        id: str,
        severity: Severity,
        *,
        title: str,
        detail: str,
        consequence: str,
        fix: str,
        references: tuple[Cite, ...] = (),
        severity_rules: tuple[SeverityRule, ...] = (),
        scored: bool = True,
    ) -> FindingDef:
        """Register a catalogue entry at import time; a duplicate id is a programming error.
        `severity_rules`: the other severities the reporting code may give this finding.
        `scored=False`: the finding says part of the report could not be evaluated (a lookup
        failed, mailauth failed); it deducts nothing and marks the score incomplete."""
        if id in CATALOGUE:
            raise ValueError(f"finding id defined twice: {id}")
        if not id.startswith(self.name + ".") or id == self.name + ".":
            raise ValueError(f"finding id {id} is outside its section {self.name}")
        entry = FindingDef(
            id,
            severity,
            title,
            detail,
            consequence,
            fix,
            references,
            severity_rules,
            section=self,
            scored=scored,
        )
        CATALOGUE[id] = entry
        return entry


@dataclass(frozen=True)
class SeverityRule:
    """A severity a finding takes instead of the catalogue's, and the condition in words.
    A severity decided at run time must be visible where users look findings up:
    tools/gen_docs.py prints these rules next to the severity in docs/findings.md."""

    severity: Severity
    when: str


@dataclass(frozen=True)
class FindingDef:
    """One catalogue entry. `fix` is advice in words; the computed record goes in
    `Finding.fix_record`. `references` cite the RFC section or provider rule, each a
    `Reference` (or a `Citation` of several) to a `Source` of `findings/references.py`."""

    id: str
    severity: Severity
    title: str
    detail: str
    consequence: str
    fix: str
    references: tuple[Cite, ...] = ()
    severity_rules: tuple[SeverityRule, ...] = ()
    section: Section = field(kw_only=True)
    scored: bool = field(default=True, kw_only=True)


CATALOGUE: dict[str, FindingDef] = {}


def is_scored(finding_id: str) -> bool:
    """Whether a finding deducts points. Ids outside the catalogue (a library user's or a
    test's own findings) are scored."""
    entry = CATALOGUE.get(finding_id)
    return entry.scored if entry is not None else True


def check_of(finding_id: str) -> str:
    """The group a finding is scored and reported under: its catalogue section. An id
    outside the catalogue belongs to the group its first part names."""
    entry = CATALOGUE.get(finding_id)
    if entry is not None:
        return entry.section.name
    return finding_id.split(".", 1)[0]


def finding(
    id: str,
    *,
    severity: Severity | None = None,
    fix_record: str | None = None,
    **params: Any,
) -> Finding:
    """Make a finding of a catalogued id. Unknown ids and missing template fields fail loudly
    (in tests) rather than producing a half-rendered sentence for a user."""
    entry = CATALOGUE.get(id)
    if entry is None:
        raise KeyError(f"finding id not in catalogue: {id}")
    missing = _fields(entry) - params.keys()
    if missing:
        raise KeyError(f"finding {id} needs params {sorted(missing)}")
    return Finding(id, severity or entry.severity, dict(params), fix_record)


def _fields(entry: FindingDef) -> set[str]:
    names: set[str] = set()
    for template in (entry.title, entry.detail, entry.consequence, entry.fix):
        for _, name, _, _ in string.Formatter().parse(template):
            if name:
                names.add(name.split(".")[0].split("[")[0])
    return names


def describe(f: Finding, lang: str = "en") -> FindingText:
    """Render a finding's text in `lang`. The text is looked up like any UI text
    (`finding.<id>.title`, ... in `mailauth.i18n`), so each part a translation lacks falls
    back to English on its own; a `Phrase` param is rendered in `lang` too."""
    if f.id not in CATALOGUE:
        return FindingText(f.id, "", "", "")
    params = {
        k: i18n.label(v.key, lang, **v.params) if isinstance(v, Phrase) else v
        for k, v in f.params.items()
    }
    title, detail, consequence, fix = (
        i18n.fill(i18n.template(i18n.finding_key(f.id, part), lang), params)
        for part in i18n.FINDING_PARTS
    )
    return FindingText(title, detail, consequence, fix)
