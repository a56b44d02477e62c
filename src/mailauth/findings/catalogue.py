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

import pkgutil
import string
from collections.abc import ItemsView, Iterator, KeysView, ValuesView
from dataclasses import field
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mailauth import i18n
from mailauth.frozen import frozen
from mailauth.model import Finding, FindingText, Phrase, Severity

if TYPE_CHECKING:
    # The sections that cite sources import them (findings/references.py): a message with
    # no findings loads no section and no source (issue 10, start-up).
    from mailauth.findings.references import Cite


class Scope(str, Enum):
    """What a finding is about: a domain's published records (`mailauth check`), one message
    (`mailauth verify`), or mailauth itself."""

    DOMAIN = "domain"
    MESSAGE = "message"
    TOOL = "tool"
    # The user's own expectations of a domain (`[expect]` in mailauth.toml): judged beside
    # the checks, never scored (issue 13).
    POLICY = "policy"


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


@frozen
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
        if dict.__contains__(CATALOGUE, id):  # not `in`: that would load the section
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


@frozen
class SeverityRule:
    """A severity a finding takes instead of the catalogue's, and the condition in words.
    A severity decided at run time must be visible where users look findings up:
    tools/gen_docs.py prints these rules next to the severity in docs/findings.md."""

    severity: Severity
    when: str


@frozen
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


class Catalogue(dict[str, FindingDef]):
    """Finding id -> entry, filled by the catalogue modules' `define` calls as each module
    is imported. A lookup of one id (`get`, `in`, `[]`) imports only the modules of its
    section (`msg_dkim.*`: msg_dkim.py; `bimi.*`: bimi.py and bimi_assets.py, each module
    named after its section or starting with it); anything that reads the catalogue as a
    whole (iteration, `len`, `items`...) imports every module first, in the order and with
    the result of importing them all at once. An id not found in its section's modules
    makes every module load too, so a lookup answers as the complete catalogue would.

    Issue 10, start-up: `mailauth verify` needs the message sections only, about a quarter
    of the catalogue's import time."""

    def __init__(self) -> None:
        super().__init__()
        self._ids: dict[str, list[str]] = {}  # module -> the ids it defined, in order
        self._complete = False

    @staticmethod
    @cache
    def _modules() -> tuple[str, ...]:
        """The catalogue modules, in the order the package lists them (as it imported them
        all before). Listed once: each section's first lookup asks, and reading the
        package directory each time cost a verify run with findings ~1 ms (issue 10)."""
        found = pkgutil.iter_modules([str(Path(__file__).parent)])
        return tuple(m.name for m in found if m.name != "catalogue")

    def _load(self, name: str) -> None:
        if name in self._ids:
            return
        self._ids[name] = []  # before the import: a module never loads itself twice
        before = dict.__len__(self)
        __import__(f"{__package__}.{name}")  # not importlib.import_module: importtime lists this
        self._ids[name] = list(dict.keys(self))[before:]

    def _find(self, finding_id: str) -> None:
        if self._complete or dict.__contains__(self, finding_id):
            return
        section = finding_id.split(".", 1)[0]
        for name in self._modules():
            if name == section or name.startswith(section + "_"):
                self._load(name)
        if not dict.__contains__(self, finding_id):
            self.load_all()

    def load_all(self) -> None:
        """Import every catalogue module; the entries then come in the order of the
        modules, each module's in the order it defines them (docs/findings.md's order)."""
        if self._complete:
            return
        self._complete = True
        names = self._modules()
        for name in names:
            self._load(name)
        ordered = [fid for name in names for fid in self._ids.get(name, [])]
        placed = set(ordered)
        rest = [fid for fid in dict.keys(self) if fid not in placed]  # defined elsewhere
        entries = [(fid, dict.__getitem__(self, fid)) for fid in [*ordered, *rest]]
        dict.clear(self)
        dict.update(self, entries)

    def __getitem__(self, finding_id: str) -> FindingDef:
        self._find(finding_id)
        return dict.__getitem__(self, finding_id)

    def get(  # type: ignore[override]
        self, finding_id: str, default: FindingDef | None = None
    ) -> FindingDef | None:
        self._find(finding_id)
        return dict.get(self, finding_id, default)

    def __contains__(self, finding_id: object) -> bool:
        if isinstance(finding_id, str):
            self._find(finding_id)
        return dict.__contains__(self, finding_id)

    def __iter__(self) -> Iterator[str]:
        self.load_all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self.load_all()
        return dict.__len__(self)

    def keys(self) -> KeysView[str]:  # type: ignore[override]
        self.load_all()
        return dict.keys(self)

    def values(self) -> ValuesView[FindingDef]:  # type: ignore[override]
        self.load_all()
        return dict.values(self)

    def items(self) -> ItemsView[str, FindingDef]:  # type: ignore[override]
        self.load_all()
        return dict.items(self)


CATALOGUE = Catalogue()


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


def _fields(entry: FindingDef) -> frozenset[str]:
    """The parameters `entry`'s templates name. Read once per entry (`_template_fields`):
    parsing four templates with `string.Formatter` took ~6 us of each finding made, and a
    verify makes one or two per message (issue 10)."""
    return _template_fields(entry.title, entry.detail, entry.consequence, entry.fix)


@cache
def _template_fields(*templates: str) -> frozenset[str]:
    names: set[str] = set()
    for template in templates:
        for _, name, _, _ in string.Formatter().parse(template):
            if name:
                names.add(name.split(".")[0].split("[")[0])
    return frozenset(names)


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
